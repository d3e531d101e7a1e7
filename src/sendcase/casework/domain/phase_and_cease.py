"""A phase transfer (the plan naming the next school or college by 15 February, or 31 March
after 16: SEND Regulations 2014 reg 18) and ceasing the plan (CFA 2014 s45; reg 31).

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses a step that does not fit (ActionError), moves
the case's version on, writes one audit entry and recomputes the case's deadlines once. What
else each one does:

* `record_phase_transfer`: a PhaseTransfer row with its due date; event `phase_transfer`;
  no message.
* `record_phase_transfer_named`: the PhaseTransfer's named date and new setting; event
  `phase_transfer_named`; no message.
Ceasing the plan follows the lawful route (CFA 2014 s45; SEND Regulations 2014 regs 29 to 31;
the `cease_consultation` and `plan_maintained_pending_appeal` rows of the rules table), one
`Ceasing` row carrying it from start to end:

* `consider_ceasing`: a new Ceasing (reason, grounds); event `cease_considered` (the clock's
  "consult before deciding" row, reg 31). Refused while another is open, for a transfer to
  another council (that is the transfer step), and at 18 or over without a review in the last
  12 months (reg 30).
* `record_cease_consultation`: the family's or the setting's views and the date they were
  asked; no event.
* `decide_ceasing`: the decision, its date and reasons, after the family (and the setting named,
  where the plan has one) were consulted. Not to cease: event `cease_decision` (outcome
  not_cease), the Ceasing closed. To cease: no event yet; waits for the notice (and for a
  manager's approval where the council requires it: SENDCASE_CEASE_NEEDS_APPROVAL).
* `approve_cease_decision`: a team manager's or administrator's approval (not the person who
  decided); no event.
* `notify_cease_decision`: the decision notified with appeal and mediation rights; events
  `cease_decision` and `decision_notice` (the appeal window starts); the family's letter or
  email after commit (`notify=False`: none). The plan stays maintained.
* `cease_plan`: the plan ended (the SEN2 cease date: the day it actually stopped being
  maintained): only after a notified decision to cease (this route, or a review's decision to
  cease), after its appeal window (or the later window after a mediation certificate) has
  closed, and not while an appeal against it is undecided. The Plan ceased (date, reason), its
  open placements ended that day, the Ceasing closed, the case closed (CEASED). A child's death
  needs no decision (reason 8): event `cease_decision` that day, and any ceasing under way
  closes. No message.
  `import_mode=True` (the SEN2 import and the demo, recording a historic cease they know only
  by its date and reason) relaxes the route: no decision, notice or window is asked for, reason 5
  (transferred) is allowed, and the event `cease_decision` is written on the cease date, as the
  return gives no other; the audit entry says it was imported.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from sendcase.accounts.roles import approves_ceasing
from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.appeals import is_live
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    Appeal,
    Case,
    Ceasing,
    Stage,
)
from sendcase.core.actors import Actor, user_of
from sendcase.core.codes import CeaseReason, ReviewOutcome
from sendcase.documents.actions import issue_letter
from sendcase.placements.models import Placement, Setting
from sendcase.plans.models import Plan
from sendcase.reviews.models import AnnualReview, PhaseTransfer
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period_end


@kernel.action
@kernel.stages(Stage.PLAN)
def record_phase_transfer(
    case: Case,
    *,
    transfer_date: dt.date,
    kind: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PhaseTransfer:
    """Note a coming phase transfer: the plan must name the new setting by 15 February (or 31 March post-16)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_phase_transfer, "record a phase transfer")
    if kind not in PhaseTransfer.Kind.values:
        raise ActionError("Select the kind of phase transfer", field="kind")
    rule = "phase_transfer" if kind == PhaseTransfer.Kind.SCHOOL else "post16_transfer"
    due = period_end(rule, transfer_date)
    transfer = buffer.create(
        PhaseTransfer, plan=case.plan, kind=kind, transfer_date=transfer_date, due_on=due
    )
    kernel.write_event(case, "phase_transfer", transfer_date, actor, kind=kind)
    kernel.finish(
        case,
        actor,
        f"Phase transfer on {format_date(transfer_date)} noted",
        transfer,
        today,
        {"kind": kind},
    )
    return transfer


