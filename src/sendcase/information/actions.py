"""Every change to an FOI request, a complaint or a subject access request: one named action
each, inside a transaction, with its audit entry. Due dates come from the statutory clock
(the council's calendar and local targets) and are stored on the row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model

from sendcase import statutory
from sendcase.casework.domain.deadlines import council_calendar, council_config
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.kernel import local_today, not_before, not_future
from sendcase.casework.models import Case, Child
from sendcase.core.actors import Actor
from sendcase.core.audit import audit
from sendcase.information.disclosure import ProtectedTable
from sendcase.information.models import Complaint, FoiRequest, SubjectAccessRequest
from sendcase.statutory.dates import format_date


def clock_due(events: Sequence[tuple[str, dt.date, dict[str, Any]]], key: str) -> dt.date:
    """The due date the statutory clock gives the (last) deadline of `key` for these events."""
    evs = [statutory.Event(t, d, data) for t, d, data in events]
    rows = statutory.compute_deadlines(evs, events[0][1], council_calendar(), council_config())
    due = [r.due for r in rows if r.key == key and r.due is not None]
    if not due:
        raise ActionError(f"The clock gave no {key} deadline: is its local target switched off?")
    return max(due)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (the day received is day 0)."""
    cal = council_calendar()
    days, cur = 0, start
    while cur < end:
        cur += dt.timedelta(days=1)
        if cal.is_working_day(cur):
            days += 1
    return days


def _reference(model: type[Model], prefix: str, on: dt.date) -> str:
    stem = f"{prefix}-{on.year}-"
    taken = model.objects.filter(reference__startswith=stem).count()  # type: ignore[attr-defined]
    return f"{stem}{taken + 1:04d}"


def _dated(d: dt.date, what: str, field: str, today: dt.date | None) -> None:
    not_future(d, what, local_today(today), field)


# --- Freedom of information ------------------------------------------------------------------


@transaction.atomic
def log_foi(
    *,
    requester: str,
    received_on: dt.date,
    question: str,
    actor: Actor,
    today: dt.date | None = None,
) -> FoiRequest:
    """Log a request: its 20 working days (FOIA s10(1)) from the clock."""
    _dated(received_on, "The date the request was received", "received_on", today)
    reference = _reference(FoiRequest, "FOI", received_on)
    due = clock_due([("foi_received", received_on, {"request_id": reference})], "foi_request")
    foi = FoiRequest.objects.create(
        reference=reference,
        requester=requester,
        received_on=received_on,
        question=question,
        due_on=due,
    )
    audit(actor, "create", foi, f"Logged FOI request {reference}, due {format_date(due)}")
    return foi


@transaction.atomic
def assign_foi(foi: FoiRequest, *, to: Any, actor: Actor) -> FoiRequest:
    foi.assigned_to = to
    foi.save(update_fields=["assigned_to"])
    audit(actor, "update", foi, f"Assigned FOI request {foi.reference} to {to}")
    return foi


@transaction.atomic
def answer_foi(
    foi: FoiRequest,
    *,
    responded_on: dt.date,
    answer: str,
    table: ProtectedTable | None,
    asked: dict[str, Any] | None = None,
    actor: Actor,
    today: dt.date | None = None,
) -> FoiRequest:
    """Record the answer sent: the text, and the table as published (after disclosure control;
    the hidden counts are not kept). The response time is measured in working days."""
    if foi.status != FoiRequest.Status.OPEN:
        raise ActionError("This request has already been answered or withdrawn.")
    _dated(responded_on, "The date the answer was sent", "responded_on", today)
    not_before(responded_on, foi.received_on, "The date the answer was sent", "the date the request was received", "responded_on")  # fmt: skip
    foi.status = FoiRequest.Status.ANSWERED
    foi.responded_on = responded_on
    foi.working_days_taken = working_days_between(foi.received_on, responded_on)
    foi.answer = answer
    foi.table = published(table, asked) if table is not None else {}
    foi.save()
    audit(
        actor,
        "foi_answered",
        foi,
        f"Answered FOI request {foi.reference} in {foi.working_days_taken} working days",
        payload={"working_days": foi.working_days_taken, "on_time": foi.on_time},
    )
    return foi


def published(table: ProtectedTable, asked: dict[str, Any] | None) -> dict[str, Any]:
    """What may be kept of a protected table: labels and shown text only, never a hidden count."""
    labels = [*table.row_labels, "Total"]
    return {
        "asked": asked or {},
        "columns": list(table.column_labels),
        "body": [
            [label, *(c.shown for c in row)]
            for label, row in zip(labels, table.grid(), strict=True)
        ],
        "withheld": table.withheld,
    }


