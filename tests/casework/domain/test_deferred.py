"""Actions inside deferred_deadlines() within one transaction (the SEN2 import's mode): the same
rows and audit entries as one at a time, fewer queries, and a contradictory history still refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.deferred import HistoryContradiction
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import record_final_plan
from sendcase.casework.domain.reviews import record_review_meeting
from sendcase.casework.models import Case, Deadline
from sendcase.casework.scenarios import cease_by_the_route
from sendcase.core.models import AuditEntry

from .cases import row_counts

D = dt.date
TODAY = D(2025, 12, 1)


def _flow(child, officer) -> Case:
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    record_final_plan(
        case,
        issued_on=D(2025, 5, 1),
        needs=[("ASD", "")],
        notify=False,
        import_mode=True,
        actor=officer,
        today=TODAY,
    )
    record_review_meeting(case, meeting_on=D(2025, 11, 3), actor=officer, today=TODAY)
    return case


def _shape(case: Case) -> tuple[list[tuple], list[tuple], list[tuple], str, int]:
    case.refresh_from_db()
    events = list(case.events.values_list("type", "date", "data"))
    audits = list(
        AuditEntry.objects.filter(case=case)
        .order_by("id")
        .values_list("action", "object_type", "summary", "payload")
    )
    deadlines = list(
        Deadline.objects.filter(case=case).values_list("key", "instance", "due", "status")
    )
    return events, audits, deadlines, case.stage, case.version


def test_deferred_mode_writes_the_same_rows_and_audit_as_one_at_a_time(
    child, twin, officer, in_deferred_mode
) -> None:
    one_by_one = _flow(child, officer)
    expected = _shape(one_by_one)
    cease_by_the_route(one_by_one, cease_date=D(2025, 11, 4), reason=1, actor=officer, today=TODAY)
    with in_deferred_mode(TODAY):
        deferred = _flow(twin, officer)
    got = _shape(deferred)
    assert got[0] == expected[0]
    assert got[1] == expected[1]  # one audit entry per action, same order, same payloads
    assert got[2] == expected[2]
    assert got[3:] == expected[3:]
    assert deferred.reference != one_by_one.reference


def test_deferred_mode_uses_fewer_queries(child, twin, officer, in_deferred_mode) -> None:
    with CaptureQueriesContext(connection) as alone:
        case = _flow(child, officer)
    cease_by_the_route(case, cease_date=D(2025, 11, 4), reason=1, actor=officer, today=TODAY)
    with CaptureQueriesContext(connection) as batched:
        with in_deferred_mode(TODAY):
            _flow(twin, officer)
    assert len(batched) < len(alone) * 0.7, (len(batched), len(alone))


def test_a_contradiction_found_at_the_end_keeps_nothing_and_names_the_case(
    child, officer, in_deferred_mode
) -> None:
    # An exception for advice never requested: alone, the action refuses it at once...
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    with pytest.raises(ActionError, match="neither a deadline key nor a requested advice_id"):
        record_exception(
            case,
            reason="exceptional_personal_circumstances",
            start=D(2025, 3, 1),
            end=D(2025, 3, 20),
            why="Family away",
            applies_to="no-such-advice",
            actor=officer,
            today=TODAY,
        )
    # ...deferred, the whole history is checked when the block ends, and nothing is kept.
    other = child.__class__.objects.create(
        forename="Sam", surname="Other", date_of_birth=D(2015, 3, 1)
    )
    before = row_counts()
    with pytest.raises(HistoryContradiction) as raised:
        with in_deferred_mode(TODAY):
            late = open_case_from_request(
                other, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
            )
            record_decision_to_assess(
                late, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
            )
            record_exception(
                late,
                reason="exceptional_personal_circumstances",
                start=D(2025, 3, 1),
                end=D(2025, 3, 20),
                why="Family away",
                applies_to="no-such-advice",
                actor=officer,
                today=TODAY,
            )
    assert list(raised.value.problems) == [late.pk]
    assert "no-such-advice" in raised.value.problems[late.pk]
    after = row_counts()
    assert after == before


def test_a_failed_action_in_a_deferred_transaction_must_not_be_committed(
    child, officer, in_deferred_mode
) -> None:
    with pytest.raises(RuntimeError, match="roll the transaction back"):
        with in_deferred_mode(TODAY):
            case = open_case_from_request(
                child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
            )
            try:
                with transaction.atomic():
                    record_decision_to_assess(
                        case, decided_on=D(2024, 1, 1), outcome="assess", actor=officer, today=TODAY
                    )
            except ActionError:
                pass
    assert not Case.objects.exists()
