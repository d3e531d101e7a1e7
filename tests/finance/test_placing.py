"""A placement recorded in casework gets its cost from the banding matrix, or is listed for
finance to set (a fee, other arrangements, no band), on the finance screens."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendcase.accounts.testing import verified_login
from sendcase.casework.domain.placements import record_placement
from sendcase.casework.scenarios import build_case, make_child
from sendcase.core.actors import SystemActor
from sendcase.core.codes import SettingType
from sendcase.core.models import AuditEntry
from sendcase.finance import actions
from sendcase.finance.models import Band, CostLine
from sendcase.finance.placing import uncosted
from sendcase.finance.summary import committed
from sendcase.placements.models import Setting

ACTOR = SystemActor("test")
pytestmark = pytest.mark.django_db


def _setting(name: str, urn: str, kind: str) -> Setting:
    return Setting.objects.create(name=name, urn=urn, kind=kind, phase="all_through", la_code="999")


@pytest.fixture
def settings_(db: None) -> dict[str, Setting]:
    return {
        "special": _setting(
            "Brook Green Special School", "100003", Setting.Kind.MAINTAINED_SPECIAL
        ),
        "primary": _setting("Elm Primary", "100010", Setting.Kind.MAINTAINED_MAINSTREAM),
        "independent": _setting("Cedar House School", "200001", Setting.Kind.INDEPENDENT_SPECIAL),
        "post16": _setting("Oak Lodge College", "200002", Setting.Kind.SPECIALIST_POST16),
        "nmss": _setting("St Anne's School", "200003", Setting.Kind.NON_MAINTAINED_SPECIAL),
    }


@pytest.fixture
def plan_case(officer: Any) -> Any:
    return build_case(stage="plan", officer=officer, weeks_ago=60, child=make_child(surname="Moss"))


def test_a_placement_gets_its_band_from_the_matrix(
    plan_case: Any, settings_: dict[str, Setting], matrix: dict[str, Band], this_year: int
) -> None:
    today = timezone.localdate()
    placement = record_placement(
        plan_case, setting=settings_["special"], entry_date=today - dt.timedelta(days=30),
        need_level="C", actor=ACTOR,
    )  # fmt: skip
    line = CostLine.objects.get(placement=placement)
    assert (line.kind, line.band, line.starts_on) == (
        CostLine.Kind.BANDED, matrix["special"], placement.entry_date,
    )  # fmt: skip
    assert AuditEntry.objects.filter(
        object_type="finance.costline", object_id=str(line.pk)
    ).exists()
    # Element 2 (£10,000) and this year's element 3 (£14,500) for band C in a special school.
    plan = next(p for p in committed(today).plans if p.plan_id == plan_case.plan.pk)
    assert plan.annual == Decimal(24500)
    assert uncosted(today) == []


def test_the_child_keeps_their_need_level_when_the_setting_changes(
    plan_case: Any, settings_: dict[str, Setting], matrix: dict[str, Band]
) -> None:
    today = timezone.localdate()
    special_b = actions.add_band(setting_type=SettingType.MAINTAINED_SPECIAL, code="B", actor=ACTOR)
    first = record_placement(
        plan_case, setting=settings_["primary"], entry_date=today - dt.timedelta(days=300),
        need_level="B", actor=ACTOR,
    )  # fmt: skip
    assert CostLine.objects.get(placement=first).band.code == "B"
    moved = today - dt.timedelta(days=20)
    second = record_placement(
        plan_case, setting=settings_["special"], entry_date=moved, actor=ACTOR
    )
    # The old placement's line ends the day before the move; the new one is band B again.
    assert CostLine.objects.get(placement=first).ends_on == moved - dt.timedelta(days=1)
    assert CostLine.objects.get(placement=second).band == special_b
    assert uncosted(today) == []


@pytest.mark.parametrize("which", ["independent", "post16", "nmss"])
def test_a_fee_is_left_for_finance_and_listed_until_it_is_set(
    which: str, plan_case: Any, settings_: dict[str, Setting], matrix: dict[str, Band]
) -> None:
    today = timezone.localdate()
    placement = record_placement(
        plan_case, setting=settings_[which], entry_date=today, need_level="C", actor=ACTOR
    )
    assert not CostLine.objects.filter(placement=placement).exists()
    [row] = uncosted(today)
    assert (row.placement_id, row.reason) == (placement.pk, "fee")
    assert "set by finance" in row.reason_text
    actions.add_cost_line(
        plan_case.plan, kind=CostLine.Kind.FEE, placement=placement, amount=Decimal(60000),
        starts_on=today, actor=ACTOR,
    )  # fmt: skip
    assert uncosted(today) == []


def test_no_band_at_that_level_other_arrangements_and_home_education(
    officer: Any, settings_: dict[str, Setting], matrix: dict[str, Band]
) -> None:
    today = timezone.localdate()
    cases = [
        build_case(stage="plan", officer=officer, weeks_ago=60, child=make_child(surname=s))
        for s in ("Nolevel", "Council", "Home")
    ]
    no_band = record_placement(
        cases[0], setting=settings_["special"], entry_date=today, need_level="Z", actor=ACTOR
    )
    arranged = record_placement(cases[1], sen_setting="OLA", entry_date=today, actor=ACTOR)
    record_placement(cases[2], sen_setting="EHE", entry_date=today, actor=ACTOR)
    assert not CostLine.objects.exists()
    assert {(u.placement_id, u.reason) for u in uncosted(today)} == {
        (no_band.pk, "band"),
        (arranged.pk, "agreed"),
    }  # elective home education costs the council nothing here


def test_the_finance_screens_show_placements_without_a_cost(
    client: Client, finance: Any, head: Any, plan_case: Any, settings_: dict[str, Setting]
) -> None:
    record_placement(
        plan_case, setting=settings_["independent"], entry_date=timezone.localdate(), actor=ACTOR
    )
    verified_login(client, finance)
    for url in (reverse("finance:overview"), reverse("finance:budget")):
        page = client.get(url).content.decode()
        assert "1 placement has no cost" in page, url
        assert reverse("finance:uncosted") in page
    page = client.get(reverse("finance:uncosted")).content.decode()
    assert "Cedar House School" in page and f"Case {plan_case.pk}" in page
    assert "Moss" not in page  # a finance officer sees the case reference, not the name
    assert AuditEntry.objects.filter(
        summary="Placements without a cost viewed", case=plan_case
    ).exists()
    verified_login(client, head)
    assert "Moss" in client.get(reverse("finance:uncosted")).content.decode()


def test_the_placement_step_offers_the_matrix_bands(
    client: Client, officer: Any, plan_case: Any, settings_: dict[str, Setting], matrix: Any
) -> None:
    verified_login(client, officer)
    url = reverse("casework:step", args=[plan_case.pk, "placement"])
    page = client.get(url).content.decode()
    assert 'value="B">Band B<' in page and 'value="C">Band C<' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "version": version, "setting": "100003", "rank": "1", "need_level": "C",
            "entry_date_day": today.day, "entry_date_month": today.month,
            "entry_date_year": today.year,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    line = CostLine.objects.get(plan=plan_case.plan)
    assert line.band == matrix["special"]
