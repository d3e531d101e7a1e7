"""Counting conventions: weeks, months, days, working days and the SAR month."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sendcase.statutory import Calendar, default_calendar
from sendcase.statutory.dates import (
    add_days_inclusive,
    add_months,
    add_weeks,
    format_date,
    sar_month,
)

from .helpers import D


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),  # month end clamps
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2024-02-29", 12, "2025-02-28"),  # 29 February + 12 months
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-12-15", 1, "2026-01-15"),  # year end
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-03-31", -1, "2025-02-28"),  # months before (post-16 move)
        ("2026-01-05", -5, "2025-08-05"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        ("2025-01-06", 6, "2025-02-17"),
        ("2025-01-06", 20, "2025-05-26"),  # Spring bank holiday: not moved
        ("2025-01-04", 6, "2025-02-15"),  # a Saturday: not moved
        ("2025-11-13", 6, "2025-12-25"),  # Christmas Day: not moved
        ("2026-02-20", 6, "2026-04-03"),  # Good Friday 2026: not moved
        ("2025-01-06", 0, "2025-01-06"),
    ],
)
def test_add_weeks_never_moves(start: str, weeks: int, expected: str) -> None:
    assert add_weeks(D(start), weeks) == D(expected)


def test_days_inclusive() -> None:
    # draft served 2025-03-03: window ends 2025-03-17; final plan not before 2025-03-18
    assert add_days_inclusive(D("2025-03-03"), 15) == D("2025-03-17")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-12-19", 20, "2026-01-21"),  # FOI across Christmas and New Year
        ("2025-12-19", 10, "2026-01-07"),
        ("2025-12-24", 1, "2025-12-29"),
        ("2026-04-02", 1, "2026-04-07"),  # Good Friday 3 April, Easter Monday 6 April 2026
        ("2026-04-01", 3, "2026-04-08"),
        ("2026-03-27", 20, "2026-04-28"),
        ("2025-03-05", 3, "2025-03-10"),  # over a weekend
        ("2025-03-28", 3, "2025-04-02"),
        ("2025-05-23", 1, "2025-05-27"),  # Spring bank holiday 26 May 2025
        ("2025-12-25", 0, "2025-12-29"),  # day 0 on a holiday: the next working day
        ("2025-12-22", 0, "2025-12-22"),
    ],
)
def test_working_days(start: str, n: int, expected: str) -> None:
    assert default_calendar().add_working_days(D(start), n) == D(expected)


def test_working_days_refuses_negative() -> None:
    with pytest.raises(ValueError):
        default_calendar().add_working_days(D("2025-01-06"), -1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-12-25", False),
        ("2025-12-26", False),
        ("2026-01-01", False),
        ("2026-04-03", False),
        ("2026-04-06", False),
        ("2026-12-28", False),  # Boxing Day (substitute)
        ("2025-05-26", False),
        ("2025-03-08", False),  # Saturday
        ("2025-03-10", True),
        ("2099-12-25", False),  # far years load lazily
        ("1999-12-27", False),
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert default_calendar().is_working_day(D(day)) is working


def test_council_extra_holiday_changes_the_result() -> None:
    plain = default_calendar()
    closed = Calendar(extra_holidays=[D("2025-12-22")])
    assert not closed.is_working_day(D("2025-12-22"))
    assert plain.add_working_days(D("2025-12-19"), 20) == D("2026-01-21")
    assert closed.add_working_days(D("2025-12-19"), 20) == D("2026-01-22")
    assert D("2025-12-22") in closed.bank_holidays(2025)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2025-01-31", "2025-02-28"),  # month end, a Friday
        ("2025-02-01", "2025-03-03"),  # 1 March 2025 is a Saturday: moves to Monday
        ("2025-04-26", "2025-05-27"),  # 26 May 2025 is a bank holiday: moves
        ("2025-11-25", "2025-12-29"),  # Christmas Day, Boxing Day, weekend
        ("2024-01-29", "2024-02-29"),  # leap day
        ("2025-03-03", "2025-04-03"),
    ],
)
def test_sar_month_moves_to_a_working_day(received: str, due: str) -> None:
    assert sar_month(D(received), default_calendar()) == D(due)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2025-01-06", "6 January 2025"),
        ("2025-12-25", "25 December 2025"),
        ("2024-02-29", "29 February 2024"),
    ],
)
def test_format_date(day: str, text: str) -> None:
    assert format_date(D(day)) == text


def test_default_calendar_is_shared() -> None:
    assert default_calendar() is default_calendar()
    assert isinstance(default_calendar().add_working_days(date(2025, 1, 6), 5), date)


def test_one_govuk_date_formatter_and_no_platform_only_format_codes() -> None:
    """Dates are written by format_date (or format_date_short) or Django's portable "j F Y":
    never strftime's "%-d", which only glibc knows, nor a day with a leading zero."""
    from pathlib import Path

    from sendcase.statutory.dates import format_date, format_date_short

    assert format_date(date(2025, 1, 6)) == "6 January 2025"
    assert format_date_short(date(2024, 2, 29)) == "29 Feb 2024"
    src = Path(__file__).resolve().parents[2] / "src" / "sendcase"
    # The erasure finds a child's dates however a person once typed them: those forms are data.
    allowed = {src / "retention" / "erasure.py"}
    pattern = re.compile(r"%-d|%d %[bB]|%d/%m/%Y|date:\"d ")
    found = [
        f"{path.relative_to(src)}:{n}"
        for path in sorted(src.rglob("*"))
        if path.suffix in (".py", ".html") and path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
