"""`sendcase refresh-deadlines`: the daily job's command line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sendcase.casework.domain.assessment import open_case_from_request
from sendcase.casework.models import Deadline


def test_refresh_command_moves_deadlines_on(child, officer) -> None:
    case = open_case_from_request(
        child, received_on=dt.date(2025, 1, 6), source=1, actor=officer, today=dt.date(2025, 1, 7)
    )
    out = io.StringIO()
    call_command("refresh-deadlines", "--today", "2025-02-18", stdout=out)
    assert "Recomputed deadlines for 1 cases" in out.getvalue()
    assert Deadline.objects.get(case=case, key="decision_to_assess").status == "overdue"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2025-02-30"], "--today must be a date written YYYY-MM-DD"),
        (["--today", "tomorrow"], "--today must be a date written YYYY-MM-DD"),
        (["--workers", "0"], "--workers must be 1 or more"),
    ],
)
def test_refresh_command_refuses_bad_options(db, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("refresh-deadlines", *args)
