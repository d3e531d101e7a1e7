"""The write buffer of deferred_deadlines(buffered=True), which the SEN2 import runs in: the action
functions write exactly the rows they write one at a time, nothing reaches the database before a
flush, keys never collide with rows written meanwhile, and an undone request leaves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.deferred import HistoryContradiction, deferring
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.models import AssessmentRequest, Case, Child, Deadline, StatutoryEvent
from sendcase.casework.scenarios import cease_by_the_route
from sendcase.core.bulk import Table
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content
from sendcase.placements.models import Placement
from sendcase.plans.models import Need, Plan, PlanVersion
from sendcase.plans.queries import content_of
from sendcase.reviews.models import AnnualReview

from .cases import row_counts

D = dt.date
TODAY = D(2025, 12, 1)


def _whole_process(child: Child, officer: Any) -> Case:
    """Request to ceasing: advice, draft and final plan, a review that amends it, the amendment."""
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = open_case_from_request(child, received_on=D(2024, 1, 8), source=1, **kw)
    record_decision_to_assess(case, decided_on=D(2024, 2, 12), outcome="assess", **kw)
    record_advice_requested(
        case,
        kind="educational_psychology",
        provider="EP service",
        requested_on=D(2024, 2, 13),
        **kw,
    )
    record_advice_received(
        case, advice_id="educational_psychology-1", received_on=D(2024, 3, 20), **kw
    )
    record_draft_plan(case, issued_on=D(2024, 4, 15), content=lawful_content(("ASD", "SLCN")), **kw)
    # the placement section I names, written as an import writes it (in the buffer when there is
    # one: record_placement works on stored cases only)
    buffer.create(
        Placement,
        plan=kernel.plan_for(case),
        sen_setting="OTH",
        entry_date=D(2024, 1, 8),
        setting_type="other",
    )
    record_final_plan(
        case,
        issued_on=D(2024, 5, 13),
        **kw,
        content=lawful_content(("ASD", "SLCN")),
    )
    record_review_meeting(case, meeting_on=D(2025, 4, 28), **kw)
    record_review_decision(case, decided_on=D(2025, 5, 6), outcome="amend", **kw)
    # the amendments' content given (a buffered version holds only its needs to start from)
    amended = lawful_content(("ASD", "SLCN"))
    record_amendment_notice(case, issued_on=D(2025, 5, 12), content=amended, **kw)
    record_final_amended_plan(case, issued_on=D(2025, 6, 9), content=amended, **kw)
    cease_by_the_route(case, cease_date=D(2025, 10, 31), reason=2, **kw)
    return case


def _rows(case: Case) -> dict[str, Any]:
    """Everything the actions stored for a case, without keys, references and timestamps."""
    case = Case.objects.get(pk=case.pk)
    plan = Plan.objects.get(case=case)
    return {
        "case": (
            case.stage,
            case.version,
            case.closed_on,
            case.next_due,
            case.next_key,
            case.overdue_count,
            case.deadlines_digest,
        ),
        "request": AssessmentRequest.objects.filter(case=case).values(
            "received_on", "source", "decision", "decision_on", "not_to_issue_on", "withdrawn_on"
        )[0],
        "advice": list(
            case.advice_requests.values_list("advice_id", "requested_on", "received_on")
        ),
        "events": list(case.events.order_by("date", "id").values_list("type", "date", "data")),
        "deadlines": sorted(
            Deadline.objects.filter(case=case).values_list(
                "key", "instance", "trigger", "due", "completed_on", "status", "explanation"
            )
        ),
        "plan": (
            plan.status,
            plan.draft_issued_on,
            plan.first_issued_on,
            plan.primary_need,
            plan.cease_date,
            plan.cease_reason,
        ),
        "versions": list(
            PlanVersion.objects.filter(plan=plan)
            .order_by("number")
            .values_list("number", "kind", "issued_on", "sections")
        ),
        # sections A to K as structured content (views, outcomes, provision, setting, advice): an
        # amendment made without the editor carries the previous version's forward
        "content": [
            (v.number, content_of(v), v.quality_failures)
            for v in PlanVersion.objects.filter(plan=plan).order_by("number")
        ],
        "needs": list(
            Need.objects.filter(version__plan=plan)
            .order_by("version__number", "rank")
            .values_list("version__number", "rank", "code", "description")
        ),
        "reviews": list(
            AnnualReview.objects.filter(plan=plan)
            .order_by("id")
            .values_list(
                "due_on",
                "meeting_on",
                "decision",
                "decision_on",
                "amendment_notice_on",
                "final_amended_on",
            )
        ),
        "audit": list(
            AuditEntry.objects.filter(case=case)
            .order_by("id")
            .values_list("action", "object_type", "summary", "payload")
        ),
    }


def test_buffered_actions_store_what_they_store_one_at_a_time(
    child, twin, officer, in_buffered_mode
) -> None:
    expected = _rows(_whole_process(child, officer))
    with in_buffered_mode(TODAY):
        buffered = _whole_process(twin, officer)
        assert not Case.objects.filter(pk=buffered.pk).exists()  # nothing written yet
    got = _rows(buffered)
    for part in (
        "events",
        "deadlines",
        "plan",
        "versions",
        "needs",
        "content",
        "reviews",
        "audit",
        "case",
    ):
        assert got[part] == expected[part], part
    assert all(c.outcomes and c.provision and c.child_views for _, c, _ in got["content"])
    assert len(expected["events"]) >= 10 and len(expected["deadlines"]) >= 10


def test_a_flush_writes_the_rows_and_later_actions_read_them_back(
    child, officer, in_buffered_mode
) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    with in_buffered_mode(TODAY):
        case = open_case_from_request(child, received_on=D(2025, 1, 6), source=1, **kw)
        state = deferring()
        assert state is not None and state.buffer is not None
        assert buffer.is_buffered(case)
        state.flush()
        assert not buffer.is_buffered(case)
        stored = Case.objects.get(pk=case.pk)
        assert stored.next_key == "decision_to_assess"  # its deadlines were written with it
        opened = stored.version
        assert Deadline.objects.filter(case=case).exists()
        # the case is now read (and locked) from the database again, and saved there at once;
        # the new event is a new row, so it waits in the buffer
        record_decision_to_assess(case, decided_on=D(2025, 2, 3), outcome="assess", **kw)
        assert Case.objects.get(pk=case.pk).stage == "assessing"
        assert not StatutoryEvent.objects.filter(case=case, type="decision_to_assess").exists()
    stored = Case.objects.get(pk=case.pk)
    assert stored.stage == "assessing" and stored.version == opened + 1
    assert list(stored.events.values_list("type", flat=True)) == [
        "request_received",
        "decision_to_assess",
    ]
    assert "decision_to_assess" not in set(
        Deadline.objects.filter(case=case, status__in=("open", "due_soon", "overdue")).values_list(
            "key", flat=True
        )
    )


def test_keys_given_out_never_collide_with_rows_written_meanwhile(db, in_buffered_mode) -> None:
    with in_buffered_mode():
        waiting = buffer.create(Child, forename="A", surname="B", date_of_birth=D(2015, 1, 1))
        written = Child.objects.create(forename="C", surname="D", date_of_birth=D(2015, 1, 1))
        assert waiting.pk != written.pk
    assert set(Child.objects.values_list("forename", flat=True)) == {"A", "C"}
    later = Child.objects.create(forename="E", surname="F", date_of_birth=D(2015, 1, 1))
    assert later.pk not in (waiting.pk, written.pk)


def test_rolling_back_to_a_mark_drops_the_rows_and_their_links(
    child, officer, in_buffered_mode
) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    other = Child.objects.create(forename="Sam", surname="Other", date_of_birth=D(2015, 3, 1))
    with in_buffered_mode(TODAY):
        state = deferring()
        assert state is not None and state.buffer is not None
        kept = open_case_from_request(other, received_on=D(2025, 1, 6), source=1, **kw)
        mark, audits = state.buffer.mark(), len(state.audits)
        dropped = open_case_from_request(child, received_on=D(2025, 1, 6), source=1, **kw)
        record_decision_to_assess(dropped, decided_on=D(2025, 2, 3), outcome="assess", **kw)
        state.buffer.rollback_to(mark)
        del state.audits[audits:]
        state.pending.pop(dropped.pk, None)
        assert not buffer.related(child, Case, "child")  # the child has no open case now
        again = open_case_from_request(child, received_on=D(2025, 3, 3), source=1, **kw)
    assert set(Case.objects.values_list("pk", flat=True)) == {kept.pk, again.pk}
    assert not StatutoryEvent.objects.filter(case_id=dropped.pk).exists()
    assert not AuditEntry.objects.filter(case_id=dropped.pk).exists()
    assert AssessmentRequest.objects.get(case=again).received_on == D(2025, 3, 3)


def test_a_buffered_history_the_clock_refuses_keeps_nothing(
    child, officer, in_buffered_mode
) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    before = row_counts()
    with pytest.raises(HistoryContradiction) as raised:
        with in_buffered_mode(TODAY):
            case = open_case_from_request(child, received_on=D(2025, 1, 6), source=1, **kw)
            record_decision_to_assess(case, decided_on=D(2025, 2, 10), outcome="assess", **kw)
            record_exception(
                case,
                reason="exceptional_personal_circumstances",
                start=D(2025, 3, 1),
                end=D(2025, 3, 20),
                why="Family away",
                applies_to="no-such-advice",
                **kw,
            )
    assert list(raised.value.problems) == [case.pk]
    assert "no-such-advice" in raised.value.problems[case.pk]
    after = row_counts()
    assert after == before


def test_a_bulk_write_the_database_refuses_is_a_database_error(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Table(AuditEntry, timezone.now()).write([{"action": "view", "object_type": None}])
