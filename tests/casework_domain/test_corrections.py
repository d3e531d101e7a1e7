"""Correcting and striking out recorded steps, withdrawing a request, closing a case (issue 12,
item 2). The log keeps the original; the clock, the queue, the records and SEN2 read the
corrected history; the audit log says who and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain.assessment import (
    close_case,
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_to_assess,
    record_withdrawal,
)
from sendcase.casework.domain.corrections import correct_step, strike_out_step
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import (
    record_review_invitations_sent,
    record_review_meeting,
    record_review_report,
)
from sendcase.casework.models import AdviceRequest, Case, Deadline, Stage, StatutoryEvent
from sendcase.casework.queries import QueueFilters, filtered_cases
from sendcase.casework.scenarios import place
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content
from sendcase.plans.models import PlanVersion
from sendcase.returns.exporter import request_record
from sendcase.returns.periods import Collection
from sendcase.reviews.models import AnnualReview


def _draft() -> Any:
    """Lawful content for a draft plan (plans.checks refuses an empty one)."""
    return lawful_content(("ASD",))


def _final() -> Any:
    """Lawful content for a final plan (section I: the current placement's setting)."""
    return lawful_content(("ASD",))


D = dt.date
TODAY = D(2025, 10, 1)


def _event(case: Case, type_: str) -> StatutoryEvent:
    return StatutoryEvent.objects.get(case=case, type=type_)


def _deadline(case: Case, key: str) -> Deadline:
    return Deadline.objects.get(case=case, key=key)


@pytest.fixture
def assessing(child: Any, officer: Any) -> Case:
    case = open_case_from_request(
        child, received_on=D(2024, 9, 2), source=1, actor=officer, officer=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2024, 10, 7), outcome="assess", actor=officer, today=TODAY
    )
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def planned(assessing: Case, officer: Any) -> Case:
    record_draft_plan(
        assessing, issued_on=D(2024, 12, 2), actor=officer, today=TODAY, content=_draft()
    )
    place(assessing, actor=officer, today=TODAY)  # section I names its setting
    record_final_plan(
        assessing, issued_on=D(2025, 1, 13), actor=officer, today=TODAY, content=_final()
    )
    return Case.objects.get(pk=assessing.pk)


def test_correcting_a_meeting_keeps_the_original_and_moves_everything_that_follows(
    planned: Case, officer: Any
) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    original = _event(planned, "review_meeting")
    report_due = _deadline(planned, "review_report").due
    fixed = correct_step(
        planned,
        event_id=original.pk,
        date=D(2025, 9, 8),
        reason="Typed the wrong week",
        actor=officer,
        today=TODAY,
    )
    # The log keeps both rows; the effective history has only the correction.
    assert StatutoryEvent.log.filter(case=planned, type="review_meeting").count() == 2
    assert StatutoryEvent.log.get(pk=original.pk).date == D(2025, 9, 1)
    assert list(planned.events.filter(type="review_meeting")) == [fixed]
    assert fixed.corrects_id == original.pk and fixed.reason == "Typed the wrong week"
    # The record that mirrors it, and the clock, follow the corrected date.
    assert AnnualReview.objects.get(plan__case=planned).meeting_on == D(2025, 9, 8)
    assert _deadline(planned, "review_report").due == report_due + dt.timedelta(days=7)
    entry = AuditEntry.objects.filter(case=planned).latest("pk")
    assert entry.actor == officer and "Typed the wrong week" in entry.summary
    assert entry.payload["corrects"] == original.pk and entry.payload["reason"]


def test_a_correction_can_itself_be_corrected(planned: Case, officer: Any) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    first = correct_step(
        planned,
        event_id=_event(planned, "review_meeting").pk,
        date=D(2025, 9, 8),
        reason="Wrong week",
        actor=officer,
        today=TODAY,
    )
    second = correct_step(
        planned,
        event_id=first.pk,
        date=D(2025, 9, 9),
        reason="Wrong day",
        actor=officer,
        today=TODAY,
    )
    assert list(planned.events.filter(type="review_meeting")) == [second]
    assert AnnualReview.objects.get(plan__case=planned).meeting_on == D(2025, 9, 9)


