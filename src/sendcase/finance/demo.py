"""The demo council's money: a banding matrix, fees and personal budgets that look like a real
council's (issue 16 item 8), written through the finance actions.

Rates are of the size councils publish in their banding matrices and DfE's high needs
operational guide gives for place funding (element 2: £10,000 a special or AP place, £6,000 a
resourced-provision or post-16 place); independent and non-maintained fees are of the size
seed reports give (day places about £45,000 to £75,000 a year, residential places charged by
the week for 38 or 52 weeks). Each year's rates are the next year's less the uplift.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from sendcase.core.actors import SystemActor
from sendcase.core.codes import SENSetting, SettingType
from sendcase.finance import actions
from sendcase.finance.costing import financial_year
from sendcase.finance.dsg import category_of
from sendcase.finance.models import Band, BandRate, BudgetLine, CostLine, WorkforceAssumption
from sendcase.finance.summary import committed
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan

ACTOR = SystemActor("demo")
LEVELS = ("A", "B", "C", "D", "E")
LEVEL_WEIGHTS = (15, 30, 30, 17, 8)
UPLIFT = Decimal("1.03")
SHORTFALL = Decimal("0.07")  # the budget falls this far short of the year's commitments
BROUGHT_FORWARD = Decimal("0.25")  # a deficit of a quarter of a year's spend, brought forward
CASELOAD = 250  # plans per case officer: within the 200 to 270 councils report  # a year's rise in the rates
YEARS_BACK = 8
AWAITING_FEE = 28  # days: a new fee agreement is still with finance this long

# Setting type: (element 2 place funding, element 3 top-up for bands A to E), this year.
MATRIX: dict[str, tuple[int, tuple[int, ...]]] = {
    SettingType.MAINSTREAM: (0, (2000, 4000, 6500, 9000, 12500)),
    SettingType.RESOURCED: (6000, (5000, 7500, 10000, 13000, 17000)),
    SettingType.MAINTAINED_SPECIAL: (10000, (8000, 12000, 16000, 21000, 28000)),
    SettingType.ALTERNATIVE_PROVISION: (10000, (7000, 9500, 12000, 15000, 19000)),
    SettingType.FURTHER_EDUCATION: (6000, (3000, 4500, 6500, 9000, 12000)),
    SettingType.EARLY_YEARS: (0, (2500, 4000, 5500, 7500, 10000)),
}


@dataclass
class Seeded:
    bands: int = 0
    lines: int = 0


def _pounds(value: float) -> Decimal:
    return Decimal(round(value / 50) * 50)


@transaction.atomic
def seed_money(*, today: dt.date, seed: int = 16) -> Seeded:
    """Give the demo council its matrix, every placement of every plan its costs, this
    year's budget and the workforce assumptions. Each part is skipped where it is there."""
    out = Seeded()
    if not CostLine.objects.exists():
        out = _lines(today, seed)
    _budget(today)
    if not WorkforceAssumption.objects.filter(team=None).exists():
        actions.set_workforce_assumption(
            team=None, caseload_target=CASELOAD, hours_per_assessment=Decimal(30),
            hours_per_plan_year=Decimal(6), hours_per_officer_year=Decimal(1300), actor=ACTOR,
        )  # fmt: skip
    return out


def _lines(today: dt.date, seed: int) -> Seeded:
    out = Seeded()
    rng = random.Random(seed)  # noqa: S311 - synthetic figures, not secrets
    this_year = financial_year(today)
    bands: dict[tuple[str, str], Band] = {}
    for setting_type, (place, top_ups) in MATRIX.items():
        for code, top_up in zip(LEVELS, top_ups, strict=True):
            band = Band.objects.filter(setting_type=setting_type, code=code).first()
            if band is None:
                band = actions.add_band(setting_type=setting_type, code=code, actor=ACTOR)
                out.bands += 1
            bands[(setting_type, code)] = band
            for back in range(YEARS_BACK + 1):
                year = this_year - back
                if BandRate.objects.filter(band=band, financial_year=year).exists():
                    continue
                factor = UPLIFT**back
                actions.set_band_rate(
                    band, financial_year=year, place_funding=_pounds(place / float(factor)),
                    top_up=_pounds(top_up / float(factor)), actor=ACTOR,
                )  # fmt: skip
    placements = (
        Placement.objects.filter(rank=1, plan__first_issued_on__isnull=False)
        .select_related("plan", "setting")
        .order_by("pk")
    )
    lines: list[CostLine] = []
    for placement in placements.iterator(chunk_size=2000):
        lines += _cost_placement(placement, bands, rng, today)
    for plan in Plan.objects.filter(personal_budget=True).order_by("pk"):
        if plan.first_issued_on is None:
            continue
        kind = CostLine.Kind.DIRECT_PAYMENT if rng.random() < 0.6 else CostLine.Kind.PERSONAL_BUDGET
        lines.append(
            CostLine(
                plan=plan, kind=kind, amount=_pounds(rng.uniform(1500, 7000)),
                starts_on=plan.first_issued_on,
            )
        )  # fmt: skip
    # Written as `add_cost_line` writes each (checked, and audited), in one go: 50,000 lines
    # for a 20,000-plan council.
    out.lines = actions.add_cost_lines(lines, actor=ACTOR)
    return out


