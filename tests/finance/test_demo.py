"""The demo council's money (finance/demo.py): every costed placement has its lines, written
through the actions, and the finance view's figures reconcile on it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sendcase.accounts.models import User
from sendcase.accounts.testing import verified_login
from sendcase.core.codes import SettingType
from sendcase.core.models import AuditEntry
from sendcase.finance.costing import annual_cost_on
from sendcase.finance.demand_data import demand_forecast
from sendcase.finance.demo import AWAITING_FEE, MATRIX, seed_money
from sendcase.finance.models import BandRate, CostLine
from sendcase.finance.placing import uncosted
from sendcase.finance.queries import as_lines
from sendcase.finance.summary import committed
from sendcase.placements.models import Placement

TODAY = dt.date(2025, 11, 24)
EES = (
    Path(__file__).resolve().parents[2]
    / "src/sendcase/demo/data/education-health-and-care-plans_2025.zip"
)


@pytest.fixture
def council(settings: Any) -> None:
    settings.SENDCASE_DEMO = True
    call_command(
        "demo", plans="80", seed="5", today=TODAY.isoformat(), stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip


@pytest.mark.django_db
def test_the_demo_council_has_its_money(council: None, client: Any) -> None:
    costed = Placement.objects.filter(
        rank=1,
        plan__first_issued_on__isnull=False,
        setting_type__in=[*MATRIX, SettingType.INDEPENDENT_SPECIAL],
    )
    assert costed.exists()
    # Every costed placement has its lines, but for new fees still with finance, which the
    # finance screens list as placements without a cost.
    waiting = uncosted(TODAY)
    assert all(u.reason == "fee" and (TODAY - u.entry_date).days < AWAITING_FEE for u in waiting)
    assert not (
        costed.filter(cost_lines__isnull=True).exclude(pk__in=[u.placement_id for u in waiting])
    ).exists()
    arranged = Placement.objects.filter(
        rank=1, sen_setting="OLA", plan__first_issued_on__isnull=False
    )
    assert not arranged.filter(cost_lines__isnull=True).exists()
    assert BandRate.objects.filter(financial_year=2025).count() == 5 * len(MATRIX)
    # Every line was written by the action, with its audit entry.
    assert AuditEntry.objects.filter(object_type="finance.costline").count() == (
        CostLine.objects.count()
    )
    result = committed(TODAY)
    by_plan = {
        plan_id: annual_cost_on(
            [x for x in as_lines(CostLine.objects.all()) if x.key[0] == plan_id], TODAY
        )
        for plan_id in {p.plan_id for p in result.plans}
    }
    assert result.total == sum(by_plan.values(), Decimal(0)) > 0
    # A second seeding changes nothing.
    lines = CostLine.objects.count()
    assert seed_money(today=TODAY).lines == 0
    assert CostLine.objects.count() == lines
    verified_login(client, User.objects.get(username="demo.finance"))
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.django_db
def test_demand_is_forecast_and_backtested_on_the_demo_council_and_england(
    council: None,
) -> None:
    call_command("ees-import", str(EES), stdout=io.StringIO())
    result = demand_forecast(TODAY)
    assert len(result.plans) == 5 and all(p.low is not None for p in result.plans)
    for name in ("Plans maintained (growth)", "Plans maintained (ageing)", "Requests a year"):
        points = result.backtests[name]
        assert points and all(p.error is not None for p in points), name
    england = result.backtests["England: plans maintained"]
    assert [p.year for p in england] == [2022, 2023, 2024, 2025]
    assert england[-1].actual == 638745  # DfE: plans in January 2025
    assert result.mean_error("England: plans maintained") is not None
