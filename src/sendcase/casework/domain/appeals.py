"""Disagreement resolution: mediation and appeals to the First-tier Tribunal (SEND).

Every appealable decision writes a `decision_notice` event (see kernel.decision_notice). These
actions record what follows it, each writing the `Appeal` row and the clock's event in one transaction,
as the other action functions do:

* the family's decision about mediation, after the mediation adviser (`mediation_requested` or
  `mediation_declined`; CFA 2014 s55, SEND Regulations 2014 regs 33 to 35);
* mediation held (`mediation_held`, reg 37) and the mediation certificate (`mediation_certificate`,
  regs 34 and 39);
* the appeal registered with the tribunal (`appeal_lodged`);
* the tribunal's decision: an order (`tribunal_order`, reg 44), the council conceding
  (`unopposed_appeal`, reg 45), or the appeal withdrawn or dismissed (no deadline follows);
* the council complying with the order, stage by stage (`tribunal_order_complied`,
  `unopposed_appeal_complied`).

An order (or concession) lets the case go on where the decision appealed had closed it: an order
to assess a refused request, or to make a plan after a decision not to issue one, reopens the case
for assessment (the draft and final plan are then recorded with the usual actions); an order to
continue a ceased plan reinstates the plan and the placements its ceasing closed.

While an appeal is live (from the first step until it is withdrawn or dismissed, or its order is
complied with in full) the case is `disputed`: its deadlines stay current and it stays in the open
work queue even when its stage is closed (not assessed, not issued, ceased).

Every action here runs through the kernel (`kernel.py`): the case locked and its version checked,
the step refused with ActionError if it does not fit, the version moved on, one audit entry, the
deadlines recomputed once; none sends a message. Each writes:

* `record_mediation_decision`: a new Appeal (the decision appealed, told from the notice's date);
  event `mediation_requested` or `mediation_declined`; `Case.disputed` set.
* `record_mediation_held`, `record_mediation_certificate`: the Appeal's date; event
  `mediation_held` / `mediation_certificate`.
* `record_appeal_registered`: the Appeal's registration date (a new Appeal if no mediation step
  came first); event `appeal_lodged`.
* `record_tribunal_decision`: the Appeal's outcome and order; event `tribunal_order` or
  `unopposed_appeal` when there is an order; an order to assess, make a plan or continue the
  plan reopens the case (stage, the plan and its placements: see `_carry_out`); `disputed`
  cleared when the appeal ends.
* `record_no_appeal`: the Appeal withdrawn; no event; `disputed` cleared.
* `record_order_complied`: event `tribunal_order_complied` or `unopposed_appeal_complied` for the
  stage done; the Appeal's complied date once the last stage is done; `disputed` cleared then.
* `resume_assessment_from_return` (SEN2 imports only): a case closed by a decision not to assess
  or not to issue goes back to assessment (stage, closed date), because the return shows what
  followed the decision's being overturned; no Appeal row (the return gives no dates for it) and
  no event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Appeal, Case, Ceasing, Stage, StatutoryEvent
from sendcase.core.actors import Actor
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import ALTERNATIVE_STAGES, STAGES, Period, period

Outcome = Appeal.Outcome
DecisionType = Appeal.DecisionType

# What the tribunal may order (reg 44(2)), and what a council may concede under reg 45.
ORDER_KINDS: dict[str, str] = {
    "assess": "Carry out an assessment",
    "make_plan": "Make a plan",
    "amend": "Amend the plan (its contents)",
    "setting": "Change the school or college named",
    "continue": "Continue the plan",
}
CONCEDED_KINDS = ("assess", "amend")

# The steps of each order, in the clock's words: (stage, weeks, what the council must do).
STAGE_LABELS: dict[str, str] = {
    "notify": "Notified the decision to assess",
    "decision_not_to_issue": "Notified a decision not to issue a plan",
    "final_plan": "Issued the final plan",
    "draft": "Issued the draft plan",
    "final": "Issued the final plan",
    "amended_plan": "Issued the amended plan",
    "continue": "Continued the plan",
}


def appeal_window_start(today: dt.date) -> dt.date:
    """The earliest decision whose appeal window (2 months, from the rules table) is still
    open today, leaving aside a later mediation certificate."""
    return Period("months_before", period("appeal_window").length).end(today)


# --- Reading the case's appeals ---------------------------------------------------------------


def is_live(appeal: Appeal) -> bool:
    """Undecided, or decided with an order the council has not yet complied with in full."""
    if appeal.outcome == Outcome.PENDING:
        return True
    return (
        appeal.outcome in (Outcome.UPHELD, Outcome.CONCEDED)
        and bool(appeal.order_kind)
        and appeal.complied_on is None
    )


def live_appeal(appeals: Iterable[Appeal]) -> Appeal | None:
    """The most recent live appeal (a case rarely has two at once; steps answer the latest)."""
    live = [a for a in appeals if is_live(a)]
    return max(live, key=lambda a: (a.decision_notice_on, a.pk or 0)) if live else None


def decision_type_on(events: Iterable[Any], notice_on: dt.date) -> str | None:
    """Which appealable decision the notice dated `notice_on` was about, from the events that day.

    `events` are StatutoryEvent rows (or anything with type, date and data)."""
    found: set[str] = set()
    for e in events:
        if e.date != notice_on:
            continue
        data = e.data or {}
        if e.type == "decision_to_assess" and data.get("outcome") == "not_assess":
            found.add(DecisionType.NOT_ASSESS)
        elif e.type == "decision_not_to_issue":
            found.add(DecisionType.NOT_ISSUE)
        elif e.type in ("final_issued", "final_amended_plan"):
            found.add(DecisionType.CONTENTS)
        elif e.type == "review_decision" and data.get("outcome") == "maintain":
            found.add(DecisionType.AMEND)
        elif (e.type == "review_decision" and data.get("outcome") == "cease") or (
            e.type == "cease_decision"
        ):
            found.add(DecisionType.CEASE)
    for kind in DecisionType.values:  # one answer when decisions share a day, in a fixed order
        if kind in found:
            return str(kind)
    return None


def open_notices(
    events: Iterable[Any], appeals: Iterable[Appeal], today: dt.date
) -> list[tuple[dt.date, str]]:
    """Decision notices of the last 2 months with no appeal recorded yet, newest first, with the
    decision each was about: the decisions a family may still take to mediation or appeal."""
    events = list(events)
    taken = {a.decision_notice_on for a in appeals}
    since = appeal_window_start(today)
    dates = sorted(
        {
            e.date
            for e in events
            if e.type == "decision_notice" and since <= e.date <= today and e.date not in taken
        },
        reverse=True,
    )
    return [(d, decision_type_on(events, d) or "") for d in dates]


def notice_label(d: dt.date, decision_type: str) -> str:
    what = DecisionType(decision_type).label if decision_type else "Decision"
    return f"{what}, notified {format_date(d)}"


def order_stages(appeal: Appeal) -> tuple[str, ...]:
    """The stages of the appeal's order, in order."""
    return tuple(s[0] for s in STAGES[_stages_key(appeal)])


