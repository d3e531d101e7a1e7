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
* `cease_plan`: the Plan ceased (date, SEN2 reason), its open placements ended that day;
  event `cease_decision`; closes the case (CEASED, or TRANSFERRED_OUT for reason 5);
  no message.
"""

from __future__ import annotations

import datetime as dt

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    Case,
    Stage,
)
from sendcase.core.actors import Actor
from sendcase.core.codes import CeaseReason
from sendcase.placements.models import Placement, Setting
from sendcase.plans.models import Plan
from sendcase.reviews.models import PhaseTransfer
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period_end


@kernel.action
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
    kernel.require_stage(case, (Stage.PLAN,), "record a phase transfer")
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


@kernel.action
def cease_plan(
    case: Case,
    *,
    cease_date: dt.date,
    reason: int,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Record that the plan ended (SEN2 CeaseDate: the date it actually ended, with CeaseReason)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, (Stage.PLAN,), "cease the plan")
    if reason not in CeaseReason.values:
        raise ActionError("Select why the plan ended", field="reason")
    plan = case.plan
    kernel.not_future(cease_date, "The date the plan ended", today, "cease_date")
    kernel.not_before(
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
    kernel.write_event(case, "cease_decision", cease_date, actor, reason=reason)
    case.stage = Stage.TRANSFERRED_OUT if reason == CeaseReason.TRANSFERRED_LA else Stage.CEASED
    case.closed_on = cease_date
    kernel.finish(
        case,
        actor,
        f"Plan ceased {format_date(cease_date)}: {CeaseReason(reason).label}",
        plan,
        today,
        {"reason": reason},
    )
    return plan