@kernel.action
def record_phase_transfer_named(
    case: Case,
    *,
    named_on: dt.date,
    actor: Actor,
    setting: Setting | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> PhaseTransfer:
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    transfer = kernel.first_by(
        [t for t in buffer.related(case.plan, PhaseTransfer, "plan") if t.named_on is None],
        lambda t: t.transfer_date,
    )
    if transfer is None:
        raise ActionError("There is no phase transfer waiting for a named setting")
    kernel.not_future(
        named_on, "The date the amended plan named the new setting", today, "named_on"
    )
    transfer.named_on, transfer.new_setting = named_on, setting
    buffer.save(transfer, ["named_on", "new_setting"])
    kernel.write_event(case, "phase_transfer_named", named_on, actor)
    kernel.finish(
        case,
        actor,
        f"New setting named for the phase transfer on {format_date(named_on)}",
        transfer,
        today,
        {},
    )
    return transfer


# --- Ceasing the plan: the lawful route -------------------------------------------------------

# Reasons the council decides on through this route. A transfer to another council is recorded
# with the transfer steps; a child's death ends the plan with no decision to make.
ROUTE_REASONS = tuple(
    r for r in CeaseReason.values if r not in (CeaseReason.TRANSFERRED_LA, CeaseReason.DECEASED)
)
# Reg 30: at 18 or over, a plan may cease because the young person no longer needs education or
# training only after a review.
ADULT_AGE = 18
S45 = "Children and Families Act 2014, s45"


def approval_required() -> bool:
    """Whether the council requires a manager's approval of a decision to cease
    (SENDCASE_CEASE_NEEDS_APPROVAL)."""
    return bool(getattr(settings, "SENDCASE_CEASE_NEEDS_APPROVAL", False))


def open_ceasing(case: Case) -> Ceasing | None:
    """The case's ceasing still under way (considered and not yet closed), if any."""
    return kernel.first_by(
        [c for c in buffer.related(case, Ceasing, "case") if c.closed_on is None],
        lambda c: c.considered_on,
        latest=True,
    )


def _the_open(case: Case) -> Ceasing:
    ceasing = open_ceasing(case)
    if ceasing is None:
        raise ActionError("Record first that the council is considering ceasing the plan")
    return ceasing


def _age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _setting_named(case: Case) -> bool:
    """The plan names a school or college today (reg 31(1)(b): its head or principal is
    consulted)."""
    return any(
        p.leaving_date is None and p.setting_id is not None
        for p in buffer.related(case.plan, Placement, "plan")
    )


@kernel.action
@kernel.stages(Stage.PLAN)
def consider_ceasing(
    case: Case,
    *,
    considered_on: dt.date,
    reason: int,
    grounds: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ceasing:
    """The council begins to consider ceasing the plan (reg 31: it must consult before it
    decides). The clock shows the consultation as open until a decision is notified."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, consider_ceasing, "consider ceasing the plan")
    if reason == CeaseReason.TRANSFERRED_LA:
        raise ActionError(
            "A plan transferred to another council is recorded with ‘Record a move to another "
            "council’",
            field="reason",
        )
    if reason == CeaseReason.DECEASED:
        raise ActionError(
            "When a child has died there is no decision to consult on: record that the plan ended",
            field="reason",
        )
    if reason not in ROUTE_REASONS:
        raise ActionError("Select why the council is considering ceasing the plan", field="reason")
    grounds = grounds.strip()
    if not grounds:
        raise ActionError("Enter why the council is considering ceasing the plan", field="grounds")
    if open_ceasing(case) is not None:
        raise ActionError("The council is already considering ceasing this plan")
    what = "The date the council began to consider ceasing the plan"
    kernel.not_future(considered_on, what, today, "considered_on")
    plan = case.plan
    kernel.not_before(
        considered_on, plan.first_issued_on, what, "the date the plan was issued", "considered_on"
    )
    child = case.child
    if (
        _age_on(child.date_of_birth, considered_on) >= ADULT_AGE
        and reason != CeaseReason.MAXIMUM_AGE
    ):
        meetings = [
            r.meeting_on
            for r in buffer.related(plan, AnnualReview, "plan")
            if r.meeting_on is not None and r.meeting_on <= considered_on
        ]
        if not meetings or period_end("annual_review_meeting", max(meetings)) < considered_on:
            raise ActionError(
                "A young person aged 18 or over: the plan can cease only after a review of it "
                "(SEND Regulations 2014, reg 30). Record the review meeting first",
                field="considered_on",
            )
    ceasing = buffer.create(
        Ceasing, case=case, reason=reason, grounds=grounds, considered_on=considered_on
    )
    kernel.write_event(case, "cease_considered", considered_on, actor)
    kernel.finish(
        case,
        actor,
        f"Considering ceasing the plan from {format_date(considered_on)}: {CeaseReason(reason).label}",
        ceasing,
        today,
        {"reason": reason},
    )
    return ceasing


@kernel.action
def record_cease_consultation(
    case: Case,
    *,
    party: str,
    consulted_on: dt.date,
    views: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ceasing:
    """The family (the child's parent or the young person) or the setting named in the plan was
    consulted about ceasing it, and what they said (reg 31(1))."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    ceasing = _the_open(case)
    if ceasing.decision:
        raise ActionError("The decision is already made: consultation comes before it")
    if party not in ("family", "setting"):
        raise ActionError("Select who was consulted", field="party")
    views = views.strip()
    if not views:
        raise ActionError("Enter what they said", field="views")
    what = "The date they were consulted"
    kernel.not_future(consulted_on, what, today, "consulted_on")
    kernel.not_before(
        consulted_on,
        ceasing.considered_on,
        what,
        "the date the council began to consider ceasing the plan",
        "consulted_on",
    )
    setattr(ceasing, f"{party}_consulted_on", consulted_on)
    setattr(ceasing, f"{party}_views", views)
    buffer.save(ceasing, [f"{party}_consulted_on", f"{party}_views"])
    who = "The family" if party == "family" else "The setting"
    kernel.finish(
        case,
        actor,
        f"{who} consulted about ceasing the plan on {format_date(consulted_on)}",
        ceasing,
        today,
        {"party": party},
    )
    return ceasing


@kernel.action
def decide_ceasing(
    case: Case,
    *,
    decided_on: dt.date,
    decision: str,
    reasons: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ceasing:
    """The council's decision, after consulting (reg 31): to cease the plan (then notified with
    appeal rights, after a manager's approval where the council requires it), or to keep it."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    ceasing = _the_open(case)
    if ceasing.decision:
        raise ActionError("The decision is already recorded")
    if decision not in Ceasing.Decision.values:
        raise ActionError("Select the decision: cease the plan or keep it", field="decision")
    reasons = reasons.strip()
    if not reasons:
        raise ActionError("Enter the reasons for the decision", field="reasons")
    if decision == Ceasing.Decision.CEASE:
        if ceasing.family_consulted_on is None:
            raise ActionError(
                "Consult the family before deciding to cease the plan (SEND Regulations 2014, "
                "reg 31)",
                field="decision",
            )
        if ceasing.setting_consulted_on is None and _setting_named(case):
            raise ActionError(
                "Consult the school or college named in the plan before deciding to cease it "
                "(SEND Regulations 2014, reg 31)",
                field="decision",
            )
    what = "The date of the decision"
    kernel.not_future(decided_on, what, today, "decided_on")
    last_step = max(
        d
        for d in (ceasing.considered_on, ceasing.family_consulted_on, ceasing.setting_consulted_on)
        if d is not None
    )
    kernel.not_before(decided_on, last_step, what, "the consultation", "decided_on")
    ceasing.decision, ceasing.decided_on, ceasing.decision_reasons = decision, decided_on, reasons
    ceasing.decided_by = user_of(actor)
    fields = ["decision", "decided_on", "decision_reasons", "decided_by"]
    if decision == Ceasing.Decision.NOT_CEASE:
        ceasing.closed_on = decided_on
        fields.append("closed_on")
        kernel.write_event(case, "cease_decision", decided_on, actor, outcome="not_cease")
    buffer.save(ceasing, fields)
    kernel.finish(
        case,
        actor,
        f"Decision on {format_date(decided_on)}: {Ceasing.Decision(decision).label.lower()}",
        ceasing,
        today,
        {"decision": decision},
    )
    return ceasing


@kernel.action
def approve_cease_decision(
    case: Case,
    *,
    approved_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ceasing:
    """A manager approves the decision to cease (where the council requires it), before it is
    notified. Not the person who made the decision."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    ceasing = _the_open(case)
    if ceasing.decision != Ceasing.Decision.CEASE or ceasing.decided_on is None:
        raise ActionError("There is no decision to cease the plan waiting for approval")
    if ceasing.approved_on is not None:
        raise ActionError("The decision is already approved")
    if not approves_ceasing(actor):
        raise ActionError("Only a team manager can approve a decision to cease a plan")
    user = user_of(actor)
    if user is not None and ceasing.decided_by_id == user.pk:
        raise ActionError("Another manager must approve a decision you made")
    what = "The date of the approval"
    kernel.not_future(approved_on, what, today, "approved_on")
    kernel.not_before(approved_on, ceasing.decided_on, what, "the decision", "approved_on")
    ceasing.approved_on, ceasing.approved_by = approved_on, user
    buffer.save(ceasing, ["approved_on", "approved_by"])
    kernel.finish(
        case,
        actor,
        f"Decision to cease the plan approved on {format_date(approved_on)}",
        ceasing,
        today,
        {},
    )
    return ceasing


@kernel.action
def notify_cease_decision(
    case: Case,
    *,
    notified_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
) -> Ceasing:
    """The decision to cease sent to the family with its reasons and their rights to mediation
    and appeal (CFA 2014 s45; reg 31). The appeal window starts; the plan stays maintained until
    it closes, or until any appeal is decided (s45(3)-(4)). The letter (documents.letters
    "decision_to_cease", with the appeal-window date from the clock) goes as `notify` says
    (kernel.letter_delivery): sent now, recorded as sent earlier, or not at all."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    ceasing = _the_open(case)
    if ceasing.decision != Ceasing.Decision.CEASE or ceasing.decided_on is None:
        raise ActionError("Record the decision to cease the plan before the notice")
    if ceasing.notified_on is not None:
        raise ActionError(
            f"The decision was already notified on {format_date(ceasing.notified_on)}"
        )
    if approval_required() and ceasing.approved_on is None:
        raise ActionError("A manager must approve the decision to cease before it is sent")
    what = "The date the decision was sent"
    kernel.not_future(notified_on, what, today, "notified_on")
    kernel.not_before(
        notified_on, ceasing.approved_on or ceasing.decided_on, what, "the decision", "notified_on"
    )
    ceasing.notified_on = notified_on
    buffer.save(ceasing, ["notified_on"])
    kernel.write_event(case, "cease_decision", notified_on, actor, reason=ceasing.reason)
    kernel.decision_notice(case, notified_on, actor)
    kernel.finish(
        case,
        actor,
        f"Decision to cease the plan sent to the family on {format_date(notified_on)}, with "
        "appeal rights",
        ceasing,
        today,
        {"notified_on": notified_on.isoformat()},
    )
    issue_letter(
        case,
        "decision_to_cease",
        on=notified_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, notified_on, today),
        today=today,
    )
    return ceasing


def cease_notice(case: Case) -> tuple[dt.date, Ceasing | None] | None:
    """The notified decision to cease the plan that is waiting to take effect: the notice's date,
    with its Ceasing (None for a review's decision to cease), or None when there is none."""
    ceasing = open_ceasing(case)
    if ceasing is not None:
        return (ceasing.notified_on, ceasing) if ceasing.notified_on is not None else None
    reviews = [
        r
        for r in buffer.related(case.plan, AnnualReview, "plan")
        if r.decision == ReviewOutcome.CEASE and r.decision_on is not None
    ]
    review = kernel.first_by(reviews, lambda r: r.decision_on, latest=True)
    if (
        review is None
        or review.decision_on is None
        or any(
            a.decision_type == Appeal.DecisionType.CEASE
            and a.decision_notice_on == review.decision_on
            and a.order_kind == "continue"
            for a in buffer.related(case, Appeal, "case")
        )
    ):
        return None
    return review.decision_on, None


def maintained_until(case: Case, notice_on: dt.date) -> tuple[dt.date, str]:
    """The last day the plan must stay maintained after the decision to cease notified on
    `notice_on`: the end of the appeal window (2 months), or of the later window after a
    mediation certificate (1 month from it), from the rules table. With the words for it."""
    end = period_end("appeal_window", notice_on)
    why = "the appeal window"
    for appeal in buffer.related(case, Appeal, "case"):
        if appeal.decision_notice_on == notice_on and appeal.certificate_on is not None:
            later = period_end("appeal_window/after_certificate", appeal.certificate_on)
            if later > end:
                end, why = later, "the time to appeal after the mediation certificate"
    return end, why


def _check_route(case: Case, cease_date: dt.date) -> Ceasing | None:
    """The lawful route (s45): a notified decision to cease, its appeal window closed, and no
    appeal against it undecided. Returns the Ceasing it ends (None for a review's decision)."""
    found = cease_notice(case)
    if found is None:
        ceasing = open_ceasing(case)
        if ceasing is not None and ceasing.decision == Ceasing.Decision.CEASE:
            raise ActionError(
                "Record that the decision to cease was sent to the family, with their appeal "
                "rights, before the plan can end",
                field="cease_date",
            )
        raise ActionError(
            "A plan can end only after a decision to cease it, made after consulting the family "
            "and the setting and notified with appeal rights (Children and Families Act 2014, "
            "s45; SEND Regulations 2014, reg 31). Start with ‘Consider ceasing the plan’",
            field="cease_date",
        )
    notice_on, ceasing = found
    for appeal in buffer.related(case, Appeal, "case"):
        if appeal.decision_notice_on != notice_on or not is_live(appeal):
            continue
        if appeal.tribunal_registered_on is not None:
            raise ActionError(
                "The family has appealed against the decision to cease: the plan stays in force "
                f"until the tribunal decides the appeal ({S45}(4))",
                field="cease_date",
            )
        if appeal.certificate_on is None:
            raise ActionError(
                "The family is in mediation about the decision to cease: the plan stays in force "
                "until the mediation certificate, and the time to appeal after it, have passed "
                f"({S45})",
                field="cease_date",
            )
    end, why = maintained_until(case, notice_on)
    if cease_date <= end:
        raise ActionError(
            f"The date the plan ended must be after {why} closes on {format_date(end)}: the plan "
            f"stays in force until then ({S45}(3))",
            field="cease_date",
        )
    return ceasing


@kernel.action
@kernel.stages(Stage.PLAN)
def cease_plan(
    case: Case,
    *,
    cease_date: dt.date,
    reason: int,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    import_mode: bool = False,
) -> Plan:
    """Record that the plan ended (SEN2 CeaseDate: the date it actually stopped being maintained,
    with CeaseReason), at the end of the lawful route (see the top of this module).

    `import_mode=True`: a historic cease from the SEN2 return or the demo: the route is not asked
    for (no decision, notice or appeal window), reason 5 is allowed, the event `cease_decision`
    is written on the cease date, and the audit entry says it was imported."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, cease_plan, "cease the plan")
    if reason not in CeaseReason.values:
        raise ActionError("Select why the plan ended", field="reason")
    if reason == CeaseReason.TRANSFERRED_LA and not import_mode:
        raise ActionError(
            "A plan transferred to another council is recorded with ‘Record a move to another "
            "council’",
            field="reason",
        )
    plan = case.plan
    kernel.not_future(cease_date, "The date the plan ended", today, "cease_date")
    kernel.not_before(
        cease_date,
        plan.first_issued_on,
        "The date the plan ended",
        "the date the plan was issued",
        "cease_date",
    )
    ceasing = None
    if not import_mode and reason != CeaseReason.DECEASED:
        ceasing = _check_route(case, cease_date)
    elif not import_mode:  # a child's death ends any ceasing under way with the plan
        ceasing = open_ceasing(case)
    plan.status, plan.cease_date, plan.cease_reason = Plan.Status.CEASED, cease_date, reason
    buffer.save(plan, ["status", "cease_date", "cease_reason"])
    for placement in buffer.related(plan, Placement, "plan"):
        if placement.leaving_date is None:
            placement.leaving_date = cease_date
            buffer.save(placement, ["leaving_date"])
    if ceasing is not None:
        ceasing.ended_on = ceasing.closed_on = cease_date
        buffer.save(ceasing, ["ended_on", "closed_on"])
    if import_mode or reason == CeaseReason.DECEASED:
        kernel.write_event(case, "cease_decision", cease_date, actor, reason=reason)
    case.stage = Stage.TRANSFERRED_OUT if reason == CeaseReason.TRANSFERRED_LA else Stage.CEASED
    case.closed_on = cease_date
    kernel.finish(
        case,
        actor,
        f"Plan ceased {format_date(cease_date)}: {CeaseReason(reason).label}",
        plan,
        today,
        {"reason": reason, **({"imported": True} if import_mode else {})},
    )
    return plan