def _budget(today: dt.date) -> None:
    """This year's budget: each placement category's committed cost less a shortfall, as in a
    council with a High Needs deficit, and the deficit brought forward."""
    year = financial_year(today)
    if BudgetLine.objects.filter(financial_year=year).exists():
        return
    now = committed(today)
    by_category: dict[str, Decimal] = {}
    for p in now.plans:
        key = category_of(p.setting_type)
        by_category[key] = by_category.get(key, Decimal(0)) + p.annual
    for category, amount in sorted(by_category.items()):
        actions.add_budget_line(
            financial_year=year, category=category,
            amount=(amount * (1 - SHORTFALL)).quantize(Decimal("1000")), actor=ACTOR,
        )  # fmt: skip
    actions.add_budget_line(
        financial_year=year, category=BudgetLine.Category.BROUGHT_FORWARD,
        amount=-(now.total * BROUGHT_FORWARD).quantize(Decimal("1000")),
        description="Cumulative DSG deficit at 31 March", actor=ACTOR,
    )  # fmt: skip


def _cost_placement(
    placement: Placement,
    bands: dict[tuple[str, str], Band],
    rng: random.Random,
    today: dt.date,
) -> list[CostLine]:
    """The placement's cost lines (none where the council pays nothing there). A fee whose
    placement began in the last four weeks is still with finance: it shows as a placement
    without a cost. Other arrangements the council makes have an agreed amount."""
    plan, starts = placement.plan, placement.entry_date
    kind = placement.setting.kind if placement.setting else ""
    if placement.setting_type == SettingType.INDEPENDENT_SPECIAL:
        residential = placement.residential or rng.random() < 0.12
        health = Decimal(rng.choice((20, 25, 33))) if rng.random() < 0.12 else Decimal(0)
        care = Decimal(rng.choice((25, 33))) if residential and rng.random() < 0.3 else Decimal(0)
        if residential:
            weeks = 52 if rng.random() < 0.4 else 38
            weekly = rng.uniform(4500, 7500) if weeks == 52 else rng.uniform(2200, 3800)
            fee: dict[str, Any] = {
                "amount": _pounds(weekly), "per": CostLine.Per.WEEK, "weeks": weeks,
            }  # fmt: skip
        else:
            low, high = (35000, 55000) if kind == "specialist_post16" else (45000, 75000)
            fee = {"amount": _pounds(rng.uniform(low, high)), "per": CostLine.Per.YEAR}
        if (today - starts).days < AWAITING_FEE:
            return []
        line = CostLine(
            plan=plan, kind=CostLine.Kind.FEE, placement=placement, starts_on=starts,
            health_share=health, social_care_share=care, reference=f"IPA-{placement.pk:06d}",
            **fee,
        )  # fmt: skip
        # A fee rise at the first April after a year in the placement, for some: the old
        # fee ends the day before (as `actions.change_cost` does).
        rise = dt.date(starts.year + 1 + (starts.month >= 4), 4, 1)
        if rng.random() < 0.35 and (
            placement.leaving_date is None or placement.leaving_date > rise
        ):
            risen = CostLine(
                plan=plan, kind=CostLine.Kind.FEE, placement=placement, starts_on=rise,
                health_share=health, social_care_share=care, reference=line.reference,
                **{**fee, "amount": _pounds(float(line.amount or 0) * 1.04)},
            )  # fmt: skip
            line.ends_on = rise - dt.timedelta(days=1)
            return [line, risen]
        return [line]
    if placement.sen_setting == SENSetting.OLA:
        return [
            CostLine(
                plan=plan, kind=CostLine.Kind.AGREED, placement=placement, starts_on=starts,
                amount=_pounds(rng.uniform(8000, 30000)), reference="Education otherwise",
            )
        ]  # fmt: skip
    if placement.setting_type not in MATRIX:
        return []  # elective home education, other arrangements: nothing the council pays here
    code = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    return [
        CostLine(
            plan=plan, kind=CostLine.Kind.BANDED, placement=placement,
            band=bands[(placement.setting_type, code)], starts_on=starts,
        )
    ]  # fmt: skip
