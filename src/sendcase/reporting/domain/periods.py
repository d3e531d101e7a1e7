"""Reporting periods: calendar, academic (1 September) and financial (1 April) years, or any span."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from sendcase.returns.periods import reference_date
from sendcase.statutory.dates import format_date, format_date_short


class YearKind(StrEnum):
    CALENDAR = "calendar"
    ACADEMIC = "academic"
    FINANCIAL = "financial"

    @property
    def label(self) -> str:
        return {
            "calendar": "Calendar years (January to December)",
            "academic": "Academic years (September to August)",
            "financial": "Financial years (April to March)",
        }[self.value]


_START_MONTH = {YearKind.CALENDAR: 1, YearKind.ACADEMIC: 9, YearKind.FINANCIAL: 4}


class PeriodError(ValueError):
    """A period that makes no sense, in words a user can act on."""


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, both ends included, and optionally the day its figures are as known on.

    `as_at` is the day the figures are taken as known: a decision made after it is not yet
    made, and counts on a date (plans maintained) are taken on it. For a SEN2 year it is the
    census date (see `with_census`); None means as known today, counts on the last day."""

    start: dt.date
    end: dt.date
    label: str = ""
    as_at: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                f"The start of the period ({format_date(self.start)}) must be on or before "
                f"its end ({format_date(self.end)})"
            )
        if not self.label:
            object.__setattr__(
                self, "label", f"{format_date_short(self.start)} to {format_date_short(self.end)}"
            )

    def clip(self, last: dt.date) -> Period:
        """The same period ending no later than `last` (a year to date)."""
        if self.end <= last:
            return self if self.as_at is None or self.as_at <= last else replace(self, as_at=last)
        return Period(
            self.start,
            max(last, self.start),
            f"{self.label} (to {format_date_short(last)})",
            None if self.as_at is None else min(self.as_at, max(last, self.start)),
        )

    @property
    def count_date(self) -> dt.date:
        """The day counts on a date (plans maintained, open cases) are taken."""
        return self.as_at or self.end

    def as_params(self) -> dict[str, str]:
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.as_at is not None:
            params["as_at"] = self.as_at.isoformat()
        return params


def year(kind: YearKind | str, first_year: int) -> Period:
    """The year of this kind that starts in `first_year` (academic 2024 = 2024-25)."""
    kind = YearKind(kind)
    month = _START_MONTH[kind]
    start = dt.date(first_year, month, 1)
    if kind is YearKind.CALENDAR:
        return Period(start, dt.date(first_year, 12, 31), str(first_year))
    end = dt.date(first_year + 1, month, 1) - dt.timedelta(days=1)
    return Period(start, end, f"{first_year}-{(first_year + 1) % 100:02d}")


def year_containing(kind: YearKind | str, day: dt.date) -> Period:
    kind = YearKind(kind)
    month = _START_MONTH[kind]
    return year(kind, day.year if day.month >= month else day.year - 1)


def last_years(kind: YearKind | str, count: int, today: dt.date) -> list[Period]:
    """The `count` years of a kind up to the one containing today (that one clipped to today)."""
    current = year_containing(kind, today)
    first = current.start.year - count + 1
    return [year(kind, y).clip(today) for y in range(first, current.start.year + 1)]


def years_between(kind: YearKind | str, start: dt.date, end: dt.date) -> list[Period]:
    """The years of a kind that overlap start..end, each clipped to that span."""
    out = []
    period = year_containing(kind, start)
    while period.start <= end:
        s, e = max(period.start, start), min(period.end, end)
        label = period.label if (s, e) == (period.start, period.end) else f"{period.label} (part)"
        out.append(Period(s, e, label))
        period = year(kind, period.start.year + 1)
    return out


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise PeriodError(
            f"{what} must be a real date written as YYYY-MM-DD, not {value!r}"
        ) from None


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def sen2_census(period: Period) -> dt.date | None:
    """The SEN2 census date for a calendar year (the third Thursday of the January after it),
    else None: DfE's figures for a calendar year come from the return as at that date."""
    if (period.start.month, period.start.day, period.end.month, period.end.day) != (1, 1, 12, 31):
        return None
    if period.start.year != period.end.year:
        return None
    return reference_date(period.end.year + 1)


def with_census(period: Period, today: dt.date | None = None) -> Period:
    """A calendar year as DfE counts it: as known on its SEN2 census date (no later than today).
    Other periods are returned as they are."""
    census = sen2_census(period)
    if census is None or period.as_at is not None:
        return period
    return replace(period, as_at=min(census, today) if today is not None else census)
