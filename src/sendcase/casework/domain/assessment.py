"""The request for an EHC needs assessment, the decision whether to assess, advice and
exceptions to the time limits, and the ends of an assessment without a plan (CFA 2014 s36 to
s37; SEND Regulations 2014 regs 3 to 10).

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses a step that does not fit (ActionError), moves
the case's version on, writes one audit entry and recomputes the case's deadlines once. What
else each one does:

* `open_case_from_request`: creates the Case (a new reference) and its AssessmentRequest;
  event `request_received` (none for a historical request); audit "create" for the case and
  for the request; the family's acknowledgement (the decision by the `decision_to_assess` due
  date) unless `notify=False` or the request is historical.
* `record_decision_to_assess`: AssessmentRequest decision, date and panel; event
  `decision_to_assess`; a refusal closes the case (NOT_ASSESSED) and writes a `decision_notice`
  (the appeal window); the family's letter unless `notify=False`.
* `record_advice_requested` / `record_advice_received`: an AdviceRequest row, then its
  received date; events `advice_requested` / `advice_received`; the request letter to the
  adviser (by email to `provider_email`; reply by the request's `advice_due` date) unless
  `notify=False`; no message when the advice is received.
* `record_exception`: a TimeLimitException row; event `exception` (none for an imported
  exception whose reason the return does not give); no message.
* `record_decision_not_to_issue`: AssessmentRequest.not_to_issue_on; events
  `decision_not_to_issue` and `decision_notice`; closes the case (NOT_ISSUED); the family's
  letter unless `notify=False`.
* `record_decision_to_issue`: AssessmentRequest.issue_decision_on (a panel's decision to issue a
  plan, before the draft); no clock event (the draft's deadline runs from the request, and the
  draft's issue is its own step); SEN2 AssessmentOutcome Y until the plan is issued; no message.
* `record_withdrawal`: AssessmentRequest.withdrawn_on, the reason on Case.closed_reason; closes
  the case (WITHDRAWN, SEN2 W); no clock event (the clock has none for a withdrawal); no message.
* `close_case`: the same, for a case closed before any plan for another reason (moved away,
  died, opened in error), with the reason.
"""

from __future__ import annotations

import datetime as dt

from sendcase.accounts.models import Team, User
from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    Case,
    Child,
    Stage,
    TimeLimitException,
)
from sendcase.core import identity
from sendcase.core.actors import Actor, user_of
from sendcase.core.codes import ExceptionReason
from sendcase.documents.actions import Recipient, email_recipient, issue_letter
from sendcase.statutory.dates import format_date


@kernel.action
def open_case_from_request(
    child: Child,
    *,
    received_on: dt.date,
    source: int,
    actor: Actor,
    requester_name: str = "",
    young_person_request: bool = False,
    officer: User | None = None,
    team: Team | None = None,
    today: dt.date | None = None,
    historical: bool = False,
    notify: kernel.Notify = None,
) -> Case:
    """Record a request for an EHC needs assessment, opening a new case for the child.

    `historical=True` (SEN2 imports only, RequestOutcome H): the request predates the records,
    so its row is kept but no request_received event is written and the clock does not count
    decision and assessment deadlines whose steps the return cannot tell us; no letter.
    `notify`: the family's acknowledgement (kernel.letter_delivery).
    """
    today = kernel.local_today(today)
    kernel.not_future(received_on, "The date the request was received", today, "received_on")
    kernel.not_before(
        received_on,
        child.date_of_birth,
        "The date the request was received",
        "the child's date of birth",
        "received_on",
    )
    if kernel.has_open_case(child):
        raise ActionError(
            f"{child} already has an open case. Record the request on that case or close it first."
        )
    case = buffer.create(
        Case,
        reference=kernel.next_case_reference(received_on),
        child=child,
        officer=officer,
        team=team or getattr(officer, "team", None),
        stage=Stage.REQUESTED,
        opened_on=received_on,
    )
    kernel.hold(case)
    request = buffer.create(
        AssessmentRequest,
        case=case,
        received_on=received_on,
        source=source,
        requester_name=requester_name,
        young_person_request=young_person_request,
    )
    if not historical:
        kernel.write_event(case, "request_received", received_on, actor)
    kernel.finish(
        case,
        actor,
        f"Request for assessment received {format_date(received_on)}",
        None,
        today,
        {"source": source, **({"imported": True, "historical": True} if historical else {})},
    )
    kernel.audit_action(actor, "create", request, "Request recorded", case=case)
    if not historical:
        issue_letter(
            case,
            "request_received",
            on=received_on,
            actor=actor,
            notify=kernel.letter_delivery(notify, received_on, today),
            today=today,
        )
    return case


