"""The High Needs budget this financial year, its forecast outturn and five years of the DSG.

Every part of the forecast is a set of `costing.Line`s, so the parts, their months and the
total are computed the same way and reconcile by construction:

- commitments: the cost lines of the plans maintained today, for the whole financial year
  (what has run since 1 April and what runs on to 31 March; a line stops at its placement's
  leaving date or the plan's cease date);
- pipeline: each open request or assessment, from its expected issue date (the final plan's
  due date as the clock stored it, with any exception; else the rules table's period from the
  request; today if that has passed) at the council's own conversion rate (of the requests
  made 12 to 24 months ago, the share that became plans) times the average yearly cost of a
  new plan (the setting mix of the last year's new plans times each setting type's average);
- phase transfers: children moving to secondary or post-16 on 1 September, at the change in
  the average cost between their age group and the next (nothing once September has passed);
- expected ceasing (negative): plans of young people 19 and over, at the council's own rate of
  ceasing at that age in the last year, from 1 August (or, after that, from halfway between
  today and 31 March).

Forecast outturn = commitments + pipeline + phase transfers - ceasing. Scenarios change the
assumptions and are shown side by side; the DSG position runs five years from the position
brought forward, against the end of the statutory override (2027-28).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from sendcase.casework.models import Case, Deadline, Stage
from sendcase.finance import ledger, sums
from sendcase.finance.costing import (
    ZERO,
    Line,
    academic_year,
    age_on,
    financial_year,
    fy_cost,
    fy_end,
    fy_label,
    monthly_profile,
)
from sendcase.finance.models import BudgetLine
from sendcase.finance.summary import Committed, committed
from sendcase.plans.models import Plan
from sendcase.statutory.rules import period_end

OVERRIDE_ENDS = 2027  # the statutory override runs to the end of 2027-28 (high-needs.md)
FINAL_PLAN = "final_plan"  # the rule whose period ends at the expected issue date
OPEN = (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT)
CEASING_AGE = 19
PHASE_MOVES = {10: "secondary", 15: "post-16"}  # age on 31 August: the move that September
PARTS = ("commitments", "pipeline", "transfers", "ceasing")
PART_LABELS = {
    "commitments": "Commitments: current plans to 31 March",
    "pipeline": "Pipeline: open requests and assessments",
    "transfers": "Phase transfers in September",
    "ceasing": "Plans expected to cease",
}
CATEGORY_BY_TYPE = {
    "mainstream": "1",
    "resourced": "2",
    "maintained_special": "3",
    "independent_special": "4",
    "alternative_provision": "5",
    "further_education": "6",
}


@dataclass(frozen=True)
class Scenario:
    name: str
    request_growth: Decimal = Decimal(0)  # more (or fewer) requests than the last year's
    unit_cost_growth: Decimal = Decimal("0.03")  # yearly rise in what a plan costs
    independent_to_england: bool = False  # independent share falls to England's by year 3
    budget_growth: Decimal = Decimal(0)  # yearly change in the High Needs budget


SCENARIOS = (
    Scenario("Baseline"),
    Scenario("Requests up 10%", request_growth=Decimal("0.10")),
    Scenario("Independent places at England's share", independent_to_england=True),
    Scenario("Unit costs up 6% a year", unit_cost_growth=Decimal("0.06")),
)


@dataclass
class Assumptions:
    """The council's own rates, read from its history, shown beside the forecast."""

    conversion: float
    new_plan_cost: Decimal
    setting_mix: dict[str, float]
    open_cases: int
    demand_growth: float
    cease_rate: float
    independent_share: float | None
    england_share: float | None
    independent_average: Decimal
    special_average: Decimal


@dataclass(frozen=True)
class Commitments:
    """The plans maintained today, for their whole financial year: how many cost lines, what
    they cost the council in the year, and in each month from April."""

    lines: int
    cost: Decimal
    months: list[Decimal]


def commitments_of(today: dt.date, active: set[int], rows: list[ledger.Row]) -> Commitments:
    """Added up by PostgreSQL (`sums.commitments`), or here from `rows` (the year's lines)."""
    if sums.available():
        return Commitments(*sums.commitments(today))
    year = financial_year(today)
    mine = [r for r in rows if r.plan_id in active]
    return Commitments(len(mine), ledger.year_cost(year, mine), ledger.month_profile(year, mine))


