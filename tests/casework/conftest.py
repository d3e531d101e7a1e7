from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sendcase.accounts.testing import verified_login


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Client]:
    """A test client signed in (with a second factor) as the given person."""

    def make(user: Any) -> Client:
        return verified_login(Client(), user)

    return make


def date_data(name: str, d: Any) -> dict[str, str]:
    """POST data for a GOV.UK date input."""
    return {f"{name}_day": str(d.day), f"{name}_month": str(d.month), f"{name}_year": str(d.year)}


@pytest.fixture
def dates() -> Callable[..., dict[str, str]]:
    def make(**named: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, d in named.items():
            out.update(date_data(name, d))
        return out

    return make
