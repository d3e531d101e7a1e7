"""The ledger (one query a year for the council-wide figures) agrees with `costing`, the
definition, line by line: committed yearly cost and the cost in each financial year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sendcase.core.actors import SystemActor
from sendcase.finance import actions, ledger
from sendcase.finance.costing import annual_cost_on, cost_between, fy_end, fy_start
from sendcase.finance.models import CostLine
from sendcase.finance.queries import as_lines

ACTOR = SystemActor("test")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025, 2026, 2027, 2030])
def test_every_line_costs_the_same_both_ways(costed: dict[str, Any], year: int) -> None:
    fee = costed["lines"][1]
    actions.change_cost(fee, from_date=dt.date(2025, 1, 1), amount=Decimal(1650), actor=ACTOR)
    banded = costed["placements"][0]
    banded.leaving_date = dt.date(2026, 7, 31)
    banded.save()
    defined = {x.key[2]: x for x in as_lines(CostLine.objects.all())}
    rows = {r.pk: r for r in ledger.rows(year)}
    for pk, line in defined.items():
        expected = cost_between(line, fy_start(year), fy_end(year))
        assert (rows[pk].year_cost(year) if pk in rows else Decimal(0)) == expected, pk
    for day in (fy_start(year), dt.date(year, 9, 1), fy_end(year)):
        by_plan = ledger.committed_by_plan(day, list(rows.values()))
        for plan_id in {x.key[0] for x in defined.values()}:
            mine = [x for x in defined.values() if x.key[0] == plan_id]
            assert by_plan.get(plan_id, (0, 0))[0] == annual_cost_on(mine, day), (plan_id, day)
