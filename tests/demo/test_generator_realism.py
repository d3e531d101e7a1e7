"""The demo council looks like a real council's caseload: nothing left years overdue.

Real councils run late, but a review is not left undone for years while the plan goes on. The
demo once kept plans alive after a tribunal's order with no reviews at all, and left a
transferred-in plan's review overdue after the plan had ceased; its work queue opened on
reviews 2,998 and 2,610 days overdue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from sendcase import statutory
from sendcase.demo import calibration
from sendcase.demo.generator import CaseHistory, Council, clock_events

TODAY = dt.date(2025, 11, 24)


@pytest.fixture(scope="module")
def histories() -> list[CaseHistory]:
    # Seed 56 has every way an appeal ends. Histories are drawn once: drawing them again from
    # the same council continues its random quotas and gives other histories.
    council = Council(calibration.load(), plans=250, seed=56, today=TODAY)
    return list(council.histories())


def _overdue(histories: list[CaseHistory], days: int) -> Counter[str]:
    """For each deadline key, how many deadlines are overdue by more than `days` on TODAY."""
    old: Counter[str] = Counter()
    for history in histories:
        raw = [
            {"type": e["type"], "date": e["date"].isoformat(), **e["data"]}
            for e in clock_events(history.steps)
        ]
        for d in statutory.compute_deadlines(statutory.parse_events(raw), TODAY):
            if d.status == "overdue" and d.due is not None and (TODAY - d.due).days > days:
                old[d.key] += 1
    return old


def test_nothing_is_years_overdue_and_a_year_overdue_is_rare(histories: list[CaseHistory]) -> None:
    """A slow assessment (Devon issued 3.2% of its plans in time) can run a year late; more
    than two years late, nothing."""
    assert _overdue(histories, 730) == Counter()
    assert sum(_overdue(histories, 365).values()) <= len(histories) // 100


def test_a_plan_kept_by_the_tribunal_is_reviewed_each_year(histories: list[CaseHistory]) -> None:
    kept = 0
    for history in histories:
        orders = [
            when
            for name, when, kw in history.steps
            if name == "record_order_complied" and kw.get("_kind") == "continue"
        ]
        if not orders:
            continue
        kept += 1
        meetings = [w for name, w, _ in history.steps if name == "record_review_meeting"]
        after = [m for m in meetings if m > orders[0]]
        if (TODAY - orders[0]).days > 450:
            assert after, f"{history.skeleton.key}: no review since the order on {orders[0]}"
    assert kept  # the council has such a plan