# --- Complaints --------------------------------------------------------------------------------


def _complaint_due(c: Complaint, stage: int) -> dt.date:
    events: list[tuple[str, dt.date, dict[str, Any]]] = [
        ("complaint_received", c.received_on, {"complaint_id": c.reference})
    ]
    key = "complaint_stage_1"
    if stage == 2 and c.escalated_on is not None:
        events.append(
            (
                "complaint_responded",
                c.stage_1_responded_on or c.escalated_on,
                {"complaint_id": c.reference, "stage": 1},
            )
        )
        events.append(("complaint_escalated", c.escalated_on, {"complaint_id": c.reference}))
        key = "complaint_stage_2"
    return clock_due(events, key)


@transaction.atomic
def log_complaint(
    case: Case,
    *,
    complainant: str,
    summary: str,
    received_on: dt.date,
    actor: Actor,
    today: dt.date | None = None,
) -> Complaint:
    """A stage 1 complaint about a case, due by the council's local target."""
    _dated(received_on, "The date the complaint was received", "received_on", today)
    c = Complaint(
        reference=_reference(Complaint, "CMP", received_on),
        case=case,
        complainant=complainant,
        summary=summary,
        received_on=received_on,
    )
    c.stage_1_due = _complaint_due(c, 1)
    c.save()
    audit(actor, "create", c, f"Logged complaint {c.reference} (stage 1)", case=case)
    return c


@transaction.atomic
def respond_to_complaint(
    c: Complaint, *, responded_on: dt.date, outcome: str, actor: Actor, today: dt.date | None = None
) -> Complaint:
    """The council's response at the complaint's current stage; the stage stays open for
    escalation (stage 1) or referral to the Ombudsman."""
    if outcome not in Complaint.Outcome.values:
        raise ActionError("Select the outcome", field="outcome")
    _dated(responded_on, "The date of the response", "responded_on", today)
    if c.stage == Complaint.Stage.STAGE_1 and c.stage_1_responded_on is None:
        not_before(responded_on, c.received_on, "The date of the response", "the date the complaint was received", "responded_on")  # fmt: skip
        c.stage_1_responded_on, c.stage_1_outcome, stage = responded_on, outcome, 1
    elif c.stage == Complaint.Stage.STAGE_2 and c.stage_2_responded_on is None:
        not_before(responded_on, c.escalated_on, "The date of the response", "the date the complaint was escalated", "responded_on")  # fmt: skip
        c.stage_2_responded_on, c.stage_2_outcome, stage = responded_on, outcome, 2
    else:
        raise ActionError("This stage of the complaint has already had its response.")
    c.save()
    audit(actor, "update", c, f"Stage {stage} response to complaint {c.reference}: {c.get_stage_1_outcome_display() if stage == 1 else c.get_stage_2_outcome_display()}", case=c.case)  # fmt: skip
    return c


@transaction.atomic
def escalate_complaint(
    c: Complaint, *, escalated_on: dt.date, actor: Actor, today: dt.date | None = None
) -> Complaint:
    if c.stage != Complaint.Stage.STAGE_1:
        raise ActionError("Only a stage 1 complaint can go to stage 2.")
    _dated(escalated_on, "The date the complaint was escalated", "escalated_on", today)
    not_before(escalated_on, c.received_on, "The date the complaint was escalated", "the date it was received", "escalated_on")  # fmt: skip
    c.escalated_on = escalated_on
    c.stage = Complaint.Stage.STAGE_2
    c.stage_2_due = _complaint_due(c, 2)
    c.save()
    audit(actor, "update", c, f"Complaint {c.reference} escalated to stage 2", case=c.case)
    return c


@transaction.atomic
def refer_to_ombudsman(
    c: Complaint,
    *,
    referred_on: dt.date,
    reference: str,
    actor: Actor,
    today: dt.date | None = None,
) -> Complaint:
    """The family took the complaint to the Local Government and Social Care Ombudsman."""
    _dated(referred_on, "The date of the referral", "referred_on", today)
    not_before(referred_on, c.received_on, "The date of the referral", "the date the complaint was received", "referred_on")  # fmt: skip
    c.ombudsman_referred_on = referred_on
    c.ombudsman_reference = reference
    c.stage = Complaint.Stage.CLOSED
    c.save()
    audit(actor, "update", c, f"Complaint {c.reference} referred to the Ombudsman", case=c.case)
    return c


# --- Subject access ----------------------------------------------------------------------------


