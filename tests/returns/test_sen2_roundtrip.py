"""Export -> import into an empty database -> export gives the same return (apart from the timestamp)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from sen2_helpers import YEAR, build_return, canonical, returns  # type: ignore[import-not-found]

from sendcase.returns.importer import import_return
from sendcase.returns.periods import Collection
from sendcase.returns.reader import validate


def export_bytes(year: int = YEAR) -> bytes:
    from sendcase.returns.exporter import write_return

    out = io.BytesIO()
    write_return(Collection(year), out)
    return out.getvalue()


def assert_round_trip(xml: bytes, path: str) -> None:
    checked = validate(path)
    assert checked.problems == [], [p.as_text() for p in checked.problems]
    result = import_return(path)
    assert result.ok, [p.as_text() for p in result.problems]
    again = export_bytes()
    assert canonical(again).decode() == canonical(xml).decode()


@pytest.mark.django_db
def test_sample_return_round_trips(sample_persons: Any, write_file: Any) -> None:
    xml = build_return(sample_persons())
    assert_round_trip(xml, write_file(xml))


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(persons=returns())
def test_generated_returns_round_trip(persons: Any, tmp_path: Any) -> None:
    from django.db import transaction

    xml = build_return(persons)
    path = tmp_path / "generated.xml"
    path.write_bytes(xml)
    with transaction.atomic():
        assert_round_trip(xml, str(path))
        transaction.set_rollback(True)
