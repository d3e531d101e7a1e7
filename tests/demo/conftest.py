from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def demo_mode(settings: pytest.FixtureRequest) -> None:
    """These tests build the demo council, which only a demo installation may do."""
    settings.SENDCASE_DEMO = True  # type: ignore[attr-defined]
