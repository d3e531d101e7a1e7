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

from django.db import transaction

from sendcase.core.actors import SystemActor
from sendcase.core.codes import SettingType
from sendcase.finance import actions
from sendcase.finance.costing import financial_year
from sendcase.finance.models import Band, BandRate, CostLine
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan

ACTOR = SystemActor("demo")
LEVELS = ("A", "B", "C", "D", "E")
LEVEL_WEIGHTS = (15, 30, 30, 17, 8)
UPLIFT = Decimal("1.03")  # a year's rise in the rates
YEARS_BACK = 8

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
    """Give the demo council its matrix and every placement of every plan its costs.
    Does nothing to a council that already has cost lines."""
    out = Seeded()
    if CostLine.objects.exists():
        return out
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
        .select_related("plan__case", "setting")
        .order_by("pk")
    )
    for placement in placements.iterator(chunk_size=2000):
        out.lines += _cost_placement(placement, bands, rng)
    for plan in Plan.objects.filter(personal_budget=True).select_related("case").order_by("pk"):
        if plan.first_issued_on is None:
            continue
        kind = CostLine.Kind.DIRECT_PAYMENT if rng.random() < 0.6 else CostLine.Kind.PERSONAL_BUDGET
        actions.add_cost_line(
            plan, kind=kind, amount=_pounds(rng.uniform(1500, 7000)),
            starts_on=plan.first_issued_on, actor=ACTOR,
        )  # fmt: skip
        out.lines += 1
    return out


def _cost_placement(
    placement: Placement, bands: dict[tuple[str, str], Band], rng: random.Random
) -> int:
    plan, starts = placement.plan, placement.entry_date
    kind = placement.setting.kind if placement.setting else ""
    if placement.setting_type == SettingType.INDEPENDENT_SPECIAL:
        residential = placement.residential or rng.random() < 0.12
        health = Decimal(rng.choice((20, 25, 33))) if rng.random() < 0.12 else Decimal(0)
        care = Decimal(rng.choice((25, 33))) if residential and rng.random() < 0.3 else Decimal(0)
        if residential:
            weeks = 52 if rng.random() < 0.4 else 38
            weekly = rng.uniform(4500, 7500) if weeks == 52 else rng.uniform(2200, 3800)
            fee = {"amount": _pounds(weekly), "per": CostLine.Per.WEEK, "weeks": weeks}
        else:
            low, high = (35000, 55000) if kind == "specialist_post16" else (45000, 75000)
            fee = {"amount": _pounds(rng.uniform(low, high)), "per": CostLine.Per.YEAR}
        line = actions.add_cost_line(
            plan, kind=CostLine.Kind.FEE, placement=placement, starts_on=starts,
            health_share=health, social_care_share=care,
            reference=f"IPA-{placement.pk:06d}", actor=ACTOR, **fee,  # type: ignore[arg-type]
        )  # fmt: skip
        # A fee rise at the first April after a year in the placement, for some.
        rise = dt.date(starts.year + 1 + (starts.month >= 4), 4, 1)
        if rng.random() < 0.35 and (
            placement.leaving_date is None or placement.leaving_date > rise
        ):
            actions.change_cost(
                line, from_date=rise, amount=_pounds(float(line.amount or 0) * 1.04), actor=ACTOR
            )
            return 2
        return 1
    if placement.setting_type not in MATRIX:
        return 0  # elective home education, other arrangements: nothing the council pays here
    code = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    actions.add_cost_line(
        plan, kind=CostLine.Kind.BANDED, placement=placement,
        band=bands[(placement.setting_type, code)], starts_on=starts, actor=ACTOR,
    )  # fmt: skip
    return 1
