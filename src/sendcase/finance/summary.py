"""The finance view's figures: the committed annual cost of every maintained plan on a day.

`committed(today)` reads every maintained plan once (child, primary need, the primary
placement on the day and its setting) and every cost line once, and computes each plan's
committed annual cost (the council's share) with `costing`. Every breakdown adds the same
per-plan figures, so each one's total equals the sum over placements (tests/finance).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from sendcase.core.codes import NeedType, SettingType
from sendcase.finance import ledger
from sendcase.finance.costing import (
    AGE_GROUPS,
    ZERO,
    Totals,
    age_group,
    financial_year,
    fy_label,
)
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan
from sendcase.reporting.models import EESFigure
from sendcase.reporting.queries import ENGLAND

INDEPENDENT = SettingType.INDEPENDENT_SPECIAL
AREA_LABELS = {"in": "In the council's area", "out": "Outside the council's area"}


@dataclass(frozen=True)
class PlanCost:
    plan_id: int
    case_id: int
    child: str
    need: str
    age_group: str
    setting: str
    setting_type: str
    area: str
    first_issued_on: dt.date | None
    annual: Decimal  # the council's share
    gross: Decimal


@dataclass
class Committed:
    today: dt.date
    plans: list[PlanCost]
    by: dict[str, Totals] = field(default_factory=dict)
    england_independent_share: float | None = None

    @property
    def total(self) -> Decimal:
        return sum((p.annual for p in self.plans), ZERO)

    @property
    def independent(self) -> tuple[int, Decimal]:
        rows = [p for p in self.plans if p.setting_type == INDEPENDENT]
        return len(rows), sum((p.annual for p in rows), ZERO)

    @property
    def independent_share(self) -> float | None:
        if not self.plans:
            return None
        return self.independent[0] / len(self.plans)


def _primary_placements(plan_ids: list[int], today: dt.date) -> dict[int, Any]:
    rows = (
        Placement.objects.filter(
            Q(leaving_date__isnull=True) | Q(leaving_date__gte=today),
            rank=1,
            entry_date__lte=today,
            plan__status=Plan.Status.ACTIVE,
        )
        .order_by("plan_id", "entry_date", "pk")
        .values("plan_id", "setting_type", "setting__name", "setting__la_code", "sen_setting")
    )
    wanted = set(plan_ids)
    out: dict[int, Any] = {}
    for r in rows:
        if r["plan_id"] in wanted:
            out[r["plan_id"]] = r  # the latest entry wins
    return out


def active_plans(today: dt.date) -> list[Any]:
    return list(
        Plan.objects.filter(status=Plan.Status.ACTIVE, first_issued_on__lte=today)
        .filter(Q(cease_date__isnull=True) | Q(cease_date__gt=today))
        .values(
            "pk",
            "case_id",
            "primary_need",
            "first_issued_on",
            "case__child__forename",
            "case__child__surname",
            "case__child__date_of_birth",
        )
        .order_by("pk")
    )


def committed(today: dt.date, lines: list[ledger.Row] | None = None) -> Committed:
    """`lines`: the year's ledger rows, if the caller has read them already."""
    plans = active_plans(today)
    ids = [p["pk"] for p in plans]
    placements = _primary_placements(ids, today)
    costs = ledger.committed_by_plan(today, lines)
    own = settings.SENDCASE_LA_CODE
    needs = dict(NeedType.choices)
    out = []
    for p in plans:
        place = placements.get(p["pk"], {})
        annual, gross = costs.get(p["pk"], (ZERO, ZERO))
        la = place.get("setting__la_code") or ""
        out.append(
            PlanCost(
                plan_id=p["pk"],
                case_id=p["case_id"],
                child=f"{p['case__child__forename']} {p['case__child__surname']}",
                need=needs.get(p["primary_need"], "Not recorded"),
                age_group=age_group(p["case__child__date_of_birth"], today),
                setting=str(place.get("setting__name") or place.get("sen_setting") or "None"),
                setting_type=str(place.get("setting_type") or "none"),
                area="out" if la and la != own else "in",
                first_issued_on=p["first_issued_on"],
                annual=annual,
                gross=gross,
            )
        )
    result = Committed(
        today=today, plans=out, england_independent_share=england_independent_share()
    )
    type_labels = {**dict(SettingType.choices), "none": "No placement"}
    dims = {
        "setting_type": lambda c: type_labels.get(c.setting_type, c.setting_type),
        "need": lambda c: c.need,
        "age_group": lambda c: AGE_GROUPS[c.age_group],
        "area": lambda c: AREA_LABELS[c.area],
        "setting": lambda c: c.setting,
    }
    for name, key in dims.items():
        totals = Totals()
        for c in sorted(out, key=key):
            totals.add(key(c), c.annual)
        result.by[name] = totals
    return result


def england_independent_share() -> float | None:
    """England's share of plans in independent and non-maintained special schools, from the
    latest DfE caseload figures imported (`sendcase ees-import`)."""
    rows = EESFigure.objects.filter(
        table="caseload",
        area_code=ENGLAND,
        measure__in=["ehcplans", "special_independent", "special_non_maintained"],
    ).values_list("time_period", "measure", "value")
    by_year: dict[str, dict[str, Any]] = defaultdict(dict)
    for year, measure, value in rows:
        by_year[year][measure] = value
    for year in sorted(by_year, reverse=True):
        f = by_year[year]
        if f.get("ehcplans") and f.get("special_independent") is not None:
            independent = (f["special_independent"] or 0) + (f.get("special_non_maintained") or 0)
            return float(independent) / float(f["ehcplans"])
    return None


def new_plan_average(result: Committed, *, days: int = 365) -> list[tuple[str, int, Decimal]]:
    """The average committed annual cost of plans first issued in the last year, by setting
    type: (label, plans, average)."""
    since = result.today - dt.timedelta(days=days)
    labels = {**dict(SettingType.choices), "none": "No placement"}
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for p in result.plans:
        if p.first_issued_on and p.first_issued_on > since:
            groups[p.setting_type].append(p.annual)
    return [
        (labels.get(k, k), len(v), (sum(v, ZERO) / len(v)).quantize(Decimal("0.01")))
        for k, v in sorted(groups.items())
    ]


def cost_by_year(today: dt.date, years: int = 5) -> list[tuple[str, Decimal]]:
    """The council's cost of every plan's lines in each of the last financial years (the
    current one in full, as committed on the day)."""
    now = financial_year(today)
    return [(fy_label(y), ledger.year_cost(y)) for y in range(now - years + 1, now + 1)]