def _stages_key(appeal: Appeal) -> str:
    if appeal.outcome == Outcome.CONCEDED:
        return f"unopposed_appeal/{appeal.order_kind}"
    return f"tribunal_order_{appeal.order_kind}"


def _complied_type(appeal: Appeal) -> str:
    if appeal.outcome == Outcome.CONCEDED:
        return "unopposed_appeal_complied"
    return "tribunal_order_complied"


def stages_done(appeal: Appeal, events: Iterable[Any]) -> dict[str, dt.date]:
    """The stages of the appeal's order complied with so far (from the case's events)."""
    done: dict[str, dt.date] = {}
    if not appeal.order_kind or appeal.order_on is None:
        return done
    for e in sorted(events, key=lambda e: e.date):
        data = e.data or {}
        if (
            e.type == _complied_type(appeal)
            and e.date >= appeal.order_on
            and data.get("kind") == appeal.order_kind
        ):
            stage = data.get("stage") or order_stages(appeal)[-1]
            done.setdefault(stage, e.date)
    return done


def stages_outstanding(appeal: Appeal, events: Iterable[Any]) -> list[str]:
    """The stages of the order still to comply with (an alternative done closes the other)."""
    done = stages_done(appeal, events)
    return [
        s
        for s in order_stages(appeal)
        if s not in done and ALTERNATIVE_STAGES.get(s, "\x00") not in done
    ]


