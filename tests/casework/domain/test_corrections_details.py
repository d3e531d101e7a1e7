"""Correcting a step's details, not only its date (issue 12, item 2): an exception's reason,
start and end; a review decision's outcome; a phase transfer's kind; an advice request's kind.
The log keeps the original; the clock, the mirrored records and the audit read the correction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain.assessment import (
    record_advice_requested,
    record_exception,
)
from sendcase.casework.domain.corrections import correct_step
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.phase_and_cease import record_phase_transfer
from sendcase.casework.domain.reviews import record_review_decision, record_review_meeting
from sendcase.casework.models import (
    AdviceRequest,
    Case,
    StatutoryEvent,
    TimeLimitException,
)
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.reviews.models import AnnualReview, PhaseTransfer
from sendcase.statutory.rules import period_end

from .cases import assessed_case

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 10, 1)


@pytest.fixture
def assessing(child: Any, officer: Any) -> Case:
    return assessed_case(
        child, officer, received_on=D(2025, 6, 2), decided_on=D(2025, 7, 7), today=TODAY
    )


def _one(case: Case, type_: str) -> StatutoryEvent:
    return StatutoryEvent.objects.get(case=case, type=type_)


def test_an_exceptions_reason_start_and_end_are_corrected(assessing: Case, officer: Any) -> None:
    record_exception(
        assessing,
        reason="absence_from_area",
        start=D(2025, 8, 1),
        end=D(2025, 8, 10),
        why="Away",
        actor=officer,
        today=TODAY,
    )
    original = _one(assessing, "exception")
    fixed = correct_step(
        assessing,
        event_id=original.pk,
        date=None,
        details={
            "exception_reason": "exceptional_personal_circumstances",
            "start": D(2025, 8, 4),
            "end": D(2025, 8, 31),
        },
        reason="Dates from the family's letter",
        actor=officer,
        today=TODAY,
    )
    assert fixed.date == D(2025, 8, 4)  # an exception's date is its start
    assert fixed.data == {
        "reason": "exceptional_personal_circumstances",
        "start": "2025-08-04",
        "end": "2025-08-31",
    }
    row = TimeLimitException.objects.get(case=assessing)
    assert (row.reason, row.start, row.end) == (
        "exceptional_personal_circumstances",
        D(2025, 8, 4),
        D(2025, 8, 31),
    )
    assert StatutoryEvent.log.get(pk=original.pk).data["end"] == "2025-08-10"
    # The clock reads the corrected exception.
    explained = assessing.deadlines.get(key="final_plan").explanation
    assert "exceptional personal circumstances" in explained and "31 August 2025" in explained
    with pytest.raises(ActionError) as refused:
        correct_step(
            assessing,
            event_id=fixed.pk,
            date=None,
            details={"start": D(2025, 9, 1), "end": D(2025, 8, 1)},
            reason="r",
            actor=officer,
            today=TODAY,
        )
    assert refused.value.field == "end"


def test_an_advice_requests_kind_is_corrected(assessing: Case, officer: Any) -> None:
    record_advice_requested(
        assessing,
        kind="health",
        provider="Paediatrics",
        requested_on=D(2025, 7, 14),
        actor=officer,
        today=TODAY,
    )
    fixed = correct_step(
        assessing,
        event_id=_one(assessing, "advice_requested").pk,
        date=None,
        details={"kind": "social_care"},
        reason="It went to social care",
        actor=officer,
        today=TODAY,
    )
    assert fixed.data["kind"] == "social_care" and fixed.date == D(2025, 7, 14)
    assert AdviceRequest.objects.get(case=assessing).kind == "social_care"
    entry = AuditEntry.objects.filter(case=assessing).latest("pk")
    assert entry.payload["details"]["from"]["kind"] == "health"
    assert "It went to social care" in entry.summary


def test_a_review_decisions_outcome_is_corrected_and_its_notice_follows(officer: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=70)
    meeting = case.plan.first_issued_on + dt.timedelta(days=300)
    record_review_meeting(case, meeting_on=meeting, actor=officer)
    decided = meeting + dt.timedelta(days=10)
    record_review_decision(
        case, decided_on=decided, outcome="maintain", actor=officer, notify=False
    )
    case = Case.objects.get(pk=case.pk)
    assert case.events.filter(type="decision_notice", date=decided).exists()
    after = case.deadlines.filter(key="final_amended_plan_after_review", trigger=meeting)
    assert after.get().status == "not_applicable"
    fixed = correct_step(
        case,
        event_id=_one(case, "review_decision").pk,
        date=None,
        details={"outcome": "amend"},
        reason="The meeting agreed amendments",
        actor=officer,
    )
    assert fixed.data["outcome"] == "amend"
    assert AnnualReview.objects.get(plan__case=case, decision_on=decided).decision == "amend"
    # A decision to amend is appealed through the amended plan: no notice that day now, and the
    # clock now expects the proposed amendments.
    assert not case.events.filter(type="decision_notice", date=decided).exists()
    assert after.get().status != "not_applicable"
    back = correct_step(
        case,
        event_id=fixed.pk,
        date=None,
        details={"outcome": "maintain"},
        reason="Misread the minutes",
        actor=officer,
    )
    assert back.data["outcome"] == "maintain"
    assert case.events.filter(type="decision_notice", date=decided).exists()
    with pytest.raises(ActionError, match="ceasing route"):
        correct_step(
            case,
            event_id=back.pk,
            date=None,
            details={"outcome": "cease"},
            reason="r",
            actor=officer,
        )


def test_a_phase_transfers_kind_is_corrected_with_its_due_date(officer: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    on = D(timezone_year() + 1, 9, 1)
    record_phase_transfer(case, transfer_date=on, kind="school", actor=officer)
    correct_step(
        case,
        event_id=_one(case, "phase_transfer").pk,
        date=None,
        details={"kind": "post16"},
        reason="Year 11 leaving school",
        actor=officer,
    )
    transfer = PhaseTransfer.objects.get(plan__case=case)
    assert (transfer.kind, transfer.due_on) == ("post16", period_end("post16_transfer", on))
    assert _one(case, "phase_transfer").data["kind"] == "post16"


def test_an_unchanged_correction_is_refused(assessing: Case, officer: Any) -> None:
    record_advice_requested(
        assessing,
        kind="health",
        provider="Paediatrics",
        requested_on=D(2025, 7, 14),
        actor=officer,
        today=TODAY,
    )
    with pytest.raises(ActionError, match="unchanged"):
        correct_step(
            assessing,
            event_id=_one(assessing, "advice_requested").pk,
            date=D(2025, 7, 14),
            details={"kind": "health"},
            reason="r",
            actor=officer,
            today=TODAY,
        )


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
