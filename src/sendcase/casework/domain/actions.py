"""The action functions: the only way statutory data changes.

Each one checks the step against the case's state and dates, writes the structured
record and the statutory event inside one transaction, appends the audit entry,
recomputes the case's deadlines from the clock, and queues any notification with
transaction.on_commit. Screens, imports, the API and the demo all call these.

Dates are checked against `today` (the council's local date unless a caller such
as an import of historical data passes its own).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain import buffer
from sendcase.casework.domain.deadlines import deferring, recompute_deadlines
from sendcase.casework.domain.errors import STALE_MESSAGE, ActionError, StaleCase
from sendcase.casework.models import (
    OPEN_STAGES,
    AdviceRequest,
    AssessmentRequest,
    Case,
    Child,
    Stage,
    StatutoryEvent,
    TimeLimitException,
    Transfer,
)
from sendcase.core.audit import audit
from sendcase.core.codes import CeaseReason, ExceptionReason, ReviewOutcome
from sendcase.core.models import AuditEntry
from sendcase.core.notify import notify_family
from sendcase.placements.models import Placement
from sendcase.plans.models import Need, Plan, PlanVersion
from sendcase.reviews.models import AnnualReview, PhaseTransfer

DRAFT_WINDOW_DAYS = 15  # Reg 13(1): at least 15 days beginning with the day the draft is served


def _fmt(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _not_future(d: dt.date, what: str, today: dt.date, field: str) -> None:
    if d > today:
        raise ActionError(f"{what} must be today or in the past", field=field)


def _not_before(
    d: dt.date, earlier: dt.date | None, what: str, earlier_what: str, field: str
) -> None:
    if earlier is not None and d < earlier:
        raise ActionError(
            f"{what} must be the same as or after {earlier_what} ({_fmt(earlier)})", field=field
        )


def _lock(case: Case, expected_version: int | None) -> Case:
    """Lock the case row for this transaction and check nobody saved it since it was opened.

    Inside deferred_deadlines() within one transaction (an import), a case this block created or
    already locked is held until the transaction ends: passed back as the same object an earlier
    action returned, it is current, so it is used as it is, without reading the row again."""
    state = deferring()
    if state is not None and expected_version is None and state.held.get(case.pk) is case:
        return case
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _hold(locked)
    if expected_version is not None and locked.version != expected_version:
        changes = [
            f"{e.type.replace('_', ' ')} on {_fmt(e.date)} recorded by {e.recorded_by or 'an import'}"
            for e in locked.events.filter(recorded_at__gte=case.updated_at).select_related(
                "recorded_by"
            )
        ]
        raise StaleCase(
            STALE_MESSAGE,
            changes=changes,
        )
    return locked


def _hold(case: Case) -> None:
    """Remember a case created or locked inside a deferred block's transaction (see _lock)."""
    state = deferring()
    if state is not None and state.in_transaction:
        state.held[case.pk] = case


_F = TypeVar("_F", bound=Callable[..., Any])


