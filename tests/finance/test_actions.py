"""The money's actions: every figure dated, validated and audited; a fee change mid-year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sendcase.casework.domain.errors import ActionError
from sendcase.core.actors import SystemActor
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.finance import actions
from sendcase.finance.costing import fy_cost
from sendcase.finance.models import BandRate, CostLine
from sendcase.finance.queries import as_lines

ACTOR = SystemActor("test")
pytestmark = pytest.mark.django_db


def test_every_cost_line_is_audited_with_its_case(costed: dict[str, Any]) -> None:
    for line in costed["lines"]:
        entry = AuditEntry.objects.get(object_type="finance.costline", object_id=str(line.pk))
        assert entry.case_id == line.plan.case_id
        assert entry.payload["starts_on"] == line.starts_on.isoformat()


def test_a_rate_change_keeps_the_old_figure_in_the_audit(
    matrix: dict[str, Any], this_year: int
) -> None:
    rate = BandRate.objects.get(band=matrix["special"], financial_year=this_year)
    actions.set_band_rate(
        matrix["special"], financial_year=this_year, place_funding=Decimal(10000),
        top_up=Decimal(16000), actor=ACTOR, expected_version=rate.version,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="finance.bandrate", object_id=str(rate.pk))
    assert entry.latest("pk").payload["before"] == {
        "place_funding": "10000.00",
        "top_up": "14500.00",
    }
    with pytest.raises(StaleRecord):
        actions.set_band_rate(
            matrix["special"], financial_year=this_year, top_up=Decimal(1), actor=ACTOR,
            expected_version=rate.version,
        )  # fmt: skip


def test_a_fee_change_mid_year(costed: dict[str, Any]) -> None:
    fee = costed["lines"][1]
    change = dt.date(2024, 1, 1)
    new = actions.change_cost(fee, from_date=change, amount=Decimal(1600), actor=ACTOR)
    fee.refresh_from_db()
    assert fee.ends_on == dt.date(2023, 12, 31)
    assert (new.starts_on, new.amount, new.weeks, new.health_share) == (
        change,
        Decimal(1600),
        52,
        Decimal(25),
    )
    year = fy_cost(as_lines(CostLine.objects.filter(plan=fee.plan)), 2023)  # 2023-24
    # 1 Sep to 31 Dec 2023 at 1,500 a week, 1 Jan to 31 Mar 2024 at 1,600; 366 days (29 Feb).
    penny = Decimal("0.01")
    expected = (Decimal(78000) * Decimal("0.75") * 122 / 366).quantize(penny) + (
        Decimal(83200) * Decimal("0.75") * 91 / 366
    ).quantize(penny)
    assert year == expected
    assert AuditEntry.objects.filter(object_id=str(new.pk), payload__replaces=fee.pk).exists()


def test_a_placement_that_ended_costs_nothing_after(costed: dict[str, Any]) -> None:
    banded = costed["placements"][0]
    banded.leaving_date = dt.date(2024, 3, 31)
    banded.save()
    lines = as_lines(CostLine.objects.filter(plan=banded.plan))
    assert fy_cost(lines, 2024) == 0
    assert fy_cost(lines, 2023) > 0


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"kind": "banded", "band": None}, "Choose the band"),
        ({"kind": "fee", "amount": None}, "Enter the amount"),
        ({"kind": "fee", "placement": None}, "Choose the placement"),
        ({"per": "week", "weeks": None}, "weeks a year"),
        ({"per": "week", "weeks": 53}, "weeks a year"),
        ({"ends_on": dt.date(2023, 8, 31)}, "end date must be the same as or after"),
        ({"health_share": Decimal(60), "social_care_share": Decimal(41)}, "together"),
        ({"amount": Decimal(-1)}, "£0 or more"),
    ],
)
def test_a_bad_cost_is_refused_and_nothing_written(
    costed: dict[str, Any], changes: dict[str, Any], says: str
) -> None:
    placement = costed["placements"][1]
    fields: dict[str, Any] = {
        "kind": "fee", "placement": placement, "amount": Decimal(1000), "per": "year",
        "starts_on": dt.date(2023, 9, 1), **changes,
    }  # fmt: skip
    before = (CostLine.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ActionError, match=says):
        actions.add_cost_line(placement.plan, actor=ACTOR, **fields)
    assert (CostLine.objects.count(), AuditEntry.objects.count()) == before


def test_a_cost_for_another_childs_placement_is_refused(costed: dict[str, Any]) -> None:
    one, other = costed["placements"][0], costed["placements"][1]
    with pytest.raises(ActionError, match="not in this child's plan"):
        actions.add_cost_line(
            one.plan, kind="fee", placement=other, amount=Decimal(1), starts_on=dt.date(2024, 1, 1),
            actor=ACTOR,
        )  # fmt: skip
