"""The committed cost of every maintained plan on a day, summed by PostgreSQL.

The same arithmetic as `ledger.rows` + `ledger.committed_by_plan` (and so as `costing`): each
cost line running on the day is priced for the day's financial year (a band at the year's
rate, else the nearest earlier year's, else the first; a fee per year, or per week times its
weeks, 52 if none), the council's share taken (100 - health - social care per cent), rounded
to the penny half up (PostgreSQL's `round(numeric)` rounds ties away from zero, as
`ROUND_HALF_UP` does), and the pennies added per plan. (The plans read are those maintained
on the day, not ceased by it, so no line of theirs has stopped at a cease date; the `cost` and
`place` parts need not look at the plan.) PostgreSQL's numeric is exact, so the
sums equal `ledger`'s to the penny (tests/finance/test_sums.py checks them on PostgreSQL).

Used where the database is PostgreSQL: the finance view and the forecast then read one row
per plan, or one per figure, instead of pricing 50,000 lines in Python on each request.
SQLite (tests, a laptop) goes through `ledger`, whose decimals SQLite could not add exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection

from sendcase.finance.costing import (
    FULL_YEAR_WEEKS,
    academic_year,
    days_in_fy,
    financial_year,
    fy_end,
    fy_start,
    month_ends,
)

PLANS = """
WITH rate AS (
    SELECT DISTINCT ON (band_id) band_id, place_funding + top_up AS annual
    FROM finance_bandrate
    ORDER BY band_id, (financial_year <= %(year)s) DESC,
             CASE WHEN financial_year <= %(year)s THEN -financial_year ELSE financial_year END
),
cost AS (
    SELECT c.plan_id,
           SUM(ROUND(x.annual * (100 - c.health_share - c.social_care_share) / 100, 2)) AS annual,
           SUM(ROUND(x.annual, 2)) AS gross
    FROM finance_costline c
    LEFT JOIN rate r ON r.band_id = c.band_id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.kind = 'banded' THEN COALESCE(r.annual, 0)
                    WHEN c.per = 'week' THEN c.amount * COALESCE(NULLIF(c.weeks, 0), %(weeks)s)
                    ELSE c.amount END AS annual
    ) x
    LEFT JOIN placements_placement cpl ON cpl.id = c.placement_id
    WHERE c.starts_on <= %(day)s AND (c.ends_on IS NULL OR c.ends_on >= %(day)s)
      AND (cpl.leaving_date IS NULL OR cpl.leaving_date >= %(day)s)
    GROUP BY c.plan_id
),
place AS (
    SELECT DISTINCT ON (p.plan_id) p.plan_id, p.setting_type, s.name, s.la_code, p.sen_setting
    FROM placements_placement p
    LEFT JOIN placements_setting s ON s.id = p.setting_id
    WHERE p.rank = 1 AND p.entry_date <= %(day)s
      AND (p.leaving_date IS NULL OR p.leaving_date >= %(day)s)
    ORDER BY p.plan_id, p.entry_date DESC, p.id DESC
),
plans AS (
    SELECT pl.id AS plan_id, pl.case_id, pl.primary_need, pl.first_issued_on,
           ch.forename, ch.surname, ch.date_of_birth,
           COALESCE(NULLIF(place.setting_type, ''), 'none') AS setting_type,
           COALESCE(NULLIF(place.name, ''), NULLIF(place.sen_setting, ''), 'None') AS setting,
           COALESCE(place.la_code, '') AS la_code,
           COALESCE(cost.annual, 0.00) AS annual, COALESCE(cost.gross, 0.00) AS gross,
           CASE WHEN ch.date_of_birth > %(after5)s THEN 'under_5'
                WHEN ch.date_of_birth > %(after11)s THEN '5_10'
                WHEN ch.date_of_birth > %(after16)s THEN '11_15'
                WHEN ch.date_of_birth > %(after20)s THEN '16_19'
                ELSE '20_25' END AS age_group,
           CASE WHEN COALESCE(place.la_code, '') NOT IN ('', %(own)s) THEN 'out' ELSE 'in' END
               AS area
    FROM plans_plan pl
    JOIN casework_case ca ON ca.id = pl.case_id
    JOIN casework_child ch ON ch.id = ca.child_id
    LEFT JOIN place ON place.plan_id = pl.id
    LEFT JOIN cost ON cost.plan_id = pl.id
    WHERE pl.status = 'active' AND pl.first_issued_on <= %(day)s
      AND (pl.cease_date IS NULL OR pl.cease_date > %(day)s)
)
"""

# One row per figure of the finance view: (what, key, plans, committed, case, child, setting)
FIGURES = """
SELECT 'setting_type'::text, setting_type::text, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans GROUP BY setting_type
UNION ALL SELECT 'need', primary_need, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans GROUP BY primary_need
UNION ALL SELECT 'age_group', age_group, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans GROUP BY age_group
UNION ALL SELECT 'area', area, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans GROUP BY area
UNION ALL SELECT 'setting', setting, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans GROUP BY setting
UNION ALL SELECT 'new', setting_type, COUNT(*), SUM(annual), NULL::bigint, NULL::text, NULL::text
  FROM plans WHERE first_issued_on > %(since)s GROUP BY setting_type