def _action(fn: _F) -> _F:
    """An action runs atomically. Inside a deferred block's transaction it takes no savepoint of
    its own (a failure rolls back to the caller's savepoint or transaction), and a failed action
    marks the block failed: its buffered audit entries cannot be undone by a savepoint, so the
    block must not be committed."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        state = deferring()
        try:
            with transaction.atomic(savepoint=state is None or not state.in_transaction):
                return fn(*args, **kwargs)
        except BaseException:
            state = deferring()
            if state is not None:
                state.failed = True
            raise

    return run  # type: ignore[return-value]


def audit_action(
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    *,
    case: Case | None,
    payload: dict[str, Any] | None = None,
) -> None:
    """audit(), or inside a deferred block's transaction the same entry kept for one bulk insert
    when the block ends (before the deadlines are recomputed)."""
    state = deferring()
    if state is None or not state.in_transaction:
        audit(actor, action, obj, summary, case=case, payload=payload)
        return
    state.audits.append(
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            case=case,
            summary=summary[:255],
            payload=payload or {},
        )
    )


def _event(case: Case, type_: str, date: dt.date, actor: Any, **data: Any) -> StatutoryEvent:
    """Append a statutory event after checking the whole history still makes sense to the clock.

    Inside deferred_deadlines() the new event is checked on its own (its type and fields); the
    block checks every changed case's whole history once, when it ends, and fails if any
    contradicts itself (HistoryContradiction), so nothing unchecked is kept."""
    clean = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in data.items()
        if v not in (None, "")
    }
    try:
        if deferring() is not None:
            statutory.stored_events([(type_, date, clean)])
        else:
            history = [e.as_clock_dict() for e in case.events.all()]
            history.append({"type": type_, "date": date.isoformat(), **clean})
            statutory.parse_events(history)
    except statutory.ClockInputError as exc:
        raise ActionError(str(exc)) from exc
    return buffer.create(
        StatutoryEvent,
        case=case,
        type=type_,
        date=date,
        data=clean,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _notice(case: Case, d: dt.date, actor: Any) -> None:
    """The written notice of an appealable decision, which starts the appeal window. One a day:
    every decision notified on a day has the same window, so one row covers them."""
    if any(
        e.type == "decision_notice" and e.date == d
        for e in buffer.related(case, StatutoryEvent, "case")
    ):
        return
    _event(case, "decision_notice", d, actor)


def _finish(
    case: Case, actor: Any, summary: str, obj: Any, today: dt.date, payload: dict[str, Any]
) -> None:
    case.version += 1
    buffer.save(case, ["version", "stage", "closed_on", "updated_at"])
    audit_action(
        actor,
        "update" if obj is not None else "create",
        obj or case,
        summary,
        case=case,
        payload=payload,
    )
    recompute_deadlines(case, today=today)


def _require_stage(case: Case, allowed: tuple[str, ...], doing: str) -> None:
    if case.stage not in allowed:
        raise ActionError(f"You cannot {doing} while the case is at ‘{case.get_stage_display()}’.")


_R = TypeVar("_R")


def _has_open_case(child: Child) -> bool:
    return any(c.stage in OPEN_STAGES for c in buffer.related(child, Case, "child"))


def _plan_for(case: Case) -> Plan:
    """The case's plan, made if it has none yet."""
    if buffer.is_buffered(case):  # its plan, if any, was made in this block and is cached on it
        plan: Plan | None = Case.plan.related.get_cached_value(case, default=None)  # type: ignore[assignment]
    else:
        plan = Plan.objects.filter(case=case).first()
    return plan or buffer.create(Plan, case=case)


def next_case_reference(received_on: dt.date) -> str:
    """The next reference for the year, EHC-25-00001. Inside a deferred block's transaction the
    last number is read once per year and counted on (the block's cases are its own)."""
    prefix = f"EHC-{received_on:%y}-"
    state = deferring()
    if state is not None and state.in_transaction and prefix in state.references:
        state.references[prefix] += 1
        return f"{prefix}{state.references[prefix]:05d}"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    if state is not None and state.in_transaction:
        state.references[prefix] = number
    return f"{prefix}{number:05d}"


# --- Requests and the decision to assess -------------------------------------------------


@_action
def open_case_from_request(
    child: Child,
    *,
    received_on: dt.date,
    source: int,
    actor: Any,
    requester_name: str = "",
    young_person_request: bool = False,
    officer: Any = None,
    team: Any = None,
    today: dt.date | None = None,
    historical: bool = False,
) -> Case:
    """Record a request for an EHC needs assessment, opening a new case for the child.

    `historical=True` (SEN2 imports only, RequestOutcome H): the request predates the records,
    so its row is kept but no request_received event is written and the clock does not count
    decision and assessment deadlines whose steps the return cannot tell us.
    """
    today = _today(today)
    _not_future(received_on, "The date the request was received", today, "received_on")
    _not_before(
        received_on,
        child.date_of_birth,
        "The date the request was received",
        "the child's date of birth",
        "received_on",
    )
    if _has_open_case(child):
        raise ActionError(
            f"{child} already has an open case. Record the request on that case or close it first."
        )
    case = buffer.create(
        Case,
        reference=next_case_reference(received_on),
        child=child,
        officer=officer,
        team=team or getattr(officer, "team", None),
        stage=Stage.REQUESTED,
        opened_on=received_on,
    )
    _hold(case)
    request = buffer.create(
        AssessmentRequest,
        case=case,
        received_on=received_on,
        source=source,
        requester_name=requester_name,
        young_person_request=young_person_request,
    )
    if not historical:
        _event(case, "request_received", received_on, actor)
    _finish(
        case,
        actor,
        f"Request for assessment received {_fmt(received_on)}",
        None,
        today,
        {"source": source, **({"imported": True, "historical": True} if historical else {})},
    )
    audit_action(actor, "create", request, "Request recorded", case=case)
    return case


