"""What a placement costs (finance/costing.py, pure): tables of dates and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendcase.finance.costing import (
    Line,
    age_group,
    annual_cost_on,
    cost_between,
    council_share,
    days_in_fy,
    financial_year,
    fy_cost,
    fy_end,
    fy_start,
    monthly_profile,
    yearly,
)

D = dt.date
ANNUAL = Decimal("36500.00")


def line(starts: dt.date, ends: dt.date | None = None, **annual: Decimal) -> Line:
    rates = {int(k[2:]): v for k, v in annual.items()} or {2020: ANNUAL}
    return Line(starts=starts, ends=ends, annual=rates)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2026, 3, 31), 2025),
        (D(2026, 4, 1), 2026),
        (D(2026, 12, 31), 2026),
        (D(2027, 1, 1), 2026),
    ],
    ids=["31-march", "1-april", "31-december", "1-january"],
)
def test_financial_year(day: dt.date, year: int) -> None:
    assert financial_year(day) == year


@pytest.mark.parametrize(
    ("year", "days"),
    [(2026, 365), (2027, 366), (2028, 365), (2023, 366)],
    ids=["2026-27", "2027-28-holds-29-feb-2028", "2028-29", "2023-24-holds-29-feb-2024"],
)
def test_days_in_a_financial_year(year: int, days: int) -> None:
    assert days_in_fy(year) == days


@pytest.mark.parametrize(
    ("starts", "ends", "year", "expected"),
    [
        # A whole financial year costs exactly its annual amount, leap year or not.
        (D(2020, 1, 1), None, 2026, ANNUAL),
        (D(2020, 1, 1), None, 2027, ANNUAL),
        # From 1 September: 212 of 365 days (September to March) in 2026-27.
        (D(2026, 9, 1), None, 2026, ANNUAL * 212 / 365),
        # Ends 31 August (the academic year): 153 days of 2026-27 (April to August).
        (D(2020, 1, 1), D(2026, 8, 31), 2026, ANNUAL * 153 / 365),
        # From 1 September to 31 March in the leap year 2027-28: 213 of 366 days.
        (D(2027, 9, 1), None, 2027, (ANNUAL * 213 / 366).quantize(Decimal("0.01"))),
        # Starts on 1 April, ends 31 March: the year, exactly.
        (D(2026, 4, 1), D(2027, 3, 31), 2026, ANNUAL),
        # Ends the day before the year starts: nothing.
        (D(2020, 1, 1), D(2026, 3, 31), 2026, Decimal(0)),
        # One day, 29 February 2028.
        (D(2028, 2, 29), D(2028, 2, 29), 2027, (ANNUAL / 366).quantize(Decimal("0.01"))),
    ],
    ids=[
        "whole-year",
        "whole-leap-year",
        "from-september",
        "to-august",
        "from-september-leap-year",
        "april-to-march",
        "ended-before",
        "29-february-only",
    ],
)
def test_prorating_across_april_and_september(
    starts: dt.date, ends: dt.date | None, year: int, expected: Decimal
) -> None:
    assert fy_cost([line(starts, ends)], year) == expected.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("amount", "per_week", "weeks", "expected"),
    [
        (Decimal("1500"), True, 38, Decimal("57000")),  # term-time residential
        (Decimal("1500"), True, 52, Decimal("78000")),  # full-year residential
        (Decimal("1500"), True, None, Decimal("78000")),  # a week's fee with no weeks: 52
        (Decimal("65000"), False, None, Decimal("65000")),  # per year
    ],
    ids=["38-weeks", "52-weeks", "weekly-no-weeks", "per-year"],
)
def test_fees_per_week_and_per_year(
    amount: Decimal, per_week: bool, weeks: int | None, expected: Decimal
) -> None:
    assert yearly(amount, per_week=per_week, weeks=weeks) == expected


def test_a_38_week_placement_costs_38_52nds_of_the_52_week_one() -> None:
    term = Line(D(2026, 9, 1), None, {2026: yearly(Decimal(1000), per_week=True, weeks=38)})
    full = Line(D(2026, 9, 1), None, {2026: yearly(Decimal(1000), per_week=True, weeks=52)})
    assert fy_cost([term], 2026) * 52 == pytest.approx(fy_cost([full], 2026) * 38, abs=1)


def test_a_fee_change_mid_year_is_two_lines_that_meet() -> None:
    # 1,000 a week for 52 weeks until 31 December 2026, then 1,100 a week.
    before = Line(D(2026, 4, 1), D(2026, 12, 31), {2026: Decimal(52000)})
    after = Line(D(2027, 1, 1), None, {2026: Decimal(57200)})
    year = fy_cost([before, after], 2026)
    assert year == (Decimal(52000) * 275 / 365 + Decimal(57200) * 90 / 365).quantize(
        Decimal("0.01")
    )
    assert annual_cost_on([before, after], D(2026, 12, 31)) == Decimal(52000)
    assert annual_cost_on([before, after], D(2027, 1, 1)) == Decimal(57200)


def test_a_band_rate_per_financial_year_and_the_latest_carried_forward() -> None:
    banded = Line(D(2025, 9, 1), None, {2025: Decimal(10000), 2026: Decimal(12000)})
    assert fy_cost([banded], 2026) == Decimal(12000)
    assert fy_cost([banded], 2029) == Decimal(12000)  # no rate yet: the latest one
    assert fy_cost([banded], 2025) == (Decimal(10000) * 212 / 365).quantize(Decimal("0.01"))
    # Across 31 March: each side at its own year's rate.
    across = cost_between(banded, D(2026, 3, 1), D(2026, 4, 30))
    expected = Decimal(10000) * 31 / 365 + Decimal(12000) * 30 / 365
    assert abs(across - expected) <= Decimal("0.01")


def test_health_and_social_care_shares() -> None:
    share = council_share(Decimal(25), Decimal("12.5"))
    joint = Line(D(2020, 1, 1), None, {2020: Decimal(80000)}, share=share)
    assert fy_cost([joint], 2026) == Decimal(50000)
    assert cost_between(joint, fy_start(2026), fy_end(2026), gross=True) == Decimal(80000)
    assert annual_cost_on([joint], D(2026, 6, 1), gross=True) == Decimal(80000)


@given(
    starts=st.dates(D(2024, 1, 1), D(2029, 12, 31)),
    length=st.integers(0, 900),
    amount=st.decimals(0, 300000, places=2),
)
def test_months_add_up_to_the_year_within_a_penny_each(
    starts: dt.date, length: int, amount: Decimal
) -> None:
    x = Line(starts, starts + dt.timedelta(days=length), {2024: amount})
    for year in (2025, 2026, 2027):
        months = monthly_profile([x], year)
        assert abs(sum(months) - fy_cost([x], year)) <= Decimal("0.12")


@pytest.mark.parametrize(
    ("born", "today", "group"),
    [
        (D(2021, 9, 1), D(2026, 11, 30), "under_5"),  # 4 on 31 August 2026
        (D(2021, 8, 31), D(2026, 11, 30), "5_10"),  # 5 on 31 August 2026
        (D(2015, 8, 31), D(2026, 11, 30), "11_15"),
        (D(2010, 9, 1), D(2026, 11, 30), "11_15"),  # 15 on 31 August 2026
        (D(2010, 8, 31), D(2026, 11, 30), "16_19"),
        (D(2006, 8, 31), D(2026, 7, 31), "16_19"),  # 19 on 31 August 2025
        (D(2006, 8, 31), D(2026, 9, 1), "20_25"),
    ],
)
def test_age_group_on_the_31_august_before_the_school_year(
    born: dt.date, today: dt.date, group: str
) -> None:
    assert age_group(born, today) == group
