"""What a placement costs: pure Python, no Django (like `sendcase.statutory`).

A placement's cost is a set of dated lines. Each line has the days it runs (first and last
day, inclusive; an open end runs on) and an annual amount for each financial year: a banded
line's element 2 and element 3 rates for that year, a fee's yearly amount (a weekly fee times
its weeks: 38 for term time, 52 for a full-year residential place), a personal budget's or a
direct payment's yearly sum. A fee that changes mid-year is two lines: the old one ends the day
before the new one starts.

Prorating is by day within each financial year (1 April to 31 March): a day costs the year's
annual amount divided by the days in that year (366 in a year holding 29 February), so a line
that runs a whole financial year costs exactly its annual amount, and a placement that starts in
September costs the days from then to 31 March. A 38-week fee is spread evenly across the year
(the council pays it in instalments, not by the term week). Every piece (one line in one
financial year) is rounded to the penny, half up, and totals add the pieces, so a sum over
children, settings or months equals the sum of its parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
FULL_YEAR_WEEKS = 52


def financial_year(day: dt.date) -> int:
    """The financial year a day falls in, named by the year it starts (2026 is 2026-27)."""
    return day.year if day.month >= 4 else day.year - 1


def fy_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def fy_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


def fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def days_in_fy(year: int) -> int:
    return (fy_end(year) - fy_start(year)).days + 1


def academic_year(day: dt.date) -> int:
    """The academic year (1 September to 31 August) a day falls in, named by its start."""
    return day.year if day.month >= 9 else day.year - 1


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_group(born: dt.date, today: dt.date) -> str:
    """DfE's DSG management plan age group: age on the 31 August before the school year."""
    return group_of_age(age_on(born, dt.date(academic_year(today), 8, 31)))


def group_of_age(age: int) -> str:
    """DfE's DSG management plan age group for an age on 31 August."""
    if age < 5:
        return "under_5"
    if age <= 10:
        return "5_10"
    if age <= 15:
        return "11_15"
    if age <= 19:
        return "16_19"
    return "20_25"


AGE_GROUPS = {
    "under_5": "Under 5",
    "5_10": "5 to 10",
    "11_15": "11 to 15",
    "16_19": "16 to 19",
    "20_25": "20 to 25",
}


def yearly(amount: Decimal, *, per_week: bool, weeks: int | None) -> Decimal:
    """A fee as a year's amount: per year as it is, per week times the weeks it is paid for."""
    if not per_week:
        return amount
    return amount * (weeks or FULL_YEAR_WEEKS)


def council_share(health_pct: Decimal, social_care_pct: Decimal) -> Decimal:
    """The fraction the council's High Needs block pays, after health and social care."""
    return (HUNDRED - health_pct - social_care_pct) / HUNDRED


@dataclass(frozen=True)
class Line:
    """One dated cost: `annual` gives the amount for each financial year it has a figure for;
    a year without one takes the nearest earlier year's (or, before the first, the first's)."""

    starts: dt.date
    ends: dt.date | None
    annual: Mapping[int, Decimal]
    share: Decimal = Decimal(1)  # the council's share (1 - health - social care)
    key: Any = None  # what the caller needs back (a placement, a line's id)
    kind: str = ""

    def amount_for(self, year: int) -> Decimal:
        if not self.annual:
            return ZERO
        if year in self.annual:
            return self.annual[year]
        earlier = [y for y in self.annual if y < year]
        return self.annual[max(earlier) if earlier else min(self.annual)]

    def runs_on(self, day: dt.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


def to_penny(value: Decimal) -> Decimal:
    """Rounded to the penny, half up: every piece of a cost is rounded so."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def cost_between(line: Line, first: dt.date, last: dt.date, *, gross: bool = False) -> Decimal:
    """What the line costs the council (or in all, `gross`) from `first` to `last` inclusive."""
    start = max(first, line.starts)
    end = last if line.ends is None else min(last, line.ends)
    total = ZERO
    if end < start:
        return total
    share = Decimal(1) if gross else line.share
    for year in range(financial_year(start), financial_year(end) + 1):
        a, b = max(start, fy_start(year)), min(end, fy_end(year))
        days = (b - a).days + 1
        total += to_penny(line.amount_for(year) * share * days / days_in_fy(year))
    return total


def fy_cost(lines: Iterable[Line], year: int) -> Decimal:
    """The council's cost of the lines in one financial year."""
    return sum((cost_between(x, fy_start(year), fy_end(year)) for x in lines), ZERO)


def annual_cost_on(lines: Iterable[Line], day: dt.date, *, gross: bool = False) -> Decimal:
    """The yearly rate committed on a day: each running line's annual amount for that
    financial year (times the council's share unless `gross`)."""
    year = financial_year(day)
    return sum(
        (
            to_penny(x.amount_for(year) * (Decimal(1) if gross else x.share))
            for x in lines
            if x.runs_on(day)
        ),
        ZERO,
    )


def month_ends(year: int) -> list[tuple[dt.date, dt.date]]:
    """The twelve months of a financial year, first and last day each."""
    out = []
    for i in range(12):
        month = (4 + i - 1) % 12 + 1
        y = year if month >= 4 else year + 1
        first = dt.date(y, month, 1)
        nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
        out.append((first, nxt - dt.timedelta(days=1)))
    return out


def monthly_profile(lines: Iterable[Line], year: int) -> list[Decimal]:
    """The council's cost of the lines in each month of a financial year, April first.
    The months add up to within a penny per line and month of `fy_cost` (each month is
    rounded on its own); reconcile against `fy_cost` where a total must match."""
    lines = list(lines)
    return [sum((cost_between(x, a, b) for x in lines), ZERO) for a, b in month_ends(year)]


@dataclass
class Totals:
    """Sums by a key, kept in insertion order, with a count of children."""

    amounts: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, amount: Decimal) -> None:
        self.amounts[key] = self.amounts.get(key, ZERO) + amount
        self.counts[key] = self.counts.get(key, 0) + 1

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)