@_action
def record_decision_to_assess(
    case: Case,
    *,
    decided_on: dt.date,
    outcome: str,
    actor: Any,
    panel: str = "",
    panel_date: dt.date | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> Case:
    """Record the decision whether to assess (Reg 4, 5): assess, or refuse with appeal rights.

    `imported=True` (SEN2 imports): a past decision, so no letter goes to the family."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.REQUESTED,), "record a decision whether to assess")
    request = case.request
    _not_future(decided_on, "The date of the decision", today, "decided_on")
    _not_before(
        decided_on,
        request.received_on,
        "The date of the decision",
        "the date the request was received",
        "decided_on",
    )
    if outcome not in AssessmentRequest.Decision.values:
        raise ActionError("Select whether the council will assess", field="outcome")
    request.decision, request.decision_on = outcome, decided_on
    if panel_date is not None and panel_date > decided_on:
        raise ActionError(
            "The date of the panel must be the same as or before the date of the decision",
            field="panel_date",
        )
    request.decision_panel, request.decision_panel_date = panel, panel_date
    buffer.save(request)
    _event(case, "decision_to_assess", decided_on, actor, outcome=outcome)
    if outcome == AssessmentRequest.Decision.ASSESS:
        case.stage = Stage.ASSESSING
    else:
        case.stage, case.closed_on = Stage.NOT_ASSESSED, decided_on
        _notice(case, decided_on, actor)
    if not imported:
        notify_family(
            case,
            "decision_to_assess" if outcome == "assess" else "decision_not_to_assess",
            {"decision_date": _fmt(decided_on)},
        )
    _finish(
        case,
        actor,
        f"Decision to {'assess' if outcome == 'assess' else 'not assess'} on {_fmt(decided_on)}",
        request,
        today,
        {"outcome": outcome, "panel": panel, **({"imported": True} if imported else {})},
    )
    return case


# --- Advice and exceptions ---------------------------------------------------------------


@_action
def record_advice_requested(
    case: Case,
    *,
    kind: str,
    provider: str,
    requested_on: dt.date,
    actor: Any,
    advice_id: str | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AdviceRequest:
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.ASSESSING, Stage.DRAFT), "request advice")
    _not_future(requested_on, "The date advice was requested", today, "requested_on")
    _not_before(
        requested_on,
        case.request.decision_on,
        "The date advice was requested",
        "the decision to assess",
        "requested_on",
    )
    asked = buffer.related(case, AdviceRequest, "case")
    advice_id = advice_id or f"{kind}-{len(asked) + 1}"
    if any(a.advice_id == advice_id for a in asked):
        raise ActionError("This advice request has already been recorded")
    advice = buffer.create(
        AdviceRequest,
        case=case,
        advice_id=advice_id,
        kind=kind,
        provider=provider,
        requested_on=requested_on,
    )
    _event(case, "advice_requested", requested_on, actor, advice_id=advice_id, kind=kind)
    _finish(
        case,
        actor,
        f"{advice.get_kind_display()} advice requested from {provider}",
        advice,
        today,
        {"advice_id": advice_id},
    )
    return advice


@_action
def record_advice_received(
    case: Case,
    *,
    advice_id: str,
    received_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AdviceRequest:
    today = _today(today)
    case = _lock(case, expected_version)
    advice = next(
        (a for a in buffer.related(case, AdviceRequest, "case") if a.advice_id == advice_id), None
    )
    if advice is None:
        raise ActionError("Select the advice request that was answered", field="advice_id")
    if advice.received_on is not None:
        raise ActionError(
            f"This advice was already recorded as received on {_fmt(advice.received_on)}"
        )
    _not_future(received_on, "The date the advice was received", today, "received_on")
    _not_before(
        received_on,
        advice.requested_on,
        "The date the advice was received",
        "the date it was requested",
        "received_on",
    )
    advice.received_on = received_on
    buffer.save(advice, ["received_on"])
    _event(case, "advice_received", received_on, actor, advice_id=advice_id)
    _finish(
        case,
        actor,
        f"{advice.get_kind_display()} advice received",
        advice,
        today,
        {"advice_id": advice_id},
    )
    return advice


@_action
def record_exception(
    case: Case,
    *,
    reason: str,
    start: dt.date,
    end: dt.date,
    why: str,
    actor: Any,
    applies_to: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> TimeLimitException:
    """Record an exception to the time limits (Regs 5(4), 8(2), 10(4), 13(3)).

    `imported=True` (SEN2 imports: Week20 = 1 says an exception applied, not which): the reason
    may be blank; the row is kept for the return and the reports, but no clock event is written
    until someone records the reason."""
    today = _today(today)
    case = _lock(case, expected_version)
    unknown_reason = imported and reason == ""
    if reason not in ExceptionReason.values and not unknown_reason:
        raise ActionError("Select the reason the time limit cannot be met", field="reason")
    if end < start:
        raise ActionError("The end date must be the same as or after the start date", field="end")
    if not why.strip():
        raise ActionError("Enter why the exception applies", field="why")
    if reason == ExceptionReason.MISSED_APPOINTMENT and not applies_to:
        raise ActionError(
            "A missed appointment only excuses advice: select the advice request it delays",
            field="applies_to",
        )
    exc = buffer.create(
        TimeLimitException,
        case=case,
        reason=reason,
        start=start,
        end=end,
        applies_to=applies_to,
        why=why,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not unknown_reason:
        _event(
            case,
            "exception",
            start,
            actor,
            reason=reason,
            start=start,
            end=end,
            applies_to=applies_to,
        )
    _finish(
        case,
        actor,
        f"Exception recorded: {exc.get_reason_display() or 'reason not recorded'}",
        exc,
        today,
        {
            "reason": reason,
            "start": start.isoformat(),
            "end": end.isoformat(),
            **({"imported": True} if imported else {}),
        },
    )
    return exc


# --- The plan ------------------------------------------------------------------------------


def _new_version(
    plan: Plan,
    kind: str,
    issued_on: dt.date,
    actor: Any,
    sections: dict[str, str] | None,
    needs: list[tuple[str, str]] | None,
) -> PlanVersion:
    versions = buffer.related(plan, PlanVersion, "plan")
    previous = max(versions, key=lambda v: v.number) if versions else None
    version = buffer.create(
        PlanVersion,
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        kind=kind,
        issued_on=issued_on,
        sections=sections if sections is not None else (previous.sections if previous else {}),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if needs is None and previous is not None:
        needs = [
            (n.code, n.description)
            for n in sorted(buffer.related(previous, Need, "version"), key=lambda n: n.rank)
        ]
    for rank, (code, description) in enumerate(needs or [], start=1):
        buffer.create(Need, version=version, rank=rank, code=code, description=description)
    if needs:
        plan.primary_need = needs[0][0]
    return version


@_action
def record_draft_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Any,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Serve the draft plan: the family then has at least 15 days to comment (Reg 13(1))."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.ASSESSING,), "issue a draft plan")
    _not_future(issued_on, "The date the draft plan was issued", today, "issued_on")
    _not_before(
        issued_on,
        case.request.decision_on,
        "The date the draft plan was issued",
        "the decision to assess",
        "issued_on",
    )
    plan = _plan_for(case)
    plan.draft_issued_on = issued_on
    _new_version(plan, PlanVersion.Kind.DRAFT, issued_on, actor, sections, needs)
    buffer.save(plan)
    _event(case, "draft_issued", issued_on, actor)
    case.stage = Stage.DRAFT
    notify_family(
        case,
        "draft_plan_issued",
        {
            "issued_on": _fmt(issued_on),
            "comments_by": _fmt(issued_on + dt.timedelta(days=DRAFT_WINDOW_DAYS - 1)),
        },
    )
    _finish(case, actor, f"Draft plan issued {_fmt(issued_on)}", plan, today, {})
    return plan


@_action
def record_final_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Any,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> Plan:
    """Issue the final EHC plan (Reg 13(2)); not inside the draft's 15-day comments window.

    `imported=True` (SEN2 imports): the return holds no draft date, so a plan may be recorded
    without a draft (no draft_issued event is invented) and no letter goes to the family."""
    today = _today(today)
    case = _lock(case, expected_version)
    if imported:
        _require_stage(
            case, (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT), "issue the final plan"
        )
        plan = _plan_for(case)
    else:
        _require_stage(case, (Stage.DRAFT,), "issue the final plan")
        plan = case.plan
        if plan.draft_issued_on is None:
            raise ActionError("Issue the draft plan before the final plan")
    _not_future(issued_on, "The date the final plan was issued", today, "issued_on")
    draft_on = plan.draft_issued_on
    earliest = draft_on + dt.timedelta(days=DRAFT_WINDOW_DAYS) if draft_on else issued_on
    if draft_on is not None and issued_on < earliest:
        raise ActionError(
            f"The final plan cannot be issued before {_fmt(earliest)}: the family has 15 days from the draft "
            f"({_fmt(draft_on)}) to comment (SEND Regulations 2014, reg 13(1))",
            field="issued_on",
        )
    _new_version(plan, PlanVersion.Kind.FINAL, issued_on, actor, sections, needs)
    plan.first_issued_on = issued_on
    plan.status = Plan.Status.ACTIVE
    buffer.save(plan)
    _event(case, "final_issued", issued_on, actor)
    _notice(case, issued_on, actor)  # the plan's contents can be appealed (CFA s51(2)(c))
    case.stage = Stage.PLAN
    if not imported:
        notify_family(case, "final_plan_issued", {"issued_on": _fmt(issued_on)})
    _finish(
        case,
        actor,
        f"Final plan issued {_fmt(issued_on)}",
        plan,
        today,
        {"imported": True, "without_draft": plan.draft_issued_on is None} if imported else {},
    )
    buffer.create(AnnualReview, plan=plan, due_on=_add_months(issued_on, 12))
    return plan


@_action
def record_decision_not_to_issue(
    case: Case,
    *,
    decided_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> Case:
    """After assessment, notify that no plan will be issued (Reg 10). `imported=True`: no letter."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.ASSESSING,), "record a decision not to issue a plan")
    _not_future(decided_on, "The date of the decision", today, "decided_on")
    _not_before(
        decided_on,
        case.request.decision_on,
        "The date of the decision",
        "the decision to assess",
        "decided_on",
    )
    request = case.request
    request.not_to_issue_on = decided_on
    buffer.save(request, ["not_to_issue_on"])
    _event(case, "decision_not_to_issue", decided_on, actor)
    _notice(case, decided_on, actor)
    case.stage, case.closed_on = Stage.NOT_ISSUED, decided_on
    if not imported:
        notify_family(case, "decision_not_to_issue", {"decision_date": _fmt(decided_on)})
    _finish(
        case,
        actor,
        f"Decided not to issue a plan, {_fmt(decided_on)}",
        request,
        today,
        {"imported": True} if imported else {},
    )
    return case


@_action
def record_withdrawal(
    case: Case,
    *,
    withdrawn_on: dt.date | None,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> Case:
    """The request was withdrawn (or the family moved away) before a plan was issued: close the case.

    The clock has no withdrawal event; closing the case takes it off the work queue.
    `imported=True` (SEN2 outcome W carries no date): the date may be left blank."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT), "close the request")
    if withdrawn_on is None and not imported:
        raise ActionError("Enter the date the request was withdrawn", field="withdrawn_on")
    request = case.request
    if withdrawn_on is not None:
        _not_future(withdrawn_on, "The date the request was withdrawn", today, "withdrawn_on")
        _not_before(
            withdrawn_on,
            request.received_on,
            "The date the request was withdrawn",
            "the date the request was received",
            "withdrawn_on",
        )
    request.withdrawn_on = withdrawn_on
    buffer.save(request, ["withdrawn_on"])
    case.stage, case.closed_on = Stage.WITHDRAWN, withdrawn_on
    _finish(
        case,
        actor,
        f"Request withdrawn{f' {_fmt(withdrawn_on)}' if withdrawn_on else ''}",
        request,
        today,
        {"imported": True} if imported else {},
    )
    return case


def _add_months(d: dt.date, months: int) -> dt.date:
    import calendar

    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --- Annual reviews ------------------------------------------------------------------------


def _reviews(plan: Plan) -> list[AnnualReview]:
    """The plan's reviews, oldest row first (from the write buffer while the plan is in it)."""
    return buffer.related(plan, AnnualReview, "plan")


def _first(rows: list[_R], key: Callable[[_R], Any], *, latest: bool = False) -> _R | None:
    """The row with the smallest key (the largest with latest=True); the oldest row on a tie."""
    if not rows:
        return None
    if latest:
        return max(reversed(rows), key=key)
    return min(rows, key=key)


def _held_meetings(plan: Plan) -> list[AnnualReview]:
    return [r for r in _reviews(plan) if r.meeting_on is not None]


def _open_review(plan: Plan) -> AnnualReview:
    reviews = _reviews(plan)
    review = _first([r for r in reviews if r.decision == ""], lambda r: r.due_on)
    if review is None:
        last = _first(reviews, lambda r: r.due_on, latest=True)
        base = (
            last.meeting_on if last and last.meeting_on else plan.first_issued_on
        ) or timezone.localdate()
        review = buffer.create(AnnualReview, plan=plan, due_on=_add_months(base, 12))
    return review


@_action
def record_review_meeting(
    case: Case,
    *,
    meeting_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """Hold the annual review meeting (CFA s44; Reg 20)."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record a review meeting")
    plan = case.plan
    _not_future(meeting_on, "The date of the review meeting", today, "meeting_on")
    _not_before(
        meeting_on,
        plan.first_issued_on,
        "The date of the review meeting",
        "the date the plan was issued",
        "meeting_on",
    )
    review = _open_review(plan)
    if review.meeting_on is not None:
        raise ActionError(
            f"The review meeting on {_fmt(review.meeting_on)} has no decision yet. Record the decision first."
        )
    last = _first(_held_meetings(plan), lambda r: r.meeting_on, latest=True)
    if last is not None:
        _not_before(
            meeting_on,
            last.meeting_on,
            "The date of the review meeting",
            "the previous review meeting",
            "meeting_on",
        )
    review.meeting_on = meeting_on
    buffer.save(review, ["meeting_on"])
    _event(case, "review_meeting", meeting_on, actor)
    _finish(case, actor, f"Annual review meeting held {_fmt(meeting_on)}", review, today, {})
    return review


@_action
def record_review_decision(
    case: Case,
    *,
    decided_on: dt.date,
    outcome: str,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
    imported: bool = False,
) -> AnnualReview:
    """Notify the decision to maintain, amend or cease after a review (Reg 20(10)).

    `imported=True` (SEN2 imports): a past decision, so no letter goes to the family."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record a review decision")
    if outcome not in ReviewOutcome.values:
        raise ActionError("Select the decision: maintain, amend or cease the plan", field="outcome")
    review = _first(
        [r for r in _held_meetings(case.plan) if r.decision == ""], lambda r: r.meeting_on
    )
    if review is None:
        raise ActionError("Record the review meeting before the decision")
    _not_future(decided_on, "The date the decision was sent", today, "decided_on")
    _not_before(
        decided_on,
        review.meeting_on,
        "The date the decision was sent",
        "the review meeting",
        "decided_on",
    )
    review.decision, review.decision_on = outcome, decided_on
    buffer.save(review, ["decision", "decision_on"])
    _event(case, "review_decision", decided_on, actor, outcome=outcome)
    if outcome != ReviewOutcome.AMEND:
        # Maintaining the plan unchanged (CFA s51(2)(e)) or ceasing it (s51(2)(f)) can be
        # appealed; a decision to amend is appealed through the amended plan when it is issued.
        _notice(case, decided_on, actor)
    if not imported:
        notify_family(
            case,
            "review_decision",
            {"decision": review.get_decision_display(), "decision_date": _fmt(decided_on)},
        )
    if outcome != ReviewOutcome.CEASE and review.meeting_on is not None:
        buffer.create(AnnualReview, plan=case.plan, due_on=_add_months(review.meeting_on, 12))
    _finish(
        case,
        actor,
        f"Review decision: {review.get_decision_display()}",
        review,
        today,
        {"outcome": outcome, **({"imported": True} if imported else {})},
    )
    return review


@_action
def record_amendment_notice(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Any,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PlanVersion:
    """Send the proposed amendments (Reg 22): at least 15 days for comments; final within 8 weeks."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "send proposed amendments")
    review = _first(
        [
            r
            for r in _held_meetings(case.plan)
            if r.decision == ReviewOutcome.AMEND and r.amendment_notice_on is None
        ],
        lambda r: r.meeting_on,
        latest=True,
    )
    _not_future(issued_on, "The date the proposed amendments were sent", today, "issued_on")
    if review is not None:
        _not_before(
            issued_on,
            review.meeting_on,
            "The date the proposed amendments were sent",
            "the review meeting",
            "issued_on",
        )
        review.amendment_notice_on = issued_on
        buffer.save(review, ["amendment_notice_on"])
    version = _new_version(
        case.plan, PlanVersion.Kind.PROPOSED_AMENDMENT, issued_on, actor, sections, needs
    )
    buffer.save(case.plan)
    _event(case, "amendment_notice", issued_on, actor)
    _finish(case, actor, f"Proposed amendments sent {_fmt(issued_on)}", version, today, {})
    return version


@_action
def record_final_amended_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Any,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PlanVersion:
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "issue a final amended plan")
    notice = _first(
        [
            v
            for v in buffer.related(case.plan, PlanVersion, "plan")
            if v.kind == PlanVersion.Kind.PROPOSED_AMENDMENT
        ],
        lambda v: v.number,
        latest=True,
    )
    if notice is None:
        raise ActionError("Send the proposed amendments before the final amended plan")
    _not_future(issued_on, "The date the final amended plan was issued", today, "issued_on")
    earliest = notice.issued_on + dt.timedelta(days=DRAFT_WINDOW_DAYS)
    if issued_on < earliest:
        raise ActionError(
            f"The final amended plan cannot be issued before {_fmt(earliest)}: the family has 15 days from the "
            f"proposed amendments ({_fmt(notice.issued_on)}) to comment (SEND Regulations 2014, reg 22(2)(c))",
            field="issued_on",
        )
    version = _new_version(case.plan, PlanVersion.Kind.AMENDED, issued_on, actor, sections, needs)
    buffer.save(case.plan)
    for review in _reviews(case.plan):
        if review.amendment_notice_on == notice.issued_on and review.final_amended_on is None:
            review.final_amended_on = issued_on
            buffer.save(review, ["final_amended_on"])
    _event(case, "final_amended_plan", issued_on, actor)
    _notice(case, issued_on, actor)  # the amended plan can be appealed (CFA s51(2)(c))
    _finish(case, actor, f"Final amended plan issued {_fmt(issued_on)}", version, today, {})
    return version


# --- Phase transfers, ceasing and transfers between councils ----------------------------------


@_action
def record_phase_transfer(
    case: Case,
    *,
    transfer_date: dt.date,
    kind: str,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PhaseTransfer:
    """Note a coming phase transfer: the plan must name the new setting by 15 February (or 31 March post-16)."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record a phase transfer")
    if kind not in PhaseTransfer.Kind.values:
        raise ActionError("Select the kind of phase transfer", field="kind")
    due = (
        dt.date(transfer_date.year, 2, 15)
        if kind == PhaseTransfer.Kind.SCHOOL
        else dt.date(transfer_date.year, 3, 31)
    )
    transfer = buffer.create(
        PhaseTransfer, plan=case.plan, kind=kind, transfer_date=transfer_date, due_on=due
    )
    _event(case, "phase_transfer", transfer_date, actor, kind=kind)
    _finish(
        case,
        actor,
        f"Phase transfer on {_fmt(transfer_date)} noted",
        transfer,
        today,
        {"kind": kind},
    )
    return transfer


@_action
def record_phase_transfer_named(
    case: Case,
    *,
    named_on: dt.date,
    actor: Any,
    setting: Any = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PhaseTransfer:
    today = _today(today)
    case = _lock(case, expected_version)
    transfer = _first(
        [t for t in buffer.related(case.plan, PhaseTransfer, "plan") if t.named_on is None],
        lambda t: t.transfer_date,
    )
    if transfer is None:
        raise ActionError("There is no phase transfer waiting for a named setting")
    _not_future(named_on, "The date the amended plan named the new setting", today, "named_on")
    transfer.named_on, transfer.new_setting = named_on, setting
    buffer.save(transfer, ["named_on", "new_setting"])
    _event(case, "phase_transfer_named", named_on, actor)
    _finish(
        case,
        actor,
        f"New setting named for the phase transfer on {_fmt(named_on)}",
        transfer,
        today,
        {},
    )
    return transfer


@_action
def cease_plan(
    case: Case,
    *,
    cease_date: dt.date,
    reason: int,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Record that the plan ended (SEN2 CeaseDate: the date it actually ended, with CeaseReason)."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "cease the plan")
    if reason not in CeaseReason.values:
        raise ActionError("Select why the plan ended", field="reason")
    plan = case.plan
    _not_future(cease_date, "The date the plan ended", today, "cease_date")
    _not_before(
        cease_date,
        plan.first_issued_on,
        "The date the plan ended",
        "the date the plan was issued",
        "cease_date",
    )
    plan.status, plan.cease_date, plan.cease_reason = Plan.Status.CEASED, cease_date, reason
    buffer.save(plan, ["status", "cease_date", "cease_reason"])
    for placement in buffer.related(plan, Placement, "plan"):
        if placement.leaving_date is None:
            placement.leaving_date = cease_date
            buffer.save(placement, ["leaving_date"])
    _event(case, "cease_decision", cease_date, actor, reason=reason)
    case.stage = Stage.TRANSFERRED_OUT if reason == CeaseReason.TRANSFERRED_LA else Stage.CEASED
    case.closed_on = cease_date
    _finish(
        case,
        actor,
        f"Plan ceased {_fmt(cease_date)}: {CeaseReason(reason).label}",
        plan,
        today,
        {"reason": reason},
    )
    return plan


@_action
def record_transfer_in(
    child: Child,
    *,
    transferred_on: dt.date,
    last_review: dt.date,
    from_la_code: str,
    from_la_name: str,
    actor: Any,
    officer: Any = None,
    team: Any = None,
    today: dt.date | None = None,
    needs: list[tuple[str, str]] | None = None,
) -> Case:
    """A plan transferred in from another council (Reg 15): a new case at the plan stage.

    `needs` (code, description), primary first: the needs in the plan received, kept as its
    first version."""
    today = _today(today)
    _not_future(transferred_on, "The date the plan was transferred", today, "transferred_on")
    _not_before(
        transferred_on,
        last_review,
        "The date the plan was transferred",
        "its last review",
        "transferred_on",
    )
    if _has_open_case(child):
        raise ActionError(f"{child} already has an open case")
    case = buffer.create(
        Case,
        reference=next_case_reference(transferred_on),
        child=child,
        officer=officer,
        team=team or getattr(officer, "team", None),
        stage=Stage.PLAN,
        opened_on=transferred_on,
    )
    _hold(case)
    plan = buffer.create(Plan, case=case, status=Plan.Status.ACTIVE, first_issued_on=transferred_on)
    if needs:
        _new_version(plan, PlanVersion.Kind.FINAL, transferred_on, actor, None, needs)
        buffer.save(plan, ["primary_need"])
    transfer = buffer.create(
        Transfer,
        case=case,
        direction=Transfer.Direction.IN,
        other_la_code=from_la_code,
        other_la_name=from_la_name,
        transferred_on=transferred_on,
        last_review=last_review,
    )
    review_due = max(_add_months(last_review, 12), _add_months(transferred_on, 3))
    buffer.create(AnnualReview, plan=plan, due_on=review_due)
    _event(case, "transfer_in", transferred_on, actor, last_review=last_review)
    _finish(
        case, actor, f"Plan transferred in from {from_la_name or from_la_code}", transfer, today, {}
    )
    return case


# --- Review preparation and the report; the notice after a transfer in ------------------------


def _review_before_its_meeting(plan: Plan) -> AnnualReview:
    """The next review, while its meeting is still to come (invitations and advice go out before it)."""
    review = _open_review(plan)
    if review.meeting_on is not None:
        raise ActionError(
            "The review meeting is already recorded. Record the review decision first."
        )
    return review


@_action
def record_review_invitations_sent(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """Invitations to the review meeting sent: at least 2 weeks before it (Reg 20(3))."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record review invitations")
    _not_future(sent_on, "The date the invitations were sent", today, "sent_on")
    review = _review_before_its_meeting(case.plan)
    last = _first(_held_meetings(case.plan), lambda r: r.meeting_on, latest=True)
    _not_before(
        sent_on,
        last.meeting_on if last else case.plan.first_issued_on,
        "The date the invitations were sent",
        "the last review meeting or the plan",
        "sent_on",
    )
    review.invitations_sent_on = sent_on
    buffer.save(review, ["invitations_sent_on"])
    _event(case, "review_invitations_sent", sent_on, actor)
    _finish(case, actor, f"Review meeting invitations sent {_fmt(sent_on)}", review, today, {})
    return review


@_action
def record_review_advice_circulated(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """Advice for the review circulated: at least 2 weeks before the meeting (Reg 20(4))."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record review advice circulated")
    _not_future(sent_on, "The date the advice was circulated", today, "sent_on")
    review = _review_before_its_meeting(case.plan)
    _event(case, "review_advice_circulated", sent_on, actor)
    _finish(case, actor, f"Advice for the review circulated {_fmt(sent_on)}", review, today, {})
    return review


@_action
def record_review_report(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """The report of the review meeting sent to the council and everyone invited: 2 weeks (Reg 20(7))."""
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record the review report")
    review = _first(
        [r for r in _held_meetings(case.plan) if r.report_on is None],
        lambda r: r.meeting_on,
        latest=True,
    )
    if review is None or review.meeting_on is None:
        raise ActionError("Record the review meeting before its report")
    _not_future(sent_on, "The date the report was sent", today, "sent_on")
    _not_before(
        sent_on, review.meeting_on, "The date the report was sent", "the review meeting", "sent_on"
    )
    review.report_on = sent_on
    buffer.save(review, ["report_on"])
    _event(case, "review_report", sent_on, actor)
    _finish(case, actor, f"Review report sent {_fmt(sent_on)}", review, today, {})
    return review


@_action
def record_transfer_in_notice(
    case: Case,
    *,
    notice_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Transfer:
    """After a plan transfers in, tell the family whether we will reassess or review: 6 weeks (Reg 15(4))."""
    today = _today(today)
    case = _lock(case, expected_version)
    transfer = next(
        (
            t
            for t in buffer.related(case, Transfer, "case")
            if t.direction == Transfer.Direction.IN and t.notice_on is None
        ),
        None,
    )
    if transfer is None or transfer.transferred_on is None:
        raise ActionError("This case has no plan transferred in that is waiting for a notice")
    _not_future(notice_on, "The date the family was told", today, "notice_on")
    _not_before(
        notice_on,
        transfer.transferred_on,
        "The date the family was told",
        "the transfer",
        "notice_on",
    )
    transfer.notice_on = notice_on
    buffer.save(transfer, ["notice_on"])
    _event(case, "transfer_in_notice", notice_on, actor)
    _finish(
        case,
        actor,
        f"Family told of the plan for the transferred plan, {_fmt(notice_on)}",
        transfer,
        today,
        {},
    )
    return transfer
