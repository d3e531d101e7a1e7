"""The council's and England's history, as the series `finance.demand` forecasts from.

The council's plans are read once (first issued, ceased, the child's birth date, primary need);
every series is counted from them in Python. England's come from DfE's published figures
(`sendcase ees-import`): plans maintained in January (caseload) and requests a calendar year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sendcase.accounts.models import Role, Team, User
from sendcase.casework.models import AssessmentRequest
from sendcase.core.codes import NeedType
from sendcase.finance import demand, workforce
from sendcase.finance.costing import AGE_GROUPS, age_on, group_of_age
from sendcase.finance.models import WorkforceAssumption
from sendcase.plans.models import Plan
from sendcase.reporting.models import EESFigure
from sendcase.reporting.queries import ENGLAND

BACKTEST_YEARS = 4
AHEAD = 5


@dataclass(frozen=True)
class PlanRow:
    issued: dt.date
    ceased: dt.date | None
    born: dt.date
    need: str

    def active_on(self, day: dt.date) -> bool:
        return self.issued <= day and (self.ceased is None or self.ceased > day)


def plan_rows() -> list[PlanRow]:
    return [
        PlanRow(issued, ceased, born, need)
        for issued, ceased, born, need in Plan.objects.filter(
            first_issued_on__isnull=False
        ).values_list("first_issued_on", "cease_date", "case__child__date_of_birth", "primary_need")
        if issued is not None
    ]


def census(year: int) -> dt.date:
    """The day a year's count of plans is taken: 1 January, near DfE's January census."""
    return dt.date(year, 1, 1)


def _age(row: PlanRow, year: int) -> int:
    return age_on(row.born, dt.date(year - 1, 8, 31))  # age on the 31 August before


def plans_series(rows: list[PlanRow], years: range) -> dict[int, float]:
    return {y: float(sum(1 for r in rows if r.active_on(census(y)))) for y in years}


def stock_by_age(rows: list[PlanRow], year: int) -> dict[int, float]:
    return dict(Counter(_age(r, year) for r in rows if r.active_on(census(year))))


def continuation(rows: list[PlanRow], years: list[int]) -> dict[int, float]:
    """At each age, the share of plans maintained at one census still maintained at the next."""
    kept: Counter[int] = Counter()
    had: Counter[int] = Counter()
    for y in years:
        for r in rows:
            if r.active_on(census(y)):
                age = _age(r, y)
                had[age] += 1
                kept[age] += r.active_on(census(y + 1))
    return {a: kept[a] / had[a] for a in had}


def new_by_age(rows: list[PlanRow], years: list[int]) -> dict[int, float]:
    """The average number of plans a year first issued between one census and the next,
    by the age at the second."""
    counts: Counter[int] = Counter()
    for y in years:
        for r in rows:
            if census(y) < r.issued <= census(y + 1) and r.active_on(census(y + 1)):
                counts[_age(r, y + 1)] += 1
    return {a: n / len(years) for a, n in counts.items()} if years else {}


def requests_monthly() -> dict[tuple[int, int], float]:
    out: Counter[tuple[int, int]] = Counter()
    for day in AssessmentRequest.objects.values_list("received_on", flat=True):
        out[(day.year, day.month)] += 1
    return dict(out)


def england(table: str, measure: str) -> dict[int, float]:
    """An England series by year (an academic year 202425 counts as its January, 2025)."""
    out = {}
    for period, value in EESFigure.objects.filter(
        table=table, area_code=ENGLAND, measure=measure
    ).values_list("time_period", "value"):
        if value is not None:
            year = int(period[:4]) + 1 if len(period) == 6 else int(period)
            out[year] = float(value)
    return out


@dataclass
class Demand:
    today: dt.date
    monthly: list[tuple[dt.date, float, float | None, float | None]]
    plans: list[demand.Point]
    by_age_group: list[tuple[int, dict[str, float]]]
    by_need: list[tuple[int, dict[str, float]]]
    backtests: dict[str, list[demand.Point]] = field(default_factory=dict)

    def mean_error(self, name: str) -> float | None:
        errors = [abs(p.error) for p in self.backtests.get(name, []) if p.error is not None]
        return sum(errors) / len(errors) if errors else None


def ageing_backtest(rows: list[PlanRow], years: list[int]) -> list[demand.Point]:
    """The ageing model, fitted on the censuses before each year, forecasting that year."""
    actual = plans_series(rows, range(min(years) - 1, max(years) + 1))
    out: list[demand.Point] = []
    for y in years:
        fit = list(range(y - 1 - demand.WINDOW, y - 1))
        stock = stock_by_age(rows, y - 1)
        ahead = demand.ageing(stock, continuation(rows, fit), new_by_age(rows, fit), 1.0, 1)
        point = sum(ahead[0].values())
        low, high = demand.interval(point, [p.error for p in out if p.error is not None])
        out.append(demand.Point(y, point, low, high, actual.get(y)))
    return out


def demand_forecast(today: dt.date) -> Demand:
    rows = plan_rows()
    this = today.year
    first = min((r.issued.year for r in rows), default=this)
    plans = plans_series(rows, range(first, this + 1))
    tested = list(range(this - BACKTEST_YEARS + 1, this + 1))
    monthly = requests_monthly()
    complete = sorted({y for y, _m in monthly if y < this})
    requests = {y: sum(monthly.get((y, m), 0.0) for m in range(1, 13)) for y in complete}
    backtests = {
        "Plans maintained (growth)": demand.backtest(plans, tested),
        "Plans maintained (ageing)": ageing_backtest(rows, tested),
        "Requests a year": demand.backtest(requests, [y for y in tested if y < this]),
        "England: plans maintained": [],
        "England: requests a year": [],
    }
    eng_plans, eng_requests = (
        england("caseload", "ehcplans"),
        england("requests", "requests_received_in_year"),
    )
    if eng_plans:
        backtests["England: plans maintained"] = demand.backtest(
            eng_plans, sorted(eng_plans)[-BACKTEST_YEARS:]
        )
    if eng_requests:
        backtests["England: requests a year"] = demand.backtest(
            eng_requests, sorted(eng_requests)[-BACKTEST_YEARS:]
        )
    # Requests a month for the next 12 months.
    year_point = demand.growth_point(requests, this) if requests else None
    shares = demand.month_shares(monthly, complete[-demand.WINDOW :])
    errors = [p.error for p in backtests["Requests a year"] if p.error is not None]
    months = []
    for k in range(12):
        m = (today.month - 1 + k) % 12 + 1
        y = today.year + (today.month - 1 + k) // 12
        point = (demand.growth_point(requests, y) or 0.0) * shares[m] if year_point else 0.0
        low, high = demand.interval(point, errors)
        months.append((dt.date(y, m, 1), point, low, high))
    # Plans maintained 1 to 5 years ahead: the growth model's points, with the ageing
    # model's split by age group and need.
    plan_errors = [p.error for p in backtests["Plans maintained (growth)"] if p.error is not None]
    ahead = demand.forecast_years(plans, this + 1, AHEAD, plan_errors)
    fit = list(range(this - 1 - demand.WINDOW, this - 1))
    aged = demand.ageing(
        stock_by_age(rows, this), continuation(rows, fit), new_by_age(rows, fit), 1.0, AHEAD
    )
    mix = _need_mix(rows, this)
    by_group, by_need = [], []
    for k, stock in enumerate(aged, start=1):
        groups: dict[str, float] = defaultdict(float)
        needs: dict[str, float] = defaultdict(float)
        for age, n in stock.items():
            groups[group_of_age(age)] += n
            for need, share in mix.get(group_of_age(age), {}).items():
                needs[need] += n * share
        by_group.append((this + k, {AGE_GROUPS[g]: groups[g] for g in AGE_GROUPS}))
        by_need.append((this + k, dict(sorted(needs.items()))))
    return Demand(today, months, ahead, by_group, by_need, backtests)


def _need_mix(rows: list[PlanRow], year: int) -> dict[str, dict[str, float]]:
    labels = dict(NeedType.choices)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.active_on(census(year)):
            counts[group_of_age(_age(r, year))][labels.get(r.need, "Not recorded")] += 1
    return {g: {n: c / sum(cs.values()) for n, c in cs.items()} for g, cs in counts.items()}


@dataclass
class TeamWorkforce:
    team: str
    assumption: workforce.Assumptions | None
    years: list[workforce.Officers]
    officers_now: int


def workforce_forecast(today: dt.date, result: Demand | None = None) -> list[TeamWorkforce]:
    """Officers needed this year and the next three, council-wide and by team, at each team's
    assumptions (or the council's where a team has none). No assumptions: no figures."""
    result = result or demand_forecast(today)
    decided = AssessmentRequest.objects.filter(
        decision_on__gt=today - dt.timedelta(days=365), decision_on__lte=today
    )
    n = decided.count()
    assess_rate = decided.filter(decision=AssessmentRequest.Decision.ASSESS).count() / n if n else 0
    monthly = requests_monthly()
    requests = {
        y: sum(monthly.get((y, m), 0.0) for m in range(1, 13))
        for y in sorted({y for y, _m in monthly if y < today.year})
    }
    plans_now = Plan.objects.filter(status=Plan.Status.ACTIVE).count()
    points = {p.year: p.forecast for p in result.plans}
    years = []
    for k in range(4):
        y = today.year + k
        plans = float(plans_now) if k == 0 else points.get(y, float(plans_now))
        asked = (demand.growth_point(requests, y) or 0.0) if requests else 0.0
        years.append((y, plans, asked * assess_rate))
    rows = {
        a.team_id: a
        for a in WorkforceAssumption.objects.all()  # one per team, and the council's
    }
    council = rows.get(None)
    active = Plan.objects.filter(status=Plan.Status.ACTIVE)
    by_team = Counter(active.values_list("case__team__name", flat=True))
    officers_by_team = Counter(
        User.objects.filter(role=Role.CASE_OFFICER, is_active=True).values_list(
            "team__name", flat=True
        )
    )
    out = []
    for name, assumption, share, staff in [
        ("The council", council, 1.0, sum(officers_by_team.values())),
        *(
            (
                team.name,
                rows.get(team.pk, council),
                by_team.get(team.name, 0) / plans_now if plans_now else 0.0,
                officers_by_team.get(team.name, 0),
            )
            for team in Team.objects.order_by("name")
        ),
    ]:
        a = _assumptions(assumption)
        out.append(
            TeamWorkforce(
                team=name,
                assumption=a,
                years=[workforce.officers(y, p * share, s * share, a) for y, p, s in years]
                if a
                else [],
                officers_now=staff,
            )
        )
    return out


def _assumptions(row: WorkforceAssumption | None) -> workforce.Assumptions | None:
    if row is None:
        return None
    return workforce.Assumptions(
        caseload_target=row.caseload_target,
        hours_per_assessment=row.hours_per_assessment,
        hours_per_plan_year=row.hours_per_plan_year,
        hours_per_officer_year=row.hours_per_officer_year,
    )