@kernel.action
@kernel.stages(Stage.REQUESTED)
def record_decision_to_assess(
    case: Case,
    *,
    decided_on: dt.date,
    outcome: str,
    actor: Actor,
    panel: str = "",
    panel_date: dt.date | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
    import_mode: bool = False,
) -> Case:
    """Record the decision whether to assess (Reg 4, 5): assess, or refuse with appeal rights.

    `notify=False`: no letter to the family (an import records a past decision); see
    kernel.letter_delivery for the others.
    `import_mode=True` (SEN2 imports): nothing is relaxed; the audit entry says it was imported."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_decision_to_assess, "record a decision whether to assess")
    request = case.request
    kernel.not_future(decided_on, "The date of the decision", today, "decided_on")
    kernel.not_before(
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
    kernel.write_event(case, "decision_to_assess", decided_on, actor, outcome=outcome)
    if outcome == AssessmentRequest.Decision.ASSESS:
        case.stage = Stage.ASSESSING
    else:
        case.stage, case.closed_on = Stage.NOT_ASSESSED, decided_on
        kernel.decision_notice(case, decided_on, actor)
    kernel.finish(
        case,
        actor,
        f"Decision to {'assess' if outcome == 'assess' else 'not assess'} on {format_date(decided_on)}",
        request,
        today,
        {"outcome": outcome, "panel": panel, **({"imported": True} if import_mode else {})},
    )
    issue_letter(
        case,
        "decision_to_assess" if outcome == "assess" else "decision_not_to_assess",
        on=decided_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, decided_on, today),
        today=today,
    )
    return case


# --- Advice and exceptions ---------------------------------------------------------------


@kernel.action
@kernel.stages(Stage.ASSESSING, Stage.DRAFT, late=True)
def record_advice_requested(
    case: Case,
    *,
    kind: str,
    provider: str,
    requested_on: dt.date,
    actor: Actor,
    advice_id: str | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    provider_email: str = "",
    notify: kernel.Notify = None,
    recipients: list[tuple[str, Recipient | None]] | None = None,
) -> AdviceRequest:
    """Advice asked for (Reg 6), due within 6 weeks (Reg 8). The request letter goes to the
    adviser: by email to `provider_email`, or to `recipients` where the caller knows them (a
    service's people in the portal); with neither, its row says there was no address.
    `notify`: kernel.letter_delivery."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_advice_requested, "request advice", on=requested_on)
    try:
        provider_email = identity.clean_email(provider_email)
    except identity.IdentityError as exc:
        raise ActionError(str(exc), field="provider_email") from exc
    kernel.not_future(requested_on, "The date advice was requested", today, "requested_on")
    kernel.not_before(
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
    kernel.write_event(
        case, "advice_requested", requested_on, actor, advice_id=advice_id, kind=kind
    )
    kernel.finish(
        case,
        actor,
        f"{advice.get_kind_display()} advice requested from {provider}",
        advice,
        today,
        {"advice_id": advice_id},
    )
    issue_letter(
        case,
        "advice_request",
        on=requested_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, requested_on, today),
        today=today,
        recipients=recipients or [email_recipient(provider, provider_email)],
        instance=advice_id,
    )
    return advice


@kernel.action
def record_advice_received(
    case: Case,
    *,
    advice_id: str,
    received_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AdviceRequest:
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    advice = next(
        (a for a in buffer.related(case, AdviceRequest, "case") if a.advice_id == advice_id), None
    )
    if advice is None:
        raise ActionError("Select the advice request that was answered", field="advice_id")
    if advice.received_on is not None:
        raise ActionError(
            f"This advice was already recorded as received on {format_date(advice.received_on)}"
        )
    kernel.not_future(received_on, "The date the advice was received", today, "received_on")
    kernel.not_before(
        received_on,
        advice.requested_on,
        "The date the advice was received",
        "the date it was requested",
        "received_on",
    )
    advice.received_on = received_on
    buffer.save(advice, ["received_on"])
    kernel.write_event(case, "advice_received", received_on, actor, advice_id=advice_id)
    kernel.finish(
        case,
        actor,
        f"{advice.get_kind_display()} advice received",
        advice,
        today,
        {"advice_id": advice_id},
    )
    return advice


@kernel.action
def record_exception(
    case: Case,
    *,
    reason: str,
    start: dt.date,
    end: dt.date,
    why: str,
    actor: Actor,
    applies_to: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    import_mode: bool = False,
) -> TimeLimitException:
    """Record an exception to the time limits (Regs 5(4), 8(2), 10(4), 13(3)).

    `import_mode=True` (SEN2 imports: Week20 = 1 says an exception applied, not which): the reason
    may be blank; the row is kept for the return and the reports, but no clock event is written
    until someone records the reason."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    unknown_reason = import_mode and reason == ""
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
        recorded_by=user_of(actor),
    )
    if not unknown_reason:
        kernel.write_event(
            case,
            "exception",
            start,
            actor,
            reason=reason,
            start=start,
            end=end,
            applies_to=applies_to,
        )
    kernel.finish(
        case,
        actor,
        f"Exception recorded: {exc.get_reason_display() or 'reason not recorded'}",
        exc,
        today,
        {
            "reason": reason,
            "start": start.isoformat(),
            "end": end.isoformat(),
            **({"imported": True} if import_mode else {}),
        },
    )
    return exc


@kernel.action
@kernel.stages(Stage.ASSESSING)
def record_decision_not_to_issue(
    case: Case,
    *,
    decided_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
    import_mode: bool = False,
) -> Case:
    """After assessment, notify that no plan will be issued (Reg 10).

    `notify=False`: no letter to the family. `import_mode=True`: nothing is relaxed; the audit
    entry says it was imported."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(
        case, record_decision_not_to_issue, "record a decision not to issue a plan"
    )
    kernel.not_future(decided_on, "The date of the decision", today, "decided_on")
    kernel.not_before(
        decided_on,
        case.request.decision_on,
        "The date of the decision",
        "the decision to assess",
        "decided_on",
    )
    request = case.request
    request.not_to_issue_on = decided_on
    buffer.save(request, ["not_to_issue_on"])
    kernel.write_event(case, "decision_not_to_issue", decided_on, actor)
    kernel.decision_notice(case, decided_on, actor)
    case.stage, case.closed_on = Stage.NOT_ISSUED, decided_on
    kernel.finish(
        case,
        actor,
        f"Decided not to issue a plan, {format_date(decided_on)}",
        request,
        today,
        {"imported": True} if import_mode else {},
    )
    issue_letter(
        case,
        "decision_not_to_issue",
        on=decided_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, decided_on, today),
        today=today,
    )
    return case


