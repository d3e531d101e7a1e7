"""A small council's money: a banding matrix with two years' rates, and three children whose
plans cost in the ways a council pays (a band, an independent fee shared with health, and a
direct payment), in and out of the council's area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sendcase.casework.scenarios import build_case
from sendcase.core.actors import SystemActor
from sendcase.core.codes import SettingType
from sendcase.finance import actions
from sendcase.finance.costing import financial_year
from sendcase.finance.models import Band, CostLine
from sendcase.placements.models import Placement, Setting

ACTOR = SystemActor("test")


@pytest.fixture
def this_year() -> int:
    from django.utils import timezone

    return financial_year(timezone.localdate())


@pytest.fixture
def matrix(db: None, this_year: int) -> dict[str, Band]:
    special = actions.add_band(setting_type=SettingType.MAINTAINED_SPECIAL, code="C", actor=ACTOR)
    mainstream = actions.add_band(setting_type=SettingType.MAINSTREAM, code="B", actor=ACTOR)
    for year, bump in ((this_year - 1, Decimal(0)), (this_year, Decimal(500))):
        actions.set_band_rate(
            special, financial_year=year, place_funding=Decimal(10000),
            top_up=Decimal(14000) + bump, actor=ACTOR,
        )  # fmt: skip
        actions.set_band_rate(
            mainstream, financial_year=year, top_up=Decimal(6000) + bump, actor=ACTOR
        )
    return {"special": special, "mainstream": mainstream}


def _placed(officer: Any, setting: Setting, setting_type: str, *, surname: str) -> Placement:
    from sendcase.casework.scenarios import make_child

    case = build_case(
        stage="plan", officer=officer, weeks_ago=60, child=make_child(surname=surname),
        setting=setting, placed_on=dt.date(2023, 9, 1),
    )  # fmt: skip
    placement = Placement.objects.get(plan=case.plan)
    assert placement.setting_type == setting_type  # noqa: S101
    return placement


@pytest.fixture
def costed(officer: Any, matrix: dict[str, Band]) -> dict[str, Any]:
    home = Setting.objects.create(
        name="Brook Green Special School", urn="100003", kind=Setting.Kind.MAINTAINED_SPECIAL,
        phase="all_through", la_code="999",
    )  # fmt: skip
    away = Setting.objects.create(
        name="Cedar House School", urn="200001", kind=Setting.Kind.INDEPENDENT_SPECIAL,
        phase="all_through", la_code="855",
    )  # fmt: skip
    school = Setting.objects.create(
        name="Elm Primary", urn="100010", kind=Setting.Kind.MAINTAINED_MAINSTREAM,
        phase="primary", la_code="999",
    )  # fmt: skip
    banded = _placed(officer, home, SettingType.MAINTAINED_SPECIAL, surname="Banded")
    fee = _placed(officer, away, SettingType.INDEPENDENT_SPECIAL, surname="Fee")
    dp = _placed(officer, school, SettingType.MAINSTREAM, surname="Payment")
    start = dt.date(2023, 9, 1)
    lines = [
        actions.add_cost_line(
            banded.plan, kind=CostLine.Kind.BANDED, placement=banded, band=matrix["special"],
            starts_on=start, actor=ACTOR,
        ),
        actions.add_cost_line(
            fee.plan, kind=CostLine.Kind.FEE, placement=fee, amount=Decimal(1500),
            per=CostLine.Per.WEEK, weeks=52, health_share=Decimal(25), starts_on=start,
            actor=ACTOR,
        ),
        actions.add_cost_line(
            dp.plan, kind=CostLine.Kind.BANDED, placement=dp, band=matrix["mainstream"],
            starts_on=start, actor=ACTOR,
        ),
        actions.add_cost_line(
            dp.plan, kind=CostLine.Kind.DIRECT_PAYMENT, amount=Decimal(3120), starts_on=start,
            actor=ACTOR,
        ),
    ]  # fmt: skip
    return {"placements": [banded, fee, dp], "lines": lines, "settings": [home, away, school]}
