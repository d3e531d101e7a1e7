"""The action functions: a case from request to review, their checks, and what they write."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.deadlines import compute_for_case
from sendcase.casework.domain.deferred import deferred_deadlines, recompute_deadlines
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.refresh import refresh_all
from sendcase.casework.models import Case, Deadline, FamilyContact, Stage, StatutoryEvent
from sendcase.casework.scenarios import place
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.demo.plan_content import lawful_content

D = dt.date
TODAY = D(2025, 12, 1)


def stored(case: Case) -> dict[tuple[str, str], tuple]:
    return {
        (d.key, d.instance): (d.trigger, d.due, d.completed_on, d.status)
        for d in Deadline.objects.filter(case=case)
    }


@pytest.fixture
def request_case(child, officer):
    return open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, officer=officer, today=TODAY
    )


def test_request_opens_case_with_six_week_decision_deadline(request_case: Case, officer) -> None:
    assert request_case.stage == Stage.REQUESTED
    assert request_case.team == officer.team
    row = Deadline.objects.get(case=request_case, key="decision_to_assess")
    assert (row.trigger, row.due, row.status) == (D(2025, 1, 6), D(2025, 2, 17), "overdue")
    assert "reg" in row.source.lower() or "regulation" in row.source.lower()
    request_case.refresh_from_db()
    assert request_case.next_key == "decision_to_assess" and request_case.next_due == D(2025, 2, 17)
    assert AuditEntry.objects.filter(case=request_case).exists()


def test_full_journey_moves_deadlines(request_case: Case, officer) -> None:
    record_decision_to_assess(
        request_case,
        decided_on=D(2025, 2, 10),
        outcome="assess",
        actor=officer,
        panel="Weekly panel",
        today=TODAY,
    )
    record_advice_requested(
        request_case,
        kind="educational_psychology",
        provider="EP service",
        requested_on=D(2025, 2, 11),
        actor=officer,
        today=TODAY,
    )
    advice_id = request_case.advice_requests.get().advice_id
    record_advice_received(
        request_case, advice_id=advice_id, received_on=D(2025, 3, 31), actor=officer, today=TODAY
    )
    record_draft_plan(
        request_case,
        issued_on=D(2025, 4, 28),
        actor=officer,
        content=lawful_content(("ASD", "SLCN")),
        today=TODAY,
    )
    place(request_case, actor=officer, today=TODAY)  # section I names its setting
    record_final_plan(
        request_case,
        issued_on=D(2025, 5, 26),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD", "SLCN")),
    )
    rows = stored(request_case)
    assert rows[("decision_to_assess", "")][3] == "met"
    assert rows[("advice_due", advice_id)][1:] == (D(2025, 3, 25), D(2025, 3, 31), "missed")
    # Day 140 exactly: on time (DfE convention).
    assert rows[("final_plan", "")][1:] == (D(2025, 5, 26), D(2025, 5, 26), "met")
    assert rows[("decision_not_to_issue", "")][3] == "not_applicable"
    request_case.refresh_from_db()
    assert request_case.stage == Stage.PLAN
    assert request_case.plan.primary_need == "ASD"
    review_keys = [k for k in rows if k[0] == "annual_review_meeting"]
    assert review_keys and rows[review_keys[0]][1] == D(2026, 5, 26)


def test_final_plan_inside_comments_window_is_refused(request_case: Case, officer) -> None:
    record_decision_to_assess(
        request_case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    record_draft_plan(
        request_case,
        issued_on=D(2025, 3, 3),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD",)),
    )
    place(request_case, actor=officer, today=TODAY)  # section I names its setting
    with pytest.raises(ActionError) as err:
        record_final_plan(
            request_case,
            issued_on=D(2025, 3, 17),
            actor=officer,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )
    assert err.value.field == "issued_on"
    assert "18 March 2025" in err.value.message
    assert not StatutoryEvent.objects.filter(case=request_case, type="final_issued").exists()
    record_final_plan(
        request_case,
        issued_on=D(2025, 3, 18),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD",)),
    )


@pytest.mark.parametrize(
    ("decided_on", "message"),
    [
        (
            D(2025, 1, 5),
            "must be the same as or after the date the request was received (6 January 2025)",
        ),
        (D(2026, 1, 1), "must be today or in the past"),
    ],
)
def test_decision_dates_are_checked(
    request_case: Case, officer, decided_on: dt.date, message: str
) -> None:
    with pytest.raises(ActionError) as err:
        record_decision_to_assess(
            request_case, decided_on=decided_on, outcome="assess", actor=officer, today=TODAY
        )
    assert message in err.value.message
    assert err.value.field == "decided_on"
    request_case.refresh_from_db()
    assert request_case.stage == Stage.REQUESTED and request_case.events.count() == 1


def test_step_out_of_order_is_refused(request_case: Case, officer) -> None:
    with pytest.raises(ActionError, match="cannot issue a draft plan"):
        record_draft_plan(
            request_case,
            issued_on=D(2025, 3, 3),
            actor=officer,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )


def test_second_officer_with_stale_version_is_told_and_nothing_is_written(
    request_case: Case, officer, teammate
) -> None:
    opened_version = Case.objects.get(pk=request_case.pk).version
    record_decision_to_assess(
        request_case,
        decided_on=D(2025, 2, 10),
        outcome="assess",
        actor=officer,
        expected_version=opened_version,
        today=TODAY,
    )
    events_before = StatutoryEvent.objects.filter(case=request_case).count()
    with pytest.raises(StaleCase) as err:
        record_decision_to_assess(
            request_case,
            decided_on=D(2025, 2, 11),
            outcome="not_assess",
            actor=teammate,
            expected_version=opened_version,
            today=TODAY,
        )
    assert any("decision to assess" in change for change in err.value.changes)
    assert StatutoryEvent.objects.filter(case=request_case).count() == events_before


def test_exception_turns_missed_final_plan_into_exception(request_case: Case, officer) -> None:
    record_decision_to_assess(
        request_case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    record_exception(
        request_case,
        reason="absence_from_area",
        start=D(2025, 3, 1),
        end=D(2025, 4, 15),
        why="Family abroad for six weeks",
        actor=officer,
        today=TODAY,
    )
    record_draft_plan(
        request_case,
        issued_on=D(2025, 5, 20),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD",)),
    )
    place(request_case, actor=officer, today=TODAY)  # section I names its setting
    record_final_plan(
        request_case,
        issued_on=D(2025, 6, 10),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD",)),
    )
    assert stored(request_case)[("final_plan", "")][3] == "exception"


def test_missed_appointment_needs_an_advice_request(request_case: Case, officer) -> None:
    with pytest.raises(ActionError, match="only excuses advice"):
        record_exception(
            request_case,
            reason="missed_appointment",
            start=D(2025, 2, 1),
            end=D(2025, 2, 2),
            why="Did not attend",
            actor=officer,
            today=TODAY,
        )


def test_family_is_told_of_the_decision_through_notify(
    request_case: Case, officer, django_capture_on_commit_callbacks
) -> None:
    FamilyContact.objects.create(
        child=request_case.child,
        name="Sam Example",
        relationship="Mother",
        parental_responsibility=True,
        email="sam@example.org",
    )
    FamilyContact.objects.create(
        child=request_case.child,
        name="Jo Example",
        relationship="Father",
        parental_responsibility=True,
        preferred_contact="letter",
        address="1 High Street\nHereford\nHR1 1AA",
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_decision_to_assess(
            request_case,
            decided_on=D(2025, 2, 10),
            outcome="not_assess",
            actor=officer,
            today=TODAY,
            notify=True,  # the decision is back-dated: sent only because the officer asks
        )
    sent = {m.channel: m for m in NotifyMessage.objects.all()}
    assert set(sent) == {"email", "letter"}
    assert sent["email"].recipient == "sam@example.org"
    assert "on 10 February 2025" in sent["email"].personalisation["body"]
    assert sent["letter"].personalisation["address_line_1"] == "Jo Example"
    assert all(m.case_id == request_case.pk for m in sent.values())
    request_case.refresh_from_db()
    assert request_case.stage == Stage.NOT_ASSESSED
    assert stored(request_case)[("appeal_window", "2025-02-10")][1] == D(2025, 4, 10)


def test_recompute_is_idempotent_and_equals_from_scratch(request_case: Case, officer) -> None:
    record_decision_to_assess(
        request_case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    first = stored(request_case)
    recompute_deadlines(request_case, today=TODAY)
    assert stored(request_case) == first
    Deadline.objects.filter(case=request_case).delete()
    recompute_deadlines(request_case, today=TODAY)
    assert stored(request_case) == first
    assert {(d.key, d.instance) for d in compute_for_case(request_case, today=TODAY)} == set(first)


def test_daily_refresh_moves_open_deadline_to_overdue(child, officer) -> None:
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=2, actor=officer, today=D(2025, 1, 7)
    )
    assert stored(case)[("decision_to_assess", "")][3] == "open"
    assert refresh_all(today=D(2025, 2, 18)) == 1
    assert stored(case)[("decision_to_assess", "")][3] == "overdue"
    case.refresh_from_db()
    assert case.overdue_count >= 1


def test_deferred_deadlines_compute_once_at_the_end(
    child, officer, django_assert_max_num_queries
) -> None:
    with deferred_deadlines(today=TODAY):
        case = open_case_from_request(
            child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
        )
        assert not Deadline.objects.filter(case=case).exists()
    assert stored(case)[("decision_to_assess", "")][3] == "overdue"


def test_panel_cannot_sit_after_the_decision_it_made(request_case: Case, officer) -> None:
    with pytest.raises(ActionError) as err:
        record_decision_to_assess(
            request_case,
            decided_on=D(2025, 2, 10),
            panel_date=D(2025, 2, 11),
            outcome="assess",
            actor=officer,
            today=TODAY,
        )
    assert err.value.field == "panel_date"
    request_case.refresh_from_db()
    assert request_case.stage == Stage.REQUESTED
