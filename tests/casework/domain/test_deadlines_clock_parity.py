"""The case page, the work queue and `sendcase clock` show the same deadlines for the same history."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sendcase.accounts.testing import verified_login
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_requested,
    record_decision_to_assess,
)
from sendcase.casework.domain.plan import record_draft_plan
from sendcase.casework.models import Deadline
from sendcase.demo.plan_content import lawful_content
from sendcase.statutory.dates import format_date

D = dt.date
TODAY = D(2025, 12, 1)


def clock_output(case, today: dt.date, monkeypatch) -> list[dict]:
    history = {"today": today.isoformat(), "events": [e.as_clock_dict() for e in case.events.all()]}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(history)))
    out = io.StringIO()
    call_command("clock", stdout=out)
    return json.loads(out.getvalue())["deadlines"]


@pytest.fixture
def journey(child, officer):
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, officer=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    record_advice_requested(
        case,
        kind="health",
        provider="Community paediatrics",
        requested_on=D(2025, 2, 12),
        actor=officer,
        today=TODAY,
    )
    record_draft_plan(
        case, issued_on=D(2025, 5, 1), actor=officer, content=lawful_content(("SEMH",)), today=TODAY
    )
    return case


def test_stored_rows_equal_the_command_line_clock(journey, monkeypatch) -> None:
    cli = clock_output(journey, TODAY, monkeypatch)
    rows = Deadline.objects.filter(case=journey)
    stored = {
        (d.key, d.instance): (d.due and d.due.isoformat(), d.status, d.explanation) for d in rows
    }
    from_cli = {
        (d["key"], d.get("instance", "")): (d["due"], d["status"], d["explanation"]) for d in cli
    }
    assert stored == from_cli
    assert ("advice_due", journey.advice_requests.get().advice_id) in stored


def test_case_page_and_queue_show_the_clock_dates(journey, officer, monkeypatch) -> None:
    cli = clock_output(journey, TODAY, monkeypatch)
    client = verified_login(Client(), officer)
    with time_machine.travel(dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("casework:case", args=[journey.pk])).content.decode()
        queue = client.get(reverse("casework:queue")).content.decode()
    for deadline in cli:
        if deadline["due"]:
            due = D.fromisoformat(deadline["due"])
            shown = {format_date(due), f"{due.day} {due:%b %Y}"}
            assert any(s in page for s in shown), deadline["key"]
    # The queue's row for the case shows its most urgent open deadline, as the clock ranks it.
    urgent = min(
        (d for d in cli if d["status"] in ("overdue", "due_soon", "open") and d["due"]),
        key=lambda d: d["due"],
    )
    due = D.fromisoformat(urgent["due"])
    assert journey.reference in queue
    assert format_date(due) in queue or f"{due.day} {due:%b %Y}" in queue