def stages_next(appeal: Appeal, events: Iterable[Any]) -> list[str]:
    """The outstanding stages that can be done now: each needs the stages before it done (the
    draft before the final plan; notifying the assessment before its outcome), except its
    alternative."""
    events = list(events)
    done = stages_done(appeal, events)
    outstanding = stages_outstanding(appeal, events)
    stages = order_stages(appeal)
    return [
        s
        for i, s in enumerate(stages)
        if s in outstanding
        and all(
            earlier in done or ALTERNATIVE_STAGES.get(earlier) == s
            for earlier in stages[:i]
            if ALTERNATIVE_STAGES.get(earlier, "\x00") not in done
        )
    ]


# Which orders the tribunal can make, and which concessions a council can make (reg 45), for each
# kind of decision appealed.
ORDERS_FOR: dict[str, tuple[str, ...]] = {
    DecisionType.NOT_ASSESS: ("assess",),
    DecisionType.NOT_ISSUE: ("make_plan",),
    DecisionType.CONTENTS: ("amend", "setting"),
    DecisionType.AMEND: ("amend", "setting"),
    DecisionType.CEASE: ("continue",),
}
CONCESSIONS_FOR: dict[str, tuple[str, ...]] = {
    DecisionType.NOT_ASSESS: ("assess",),
    DecisionType.CONTENTS: ("amend",),
    DecisionType.AMEND: ("amend",),
}


def _complied_in_full(appeal: Appeal, done: dict[str, dt.date]) -> bool:
    """The last stage is done (for an order to assess: the final plan, or instead a decision
    not to issue one)."""
    last = order_stages(appeal)[-1]
    return last in done or ALTERNATIVE_STAGES.get(last, "\x00") in done


# --- Helpers for the actions ----------------------------------------------------------------


def _events(case: Case) -> list[StatutoryEvent]:
    return kernel.case_events(case)


def _appeals(case: Case) -> list[Appeal]:
    return buffer.related(case, Appeal, "case")


def _mark_disputed(case: Case, appeals: list[Appeal]) -> None:
    """Keep Case.disputed equal to whether any of its appeals is live."""
    disputed = any(is_live(a) for a in appeals)
    if case.disputed != disputed:
        case.disputed = disputed
        buffer.save(case, ["disputed"])


def _notice_decision(case: Case, notice_on: dt.date, events: list[StatutoryEvent]) -> str:
    if not any(e.type == "decision_notice" and e.date == notice_on for e in events):
        raise ActionError(
            f"There is no decision letter with appeal rights dated {format_date(notice_on)} on this case",
            field="notice_on",
        )
    decision_type = decision_type_on(events, notice_on)
    if decision_type is None:
        raise ActionError(
            f"The decision notified on {format_date(notice_on)} cannot be told from the case's history",
            field="notice_on",
        )
    return decision_type


def _answer(
    case: Case,
    appeals: list[Appeal],
    appeal: Appeal,
    field: str,
    on: dt.date,
    event_type: str,
    actor: Actor,
    today: dt.date,
) -> None:
    """Record a dated step of the appeal: its date on the Appeal, the clock's event, the audit entry
    and the deadlines."""
    setattr(appeal, field, on)
    buffer.save(appeal, [field])
    kernel.write_event(case, event_type, on, actor)
    _mark_disputed(case, appeals)
    summary = {
        "mediation_held": "Mediation held",
        "mediation_certificate": "Mediation certificate issued",
    }
    kernel.finish(case, actor, f"{summary[event_type]} {format_date(on)}", appeal, today, {})


def _the_live(appeals: list[Appeal], message: str) -> Appeal:
    appeal = live_appeal(appeals)
    if appeal is None:
        raise ActionError(message)
    return appeal


# --- The actions ----------------------------------------------------------------------------