def _sar_due(sar: SubjectAccessRequest) -> dt.date | None:
    start = sar.clock_starts
    if start is None:
        return None
    ident = {"request_id": sar.reference}
    events: list[tuple[str, dt.date, dict[str, Any]]] = [("sar_received", start, ident)]
    if sar.extended_on is not None:
        events.append(("sar_extended", sar.extended_on, ident))
    return clock_due(events, "subject_access_request")


@transaction.atomic
def log_sar(
    child: Child,
    *,
    requester: str,
    relationship: str,
    received_on: dt.date,
    actor: Actor,
    today: dt.date | None = None,
) -> SubjectAccessRequest:
    """Log a request for the child's record. The month starts once identity is verified."""
    _dated(received_on, "The date the request was received", "received_on", today)
    sar = SubjectAccessRequest.objects.create(
        reference=_reference(SubjectAccessRequest, "SAR", received_on),
        child=child,
        requester=requester,
        relationship=relationship,
        received_on=received_on,
    )
    audit(actor, "create", sar, f"Logged subject access request {sar.reference}")
    return sar


@transaction.atomic
def verify_sar_identity(
    sar: SubjectAccessRequest,
    *,
    verified_on: dt.date,
    evidence: str,
    actor: Actor,
    today: dt.date | None = None,
) -> SubjectAccessRequest:
    """Identity checked: the month runs from receipt, or from this day if it is later."""
    _dated(verified_on, "The date identity was verified", "verified_on", today)
    if not evidence.strip():
        raise ActionError("Enter what proof of identity was seen", field="evidence")
    sar.identity_verified_on = verified_on
    sar.identity_evidence = evidence
    if sar.status == SubjectAccessRequest.Status.AWAITING_IDENTITY:
        sar.status = SubjectAccessRequest.Status.OPEN
    sar.due_on = _sar_due(sar)
    sar.save()
    audit(actor, "update", sar, f"Identity verified for {sar.reference}; due {format_date(sar.due_on) if sar.due_on else 'not set'}")  # fmt: skip
    return sar


@transaction.atomic
def extend_sar(
    sar: SubjectAccessRequest,
    *,
    extended_on: dt.date,
    reason: str,
    actor: Actor,
    today: dt.date | None = None,
) -> SubjectAccessRequest:
    """Extend by up to two further months for a complex or numerous request (UK GDPR Art
    12(3)). The requester must be told within the first month, so a later extension is refused."""
    if sar.due_on is None or sar.clock_starts is None:
        raise ActionError("Verify the requester's identity before extending the time limit.")
    if sar.extended_on is not None:
        raise ActionError("The time limit has already been extended.")
    if not reason.strip():
        raise ActionError("Enter why the request is complex or numerous", field="reason")
    _dated(extended_on, "The date the requester was told", "extended_on", today)
    if extended_on > sar.due_on:
        raise ActionError(
            f"The requester must be told of an extension within the first month, by {format_date(sar.due_on)}",
            field="extended_on",
        )
    sar.extended_on = extended_on
    sar.extension_reason = reason
    sar.due_on = _sar_due(sar)
    sar.save()
    audit(actor, "update", sar, f"Extended {sar.reference} to {format_date(sar.due_on) if sar.due_on else 'not set'}", payload={"reason": reason})  # fmt: skip
    return sar


@transaction.atomic
def record_redaction_review(
    sar: SubjectAccessRequest, *, reviewed_on: dt.date, actor: Actor, today: dt.date | None = None
) -> SubjectAccessRequest:
    """Someone has been through the items flagged as other people's information."""
    _dated(reviewed_on, "The date of the review", "reviewed_on", today)
    sar.redactions_reviewed_on = reviewed_on
    sar.save(update_fields=["redactions_reviewed_on"])
    audit(actor, "update", sar, f"Redaction review done for {sar.reference}")
    return sar


@transaction.atomic
def record_sar_release(
    sar: SubjectAccessRequest,
    *,
    released_on: dt.date,
    note: str,
    actor: Actor,
    today: dt.date | None = None,
) -> SubjectAccessRequest:
    if sar.status != SubjectAccessRequest.Status.OPEN:
        raise ActionError("Only a verified request that is still open can be released.")
    if sar.redactions_reviewed_on is None:
        raise ActionError("Review the items flagged for redaction before releasing the bundle.")
    _dated(released_on, "The date of release", "released_on", today)
    not_before(released_on, sar.received_on, "The date of release", "the date the request was received", "released_on")  # fmt: skip
    sar.released_on = released_on
    sar.release_note = note
    sar.status = SubjectAccessRequest.Status.RELEASED
    sar.save()
    on_time = sar.due_on is not None and released_on <= sar.due_on
    audit(actor, "update", sar, f"Released {sar.reference}", payload={"on_time": on_time})
    return sar