@dataclass
class Forecast:
    year: int
    scenario: Scenario
    parts: dict[str, list[Line]]  # pipeline, transfers, ceasing
    commitments: Commitments
    budget: Decimal
    brought_forward: Decimal
    assumptions: Assumptions
    years: list[dict[str, object]] = field(default_factory=list)
    now: Committed | None = None  # the committed costs the forecast started from
    # Each part's cost in the year, worked out once (the scenarios share the commitments').
    sums: dict[str, Decimal] = field(default_factory=dict)

    def part(self, name: str) -> Decimal:
        found = self.sums.get(name)
        if found is None:
            if name == "commitments":
                found = self.commitments.cost
            else:
                found = fy_cost(self.parts[name], self.year)
            self.sums[name] = found
        return found

    def count(self, name: str) -> int:
        return self.commitments.lines if name == "commitments" else len(self.parts[name])

    @property
    def outturn(self) -> Decimal:
        return sum((self.part(p) for p in PARTS), ZERO)

    @property
    def variance(self) -> Decimal:
        return self.budget - self.outturn

    def months(self) -> list[tuple[str, Decimal]]:
        lines = [x for p in PARTS if p != "commitments" for x in self.parts[p]]
        labels = [dt.date(2000, m, 1).strftime("%B") for m in (*range(4, 13), 1, 2, 3)]
        committed = self.commitments.months
        others = monthly_profile(lines, self.year)
        return [(label, a + b) for label, a, b in zip(labels, committed, others, strict=True)]


def _conversion(today: dt.date) -> float:
    """Of the requests made 12 to 24 months ago, the share that became plans."""
    cases = Case.objects.filter(
        opened_on__gt=today - dt.timedelta(days=730),
        opened_on__lte=today - dt.timedelta(days=365),
    ).exclude(stage=Stage.TRANSFERRED_OUT)
    made = cases.count()
    if not made:
        return 0.0
    return cases.filter(plan__first_issued_on__isnull=False).count() / made


def _demand_growth(today: dt.date) -> float:
    """The growth in plans maintained over the last year."""
    year_ago = today - dt.timedelta(days=365)

    def active_on(day: dt.date) -> int:
        return (
            Plan.objects.filter(first_issued_on__lte=day)
            .filter(Q(cease_date__isnull=True) | Q(cease_date__gt=day))
            .count()
        )

    before = active_on(year_ago)
    return active_on(today) / before - 1 if before else 0.0


def _cease_rate(today: dt.date) -> float:
    """Of plans of young people 19 and over a year ago, the share that ceased within the year."""
    year_ago = today - dt.timedelta(days=365)
    born_by = dt.date(academic_year(year_ago) - CEASING_AGE, 8, 31)
    older = Plan.objects.filter(
        first_issued_on__lte=year_ago, case__child__date_of_birth__lte=born_by
    ).filter(Q(cease_date__isnull=True) | Q(cease_date__gt=year_ago))
    n = older.count()
    return older.filter(cease_date__lte=today).count() / n if n else 0.0


def assumptions(today: dt.date, now: Committed) -> Assumptions:
    since = today - dt.timedelta(days=365)
    new = [p for p in now.plans if p.first_issued_on and p.first_issued_on > since]
    mix = Counter(p.setting_type for p in new)
    by_type: dict[str, list[Decimal]] = defaultdict(list)
    for p in now.plans:
        by_type[p.setting_type].append(p.annual)

    def average(rows: list[Decimal]) -> Decimal:
        return (sum(rows, ZERO) / len(rows)).quantize(Decimal("0.01")) if rows else ZERO

    return Assumptions(
        conversion=_conversion(today),
        new_plan_cost=average([p.annual for p in new]),
        setting_mix={k: v / len(new) for k, v in mix.most_common()} if new else {},
        open_cases=Case.objects.filter(stage__in=OPEN).count(),
        demand_growth=_demand_growth(today),
        cease_rate=_cease_rate(today),
        independent_share=now.independent_share,
        england_share=now.england_independent_share,
        independent_average=average(by_type["independent_special"]),
        special_average=average(by_type["maintained_special"]),
    )


def _open_cases() -> list[tuple[int, dt.date, dt.date | None]]:
    """Each open request or assessment: (case, opened on, its final plan's due date as the
    clock stored it, with any exception, or None if it has none stored)."""
    due = Deadline.objects.filter(case_id=OuterRef("pk"), key=FINAL_PLAN, instance="")
    return list(
        Case.objects.filter(stage__in=OPEN)
        .annotate(due=Subquery(due.values("due")[:1]))
        .values_list("pk", "opened_on", "due")
        .order_by("pk")
    )


def _pipeline(
    today: dt.date,
    a: Assumptions,
    s: Scenario,
    cases: list[tuple[int, dt.date, dt.date | None]],
) -> list[Line]:
    year = financial_year(today)
    per_case = Decimal(a.new_plan_cost) * Decimal(str(a.conversion)) * (1 + s.request_growth)
    out = []
    for pk, opened, due in cases:
        issue = max(due or period_end(FINAL_PLAN, opened), today)
        if issue <= fy_end(year):
            out.append(Line(issue, None, {year: per_case}, key=("case", pk), kind="pipeline"))
    return out


