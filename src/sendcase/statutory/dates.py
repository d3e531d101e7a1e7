"""Date counting for the statutory clock: the conventions of the timescales spec.

Pure functions of dates. Nothing here knows about cases or events. The one
working-day function is :meth:`Calendar.add_working_days`.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

__all__ = [
    "GOVUK",
    "ISO",
    "MONTH_NAMES",
    "Calendar",
    "Remembered",
    "add_days_inclusive",
    "add_months",
    "add_weeks",
    "default_calendar",
    "format_date",
    "format_date_short",
    "iso",
    "sar_month",
]

_V = TypeVar("_V")

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Remembered(dict[date, _V]):
    """d -> f(d), computed once per date: a plain dict look-up on a hit (cheaper than an
    lru_cache call; the clock asks for the same dates many times). Bounded like one."""

    def __init__(self, make: Callable[[date], _V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, d: date) -> _V:
        if len(self) >= 65536:
            self.clear()
        value = self[d] = self.make(d)
        return value


def _govuk(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


GOVUK: Remembered[str] = Remembered(_govuk)
format_date: Callable[[date], str] = GOVUK.__getitem__
"""'6 January 2025': GOV.UK style, no leading zero."""


def format_date_short(d: date) -> str:
    """'6 Jan 2025': the abbreviated month, where space is short (a period's label in a table)."""
    return f"{d.day} {MONTH_NAMES[d.month][:3]} {d.year}"


_WEEKS = tuple(timedelta(days=7 * n) for n in range(60))


def add_weeks(d: date, weeks: int) -> date:
    """N weeks = trigger + 7N days. Never moved for weekends or bank holidays."""
    return d + (_WEEKS[weeks] if 0 <= weeks < 60 else timedelta(days=7 * weeks))


ISO: Remembered[str] = Remembered(date.isoformat)
iso: Callable[[date], str] = ISO.__getitem__
"""d.isoformat(), remembered: the clock writes the same dates many times."""


def add_days_inclusive(d: date, days: int) -> date:
    """Last day of a period of `days` days beginning with (and including) `d`."""
    return d + timedelta(days=days - 1)


@lru_cache(maxsize=65536)
def add_months(d: date, months: int) -> date:
    """Same day-of-month `months` later (or earlier, if negative), clamped to the month end."""
    m0 = d.month - 1 + months
    year = d.year + m0 // 12
    month = m0 % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, d.day if d.day <= last else last)


class Calendar:
    """Working days in England: Monday to Friday, not a bank holiday in England and Wales.

    Bank holidays come from the maintained `holidays` package (GB, subdivision ENG),
    loaded a year at a time and kept in a set. A council may add one-off closure days
    with `extra_holidays`; they count as non-working days too.
    """

    def __init__(self, extra_holidays: Iterable[date] = ()) -> None:
        self._extra: frozenset[date] = frozenset(extra_holidays)
        self._closed: set[date] = set(self._extra)
        self._years: set[int] = set()
        self._cache: dict[tuple[date, int], date] = {}

    @property
    def extra_holidays(self) -> frozenset[date]:
        return self._extra

    def _load_year(self, year: int) -> None:
        import holidays  # imported lazily: only calendars that count working days pay for it

        lo, hi = year - 2, year + 8
        years = [y for y in range(lo, hi + 1) if y not in self._years]
        if not years:
            return
        self._closed.update(holidays.country_holidays("GB", subdiv="ENG", years=years))
        self._years.update(years)

    def bank_holidays(self, year: int) -> list[date]:
        """Non-working days other than weekends in `year` (bank holidays and extra days)."""
        if year not in self._years:
            self._load_year(year)
        return sorted(d for d in self._closed if d.year == year)

    def is_working_day(self, d: date) -> bool:
        if d.year not in self._years:
            self._load_year(d.year)
        return d.weekday() < 5 and d not in self._closed

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d`; `d` itself is day 0 (n >= 0).

        With n == 0, returns `d` if it is a working day, else the next working day.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        key = (d, n)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        cur = d
        if n == 0:
            while not self.is_working_day(cur):
                cur += timedelta(days=1)
        else:
            left = n
            one = timedelta(days=1)
            while left:
                cur += one
                if self.is_working_day(cur):
                    left -= 1
        self._cache[key] = cur
        return cur

    def next_working_day(self, d: date) -> date:
        """`d` if it is a working day, else the next one."""
        return self.add_working_days(d, 0)


def sar_month(d: date, calendar: Calendar) -> date:
    """UK GDPR 'one month': same day next month (clamped), rolled forward to a working day."""
    return calendar.next_working_day(add_months(d, 1))


@lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """The shared calendar for England and Wales bank holidays, with no extra days."""
    return Calendar()
