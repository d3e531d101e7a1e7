"""PostgreSQL adds up the committed costs (finance/sums.py) to the penny as `ledger` and
`costing` do: on every kind of line, across April and September, on 29 February, after a fee
change and after a placement ends. On SQLite, where `sums` is not used, these are skipped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from sendcase.core.actors import SystemActor
from sendcase.finance import actions, ledger, summary, sums
from sendcase.finance.costing import financial_year
from sendcase.finance.models import Band, CostLine

ACTOR = SystemActor("test")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="sums.py is PostgreSQL's"),
]


def _next(today: dt.date, month: int, day: int) -> dt.date:
    """The next `day` of `month` after today (29 February: the next leap year's)."""
    year = today.year
    while True:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate > today:
            return candidate
        year += 1


def _days() -> list[dt.date]:
    today = timezone.localdate()
    return [
        today, today + dt.timedelta(days=30), today + dt.timedelta(days=31),
        *(_next(today, m, d) for m, d in ((3, 31), (4, 1), (8, 31), (9, 1), (2, 29))),
    ]  # fmt: skip


def _in_python(day: dt.date) -> tuple[summary.Committed, summary.Overview]:
    with mock.patch.object(sums, "available", return_value=False):
        return summary.committed(day), summary.overview(day)


def _plans(result: summary.Committed) -> list[tuple[Any, ...]]:
    return [
        (p.plan_id, p.annual, p.gross, p.age_group, p.area, p.setting, p.setting_type, p.need)
        for p in result.plans
    ]


@pytest.fixture
def varied(costed: dict[str, Any], matrix: dict[str, Band]) -> dict[str, Any]:
    """The three children of `costed`, plus a 38-week fee shared with social care that rises
    next April, and the banded placement ending in 30 days."""
    today = timezone.localdate()
    banded, fee, _dp = costed["placements"]
    line = actions.add_cost_line(
        fee.plan, kind=CostLine.Kind.FEE, placement=fee, amount=Decimal("2733.33"),
        per=CostLine.Per.WEEK, weeks=38, social_care_share=Decimal("33.33"),
        starts_on=dt.date(2023, 9, 1), actor=ACTOR,
    )  # fmt: skip
    actions.change_cost(line, from_date=_next(today, 4, 1), amount=Decimal("2842.67"), actor=ACTOR)
    banded.leaving_date = today + dt.timedelta(days=30)
    banded.save(update_fields=["leaving_date"])
    return costed


@pytest.mark.parametrize("which", range(8))
def test_postgresql_adds_up_as_python_does(varied: dict[str, Any], which: int) -> None:
    assert sums.available()
    day = _days()[which]
    sql_plans, sql_view = summary.committed(day), summary.overview(day)
    py_plans, py_view = _in_python(day)
    assert _plans(sql_plans) == _plans(py_plans)
    assert sql_view.total == py_view.total == sql_plans.total
    for name in summary.DIMENSIONS:
        assert sql_view.by[name].amounts == py_view.by[name].amounts, name
        assert sql_view.by[name].counts == py_view.by[name].counts, name
    assert sql_view.top == py_view.top
    assert sql_view.new_plans == py_view.new_plans
    assert sql_view.independent == py_view.independent


def test_the_sums_are_not_all_nothing(varied: dict[str, Any]) -> None:
    for day in _days():
        result = summary.committed(day)
        assert result.total > 0 and sum(1 for p in result.plans if p.annual) >= 2, day


@pytest.mark.parametrize("which", range(8))
def test_postgresql_adds_up_the_commitments_as_python_does(
    varied: dict[str, Any], which: int
) -> None:
    day = _days()[which]
    year = financial_year(day)
    py_plans, _ = _in_python(day)
    active = {p.plan_id for p in py_plans.plans}
    rows = [r for r in ledger.rows(year) if r.plan_id in active]
    count, cost, months = sums.commitments(day)
    assert count == len(rows)
    assert cost == ledger.year_cost(year, rows)
    assert months == ledger.month_profile(year, rows)
    assert cost > 0


def test_a_drill_down_picks_out_the_same_plans(varied: dict[str, Any]) -> None:
    day = _days()[0]
    everyone = summary.committed(day).plans
    for dimension in summary.DIMENSIONS:
        for value in {summary.label_of(dimension, p) for p in everyone}:
            wanted = [p for p in everyone if summary.label_of(dimension, p) == value]
            assert summary.plans_under(day, dimension, value) == wanted, (dimension, value)
    assert summary.plans_under(day, "setting", "Nowhere") == []
