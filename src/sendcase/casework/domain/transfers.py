"""Transfers between councils in England (SEND Regulations 2014 reg 15): a plan moving out, and a
plan transferred in.

Learning of a move out starts the clock (the plan must be transferred on the day of the move,
or within 15 working days of learning of it if that is later); transferring the plan closes
the case here (SEN2 cease reason 5). A plan transferred in opens a case at the plan stage, and
the family must be told within 6 weeks whether it will be reassessed or reviewed.

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses a step that does not fit (ActionError), moves
the case's version on, writes one audit entry and recomputes the case's deadlines once. What
else each one does:

* `record_transfer_out_learned`: a Transfer row (out) with the new council and the move date;
  event `transfer_out_learned`; no message.
* `record_plan_transferred_out`: the Transfer's date, the Plan ceased (reason 5) and its open
  placements ended; event `plan_transferred_out`; closes the case (TRANSFERRED_OUT); no message.
* `record_transfer_in`: creates the Case (a new reference), an active Plan (with a first
  version holding the needs received, if any), a Transfer row (in) and the first AnnualReview
  (12 months from the last review, at least 3 months from the transfer); event `transfer_in`;
  no message.
* `record_transfer_in_notice`: the Transfer's notice date; event `transfer_in_notice`; the
  family's letter (the plan now with this council, reviewed by its `transfer_in_review` due
  date), as `notify` says (kernel.letter_delivery). This is the transfer letter of
  reference/ehc-plan.md: after a plan moves out, the new council writes it.
"""

from __future__ import annotations

import datetime as dt

from sendcase.accounts.models import Team, User
from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import new_plan_version
from sendcase.casework.models import Case, Child, Stage, Transfer
from sendcase.core.actors import Actor
from sendcase.core.codes import CeaseReason
from sendcase.documents.actions import issue_letter
from sendcase.plans.models import Plan, PlanVersion
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import transfer_in_review_due


@kernel.action
@kernel.stages(Stage.PLAN)
def record_transfer_out_learned(
    case: Case,
    *,
    learned_on: dt.date,
    move_date: dt.date,
    to_la_code: str,
    to_la_name: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Transfer:
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_transfer_out_learned, "record a move to another council")
    kernel.not_future(learned_on, "The date you learned of the move", today, "learned_on")
    if case.transfers.filter(direction=Transfer.Direction.OUT, transferred_on=None).exists():
        raise ActionError("A move to another council is already recorded on this case")
    if not (to_la_code.strip() or to_la_name.strip()):
        raise ActionError("Enter the name of the new council", field="to_la_name")
    transfer = Transfer.objects.create(
        case=case,
        direction=Transfer.Direction.OUT,
        other_la_code=to_la_code.strip(),
        other_la_name=to_la_name.strip(),
        learned_on=learned_on,
        move_date=move_date,
    )
    kernel.write_event(case, "transfer_out_learned", learned_on, actor, move_date=move_date)
    kernel.finish(
        case,
        actor,
        f"Told of a move to {to_la_name or to_la_code} on {format_date(move_date)}",
        transfer,
        today,
        {"move_date": move_date.isoformat()},
    )
    return transfer


@kernel.action
@kernel.stages(Stage.PLAN)
def record_plan_transferred_out(
    case: Case,
    *,
    transferred_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Transfer:
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_plan_transferred_out, "transfer the plan")
    transfer = (
        case.transfers.filter(direction=Transfer.Direction.OUT, transferred_on=None)
        .order_by("-learned_on")
        .first()
    )
    if transfer is None:
        raise ActionError("Record the move to another council before transferring the plan")
    kernel.not_future(transferred_on, "The date the plan was transferred", today, "transferred_on")
    kernel.not_before(
        transferred_on,
        transfer.learned_on,
        "The date the plan was transferred",
        "the date you learned of the move",
        "transferred_on",
    )
    transfer.transferred_on = transferred_on
    transfer.save(update_fields=["transferred_on"])
    plan = Plan.objects.get(case=case)
    plan.status, plan.cease_date, plan.cease_reason = (
        Plan.Status.CEASED,
        transferred_on,
        CeaseReason.TRANSFERRED_LA,
    )
    plan.save(update_fields=["status", "cease_date", "cease_reason"])
    plan.placements.filter(leaving_date=None).update(leaving_date=transferred_on)
    kernel.write_event(case, "plan_transferred_out", transferred_on, actor)
    case.stage, case.closed_on = Stage.TRANSFERRED_OUT, transferred_on
    kernel.finish(
        case,
        actor,
        f"Plan transferred to {transfer.other_la_name or transfer.other_la_code}",
        transfer,
        today,
        {},
    )
    return transfer


@kernel.action
def record_transfer_in(
    child: Child,
    *,
    transferred_on: dt.date,
    last_review: dt.date,
    from_la_code: str,
    from_la_name: str,
    actor: Actor,
    officer: User | None = None,
    team: Team | None = None,
    today: dt.date | None = None,
    needs: list[tuple[str, str]] | None = None,
) -> Case:
    """A plan transferred in from another council (Reg 15): a new case at the plan stage.

    `needs` (code, description), primary first: the needs in the plan received, kept as its
    first version."""
    today = kernel.local_today(today)
    kernel.not_future(transferred_on, "The date the plan was transferred", today, "transferred_on")
    kernel.not_before(
        transferred_on,
        last_review,
        "The date the plan was transferred",
        "its last review",
        "transferred_on",
    )
    if kernel.has_open_case(child):
        raise ActionError(f"{child} already has an open case")
    kernel.one_plan_at_a_time(child, None, transferred_on)
    case = buffer.create(
        Case,
        reference=kernel.next_case_reference(transferred_on),
        child=child,
        officer=officer,
        team=team or getattr(officer, "team", None),
        stage=Stage.PLAN,
        opened_on=transferred_on,
    )
    kernel.hold(case)
    plan = buffer.create(Plan, case=case, status=Plan.Status.ACTIVE, first_issued_on=transferred_on)
    if needs:
        new_plan_version(plan, PlanVersion.Kind.FINAL, transferred_on, actor, None, needs)
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
    review_due = transfer_in_review_due(transferred_on, last_review)
    buffer.create(AnnualReview, plan=plan, due_on=review_due)
    kernel.write_event(case, "transfer_in", transferred_on, actor, last_review=last_review)
    kernel.finish(
        case, actor, f"Plan transferred in from {from_la_name or from_la_code}", transfer, today, {}
    )
    return case


@kernel.action
def record_transfer_in_notice(
    case: Case,
    *,
    notice_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
) -> Transfer:
    """After a plan transfers in, tell the family whether we will reassess or review: 6 weeks
    (Reg 15(4)). `notify`: the family's letter (kernel.letter_delivery)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
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
    kernel.not_future(notice_on, "The date the family was told", today, "notice_on")
    kernel.not_before(
        notice_on,
        transfer.transferred_on,
        "The date the family was told",
        "the transfer",
        "notice_on",
    )
    transfer.notice_on = notice_on
    buffer.save(transfer, ["notice_on"])
    kernel.write_event(case, "transfer_in_notice", notice_on, actor)
    kernel.finish(
        case,
        actor,
        f"Family told of the plan for the transferred plan, {format_date(notice_on)}",
        transfer,
        today,
        {},
    )
    issue_letter(
        case,
        "transfer",
        on=notice_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, notice_on, today),
        today=today,
    )
    return transfer