UNION ALL (SELECT 'top', plan_id::text, 1, annual, case_id, forename || ' ' || surname, setting
  FROM plans ORDER BY plans.annual DESC, plans.plan_id LIMIT %(top)s)
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def age_thresholds(today: dt.date) -> dict[str, dt.date]:
    """The last birthday of each DSG age group's oldest child, as `costing.age_group` counts
    age on the 31 August before the school year: born after `after5`, under 5; and so on."""
    august = dt.date(academic_year(today), 8, 31)
    return {f"after{n}": august.replace(year=august.year - n) for n in (5, 11, 16, 20)}


def _params(today: dt.date) -> dict[str, Any]:
    return {
        "day": today,
        "year": financial_year(today),
        "weeks": FULL_YEAR_WEEKS,
        "own": settings.SENDCASE_LA_CODE,
        **age_thresholds(today),
    }


COLUMNS = ("setting_type", "primary_need", "age_group", "area", "setting")


def plan_rows(
    today: dt.date, *, column: str | None = None, values: list[str] | None = None
) -> list[tuple[Any, ...]]:
    """(plan, case, primary need, first issued, forename, surname, born, setting type,
    setting, its council, committed council's share, committed in all, age group, area) for
    every plan maintained on the day, in plan order; with `column` (one of COLUMNS), only the
    plans whose value there is one of `values` (a drill-down)."""
    where, params = "", _params(today)
    if column is not None:
        if column not in COLUMNS:
            raise ValueError(f"no column {column!r}")
        where, params["values"] = f"WHERE {column} = ANY(%(values)s) ", list(values or [])
    select = (
        "SELECT plan_id, case_id, primary_need, first_issued_on, forename, surname, "
        "date_of_birth, setting_type, setting, la_code, annual, gross, age_group, area "
        "FROM plans "
    )
    sql = PLANS + select + where + "ORDER BY plan_id"  # where: a column of COLUMNS, values bound
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def figures(today: dt.date, *, since: dt.date, top: int) -> list[tuple[Any, ...]]:
    """The finance view's figures in one query (see FIGURES)."""
    with connection.cursor() as cursor:
        cursor.execute(PLANS + FIGURES, {**_params(today), "since": since, "top": top})
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


COMMITMENTS = """
WITH rate AS (
    SELECT DISTINCT ON (band_id) band_id, place_funding + top_up AS annual
    FROM finance_bandrate
    ORDER BY band_id, (financial_year <= %(year)s) DESC,
             CASE WHEN financial_year <= %(year)s THEN -financial_year ELSE financial_year END
),
line AS (
    SELECT x.annual * (100 - c.health_share - c.social_care_share) AS own,
           GREATEST(c.starts_on, %(first)s) AS a,
           LEAST(COALESCE(LEAST(c.ends_on, cpl.leaving_date, ap.cease_date), %(last)s),
                 %(last)s) AS b
    FROM finance_costline c
    JOIN plans_plan ap ON ap.id = c.plan_id
    LEFT JOIN placements_placement cpl ON cpl.id = c.placement_id
    LEFT JOIN rate r ON r.band_id = c.band_id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.kind = 'banded' THEN COALESCE(r.annual, 0)
                    WHEN c.per = 'week' THEN c.amount * COALESCE(NULLIF(c.weeks, 0), %(weeks)s)
                    ELSE c.amount END AS annual
    ) x
    WHERE c.starts_on <= %(last)s AND (c.ends_on IS NULL OR c.ends_on >= %(first)s)
      AND ap.status = 'active' AND ap.first_issued_on <= %(day)s
      AND (ap.cease_date IS NULL OR ap.cease_date > %(day)s)
)
SELECT COUNT(*),
       COALESCE(SUM(CASE WHEN b >= a THEN ROUND(own * (b - a + 1) / %(scale)s, 2) ELSE 0 END), 0)
       {months}
FROM line
"""


def commitments(today: dt.date) -> tuple[int, Decimal, list[Decimal]]:
    """The commitments of the plans maintained today for their whole financial year, as
    `ledger.rows` + `ledger.year_cost` + `ledger.month_profile` count them: (cost lines, the
    council's cost in the year, the cost in each month from April). Each line's year is
    rounded to the penny on its own; each month's total once (the month profile's way). The
    numerators are exact (amount x per cent x days) and divided once, so no rounding creeps in."""
    year = financial_year(today)
    months = month_ends(year)
    scale = 100 * days_in_fy(year)
    columns = "".join(
        f", ROUND(COALESCE(SUM(own * GREATEST(LEAST(b, %(m{i}b)s) - GREATEST(a, %(m{i}a)s) + 1, 0))"
        f", 0) / %(scale)s, 2)"
        for i in range(len(months))
    )
    params: dict[str, Any] = {
        "day": today, "year": year, "weeks": FULL_YEAR_WEEKS, "first": fy_start(year),
        "last": fy_end(year), "scale": scale,
    }  # fmt: skip
    for i, (a, b) in enumerate(months):
        params[f"m{i}a"], params[f"m{i}b"] = a, b
    with connection.cursor() as cursor:
        cursor.execute(COMMITMENTS.replace("{months}", columns), params)
        count, cost, *by_month = cursor.fetchone()
    return count, cost, list(by_month)
