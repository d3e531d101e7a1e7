"""Reporting periods: calendar, academic (1 September) and financial (1 April) years, or any span."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


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
    """A span of days, both ends included."""

    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                f"The start of the period ({self.start:%-d %B %Y}) must be on or before "
                f"its end ({self.end:%-d %B %Y})"
            )
        if not self.label:
            object.__setattr__(self, "label", f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}")

    def clip(self, last: dt.date) -> Period:
        """The same period ending no later than `last` (a year to date)."""
        if self.end <= last:
            return self
        return Period(self.start, max(last, self.start), f"{self.label} (to {last:%-d %b %Y})")

    def as_params(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


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