@kernel.action
def record_decision_to_issue(
    case: Case,
    *,
    decided_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """After assessment, the council decides to issue a plan (the draft follows, reg 13)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, (Stage.ASSESSING,), "record a decision to issue a plan")
    kernel.not_future(decided_on, "The date of the decision", today, "decided_on")
    request = case.request
    kernel.not_before(
        decided_on,
        request.decision_on,
        "The date of the decision",
        "the decision to assess",
        "decided_on",
    )
    if request.issue_decision_on is not None:
        raise ActionError(
            f"A decision to issue a plan is already recorded "
            f"({format_date(request.issue_decision_on)})"
        )
    request.issue_decision_on = decided_on
    buffer.save(request, ["issue_decision_on"])
    kernel.finish(
        case,
        actor,
        f"Decided to issue a plan, {format_date(decided_on)}",
        request,
        today,
        {"issue_decision_on": decided_on.isoformat()},
    )
    return case


@kernel.action
def record_withdrawal(
    case: Case,
    *,
    withdrawn_on: dt.date | None,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    import_mode: bool = False,
    closing: str = "Request withdrawn",
) -> Case:
    """The request was withdrawn (or the family moved away) before a plan was issued: close the case.

    The clock has no withdrawal event; closing the case takes it off the work queue; SEN2 returns
    the request as W (withdrawn or ceased before a decision). `reason` is kept on the case and in
    the audit entry. `import_mode=True` (SEN2 outcome W carries no date or reason): the date and
    reason may be left blank, and the audit entry says it was imported."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT), "close the request")
    if withdrawn_on is None and not import_mode:
        raise ActionError("Enter the date the request was withdrawn", field="withdrawn_on")
    reason = reason.strip()
    if not reason and not import_mode and closing == "Request withdrawn":
        raise ActionError("Enter why the request was withdrawn", field="reason")
    request = case.request
    if withdrawn_on is not None:
        kernel.not_future(withdrawn_on, "The date the request was withdrawn", today, "withdrawn_on")
        kernel.not_before(
            withdrawn_on,
            request.received_on,
            "The date the request was withdrawn",
            "the date the request was received",
            "withdrawn_on",
        )
    request.withdrawn_on = withdrawn_on
    buffer.save(request, ["withdrawn_on"])
    case.stage, case.closed_on, case.closed_reason = Stage.WITHDRAWN, withdrawn_on, reason[:500]
    buffer.save(case, ["closed_reason"])
    kernel.finish(
        case,
        actor,
        f"{closing}{f' {format_date(withdrawn_on)}' if withdrawn_on else ''}"
        + (f". Why: {reason}" if reason else ""),
        request,
        today,
        {
            **({"reason": reason} if reason else {}),
            **({"imported": True} if import_mode else {}),
        },
    )
    return case


CLOSE_REASONS = {
    "moved_away": "The child moved out of the council's area",
    "died": "The child died",
    "opened_in_error": "Opened in error or a duplicate",
    "other": "Another reason",
}


def close_case(
    case: Case,
    *,
    closed_on: dt.date,
    why: str,
    details: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Close a case before any plan, for a reason other than the family withdrawing the request
    (`CLOSE_REASONS`, with the person's own words). SEN2 returns it as W: "withdrawn or ceased
    before decision". A maintained plan ends only by the lawful route of ceasing it."""
    if why not in CLOSE_REASONS:
        raise ActionError("Select why the case is being closed", field="why")
    details = details.strip()
    if why == "other" and not details:
        raise ActionError("Enter why the case is being closed", field="details")
    if case.stage == Stage.PLAN:
        raise ActionError(
            "A maintained plan ends only when the council decides to cease it: record that "
            "decision instead of closing the case"
        )
    reason = CLOSE_REASONS[why] + (f": {details}" if details else "")
    return record_withdrawal(
        case,
        withdrawn_on=closed_on,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        today=today,
        closing="Case closed",
    )