def test_striking_out_invitations_reopens_their_deadline(planned: Case, officer: Any) -> None:
    record_review_invitations_sent(planned, sent_on=D(2025, 8, 11), actor=officer, today=TODAY)
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    assert _deadline(planned, "review_meeting_notice").status == "met"
    overdue = Case.objects.get(pk=planned.pk).overdue_count
    strike_out_step(
        planned,
        event_id=_event(planned, "review_invitations_sent").pk,
        reason="Recorded on the wrong child",
        actor=officer,
        today=TODAY,
    )
    assert _deadline(planned, "review_meeting_notice").status == "overdue"
    assert Case.objects.get(pk=planned.pk).overdue_count == overdue + 1
    assert AnnualReview.objects.get(plan__case=planned).invitations_sent_on is None
    assert StatutoryEvent.log.filter(case=planned, type="review_invitations_sent").count() == 2
    assert not planned.events.filter(type="review_invitations_sent").exists()


def test_correcting_advice_received_moves_the_advice_request(assessing: Case, officer: Any) -> None:
    record_advice_requested(
        assessing,
        kind="health",
        provider="Paediatrics",
        requested_on=D(2024, 10, 14),
        advice_id="h",
        actor=officer,
        today=TODAY,
    )
    record_advice_received(
        assessing, advice_id="h", received_on=D(2024, 12, 20), actor=officer, today=TODAY
    )
    assert _deadline(assessing, "advice_due").status == "missed"
    correct_step(
        assessing,
        event_id=_event(assessing, "advice_received").pk,
        date=D(2024, 11, 8),
        reason="Date stamp on the letter",
        actor=officer,
        today=TODAY,
    )
    assert AdviceRequest.objects.get(case=assessing).received_on == D(2024, 11, 8)
    row = _deadline(assessing, "advice_due")
    assert (row.completed_on, row.status) == (D(2024, 11, 8), "met")


def test_correcting_the_final_plan_moves_the_plan_its_review_and_its_notice(
    planned: Case, officer: Any
) -> None:
    final = _event(planned, "final_issued")
    correct_step(
        planned,
        event_id=final.pk,
        date=D(2025, 1, 20),
        reason="Issued a week later",
        actor=officer,
        today=TODAY,
    )
    planned = Case.objects.get(pk=planned.pk)
    assert planned.plan.first_issued_on == D(2025, 1, 20)
    assert PlanVersion.objects.get(plan=planned.plan, kind="final").issued_on == D(2025, 1, 20)
    assert AnnualReview.objects.get(plan=planned.plan).due_on == D(2026, 1, 20)
    assert list(planned.events.filter(type="decision_notice").values_list("date", flat=True)) == [
        D(2025, 1, 20)
    ]
    # SEN2 reads the corrected date.
    rec = request_record(planned, Collection(2026))
    assert rec is not None and rec.assessment is not None
    assert rec.assessment.assessment_outcome_date == D(2025, 1, 20)


def test_a_correction_that_contradicts_the_history_is_refused_and_keeps_nothing(
    planned: Case, officer: Any
) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    record_review_report(planned, sent_on=D(2025, 9, 10), actor=officer, today=TODAY)
    rows = StatutoryEvent.log.count()
    with pytest.raises(ActionError):
        correct_step(
            planned,
            event_id=_event(planned, "review_meeting").pk,
            date=D(2025, 9, 20),
            reason="Later",
            actor=officer,
            today=TODAY,
        )
    assert StatutoryEvent.log.count() == rows
    assert AnnualReview.objects.get(plan__case=planned).meeting_on == D(2025, 9, 1)


def test_only_the_recorder_or_a_manager_may_correct(
    planned: Case, officer: Any, teammate: Any, manager: Any, head: Any
) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    event = _event(planned, "review_meeting")
    with pytest.raises(ActionError, match="Only the person who recorded this step, or a manager"):
        correct_step(
            planned, event_id=event.pk, date=D(2025, 9, 2), reason="x", actor=teammate, today=TODAY
        )
    fixed = correct_step(
        planned,
        event_id=event.pk,
        date=D(2025, 9, 2),
        reason="Manager fix",
        actor=manager,
        today=TODAY,
    )
    strike_out_step(planned, event_id=fixed.pk, reason="Never held", actor=head, today=TODAY)
    assert not planned.events.filter(type="review_meeting").exists()
    assert AnnualReview.objects.get(plan__case=planned).meeting_on is None