@kernel.action
def record_mediation_decision(
    case: Case,
    *,
    notice_on: dt.date,
    decided_on: dt.date,
    wants_mediation: bool,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """The family told the council, after the mediation adviser, whether they want mediation about
    the decision notified on `notice_on` (CFA 2014 s55; regs 33 to 35). Starts the appeal: a
    certificate is due within 3 working days if they do not (reg 34), mediation within 30 days if
    they do (reg 37)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    events, appeals = _events(case), _appeals(case)
    decision_type = _notice_decision(case, notice_on, events)
    if any(a.decision_notice_on == notice_on for a in appeals):
        raise ActionError(
            f"An appeal about the decision notified on {format_date(notice_on)} is already recorded",
            field="notice_on",
        )
    what = "The date the family told the council"
    kernel.not_future(decided_on, what, today, "decided_on")
    kernel.not_before(decided_on, notice_on, what, "the decision letter", "decided_on")
    appeal = buffer.create(
        Appeal,
        case=case,
        decision_type=decision_type,
        decision_notice_on=notice_on,
        mediation_requested_on=decided_on if wants_mediation else None,
        mediation_declined_on=None if wants_mediation else decided_on,
    )
    kernel.write_event(
        case, "mediation_requested" if wants_mediation else "mediation_declined", decided_on, actor
    )
    _mark_disputed(case, [*appeals, appeal])
    kernel.finish(
        case,
        actor,
        f"Family {'asked for' if wants_mediation else 'declined'} mediation on {format_date(decided_on)}",
        appeal,
        today,
        {"notice_on": notice_on.isoformat(), "wants_mediation": wants_mediation},
    )
    return appeal


@kernel.action
def record_mediation_held(
    case: Case,
    *,
    held_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """Mediation took place: within 30 days of the request (reg 37); certificate 3 working days on."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    appeals = _appeals(case)
    appeal = _the_live(appeals, "There is no request for mediation waiting to be held")
    if appeal.mediation_requested_on is None or appeal.mediation_held_on is not None:
        raise ActionError("There is no request for mediation waiting to be held")
    what = "The date mediation was held"
    kernel.not_future(held_on, what, today, "held_on")
    kernel.not_before(
        held_on, appeal.mediation_requested_on, what, "the request for mediation", "held_on"
    )
    _answer(case, appeals, appeal, "mediation_held_on", held_on, "mediation_held", actor, today)
    return appeal


@kernel.action
def record_mediation_certificate(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """The mediation certificate was issued (regs 34 and 39): the family may now appeal, within
    1 month of it if that is later than 2 months from the decision."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    appeals = _appeals(case)
    appeal = _the_live(appeals, "There is no mediation decision waiting for a certificate")
    started = appeal.mediation_declined_on or appeal.mediation_requested_on
    if started is None or appeal.certificate_on is not None:
        raise ActionError("There is no mediation decision waiting for a certificate")
    what = "The date the certificate was issued"
    kernel.not_future(issued_on, what, today, "issued_on")
    if appeal.mediation_held_on is not None:
        kernel.not_before(issued_on, appeal.mediation_held_on, what, "the mediation", "issued_on")
    else:
        kernel.not_before(
            issued_on, started, what, "the family's decision about mediation", "issued_on"
        )
    _answer(
        case, appeals, appeal, "certificate_on", issued_on, "mediation_certificate", actor, today
    )
    return appeal


@kernel.action
def record_appeal_registered(
    case: Case,
    *,
    registered_on: dt.date,
    notice_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """The tribunal registered the family's appeal about the decision notified on `notice_on`.

    Answers the appeal window (2 months from the decision, or 1 month from a later certificate).
    With no mediation step before it (an appeal only about the school or college named needs no
    certificate), the appeal is started here."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    events, appeals = _events(case), _appeals(case)
    appeal = next((a for a in appeals if a.decision_notice_on == notice_on), None)
    what = "The date the appeal was registered"
    if appeal is None:
        decision_type = _notice_decision(case, notice_on, events)
        kernel.not_future(registered_on, what, today, "registered_on")
        kernel.not_before(registered_on, notice_on, what, "the decision letter", "registered_on")
        appeal = buffer.create(
            Appeal,
            case=case,
            decision_type=decision_type,
            decision_notice_on=notice_on,
            tribunal_registered_on=registered_on,
        )
        appeals = [*appeals, appeal]
    else:
        if appeal.tribunal_registered_on is not None:
            raise ActionError(
                f"The appeal about this decision was already registered on "
                f"{format_date(appeal.tribunal_registered_on)}",
                field="notice_on",
            )
        if not is_live(appeal):
            raise ActionError("The appeal about this decision is closed", field="notice_on")
        mediated = appeal.mediation_requested_on or appeal.mediation_declined_on
        if mediated is not None and appeal.certificate_on is None:
            raise ActionError(
                "Record the mediation certificate first: the tribunal registers an appeal only "
                "with one (Children and Families Act 2014, s55)",
                field="notice_on",
            )
        kernel.not_future(registered_on, what, today, "registered_on")
        kernel.not_before(registered_on, notice_on, what, "the decision letter", "registered_on")
        if appeal.certificate_on is not None:
            kernel.not_before(
                registered_on,
                appeal.certificate_on,
                what,
                "the mediation certificate",
                "registered_on",
            )
        appeal.tribunal_registered_on = registered_on
        buffer.save(appeal, ["tribunal_registered_on"])
    kernel.write_event(case, "appeal_lodged", registered_on, actor)
    _mark_disputed(case, appeals)
    # An appeal against a decision to cease keeps the plan in force until it is decided (CFA 2014
    # s45(4)): a plan already recorded as ended is put back.
    reinstated: dict[str, Any] = {}
    if appeal.decision_type == DecisionType.CEASE and case.stage == Stage.CEASED:
        reinstated = reinstate_plan(case)
    kernel.finish(
        case,
        actor,
        f"Appeal registered with the tribunal {format_date(registered_on)}"
        + (" (plan reinstated while the appeal is decided)" if reinstated else ""),
        appeal,
        today,
        {"notice_on": notice_on.isoformat(), **reinstated},
    )
    return appeal


@kernel.action
def record_tribunal_decision(
    case: Case,
    *,
    decided_on: dt.date,
    outcome: str,
    actor: Actor,
    order_kind: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """How the appeal ended: an order of the tribunal (reg 44), the council conceding before its
    response was due (reg 45: to assess or to amend), or the appeal withdrawn or dismissed."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    appeals = _appeals(case)
    appeal = live_appeal(appeals)
    if appeal is None or appeal.tribunal_registered_on is None or appeal.outcome != Outcome.PENDING:
        raise ActionError("Record the appeal registered with the tribunal before its decision")
    if outcome not in (Outcome.WITHDRAWN, Outcome.CONCEDED, Outcome.UPHELD, Outcome.DISMISSED):
        raise ActionError("Select how the appeal ended", field="outcome")
    if outcome == Outcome.UPHELD and order_kind not in ORDER_KINDS:
        raise ActionError("Select what the tribunal ordered the council to do", field="order_kind")
    if outcome == Outcome.CONCEDED and order_kind not in ("", *CONCEDED_KINDS):
        raise ActionError(
            "A council concedes an appeal by agreeing to assess or to amend the plan (SEND "
            "Regulations 2014, reg 45): select one of those, or leave it blank",
            field="order_kind",
        )
    if outcome in (Outcome.WITHDRAWN, Outcome.DISMISSED):
        order_kind = ""
    allowed = (ORDERS_FOR if outcome == Outcome.UPHELD else CONCESSIONS_FOR).get(
        appeal.decision_type, ()
    )
    if order_kind and order_kind not in allowed:
        appealed = DecisionType(appeal.decision_type).label.lower()
        if allowed:
            words = " or ".join(ORDER_KINDS[k].lower() for k in allowed)
            message = f"For an appeal against the {appealed}, the order can only be to {words}"
        else:
            message = (
                f"A council cannot concede an appeal against the {appealed} with an order: "
                "leave it blank"
            )
        raise ActionError(message, field="order_kind")
    what = "The date of the decision"
    kernel.not_future(decided_on, what, today, "decided_on")
    kernel.not_before(
        decided_on,
        appeal.tribunal_registered_on,
        what,
        "the date the appeal was registered",
        "decided_on",
    )
    appeal.outcome, appeal.order_kind = outcome, order_kind
    appeal.order_on = decided_on if order_kind else None
    buffer.save(appeal, ["outcome", "order_kind", "order_on"])
    reopened: dict[str, Any] = {}
    if order_kind:
        kind_event = "unopposed_appeal" if outcome == Outcome.CONCEDED else "tribunal_order"
        kernel.write_event(case, kind_event, decided_on, actor, kind=order_kind)
        reopened = _carry_out(case, order_kind)
        if order_kind == "continue":  # the decision to cease is overturned: the ceasing ends
            for ceasing in buffer.related(case, Ceasing, "case"):
                if ceasing.closed_on is None and ceasing.notified_on == appeal.decision_notice_on:
                    ceasing.closed_on = decided_on
                    buffer.save(ceasing, ["closed_on"])
    _mark_disputed(case, appeals)
    kernel.finish(
        case,
        actor,
        f"Appeal {Outcome(outcome).label.lower()} on {format_date(decided_on)}"
        + (f": {ORDER_KINDS[order_kind].lower()}" if order_kind else "")
        + (f" ({REOPENED[reopened['reopened']]})" if reopened else ""),
        appeal,
        today,
        {"outcome": outcome, "order_kind": order_kind, **reopened},
    )
    return appeal


# What an order does to a case its decision closed, for the audit summary.
REOPENED: dict[str, str] = {
    "assessment": "case reopened for the assessment",
    "plan": "plan reinstated",
}


def _carry_out(case: Case, order_kind: str) -> dict[str, Any]:
    """Let the case go on after an order (or concession) that undoes the decision appealed:

    * to assess a refused request, or to make a plan after a decision not to issue one: the case
      goes back to assessment (stage ASSESSING, no longer closed), so the advice, the draft and
      the final plan can be recorded (the request keeps its historical decision);
    * to continue a ceased plan: the plan is active again (its cease date and reason cleared),
      the case is back at PLAN, and the placements its ceasing closed are open again.

    Other orders (amend, setting), or an order on a case not closed by that decision, change no
    stage. Returns the audit payload's account of what was reopened ({} for nothing)."""
    if (order_kind == "assess" and case.stage == Stage.NOT_ASSESSED) or (
        order_kind == "make_plan" and case.stage == Stage.NOT_ISSUED
    ):
        previous = case.stage
        case.stage, case.closed_on = Stage.ASSESSING, None
        return {"reopened": "assessment", "from_stage": str(previous)}
    if order_kind == "continue" and case.stage == Stage.CEASED:
        return reinstate_plan(case)
    return {}


def reinstate_plan(case: Case) -> dict[str, Any]:
    """A ceased plan maintained again: active (its cease date and reason cleared), the case back
    at PLAN, and the placements its ceasing closed open again; the ceasing that ended it open
    again (its decision stands until the appeal is decided). Returns the audit payload."""
    plan = case.plan
    if plan.status != Plan.Status.CEASED:
        return {}
    if back_from := plan.cease_date or plan.first_issued_on:  # the plan is maintained again
        kernel.one_plan_at_a_time(case.child, case, back_from)
    ceased_on, reason = plan.cease_date, plan.cease_reason
    plan.status, plan.cease_date, plan.cease_reason = Plan.Status.ACTIVE, None, None
    buffer.save(plan, ["status", "cease_date", "cease_reason"])
    reopened = 0
    for placement in buffer.related(plan, Placement, "plan"):
        if ceased_on is not None and placement.leaving_date == ceased_on:
            placement.leaving_date = None
            buffer.save(placement, ["leaving_date"])
            reopened += 1
    case.stage, case.closed_on = Stage.PLAN, None
    for ceasing in buffer.related(case, Ceasing, "case"):
        if ceasing.ended_on is not None and ceasing.ended_on == ceased_on:
            ceasing.ended_on = ceasing.closed_on = None
            buffer.save(ceasing, ["ended_on", "closed_on"])
    return {
        "reopened": "plan",
        "from_stage": str(Stage.CEASED),
        "cease_date": ceased_on.isoformat() if ceased_on else None,
        "cease_reason": reason,
        "placements_reopened": reopened,
    }


@kernel.action
def resume_assessment_from_return(
    case: Case, *, actor: Actor, today: dt.date | None = None
) -> Case:
    """SEN2 import only: the return shows an assessment (or a plan) after a decision not to assess
    or not to issue, which mediation or an appeal overturned. The return gives no dates for the
    challenge (its mediation and tribunal flags are kept in returns.Sen2Facts), so no Appeal row
    is invented: the case goes back to assessment, as an order to assess or to make a plan does,
    and the import records what followed with the usual actions. Audited; no clock event."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, None)
    if case.stage not in (Stage.NOT_ASSESSED, Stage.NOT_ISSUED):
        raise ActionError(
            "Only a case closed by a decision not to assess, or not to issue a plan, can go back "
            "to assessment"
        )
    previous = case.stage
    case.stage, case.closed_on = Stage.ASSESSING, None
    kernel.finish(
        case,
        actor,
        "Assessment resumed: the SEN2 return shows the decision was overturned after mediation "
        "or an appeal",
        case,
        today,
        {"reopened": "assessment", "from_stage": str(previous), "imported": True},
    )
    return case


@kernel.action
def record_no_appeal(
    case: Case,
    *,
    decided_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """The family did not take the disagreement to the tribunal (they said so, or the time to
    appeal ran out): the matter ends without an appeal, and the case leaves the open queue if it
    is otherwise closed. Recorded as withdrawn, with no clock event."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    appeals = _appeals(case)
    appeal = _the_live(appeals, "There is no disagreement waiting for an appeal")
    if appeal.tribunal_registered_on is not None:
        raise ActionError(
            "The appeal is registered with the tribunal: record the tribunal's decision instead"
        )
    what = "The date the family said they would not appeal, or the time to appeal ended"
    kernel.not_future(decided_on, what, today, "decided_on")
    latest = max(
        d
        for d in (
            appeal.decision_notice_on,
            appeal.mediation_requested_on,
            appeal.mediation_declined_on,
            appeal.mediation_held_on,
            appeal.certificate_on,
        )
        if d is not None
    )
    kernel.not_before(
        decided_on, latest, what, "the last step recorded on the disagreement", "decided_on"
    )
    appeal.outcome = Outcome.WITHDRAWN
    appeal.order_on = None
    buffer.save(appeal, ["outcome", "order_on"])
    _mark_disputed(case, appeals)
    kernel.finish(
        case,
        actor,
        f"No appeal: the family did not take the decision of {format_date(appeal.decision_notice_on)} "
        f"to the tribunal ({format_date(decided_on)})",
        appeal,
        today,
        {"outcome": Outcome.WITHDRAWN, "registered": False, "on": decided_on.isoformat()},
    )
    return appeal


@kernel.action
def record_order_complied(
    case: Case,
    *,
    complied_on: dt.date,
    actor: Actor,
    stage: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """The council did what the order (or its concession) requires, or one stage of it (reg 44:
    e.g. notify within 2 weeks, then the final plan within 14 weeks of an order to assess). The
    appeal ends when the last stage is done."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    events, appeals = _events(case), _appeals(case)
    appeal = live_appeal(appeals)
    if appeal is None or not appeal.order_kind or appeal.order_on is None:
        raise ActionError("There is no order waiting for the council to comply with it")
    outstanding = stages_outstanding(appeal, events)
    ready = stages_next(appeal, events)
    if not stage and len(ready) == 1:
        stage = ready[0]
    if stage in outstanding and stage not in ready:
        first = STAGE_LABELS.get(ready[0], ready[0]).lower() if ready else ""
        raise ActionError(f"Record first that the council {first}", field="stage")
    if stage not in ready:
        raise ActionError("Select what the council has done", field="stage")
    what = "The date the council complied"
    kernel.not_future(complied_on, what, today, "complied_on")
    kernel.not_before(complied_on, appeal.order_on, what, "the order", "complied_on")
    kernel.write_event(
        case, _complied_type(appeal), complied_on, actor, kind=appeal.order_kind, stage=stage
    )
    done = {**stages_done(appeal, events), stage: complied_on}
    if _complied_in_full(appeal, done):
        appeal.complied_on = complied_on
        buffer.save(appeal, ["complied_on"])
    _mark_disputed(case, appeals)
    kernel.finish(
        case,
        actor,
        f"Order complied with on {format_date(complied_on)}: {STAGE_LABELS.get(stage, stage).lower()}",
        appeal,
        today,
        {"kind": appeal.order_kind, "stage": stage},
    )
    return appeal
