"""SEN2 collection years: the reference (census) date and the period the return covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# DfE's published submission deadlines; later years are not yet published.
SUBMISSION_DEADLINES = {
    2025: dt.date(2025, 3, 14),
    2026: dt.date(2026, 3, 12),
    2027: dt.date(2027, 3, 11),
}


def reference_date(year: int) -> dt.date:
    """The third Thursday of January of the collection year."""
    jan1 = dt.date(year, 1, 1)
    first_thursday = 1 + (3 - jan1.weekday()) % 7
    return dt.date(year, 1, first_thursday + 14)


@dataclass(frozen=True)
class Collection:
    """One SEN2 collection: `year` 2026 covers calendar 2025 and the census on 15 January 2026."""

    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year - 1, 12, 31)

    @property
    def reference_date(self) -> dt.date:
        return reference_date(self.year)

    @property
    def deadline(self) -> dt.date | None:
        return SUBMISSION_DEADLINES.get(self.year)

    def __str__(self) -> str:
        return f"SEN2 {self.year}"


def next_collection(today: dt.date) -> Collection:
    """The collection whose census is next: the one to get the data ready for."""
    year = today.year if today <= reference_date(today.year) else today.year + 1
    return Collection(year)


def latest_complete_collection(today: dt.date) -> Collection:
    """The most recent collection whose census has passed (the one to submit)."""
    year = today.year if today > reference_date(today.year) else today.year - 1
    return Collection(year)