def test_a_reason_is_required(planned: Case, officer: Any) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    with pytest.raises(ActionError, match="Enter why the step is being struck out"):
        strike_out_step(
            planned,
            event_id=_event(planned, "review_meeting").pk,
            reason="  ",
            actor=officer,
            today=TODAY,
        )


def test_a_step_that_moved_the_case_on_cannot_be_struck_out(planned: Case, officer: Any) -> None:
    with pytest.raises(ActionError, match="cannot be struck out: it moved the case on"):
        strike_out_step(
            planned,
            event_id=_event(planned, "final_issued").pk,
            reason="Wrong",
            actor=officer,
            today=TODAY,
        )


def test_a_stale_event_is_refused_in_plain_words(planned: Case, officer: Any) -> None:
    record_review_meeting(planned, meeting_on=D(2025, 9, 1), actor=officer, today=TODAY)
    event = _event(planned, "review_meeting")
    correct_step(
        planned, event_id=event.pk, date=D(2025, 9, 2), reason="Fix", actor=officer, today=TODAY
    )
    with pytest.raises(ActionError, match="has been corrected or struck out"):
        strike_out_step(planned, event_id=event.pk, reason="Again", actor=officer, today=TODAY)


def test_withdrawing_a_request_needs_a_reason_and_returns_w(assessing: Case, officer: Any) -> None:
    with pytest.raises(ActionError, match="Enter why the request was withdrawn"):
        record_withdrawal(assessing, withdrawn_on=D(2024, 11, 1), actor=officer, today=TODAY)
    record_withdrawal(
        assessing,
        withdrawn_on=D(2024, 11, 1),
        reason="Family moved to Wales",
        actor=officer,
        today=TODAY,
    )
    case = Case.objects.get(pk=assessing.pk)
    assert (case.stage, case.closed_on, case.closed_reason) == (
        Stage.WITHDRAWN,
        D(2024, 11, 1),
        "Family moved to Wales",
    )
    rec = request_record(case, Collection(2025))
    assert rec is not None and rec.assessment is not None
    assert rec.assessment.assessment_outcome == "W"
    assert "Family moved to Wales" in AuditEntry.objects.filter(case=case).latest("pk").summary


def test_closing_a_case_with_a_reason(assessing: Case, officer: Any) -> None:
    close_case(
        assessing,
        closed_on=D(2024, 11, 4),
        why="opened_in_error",
        details="Same child as EHC-24-00003",
        actor=officer,
        today=TODAY,
    )
    case = Case.objects.get(pk=assessing.pk)
    assert case.stage == Stage.WITHDRAWN and not case.is_open
    assert case.closed_reason == "Opened in error or a duplicate: Same child as EHC-24-00003"
    assert case not in filtered_cases(officer, QueueFilters())  # off the work queue


def test_a_plan_is_not_closed_but_ceased(planned: Case, officer: Any) -> None:
    with pytest.raises(ActionError, match="ends only when the council decides to cease it"):
        close_case(
            planned,
            closed_on=D(2025, 2, 1),
            why="moved_away",
            details="",
            actor=officer,
            today=TODAY,
        )


def test_the_reports_count_the_corrected_date(child: Any, officer: Any) -> None:
    """A decision typed as day 50 (late) and corrected to day 30 (on time) counts as on time."""
    from sendcase.reporting.domain import measures
    from sendcase.reporting.domain.periods import year

    received = D(2024, 3, 4)
    case = open_case_from_request(
        child, received_on=received, source=1, actor=officer, officer=officer, today=TODAY
    )
    record_decision_to_assess(
        case,
        decided_on=received + dt.timedelta(days=50),
        outcome="assess",
        actor=officer,
        today=TODAY,
    )
    within = "request_decisions_within_6_weeks"
    assert measures.measure(within, year("calendar", 2024)).numerator == 0
    correct_step(
        case,
        event_id=_event(case, "decision_to_assess").pk,
        date=received + dt.timedelta(days=30),
        reason="The decision letter is dated earlier",
        actor=officer,
        today=TODAY,
    )
    assert measures.measure(within, year("calendar", 2024)).numerator == 1
    assert _deadline(case, "decision_to_assess").status == "met"
