"""The report for the demo council equals an independent count from the raw StatutoryEvent rows.

The test recomputes each figure the plain way: walk every case's events in date order
in Python, no ORM aggregation, no shared code with sendcase.reporting.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command, get_commands
from django.test import override_settings

from sendcase.casework.models import StatutoryEvent
from sendcase.plans.models import Plan

TODAY = dt.date(2026, 1, 31)
YEARS = range(2019, 2026)

pytestmark = pytest.mark.skipif(
    "demo" not in get_commands(), reason="sendcase demo has not landed yet"
)


@pytest.fixture(scope="module")
def demo_council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        call_command(
            "demo",
            plans="150",
            seed="1",
            today=TODAY.isoformat(),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        yield
        call_command("flush", interactive=False, verbosity=0)


def independent(year: int, as_at: dt.date) -> dict[str, Any]:
    """Every figure for a calendar year, from the events alone."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    within = lambda d: start <= d <= end  # noqa: E731
    events: dict[int, list[StatutoryEvent]] = defaultdict(list)
    for e in StatutoryEvent.objects.order_by("case_id", "date", "id"):
        events[e.case_id].append(e)
    out: dict[str, Any] = defaultdict(int)
    needs: dict[str, int] = defaultdict(int)
    primary = dict(Plan.objects.values_list("case_id", "primary_need"))
    for case_id, evs in events.items():
        received = next((e.date for e in evs if e.type == "request_received"), None)
        decided = next((e.date for e in evs if e.type == "decision_to_assess"), None)
        final = next((e.date for e in evs if e.type == "final_issued"), None)
        transferred = next((e.date for e in evs if e.type == "transfer_in"), None)
        # cease_plan records the date the plan ended as a cease_decision event.
        ceased = None
        for e in evs:
            if e.type == "cease_decision":
                ceased = e.date
            elif e.type == "tribunal_order" and e.data.get("kind") == "continue":
                ceased = None  # the tribunal ordered the plan continued: it never ended
        excused = any(
            e.type == "exception"
            and e.data.get("reason") != "missed_appointment"
            and e.data.get("applies_to", "") in ("", "final_plan")
            for e in evs
        )
        if received and within(received):
            out["requests_received"] += 1
            if decided and decided <= as_at:  # as known on the count date
                out["request_decisions"] += 1
                out["request_decisions_within_6_weeks"] += (decided - received).days <= 42
        if final and received and within(final):
            on_time = (final - received).days <= 140
            out["plans_issued"] += 1
            out["plans_issued_within_20_weeks"] += on_time
            if not excused:
                out["plans_issued_excluding_exceptions"] += 1
                out["plans_issued_within_20_weeks_excluding_exceptions"] += on_time
        began = final or transferred
        if began and within(began):
            out["new_plans"] += 1
        if ceased and within(ceased):
            out["ceased_plans"] += 1
        if began and began <= as_at and not (ceased and ceased <= as_at):
            out["active_plans"] += 1
            needs[primary.get(case_id) or "not_recorded"] += 1
        # Reviews as DfE counts them (SEN2 module 5a): for a plan maintained on the count date,
        # its latest meeting by then, if that meeting's decision letter was sent by then.
        if began and began <= as_at and not (ceased and ceased <= as_at):
            meeting, letter = None, None
            for e in evs:
                if e.date > as_at:
                    break
                if e.type == "review_meeting":
                    meeting, letter = e.date, None
                elif e.type == "review_decision" and meeting is not None and letter is None:
                    letter = e.date
            if meeting is not None and letter is not None:
                out["review_decisions"] += 1
                out["review_decisions_within_4_weeks"] += (letter - meeting).days <= 28
    out["needs"] = dict(needs)
    return out


def pc(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_report_equals_an_independent_count_from_the_events(demo_council: None, year: int) -> None:
    as_at = min(dt.date(year, 12, 31), TODAY)
    out = io.StringIO()
    call_command(
        "report",
        "--from",
        f"{year}-01-01",
        "--to",
        f"{year}-12-31",
        "--as-at",
        as_at.isoformat(),
        stdout=out,
    )
    got = json.loads(out.getvalue())
    want = independent(year, as_at)
    assert want["active_plans"] > 0 or year < 2020, "the demo council should have plans"
    for key in (
        "requests_received",
        "request_decisions",
        "request_decisions_within_6_weeks",
        "plans_issued",
        "plans_issued_within_20_weeks",
        "plans_issued_excluding_exceptions",
        "plans_issued_within_20_weeks_excluding_exceptions",
        "review_decisions",
        "review_decisions_within_4_weeks",
        "new_plans",
        "ceased_plans",
        "active_plans",
    ):
        assert got[key] == want[key], key
    assert got["plans_issued_within_20_weeks_pc"] == pc(
        want["plans_issued_within_20_weeks"], want["plans_issued"]
    )
    assert got["review_decisions_within_4_weeks_pc"] == pc(
        want["review_decisions_within_4_weeks"], want["review_decisions"]
    )
    by_need = {k: v for k, v in got["active_plans_by_primary_need"].items() if v}
    assert by_need == want["needs"]
