"""The finance view's figures: the committed annual cost of every maintained plan on a day.

`committed(today)` reads every maintained plan once (child, primary need, the primary
placement on the day and its setting) and every cost line once, and computes each plan's
committed annual cost (the council's share) with `costing`. Every breakdown adds the same
per-plan figures, so each one's total equals the sum over placements (tests/finance).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from sendcase.core.codes import NeedType, SettingType
from sendcase.finance import ledger, sums
from sendcase.finance.costing import (
    AGE_GROUPS,
    ZERO,
    Totals,
    financial_year,
    fy_label,
)
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan
from sendcase.reporting.models import EESFigure
from sendcase.reporting.queries import ENGLAND

INDEPENDENT = SettingType.INDEPENDENT_SPECIAL
AREA_LABELS = {"in": "In the council's area", "out": "Outside the council's area"}
DIMENSIONS = ("setting_type", "need", "age_group", "area", "setting")


@dataclass(slots=True)
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
    born: dt.date


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


def _primary_placements(today: dt.date) -> dict[int, tuple[str, str, str, str]]:
    """Each maintained plan's main placement on the day (the latest to start wins):
    plan id -> (setting type, setting name, the setting's council, SEN2 setting code)."""
    rows = (
        Placement.objects.filter(
            Q(leaving_date__isnull=True) | Q(leaving_date__gte=today),
            rank=1,
            entry_date__lte=today,
            plan__status=Plan.Status.ACTIVE,
        )
        .order_by("plan_id", "entry_date", "pk")
        .values_list("plan_id", "setting_type", "setting__name", "setting__la_code", "sen_setting")
    )
    return {plan_id: rest for plan_id, *rest in rows}  # type: ignore[misc]


def active_plans(today: dt.date) -> list[tuple[Any, ...]]:
    """(plan, case, primary need, first issued, forename, surname, born) of each plan
    maintained on the day."""
    return list(
        Plan.objects.filter(status=Plan.Status.ACTIVE, first_issued_on__lte=today)
        .filter(Q(cease_date__isnull=True) | Q(cease_date__gt=today))
        .values_list(
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


def _plan_rows(today: dt.date, lines: list[ledger.Row] | None) -> list[tuple[Any, ...]]:
    """`sums.plan_rows`, worked out in Python from `ledger` (for SQLite)."""
    placements = _primary_placements(today)
    costs = ledger.committed_by_plan(today, lines)
    own = settings.SENDCASE_LA_CODE
    thresholds = sorted(sums.age_thresholds(today).items(), key=lambda kv: -kv[1].toordinal())
    labels = dict(zip(("after5", "after11", "after16", "after20"), GROUPS[:4], strict=True))
    none = ("none", None, "", "")
    zero = (ZERO, ZERO)
    out = []
    for pk, case_id, need, first_issued, forename, surname, born in active_plans(today):
        setting_type, name, la, code = placements.get(pk, none)
        annual, gross = costs.get(pk, zero)
        group = GROUPS[-1]
        for key, after in thresholds:
            if born > after:
                group = labels[key]
                break
        out.append(
            (
                pk, case_id, need, first_issued, forename, surname, born,
                str(setting_type or "none"), str(name or code or "None"), la or "", annual,
                gross, group, "out" if la and la != own else "in",
            )
        )  # fmt: skip
    return out


def _plan_costs(rows: list[tuple[Any, ...]]) -> list[PlanCost]:
    needs = dict(NeedType.choices)
    return [
        PlanCost(
            pk,
            case_id,
            f"{forename} {surname}",
            needs.get(need, "Not recorded"),
            group,
            setting,
            setting_type,
            area,
            first_issued,
            annual,
            gross,
            born,
        )  # fmt: skip
        for (
            pk,
            case_id,
            need,
            first_issued,
            forename,
            surname,
            born,
            setting_type,
            setting,
            _la,
            annual,
            gross,
            group,
            area,
        ) in rows  # fmt: skip
    ]


def plans_under(today: dt.date, dimension: str, value: str) -> list[PlanCost]:
    """The plans counted under one figure of the finance view (`label_of(dimension, p) ==
    value`), in plan order. PostgreSQL picks them out where it can."""
    if sums.available() and dimension in DIMENSIONS:
        column, codes = _codes_for(dimension, value)
        if column is not None:
            return _plan_costs(sums.plan_rows(today, column=column, values=codes))
    return [p for p in committed(today).plans if label_of(dimension, p) == value]


def _codes_for(dimension: str, value: str) -> tuple[str | None, list[str]]:
    """The stored values behind a label; (None, []) where a label has no one set of codes."""
    if dimension == "setting_type":
        labels = {**dict(SettingType.choices), "none": "No placement"}
        return "setting_type", [k for k, v in labels.items() if v == value] or [value]
    if dimension == "need":
        if value == "Not recorded":
            return None, []
        return "primary_need", [k for k, v in NeedType.choices if v == value]
    if dimension == "age_group":
        return "age_group", [k for k, v in AGE_GROUPS.items() if v == value]
    if dimension == "area":
        return "area", [k for k, v in AREA_LABELS.items() if v == value]
    return "setting", [value]


GROUPS = tuple(AGE_GROUPS)  # under_5, 5_10, 11_15, 16_19, 20_25


def committed(today: dt.date, lines: list[ledger.Row] | None = None) -> Committed:
    """`lines`: the year's ledger rows, if the caller has read them already (used only where
    PostgreSQL does not add the sums itself)."""
    rows = sums.plan_rows(today) if sums.available() else _plan_rows(today, lines)
    out = _plan_costs(rows)
    result = Committed(
        today=today, plans=out, england_independent_share=england_independent_share()
    )
    type_labels = {**dict(SettingType.choices), "none": "No placement"}
    cells: dict[str, dict[str, list[Any]]] = {name: {} for name in DIMENSIONS}
    by_type, by_need, by_age = cells["setting_type"], cells["need"], cells["age_group"]
    by_area, by_setting = cells["area"], cells["setting"]
    for c in out:
        for table, key in (
            (by_type, type_labels.get(c.setting_type, c.setting_type)),
            (by_need, c.need),
            (by_age, AGE_GROUPS[c.age_group]),
            (by_area, AREA_LABELS[c.area]),
            (by_setting, c.setting),
        ):
            cell = table.get(key)
            if cell is None:
                table[key] = [c.annual, 1]
            else:
                cell[0] += c.annual
                cell[1] += 1
    for name, table in cells.items():
        keys = sorted(table)
        result.by[name] = Totals(
            amounts={k: table[k][0] for k in keys}, counts={k: table[k][1] for k in keys}
        )
    return result


def label_of(dimension: str, plan: PlanCost) -> str:
    """The label a plan is counted under in one of the finance view's breakdowns."""
    if dimension == "setting_type":
        return {**dict(SettingType.choices), "none": "No placement"}.get(
            plan.setting_type, plan.setting_type
        )
    if dimension == "age_group":
        return AGE_GROUPS[plan.age_group]
    if dimension == "area":
        return AREA_LABELS[plan.area]
    return str(getattr(plan, dimension))


TOP = 20
NEW_PLAN_WINDOW = 365  # days: a plan issued within the last year counts as new


@dataclass(frozen=True)
class Top:
    plan_id: int
    case_id: int
    child: str
    setting: str
    annual: Decimal


@dataclass
class Overview:
    """The finance view's figures: the totals by each breakdown, the costliest children, the
    independent share and the average new plan. Where the database is PostgreSQL they are
    added up there (`sums.figures`); elsewhere from `committed`."""

    today: dt.date
    total: Decimal
    plans: int
    by: dict[str, Totals]
    top: list[Top]
    independent: tuple[int, Decimal]
    england_independent_share: float | None
    new_plans: list[tuple[str, int, Decimal]]

    @property
    def independent_share(self) -> float | None:
        return self.independent[0] / self.plans if self.plans else None


def overview(today: dt.date) -> Overview:
    since = today - dt.timedelta(days=NEW_PLAN_WINDOW)
    if not sums.available():
        result = committed(today)
        costliest = heapq.nlargest(TOP, result.plans, key=lambda p: p.annual)
        return Overview(
            today=today, total=result.total, plans=len(result.plans), by=result.by,
            top=[Top(p.plan_id, p.case_id, p.child, p.setting, p.annual) for p in costliest],
            independent=result.independent,
            england_independent_share=result.england_independent_share,
            new_plans=new_plan_average(result, days=NEW_PLAN_WINDOW),
        )  # fmt: skip
    type_labels = {**dict(SettingType.choices), "none": "No placement"}
    needs = dict(NeedType.choices)
    label: dict[str, Callable[[str], str]] = {
        "setting_type": lambda k: type_labels.get(k, k),
        "need": lambda k: needs.get(k, "Not recorded"),
        "age_group": lambda k: AGE_GROUPS[k],
        "area": lambda k: AREA_LABELS[k],
        "setting": lambda k: k,
    }
    cells: dict[str, dict[str, list[Any]]] = {name: {} for name in DIMENSIONS}
    top: list[Top] = []
    new: list[tuple[str, int, Decimal]] = []
    for what, key, n, amount, case_id, child, setting in sums.figures(today, since=since, top=TOP):
        if what == "top":
            top.append(Top(int(key), case_id, child, setting, amount))
        elif what == "new":
            new.append((key, n, amount))
        else:
            cell = cells[what].setdefault(label[what](key), [ZERO, 0])
            cell[0] += amount
            cell[1] += n
    top.sort(key=lambda t: (-t.annual, t.plan_id))  # a UNION keeps no order of its own
    by = {
        name: Totals(
            amounts={k: table[k][0] for k in sorted(table)},
            counts={k: table[k][1] for k in sorted(table)},
        )
        for name, table in cells.items()
    }
    types = by["setting_type"]
    independent_label = type_labels[INDEPENDENT]
    return Overview(
        today=today,
        total=types.total,
        plans=sum(types.counts.values()),
        by=by,
        top=top,
        independent=(
            types.counts.get(independent_label, 0),
            types.amounts.get(independent_label, ZERO),
        ),
        england_independent_share=england_independent_share(),
        new_plans=[
            (type_labels.get(k, k), n, (amount / n).quantize(Decimal("0.01")))
            for k, n, amount in sorted(new)
        ],
    )


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
