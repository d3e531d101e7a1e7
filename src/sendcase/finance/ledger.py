"""Reading every cost line for one financial year in one query, for the council-wide figures.

`costing.Line` is the definition; this is the same arithmetic on plain tuples, so the finance
view and the forecast over 50,000 lines take a fraction of a second. The database picks each
banded line's rate for the year (the year's, else the nearest earlier, else the first, as
`Line.amount_for` does) and the day the line stops (its own end, its placement's leaving date
or the plan's cease date, whichever comes first); Python does the money in Decimal, rounding
each line's piece to the penny as `costing.cost_between` does. Parity with `costing` is tested
(tests/finance/test_ledger.py) line by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from sendcase.finance.costing import (
    ZERO,
    council_share,
    days_in_fy,
    financial_year,
    fy_end,
    fy_start,
    month_ends,
    to_penny,
    yearly,
)
from sendcase.finance.models import BandRate, CostLine


@dataclass(frozen=True)
class Row:
    """One cost line in one financial year."""

    pk: int
    plan_id: int
    kind: str
    starts: dt.date
    ends: dt.date | None
    annual: Decimal  # the year's amount, before the shares
    share: Decimal

    def runs_on(self, day: dt.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)

    def committed(self, *, gross: bool = False) -> Decimal:
        """The yearly rate (as `costing.annual_cost_on` counts a running line)."""
        return to_penny(self.annual * (Decimal(1) if gross else self.share))

    def year_cost(self, year: int) -> Decimal:
        """The council's cost in the financial year (as `costing.cost_between`)."""
        start = max(self.starts, fy_start(year))
        end = fy_end(year) if self.ends is None else min(self.ends, fy_end(year))
        if end < start:
            return ZERO
        days = (end - start).days + 1
        return to_penny(self.annual * self.share * days / days_in_fy(year))


def rates_for(year: int) -> dict[int, Decimal]:
    """Each band's annual rate (element 2 + element 3) for the financial year: the year's,
    else the nearest earlier year's, else the first year's (as `costing.Line.amount_for`)."""
    by_band: dict[int, dict[int, Decimal]] = {}
    for band_id, fy, place, top_up in BandRate.objects.values_list(
        "band_id", "financial_year", "place_funding", "top_up"
    ):
        by_band.setdefault(band_id, {})[fy] = place + top_up
    out = {}
    for band_id, years in by_band.items():
        earlier = [y for y in years if y <= year]
        out[band_id] = years[max(earlier) if earlier else min(years)]
    return out


def rows(
    year: int, lines: QuerySet[CostLine] | None = None, *, on: dt.date | None = None
) -> list[Row]:
    """Every cost line that runs at some time in the financial year, priced for that year
    (with `on`, only the lines running on that day: the committed cost needs no others).
    The band rates are read once (a few hundred rows) and looked up here, not per line in SQL."""
    first, last = (on, on) if on is not None else (fy_start(year), fy_end(year))
    qs = (lines if lines is not None else CostLine.objects.all()).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first), starts_on__lte=last
    )
    if on is not None:
        qs = qs.filter(
            Q(placement__isnull=True)
            | Q(placement__leaving_date__isnull=True)
            | Q(placement__leaving_date__gte=on),
            Q(plan__cease_date__isnull=True) | Q(plan__cease_date__gte=on),
        )
    rates = rates_for(year)
    shares: dict[tuple[Decimal, Decimal], Decimal] = {}
    banded, weekly = CostLine.Kind.BANDED.value, CostLine.Per.WEEK.value
    out = []
    for (
        pk, plan_id, kind, band_id, amount, per, weeks, starts, ends, leaving, ceased, health,
        care,
    ) in qs.values_list(
        "pk", "plan_id", "kind", "band_id", "amount", "per", "weeks", "starts_on", "ends_on",
        "placement__leaving_date", "plan__cease_date", "health_share", "social_care_share",
    ).order_by():  # fmt: skip
        if kind == banded:
            annual = rates.get(band_id, ZERO)
        else:
            annual = yearly(amount or ZERO, per_week=per == weekly, weeks=weeks)
        share = shares.get((health, care))
        if share is None:
            share = shares[(health, care)] = council_share(health, care)
        stops = ends
        for d in (leaving, ceased):
            if d is not None and (stops is None or d < stops):
                stops = d
        out.append(Row(pk, plan_id, kind, starts, stops, annual, share))
    return out


def committed_by_plan(
    day: dt.date, lines: Iterable[Row] | None = None
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each plan's committed yearly cost on a day: (the council's share, in all)."""
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for r in lines if lines is not None else rows(financial_year(day), on=day):
        if r.runs_on(day):
            own, gross = out.get(r.plan_id, (ZERO, ZERO))
            out[r.plan_id] = (own + r.committed(), gross + r.committed(gross=True))
    return out


def year_cost(year: int, lines: Iterable[Row] | None = None) -> Decimal:
    """The council's cost of every line in a financial year (as `costing.fy_cost`)."""
    return sum((r.year_cost(year) for r in (lines if lines is not None else rows(year))), ZERO)


def month_profile(year: int, lines: Iterable[Row]) -> list[Decimal]:
    """The council's cost of the lines in each month of the financial year, April first: each
    line's daily cost summed over the days it runs (a running total over the year's days)."""
    first, days = fy_start(year), days_in_fy(year)
    step = [ZERO] * (days + 1)
    for r in lines:
        a = max(r.starts, first)
        b = fy_end(year) if r.ends is None else min(r.ends, fy_end(year))
        if b < a:
            continue
        daily = r.annual * r.share / days
        step[(a - first).days] += daily
        step[(b - first).days + 1] -= daily
    out, running, day = [], ZERO, 0
    for month_first, month_last in month_ends(year):
        total = ZERO
        for _ in range((month_last - month_first).days + 1):
            running += step[day]
            total += running
            day += 1
        out.append(to_penny(total))
    return out