def _transfers(today: dt.date, now: Committed, year: int) -> list[Line]:
    september = dt.date(year, 9, 1)
    if today >= september:
        return []
    born = {p.plan_id: p.born for p in now.plans}
    by_age: dict[int, list[Decimal]] = defaultdict(list)
    ages = {}
    for p in now.plans:
        ages[p.plan_id] = age_on(born[p.plan_id], dt.date(year, 8, 31))
        by_age[ages[p.plan_id]].append(p.annual)

    def average(age: int) -> Decimal:
        rows = by_age.get(age, [])
        return sum(rows, ZERO) / len(rows) if rows else ZERO

    out = []
    for p in now.plans:
        age = ages[p.plan_id]
        if age in PHASE_MOVES:
            delta = average(age + 1) - average(age)
            out.append(Line(september, None, {year: delta}, key=("plan", p.plan_id), kind="move"))
    return out


def _ceasing(today: dt.date, now: Committed, a: Assumptions, year: int) -> list[Line]:
    august = dt.date(year, 8, 1)
    when = august if today < august else today + (fy_end(year) - today) / 2
    born = {p.plan_id: p.born for p in now.plans}
    rate = Decimal(str(a.cease_rate))
    out = []
    for p in now.plans:
        if age_on(born[p.plan_id], dt.date(academic_year(today), 8, 31)) >= CEASING_AGE:
            out.append(
                Line(when, None, {year: -p.annual * rate}, key=("plan", p.plan_id), kind="cease")
            )
    return out


def budget_for(year: int) -> tuple[Decimal, Decimal]:
    """The year's budget (its category lines) and the DSG position brought forward."""
    budget, brought = ZERO, ZERO
    for category, amount in BudgetLine.objects.filter(financial_year=year).values_list(
        "category", "amount"
    ):
        if category == BudgetLine.Category.BROUGHT_FORWARD:
            brought += amount
        else:
            budget += amount
    return budget, brought


def forecast(today: dt.date, scenarios: tuple[Scenario, ...] = SCENARIOS) -> list[Forecast]:
    """The forecast outturn for this financial year, and five years, under each scenario.
    The council's figures are read once and shared by the scenarios."""
    year = financial_year(today)
    rows = [] if sums.available() else ledger.rows(year)
    now = committed(today, rows or None)
    a = assumptions(today, now)
    commitments = commitments_of(today, {p.plan_id for p in now.plans}, rows)
    transfers = _transfers(today, now, year)
    ceasing = _ceasing(today, now, a, year)
    budget, brought = budget_for(year)
    shared = {
        "commitments": commitments.cost,
        "transfers": fy_cost(transfers, year),
        "ceasing": fy_cost(ceasing, year),
    }
    cases = _open_cases()
    out = []
    for s in scenarios:
        f = Forecast(
            year=year,
            scenario=s,
            parts={
                "pipeline": _pipeline(today, a, s, cases),
                "transfers": transfers,
                "ceasing": ceasing,
            },
            commitments=commitments,
            budget=budget,
            brought_forward=brought,
            assumptions=a,
            now=now,
            sums=dict(shared),
        )
        f.years = five_years(f, now)
        out.append(f)
    return out


def five_years(f: Forecast, now: Committed) -> list[dict[str, object]]:
    """This year and the next four: budget, forecast spend and the cumulative DSG position."""
    a, s = f.assumptions, f.scenario
    growth = Decimal(str(a.demand_growth)) + s.request_growth
    saving = ZERO
    if s.independent_to_england and a.independent_share and a.england_share is not None:
        excess = max(a.independent_share - a.england_share, 0.0)
        moved = Decimal(str(excess)) * len(now.plans)
        saving = moved * (a.independent_average - a.special_average)
    rows = []
    spend, budget, position = f.outturn, f.budget, f.brought_forward
    for k in range(5):
        if k:
            spend = spend * (1 + growth) * (1 + s.unit_cost_growth)
            budget = budget * (1 + s.budget_growth)
        cut = saving * min(k, 3) / 3  # moves happen at placement changes, over three years
        spent = (spend - cut).quantize(Decimal("1"))
        position = position + budget.quantize(Decimal("1")) - spent
        rows.append(
            {
                "year": f.year + k,
                "label": fy_label(f.year + k),
                "budget": budget.quantize(Decimal("1")),
                "spend": spent,
                "in_year": budget.quantize(Decimal("1")) - spent,
                "position": position,
                "after_override": f.year + k > OVERRIDE_ENDS,
            }
        )
    return rows
