"""Correcting and striking out recorded steps; withdrawing a request; closing a case.

Officers make mistakes and fix them. The event log stays append-only: the original row is never
changed. A correction is a new `StatutoryEvent` that `corrects` the row it replaces (the new date
or details, with the reason); a strike-out is a new row with `struck_out` set that `corrects` the
row it strikes out. The effective history (`StatutoryEvent.objects`, and so `case.events`) leaves
out what was replaced, so the clock, the work queue, SEN2 and the reports read the corrected
history. The records that mirror a step (an advice request's dates, a plan version's issue date,
a review's dates, a phase transfer, a ceased plan's placements) are kept equal to it by the same
action.

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses what does not fit (ActionError), moves the
case's version on, writes one audit entry with who and why, and recomputes the case's deadlines
once (a corrected history that contradicts itself is refused with the clock's message, and
nothing is kept). None sends the family a message.

* `correct_step`: a new row replacing the step (its date, and its details as far as the step
  has any: an advice request's kind; an exception's reason, start and end; a review decision's
  outcome, maintain or amend; a phase transfer's kind), the mirrored records moved with it, and
  the decision notice of an appealable decision moved too when no other decision was notified
  that day (or taken away, or added, when a review decision changes between amend, which has
  none, and maintain).
* `strike_out_step`: a strike-out row; the mirrored record cleared (or removed, for an advice
  request or phase transfer nothing else hangs on). A step that moved the case's stage or made a
  plan document cannot be struck out (it is corrected, or the case is closed, instead).
* Every kind of step has both routes (or, for striking out, the reason it has none:
  `correction_routes.NOT_STRUCK`); the steps beyond the assessment, plan and review keep their
  mirrors through `correction_routes` (appeals, consultations, the ceasing route's decisions,
  transfers, decision letters). `NOT_CASE_STEPS` names the clock's kinds that are never a step
  on a case.
* `change_ceasing_step`: the ceasing route's steps that write no event (consulting, the
  decision to cease, the approval, the plan's end), corrected or struck out on the Ceasing row.
* `strike_out_issue_decision`: a decision to issue a plan (no event) taken back, for a panel's
  corrected decision.
* `withdraw_request` / `close_case`: see their docstrings.

Who may: whoever recorded the step, or a manager (team manager or head of service); a system
run (an import or command) may too.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from sendcase.accounts.roles import corrects_any_step
from sendcase.casework.domain import appeals, buffer, kernel
from sendcase.casework.domain import correction_routes as routes
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.phase_and_cease import maintained_until
from sendcase.casework.models import (
    AdviceRequest,
    Case,
    Ceasing,
    Stage,
    StatutoryEvent,
    TimeLimitException,
)
from sendcase.core.actors import Actor, user_of
from sendcase.core.codes import AdviceKind, ExceptionReason, ReviewOutcome
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan, PlanVersion
from sendcase.reviews.models import AnnualReview, PhaseTransfer
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period_end

# What a step is called on screen and in the audit log.
STEP_WORDS = {
    "request_received": "Request received",
    "decision_to_assess": "Decision whether to assess",
    "advice_requested": "Advice requested",
    "advice_received": "Advice received",
    "decision_not_to_issue": "Decision not to issue a plan",
    "draft_issued": "Draft plan issued",
    "final_issued": "Final plan issued",
    "review_invitations_sent": "Review meeting invitations sent",
    "review_advice_circulated": "Advice circulated for the review",
    "review_meeting": "Annual review meeting",
    "review_report": "Review report sent",
    "review_decision": "Review decision",
    "amendment_notice": "Proposed amendments sent",
    "final_amended_plan": "Final amended plan issued",
    "phase_transfer": "Phase transfer",
    "phase_transfer_named": "New setting named for the phase transfer",
    "cease_decision": "Decision on ceasing the plan",
    "exception": "Exception to the time limits",
    "transfer_in": "Plan transferred in",
    "transfer_in_notice": "Family told of the plan transferred in",
    "setting_consulted": "Setting consulted on being named",
    "setting_responded": "Setting's answer to the consultation",
    "cease_considered": "Considering ceasing the plan",
    "transfer_out_learned": "Told of a move to another council",
    "plan_transferred_out": "Plan transferred to another council",
    "decision_notice": "Decision letter with appeal rights",
    "mediation_declined": "Family declined mediation",
    "mediation_requested": "Family asked for mediation",
    "mediation_held": "Mediation held",
    "mediation_certificate": "Mediation certificate issued",
    "appeal_lodged": "Appeal registered with the tribunal",
    "tribunal_order": "Tribunal's order",
    "tribunal_order_complied": "Tribunal's order complied with",
    "unopposed_appeal": "Appeal conceded by the council",
    "unopposed_appeal_complied": "Conceded appeal complied with",
}

# Event kinds the clock knows (`statutory.EVENT_TYPES`) that are never a step recorded on a case,
# and why. Every other kind has a correction route here, and a strike-out route or the reason it
# has none (`correction_routes.NOT_STRUCK`): a test walks them all.
NOT_CASE_STEPS: dict[str, str] = {
    "child_born": "the child's date of birth, corrected with the child's details",
    "reassessment_notice": "not recorded by any step (the clock accepts it from a history given it)",
    "sar_received": "an information request's own clock (information app), not a case's",
    "sar_extended": "an information request's own clock (information app), not a case's",
    "sar_responded": "an information request's own clock (information app), not a case's",
    "foi_received": "an information request's own clock (information app), not a case's",
    "foi_responded": "an information request's own clock (information app), not a case's",
    "complaint_received": "a complaint's own clock (information app), not a case's",
    "complaint_escalated": "a complaint's own clock (information app), not a case's",
    "complaint_responded": "a complaint's own clock (information app), not a case's",
}

# Steps whose decision can be appealed: their decision notice moves with them.
_APPEALABLE = frozenset(
    {
        "decision_to_assess",
        "decision_not_to_issue",
        "final_issued",
        "review_decision",
        "final_amended_plan",
        "cease_decision",
    }
)


def may_correct(actor: Actor, event: StatutoryEvent) -> bool:
    """Whoever recorded the step (or the correction that stands in its place), or a manager."""
    user = user_of(actor)
    if user is None:  # a system run: an import or a command
        return True
    if corrects_any_step(user):
        return True
    return event.recorded_by_id is not None and event.recorded_by_id == user.pk


def correctable(event: StatutoryEvent) -> bool:
    return event.type in _MOVE


def strikable(event: StatutoryEvent) -> bool:
    return event.type in _STRIKE


def may_change_step(actor: Actor) -> Callable[[StatutoryEvent, str], bool]:
    """For the case history: whether `actor` may correct ("correct") or strike out ("strike")
    a step that stands."""

    def may(event: StatutoryEvent, what: str) -> bool:
        fits = correctable(event) if what == "correct" else strikable(event)
        return fits and may_correct(actor, event)

    return may


def effective_history(log: list[StatutoryEvent]) -> list[StatutoryEvent]:
    """The rows of a case's whole log (`StatutoryEvent.log`) that stand, as
    `StatutoryEvent.objects` reads them (for a page that shows both, from one query)."""
    replaced = {e.corrects_id for e in log if e.corrects_id is not None}
    return [e for e in log if e.pk not in replaced and not e.struck_out]


# A request can be withdrawn, or the case closed, until a plan is maintained.
CLOSABLE_STAGES = (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT)


def _effective(case: Case, event_id: int) -> StatutoryEvent:
    event = next((e for e in kernel.case_events(case) if e.pk == event_id), None)
    if event is None:
        raise ActionError(
            "This step is no longer in the case's history: it has been corrected or struck out "
            "since the page was opened"
        )
    return event


def _check(actor: Actor, event: StatutoryEvent, reason: str, doing: str, done: str) -> str:
    if not may_correct(actor, event):
        raise ActionError(f"Only the person who recorded this step, or a manager, can {doing} it")
    reason = reason.strip()
    if not reason:
        raise ActionError(f"Enter why the step is being {done}", field="reason")
    return reason


def step_words(event: StatutoryEvent) -> str:
    """The step as a person reads it: "Annual review meeting on 1 September 2025"."""
    return f"{STEP_WORDS.get(event.type, event.type.replace('_', ' ').capitalize())} on {format_date(event.date)}"


# --- Keeping the mirrored records equal to the step -------------------------------------


def _plan(case: Case) -> Plan | None:
    plan: Plan | None = getattr(case, "plan", None)
    return plan


def _set(rows: list[Any], field: str, old: Any, new: Any) -> None:
    for row in rows:
        if getattr(row, field) == old:
            setattr(row, field, new)
            buffer.save(row, [field])
            return


def _reviews(case: Case) -> list[AnnualReview]:
    plan = _plan(case)
    return buffer.related(plan, AnnualReview, "plan") if plan else []


def _versions(case: Case, kind: str) -> list[PlanVersion]:
    plan = _plan(case)
    versions = buffer.related(plan, PlanVersion, "plan") if plan else []
    return [v for v in versions if v.kind == kind]


def _advice(case: Case, event: StatutoryEvent) -> AdviceRequest | None:
    aid = event.data.get("advice_id")
    return next(
        (a for a in buffer.related(case, AdviceRequest, "case") if a.advice_id == aid), None
    )


def _next_review_due(reviews: list[AnnualReview], old: dt.date, new: dt.date) -> None:
    """A review still to be held is due 12 months from the meeting (or the plan) it follows."""
    was, now = period_end("annual_review_meeting", old), period_end("annual_review_meeting", new)
    _set([r for r in reviews if r.meeting_on is None], "due_on", was, now)


def _move_request(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    request = case.request
    request.received_on, case.opened_on = new, new
    buffer.save(request, ["received_on"])
    buffer.save(case, ["opened_on"])


def _move_decision(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    request = case.request
    request.decision_on = new
    buffer.save(request, ["decision_on"])
    if case.closed_on == e.date and case.stage == Stage.NOT_ASSESSED:
        case.closed_on = new


def _move_advice_requested(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    advice = _advice(case, e)
    if advice is not None:
        advice.requested_on = new
        buffer.save(advice, ["requested_on"])


def _move_advice_received(case: Case, e: StatutoryEvent, new: dt.date | None) -> None:
    advice = _advice(case, e)
    if advice is not None:
        advice.received_on = new
        buffer.save(advice, ["received_on"])


def _move_not_to_issue(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    request = case.request
    request.not_to_issue_on = new
    buffer.save(request, ["not_to_issue_on"])
    if case.stage == Stage.NOT_ISSUED:
        case.closed_on = new


def _move_version(kind: str, plan_field: str | None = None) -> Callable[..., None]:
    def move(case: Case, e: StatutoryEvent, new: dt.date) -> None:
        _set(_versions(case, kind), "issued_on", e.date, new)
        plan = _plan(case)
        if plan is not None and plan_field and getattr(plan, plan_field) == e.date:
            setattr(plan, plan_field, new)
            buffer.save(plan, [plan_field])
            if plan_field == "first_issued_on":
                _next_review_due(_reviews(case), e.date, new)

    return move


def _move_review(field: str) -> Callable[..., None]:
    def move(case: Case, e: StatutoryEvent, new: dt.date | None) -> None:
        _set(_reviews(case), field, e.date, new)

    return move


def _move_meeting(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    reviews = _reviews(case)
    _set(reviews, "meeting_on", e.date, new)
    _next_review_due(reviews, e.date, new)


def _move_amendment(field: str, kind: str) -> Callable[..., None]:
    def move(case: Case, e: StatutoryEvent, new: dt.date) -> None:
        _set(_versions(case, kind), "issued_on", e.date, new)
        _set(_reviews(case), field, e.date, new)

    return move


def _transfers(case: Case) -> list[PhaseTransfer]:
    plan = _plan(case)
    return buffer.related(plan, PhaseTransfer, "plan") if plan else []


def _move_transfer(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    for t in _transfers(case):
        if t.transfer_date == e.date and t.kind == e.data.get("kind"):
            rule = "phase_transfer" if t.kind == PhaseTransfer.Kind.SCHOOL else "post16_transfer"
            t.transfer_date, t.due_on = new, period_end(rule, new)
            buffer.save(t, ["transfer_date", "due_on"])
            return


def _move_named(case: Case, e: StatutoryEvent, new: dt.date | None) -> None:
    for t in _transfers(case):
        if t.named_on == e.date:
            t.named_on = new
            fields = ["named_on"]
            if new is None:
                t.new_setting = None
                fields.append("new_setting")
            buffer.save(t, fields)
            return


def _move_cease(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    plan = _plan(case)
    if plan is None or plan.cease_date != e.date:
        return
    plan.cease_date = new
    buffer.save(plan, ["cease_date"])
    for placement in buffer.related(plan, Placement, "plan"):
        if placement.leaving_date == e.date:
            placement.leaving_date = new
            buffer.save(placement, ["leaving_date"])
    if case.closed_on == e.date:
        case.closed_on = new


def _move_cease_decision(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    """A decision on ceasing made through the route moves its Ceasing; one imported (or a
    child's death) is the plan's end, which moves with it."""
    if not routes.move_cease_route(case, e, new):
        _move_cease(case, e, new)


# type -> how the records that mirror it follow a new date.
_MOVE: dict[str, Callable[..., None]] = {
    "request_received": _move_request,
    "decision_to_assess": _move_decision,
    "advice_requested": _move_advice_requested,
    "advice_received": _move_advice_received,
    "decision_not_to_issue": _move_not_to_issue,
    "draft_issued": _move_version(PlanVersion.Kind.DRAFT, "draft_issued_on"),
    "final_issued": _move_version(PlanVersion.Kind.FINAL, "first_issued_on"),
    "review_invitations_sent": _move_review("invitations_sent_on"),
    "review_advice_circulated": lambda case, e, new: None,  # the event is the only record
    "review_meeting": _move_meeting,
    "review_report": _move_review("report_on"),
    "review_decision": _move_review("decision_on"),
    "amendment_notice": _move_amendment("amendment_notice_on", PlanVersion.Kind.PROPOSED_AMENDMENT),
    "final_amended_plan": _move_amendment("final_amended_on", PlanVersion.Kind.AMENDED),
    "phase_transfer": _move_transfer,
    "phase_transfer_named": _move_named,
    "cease_decision": _move_cease_decision,
    "exception": lambda case, e, new: None,  # its start is its date: see _exception_details
    **routes.MOVE,
}


# --- Correcting a step's details ----------------------------------------------------------
# Each takes the case, the step and the new details (only those given), checks them, keeps the
# mirrored record equal to them, and returns the step's corrected data. The names are those of
# CorrectStepForm's detail fields.

DETAILS: dict[str, tuple[str, ...]] = {
    "advice_requested": ("kind",),
    "exception": ("exception_reason", "start", "end"),
    "review_decision": ("outcome",),
    "phase_transfer": ("kind",),
    **routes.DETAILS,
}


def _advice_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    data = dict(e.data)
    kind = details.get("kind")
    if kind is None or kind == data.get("kind"):
        return data
    if kind not in AdviceKind.values:
        raise ActionError("Select the kind of advice", field="kind")
    data["kind"] = kind
    advice = _advice(case, e)
    if advice is not None:
        advice.kind = kind
        buffer.save(advice, ["kind"])
    return data


def _exception_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    data = dict(e.data)
    reason = details.get("exception_reason") or data.get("reason")
    start = details.get("start") or dt.date.fromisoformat(data["start"])
    end = details.get("end") or dt.date.fromisoformat(data["end"])
    if reason not in ExceptionReason.values:
        raise ActionError(
            "Select the reason the time limit cannot be met", field="exception_reason"
        )
    if end < start:
        raise ActionError("The end date must be the same as or after the start date", field="end")
    if reason == ExceptionReason.MISSED_APPOINTMENT and not data.get("applies_to"):
        raise ActionError(
            "A missed appointment only excuses advice: strike out this exception and record it "
            "again against the advice request it delays",
            field="exception_reason",
        )
    row = next(
        (
            x
            for x in buffer.related(case, TimeLimitException, "case")
            if x.reason == data.get("reason")
            and x.start.isoformat() == data.get("start")
            and x.end.isoformat() == data.get("end")
        ),
        None,
    )
    if row is not None:
        row.reason, row.start, row.end = reason, start, end
        buffer.save(row, ["reason", "start", "end"])
    data.update(reason=reason, start=start.isoformat(), end=end.isoformat())
    return data


def _review_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    data = dict(e.data)
    outcome = details.get("outcome")
    if outcome is None or outcome == data.get("outcome"):
        return data
    if outcome not in ReviewOutcome.values:
        raise ActionError("Select the decision: maintain or amend the plan", field="outcome")
    if ReviewOutcome.CEASE in (outcome, data.get("outcome")):
        raise ActionError(
            "A decision to cease the plan is not changed here: strike out the review decision "
            "and record the right one (a plan is ceased only by the ceasing route)",
            field="outcome",
        )
    review = next(
        (r for r in _reviews(case) if r.decision_on == e.date and r.decision == data["outcome"]),
        None,
    )
    if review is not None:
        if review.amendment_notice_on is not None:
            raise ActionError(
                "Proposed amendments follow this decision to amend: strike them out first",
                field="outcome",
            )
        review.decision = outcome
        buffer.save(review, ["decision"])
    data["outcome"] = outcome
    return data


def _transfer_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    data = dict(e.data)
    kind = details.get("kind")
    if kind is None or kind == data.get("kind"):
        return data
    if kind not in PhaseTransfer.Kind.values:
        raise ActionError("Select the kind of phase transfer", field="kind")
    for t in _transfers(case):
        if t.transfer_date == e.date and t.kind == data.get("kind"):
            rule = "phase_transfer" if kind == PhaseTransfer.Kind.SCHOOL else "post16_transfer"
            t.kind, t.due_on = kind, period_end(rule, t.transfer_date)
            buffer.save(t, ["kind", "due_on"])
            break
    data["kind"] = kind
    return data


_DETAILS: dict[str, Callable[[Case, StatutoryEvent, dict[str, Any]], dict[str, Any]]] = {
    "advice_requested": _advice_details,
    "exception": _exception_details,
    "review_decision": _review_details,
    "phase_transfer": _transfer_details,
    **routes.DETAIL_FUNCTIONS,
}


# --- Striking out: only what nothing else hangs on ----------------------------------------


def _strike_advice_requested(case: Case, e: StatutoryEvent) -> None:
    advice = _advice(case, e)
    if advice is None:
        return
    if advice.received_on is not None:
        raise ActionError("This advice is recorded as received: strike out that step first")
    advice.delete()


def _strike_meeting(case: Case, e: StatutoryEvent) -> None:
    review = next((r for r in _reviews(case) if r.meeting_on == e.date), None)
    if review is None:
        return
    if review.decision or review.report_on:
        raise ActionError(
            "This meeting has a report or a decision recorded: strike out those steps first"
        )
    review.meeting_on = None
    buffer.save(review, ["meeting_on"])


def _strike_decision(case: Case, e: StatutoryEvent) -> None:
    reviews = _reviews(case)
    review = next((r for r in reviews if r.decision_on == e.date and r.decision), None)
    if review is None:
        return
    if review.amendment_notice_on is not None:
        raise ActionError(
            "Proposed amendments follow this decision: correct the decision's date instead"
        )
    # The next review, made by the decision, goes with it while nothing is recorded on it.
    if review.meeting_on is not None:
        due = period_end("annual_review_meeting", review.meeting_on)
        following = next(
            (
                r
                for r in reviews
                if r.due_on == due and r.meeting_on is None and r.invitations_sent_on is None
            ),
            None,
        )
        if following is not None:
            following.delete()
    review.decision, review.decision_on = "", None
    buffer.save(review, ["decision", "decision_on"])


def _strike_exception(case: Case, e: StatutoryEvent) -> None:
    data = e.data
    for x in buffer.related(case, TimeLimitException, "case"):
        if (
            x.reason == data.get("reason")
            and x.start.isoformat() == data.get("start", e.date.isoformat())
            and x.end.isoformat() == data.get("end")
        ):
            x.delete()
            return


def _strike_transfer(case: Case, e: StatutoryEvent) -> None:
    for t in _transfers(case):
        if t.transfer_date == e.date and t.kind == e.data.get("kind"):
            if t.named_on is not None:
                raise ActionError(
                    "The new setting is named for this transfer: strike out that step first"
                )
            t.delete()
            return


_STRIKE: dict[str, Callable[[Case, StatutoryEvent], None]] = {
    "advice_requested": _strike_advice_requested,
    "advice_received": lambda case, e: _move_advice_received(case, e, None),
    "review_invitations_sent": lambda case, e: _move_review("invitations_sent_on")(case, e, None),
    "review_advice_circulated": lambda case, e: None,
    "review_meeting": _strike_meeting,
    "review_report": lambda case, e: _move_review("report_on")(case, e, None),
    "review_decision": _strike_decision,
    "phase_transfer": _strike_transfer,
    "phase_transfer_named": lambda case, e: _move_named(case, e, None),
    "exception": lambda case, e: _strike_exception(case, e),
    **routes.STRIKE,
}


def _notice_on(case: Case, event: StatutoryEvent) -> StatutoryEvent | None:
    """The decision notice an appealable step wrote, when no other decision shares its day."""
    if event.type not in _APPEALABLE:
        return None
    same_day = [e for e in kernel.case_events(case) if e.date == event.date and e.pk != event.pk]
    if any(e.type in _APPEALABLE for e in same_day):
        return None
    return next((e for e in same_day if e.type == "decision_notice"), None)


@kernel.action
def correct_step(
    case: Case,
    *,
    event_id: int,
    date: dt.date | None,
    reason: str,
    actor: Actor,
    kind: str | None = None,
    details: dict[str, Any] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StatutoryEvent:
    """Correct a recorded step's date and its details (`details`, named as in `DETAILS`; `kind`
    is short for details={"kind": kind}). An exception's date is its start.

    The original row stays; a new row replaces it in the effective history. The records that
    mirror the step follow it, and the decision notice of an appealable decision moves with it.
    Refused when the corrected history contradicts itself (the clock's message)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    event = _effective(case, event_id)
    reason = _check(actor, event, reason, "correct", "corrected")
    if event.type not in _MOVE:
        raise ActionError(f"{step_words(event)} cannot be corrected here")
    details = {
        k: v
        for k, v in {**(details or {}), **({"kind": kind} if kind else {})}.items()
        if k in DETAILS.get(event.type, ()) and v not in (None, "")
    }
    if event.type == "exception" and date and date != event.date and not details.get("start"):
        details["start"] = date  # an exception's date is its start
    if event.type == "exception" and details.get("start"):
        date = details["start"]
    date = date or event.date
    if date != event.date and event.type not in _MAY_BE_FUTURE:
        kernel.not_future(date, "The corrected date", today, "date")
    data = _DETAILS[event.type](case, event, details) if event.type in _DETAILS else event.data
    if date == event.date and data == event.data:
        raise ActionError(
            "Enter a different date or details: the step is unchanged",
            field=next(iter(DETAILS.get(event.type, ())), "date") if details else "date",
        )
    notice = _notice_on(case, event) if date != event.date else None
    # The mirrors were found by the corrected details just now: they follow the date with them.
    _MOVE[event.type](case, _with_data(event, data), date)
    if notice is not None:
        routes.notice_follows(case, notice.date, date)
    replacement = kernel.replace_event(case, event, actor, reason, date=date, data=data)
    if notice is not None:
        kernel.replace_event(case, notice, actor, reason, date=date, data=dict(notice.data))
    if event.type in ("review_decision", "decision_to_assess") and data.get(
        "outcome"
    ) != event.data.get("outcome"):
        _review_notice(case, replacement, actor, reason)
    changed = {k: data[k] for k in data if data.get(k) != event.data.get(k)}
    said = "; ".join(f"{k.replace('_', ' ')} {v}" for k, v in changed.items())
    kernel.finish(
        case,
        actor,
        f"Corrected: {step_words(event)}, now {format_date(date)}"
        f"{f' ({said})' if said else ''}. Why: {reason}",
        replacement,
        today,
        {
            "corrects": event.pk,
            "type": event.type,
            "from": event.date.isoformat(),
            "to": date.isoformat(),
            "reason": reason,
            **({"kind": data["kind"]} if "kind" in changed else {}),
            **({"details": {"from": dict(event.data), "to": data}} if changed else {}),
        },
    )
    return replacement


def _with_data(event: StatutoryEvent, data: dict[str, Any]) -> StatutoryEvent:
    """The step as it stands, with its corrected details (not saved: the log is append-only)."""
    if data == event.data:
        return event
    moved = copy.copy(event)
    moved.data = data
    return moved


# Steps recorded ahead of their date, as their own actions allow: a coming phase transfer, and an
# exception to the time limits (an absence planned, a closure announced).
_MAY_BE_FUTURE = frozenset({"phase_transfer", "exception"})


def _review_notice(case: Case, decision: StatutoryEvent, actor: Actor, reason: str) -> None:
    """A decision to maintain is notified with appeal rights; a decision to amend is appealed
    through the amended plan. A refusal to assess is notified; a decision to assess is not. The
    notice follows the corrected outcome."""
    if decision.data.get("outcome") not in (ReviewOutcome.AMEND, "assess"):
        kernel.decision_notice(case, decision.date, actor)
        return
    same_day = [e for e in kernel.case_events(case) if e.date == decision.date]
    if any(e.type in _APPEALABLE and e.pk != decision.pk for e in same_day):
        return
    notice = next((e for e in same_day if e.type == "decision_notice"), None)
    if notice is not None:
        kernel.replace_event(case, notice, actor, reason, struck_out=True)


@kernel.action
def strike_out_step(
    case: Case,
    *,
    event_id: int,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StatutoryEvent:
    """Strike out a step recorded in error. The original row stays; a strike-out row takes it
    out of the effective history, and the record that mirrors it is cleared."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    event = _effective(case, event_id)
    reason = _check(actor, event, reason, "strike out", "struck out")
    if event.type not in _STRIKE:
        why = routes.NOT_STRUCK.get(event.type, "it moved the case on")
        raise ActionError(f"{step_words(event)} cannot be struck out: {why}")
    notice = _notice_on(case, event)
    _STRIKE[event.type](case, event)
    row = kernel.replace_event(case, event, actor, reason, struck_out=True)
    if notice is not None:
        kernel.replace_event(case, notice, actor, reason, struck_out=True)
    kernel.finish(
        case,
        actor,
        f"Struck out: {step_words(event)}. Why: {reason}",
        row,
        today,
        {"strikes": event.pk, "type": event.type, "date": event.date.isoformat(), "reason": reason},
    )
    return row


@kernel.action
def strike_out_issue_decision(
    case: Case,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Take back a decision to issue a plan recorded in error (it writes no clock event: the
    request's `issue_decision_on`, SEN2 AssessmentOutcome Y), before any draft follows it."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    request = case.request
    if request.issue_decision_on is None:
        raise ActionError("There is no decision to issue a plan recorded on this case")
    user = user_of(actor)
    if user is not None and not corrects_any_step(user):
        raise ActionError("Only a manager can take back a decision to issue a plan")
    reason = reason.strip()
    if not reason:
        raise ActionError("Enter why the decision is being struck out", field="reason")
    if any(e.type in ("draft_issued", "final_issued") for e in kernel.case_events(case)):
        raise ActionError("A plan follows this decision: it cannot be struck out")
    was = request.issue_decision_on
    request.issue_decision_on = None
    buffer.save(request, ["issue_decision_on"])
    kernel.finish(
        case,
        actor,
        f"Struck out: decision to issue a plan on {format_date(was)}. Why: {reason}",
        request,
        today,
        {"strikes": "issue_decision", "date": was.isoformat(), "reason": reason},
    )
    return case


# --- The ceasing route's steps that write no event ------------------------------------------
# Consulting the family or the setting, the decision to cease (a decision not to cease is a step
# in the history), a manager's approval, and the plan's end (the SEN2 cease date) are kept on the
# Ceasing row (and the plan) only. Each can be corrected (its date) or struck out, with a reason.

CEASING_STEPS: dict[str, str] = {
    "family_consulted": "Family consulted about ceasing the plan",
    "setting_consulted": "Setting consulted about ceasing the plan",
    "decided": "Decision to cease the plan",
    "approved": "Manager's approval of the decision to cease",
    "ended": "Plan ended",
}
_CEASING_FIELD = {
    "family_consulted": "family_consulted_on",
    "setting_consulted": "setting_consulted_on",
    "decided": "decided_on",
    "approved": "approved_on",
    "ended": "ended_on",
}


def ceasing_step_date(ceasing: Ceasing, step: str) -> dt.date | None:
    if step not in _CEASING_FIELD:
        return None
    if step == "decided" and ceasing.decision != Ceasing.Decision.CEASE:
        return None
    value: dt.date | None = getattr(ceasing, _CEASING_FIELD[step])
    return value


def ceasing_step_recorder(
    case: Case, ceasing: Ceasing, step: str, entries: list[AuditEntry] | None = None
) -> int | None:
    """Who recorded a ceasing step: the decider, the approver, or (for a consultation or the
    plan's end) the person in the audit entry that recorded it (from `entries`, the case's audit
    entries when the caller has them, or read here)."""
    if step == "decided":
        return ceasing.decided_by_id
    if step == "approved":
        return ceasing.approved_by_id
    if entries is None:
        entries = list(AuditEntry.objects.filter(case=case).exclude(action=AuditEntry.Action.VIEW))
    if step == "ended":
        found = [
            e
            for e in entries
            if e.object_type == "plans.plan" and e.summary.startswith("Plan ceased")
        ]
    else:
        party = step.removesuffix("_consulted")
        found = [
            e
            for e in entries
            if e.object_type == "casework.ceasing"
            and e.object_id == str(ceasing.pk)
            and (e.payload or {}).get("party") == party
        ]
    latest = max(found, key=lambda e: e.pk, default=None)
    return latest.actor_id if latest is not None else None


def may_change_ceasing_step(
    actor: Actor,
    case: Case,
    ceasing: Ceasing,
    step: str,
    entries: list[AuditEntry] | None = None,
) -> bool:
    user = user_of(actor)
    if user is None or corrects_any_step(user):
        return True
    recorder = ceasing_step_recorder(case, ceasing, step, entries)
    return recorder is not None and recorder == user.pk


def changeable_ceasing_steps(
    actor: Actor, case: Case, ceasings: list[Ceasing], entries: list[AuditEntry]
) -> dict[int, list[str]]:
    """For the case page: each ceasing's steps that `actor` may correct or strike out."""
    return {
        c.pk: [
            step
            for step in CEASING_STEPS
            if ceasing_step_date(c, step) is not None
            and may_change_ceasing_step(actor, case, c, step, entries)
        ]
        for c in ceasings
    }


def _ceasing_bounds(ceasing: Ceasing, step: str) -> tuple[list[tuple[Any, str]], list[Any]]:
    """The steps a ceasing step must follow, and those it must come before (date, words)."""
    c = ceasing
    consulted = [(c.family_consulted_on, "consulting the family")]
    consulted.append((c.setting_consulted_on, "consulting the setting"))
    before: dict[str, list[tuple[Any, str]]] = {
        "family_consulted": [(c.considered_on, "considering ceasing")],
        "setting_consulted": [(c.considered_on, "considering ceasing")],
        "decided": [(c.considered_on, "considering ceasing"), *consulted],
        "approved": [(c.decided_on, "the decision")],
        "ended": [(c.notified_on, "the decision letter")],
    }
    after: dict[str, list[tuple[Any, str]]] = {
        "family_consulted": [(c.decided_on, "the decision")],
        "setting_consulted": [(c.decided_on, "the decision")],
        "decided": [(c.approved_on, "the approval"), (c.notified_on, "the decision letter")],
        "approved": [(c.notified_on, "the decision letter")],
        "ended": [],
    }
    return before[step], after[step]


@kernel.action
def change_ceasing_step(
    case: Case,
    *,
    ceasing_id: int,
    step: str,
    reason: str,
    actor: Actor,
    date: dt.date | None = None,
    strike: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ceasing:
    """Correct the date of a ceasing step (`date`), or strike it out (`strike=True`), with a
    reason. Refused when the route would be out of order (a decision before its consultation),
    or when a later step hangs on the one struck out. Correcting the plan's end moves the plan's
    cease date, its placements' leaving dates and the case's closing with it, and is still only
    after the appeal window; striking it out maintains the plan again."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    ceasing = next((c for c in buffer.related(case, Ceasing, "case") if c.pk == ceasing_id), None)
    was = ceasing_step_date(ceasing, step) if ceasing is not None else None
    if ceasing is None or was is None:
        raise ActionError("This step is not recorded on the case's ceasing")
    words = f"{CEASING_STEPS[step]} on {format_date(was)}"
    if not may_change_ceasing_step(actor, case, ceasing, step):
        raise ActionError("Only the person who recorded this step, or a manager, can change it")
    reason = reason.strip()
    if not reason:
        done = "struck out" if strike else "corrected"
        raise ActionError(f"Enter why the step is being {done}", field="reason")
    earlier, later = _ceasing_bounds(ceasing, step)
    if strike:
        following = [w for d, w in later if d is not None]
        if following:
            raise ActionError(f"{following[0].capitalize()} follows this step: change that first")
        _strike_ceasing(case, ceasing, step)
        summary, payload = f"Struck out: {words}. Why: {reason}", {"date": was.isoformat()}
    else:
        if date is None or date == was:
            raise ActionError("Enter a different date: the step is unchanged", field="date")
        kernel.not_future(date, "The corrected date", today, "date")
        for d, w in earlier:
            routes.order((d, w), (date, "this step"))
        for d, w in later:
            routes.order((date, "this step"), (d, w))
        if step == "ended" and ceasing.notified_on is not None:
            end, why = maintained_until(case, ceasing.notified_on)
            if date <= end:
                raise ActionError(
                    f"The date the plan ended must be after {why} closes on {format_date(end)}",
                    field="date",
                )
        _move_ceasing(case, ceasing, step, was, date)
        summary = f"Corrected: {words}, now {format_date(date)}. Why: {reason}"
        payload = {"from": was.isoformat(), "to": date.isoformat()}
    kernel.finish(
        case,
        actor,
        summary,
        ceasing,
        today,
        {"ceasing_step": step, "struck_out": strike, "reason": reason, **payload},
    )
    return ceasing


def _move_ceasing(case: Case, ceasing: Ceasing, step: str, was: dt.date, new: dt.date) -> None:
    field = _CEASING_FIELD[step]
    setattr(ceasing, field, new)
    fields = [field]
    if step == "ended":
        ceasing.closed_on = new
        fields.append("closed_on")
        _move_cease(case, StatutoryEvent(type="cease_decision", date=was), new)
    buffer.save(ceasing, fields)


def _strike_ceasing(case: Case, ceasing: Ceasing, step: str) -> None:
    if step == "ended":
        appeals.reinstate_plan(case)
        return
    if step in ("family_consulted", "setting_consulted"):
        party = step.removesuffix("_consulted")
        setattr(ceasing, f"{party}_consulted_on", None)
        setattr(ceasing, f"{party}_views", "")
        buffer.save(ceasing, [f"{party}_consulted_on", f"{party}_views"])
    elif step == "decided":
        ceasing.decision, ceasing.decided_on, ceasing.decision_reasons = "", None, ""
        ceasing.decided_by = None
        buffer.save(ceasing, ["decision", "decided_on", "decision_reasons", "decided_by"])
    else:
        ceasing.approved_on, ceasing.approved_by = None, None
        buffer.save(ceasing, ["approved_on", "approved_by"])
