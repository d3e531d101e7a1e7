"""A plan moving to another council in England (Reg 15): learning of the move, then the transfer.

Learning of the move starts the clock (the plan must be transferred on the day of the move,
or within 15 working days of learning of it if that is later); transferring the plan closes
the case here (SEN2 cease reason 5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sendcase.casework.domain.actions import (
    _event,
    _finish,
    _fmt,
    _lock,
    _not_before,
    _not_future,
    _require_stage,
    _today,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Stage, Transfer
from sendcase.core.codes import CeaseReason
from sendcase.plans.models import Plan


@transaction.atomic
def record_transfer_out_learned(
    case: Case,
    *,
    learned_on: dt.date,
    move_date: dt.date,
    to_la_code: str,
    to_la_name: str,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Transfer:
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "record a move to another council")
    _not_future(learned_on, "The date you learned of the move", today, "learned_on")
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
    _event(case, "transfer_out_learned", learned_on, actor, move_date=move_date)
    _finish(
        case,
        actor,
        f"Told of a move to {to_la_name or to_la_code} on {_fmt(move_date)}",
        transfer,
        today,
        {"move_date": move_date.isoformat()},
    )
    return transfer


@transaction.atomic
def record_plan_transferred_out(
    case: Case,
    *,
    transferred_on: dt.date,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Transfer:
    today = _today(today)
    case = _lock(case, expected_version)
    _require_stage(case, (Stage.PLAN,), "transfer the plan")
    transfer = (
        case.transfers.filter(direction=Transfer.Direction.OUT, transferred_on=None)
        .order_by("-learned_on")
        .first()
    )
    if transfer is None:
        raise ActionError("Record the move to another council before transferring the plan")
    _not_future(transferred_on, "The date the plan was transferred", today, "transferred_on")
    _not_before(
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
    _event(case, "plan_transferred_out", transferred_on, actor)
    case.stage, case.closed_on = Stage.TRANSFERRED_OUT, transferred_on
    _finish(
        case,
        actor,
        f"Plan transferred to {transfer.other_la_name or transfer.other_la_code}",
        transfer,
        today,
        {},
    )
    return transfer
