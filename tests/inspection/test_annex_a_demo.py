"""Done when: the demo council's List 1 passes every inspectors' check with zero errors."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings

from sendcase.inspection import annex_a

TODAY = dt.date(2026, 1, 31)


@pytest.fixture(scope="module")
def demo_council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        call_command("demo", plans="150", seed="1", today=TODAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_councils_list_1_has_no_errors(demo_council: Any, tmp_path: Any) -> None:
    rows = annex_a.list_1(TODAY)
    assert len(rows) >= 100
    problems = annex_a.check(rows, TODAY)
    errors = [p for p in problems if p.error]
    assert errors == [], errors[:10]
    out = tmp_path / "a.xlsx"
    call_command("annex-a", "--as-at", TODAY.isoformat(), "--out", str(out), stdout=io.StringIO())
    ws = openpyxl.load_workbook(out)["List_1"]
    assert ws.max_row == len(rows) + 1
