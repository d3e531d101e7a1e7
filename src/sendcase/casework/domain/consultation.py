"""Consulting a school or college on being named in the plan, and its answer (CFA 2014 s39(2)
and s40(2); SEND Regulations 2014 reg 11 and the council's local 15-day target,
`setting_consultation` in the rules table).

Each action runs through the kernel (`kernel.py`). What else each one does:

* `record_setting_consulted`: event `setting_consulted` with its `consultation_id` and the
  setting's name; the consultation letter to the setting (`recipients`: its people, as the
  portal knows them), with the plan as it stands and the reply-by date from the consultation's
  own `setting_consultation` row, as `notify` says (kernel.letter_delivery). The portal also
  tells the setting's people there is work waiting (`portal.work`).
* `record_setting_response`: event `setting_responded` for that consultation, with whether the
  setting can meet the child's needs and its reasons; no message.
"""

from __future__ import annotations

import datetime as dt

from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Stage
from sendcase.core.actors import Actor
from sendcase.documents.actions import Recipients, issue_letter
from sendcase.statutory.dates import format_date

# A setting is consulted on the draft plan, or on the proposed changes to a plan.
CONSULTING_STAGES = (Stage.DRAFT, Stage.PLAN)


def _consultations(case: Case) -> dict[str, tuple[dt.date, dt.date | None]]:
    """Each consultation on the case: its id, the date it was sent, and when it was answered."""
    sent: dict[str, tuple[dt.date, dt.date | None]] = {}
    for ev in kernel.case_events(case):
        cid = str(ev.data.get("consultation_id") or "")
        if ev.type == "setting_consulted":
            sent[cid] = (ev.date, None)
        elif ev.type == "setting_responded" and cid in sent:
            sent[cid] = (sent[cid][0], ev.date)
    return sent


@kernel.action
def record_setting_consulted(
    case: Case,
    *,
    consultation_id: str,
    setting_name: str,
    consulted_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
    recipients: Recipients | None = None,
) -> str:
    """The council asked a school or college whether it can meet the child's needs if named.
    The letter goes to `recipients` (with none given: the setting, with no address, so the row
    says it was not sent)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, CONSULTING_STAGES, "consult a setting", on=consulted_on)
    kernel.not_future(consulted_on, "The date the setting was consulted", today, "consulted_on")
    if not consultation_id:
        raise ActionError("A consultation needs an identifier")
    if consultation_id in _consultations(case):
        raise ActionError("This consultation has already been recorded")
    kernel.write_event(
        case,
        "setting_consulted",
        consulted_on,
        actor,
        consultation_id=consultation_id,
        setting=setting_name,
    )
    kernel.finish(
        case,
        actor,
        f"{setting_name} consulted on being named, {format_date(consulted_on)}",
        case,
        today,
        {"consultation_id": consultation_id, "setting": setting_name},
    )
    delivery = kernel.letter_delivery(notify, consulted_on, today)
    if (
        delivery is not False
        and not case.deadlines.filter(key="setting_consultation", instance=consultation_id).exists()
    ):
        # The council turned its local 15-day target off: the clock gives no date to reply by,
        # so no letter is made (the step itself is still recorded).
        delivery = False
    plan = getattr(case, "plan", None) if delivery is not False else None
    issue_letter(
        case,
        "setting_consultation",
        on=consulted_on,
        actor=actor,
        notify=delivery,
        today=today,
        plan_version=plan.versions.order_by("-number").first() if plan is not None else None,
        recipients=recipients or [(setting_name, None)],
        instance=consultation_id,
    )
    return consultation_id


@kernel.action
def record_setting_response(
    case: Case,
    *,
    consultation_id: str,
    responded_on: dt.date,
    can_meet_needs: bool,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> str:
    """The setting answered the consultation: whether it can meet the needs (its reasons are
    kept with the answer, `portal.models.Consultation`)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    consultations = _consultations(case)
    if consultation_id not in consultations:
        raise ActionError("Select the consultation that was answered")
    sent_on, answered_on = consultations[consultation_id]
    if answered_on is not None:
        raise ActionError(f"This consultation was already answered on {format_date(answered_on)}")
    kernel.not_future(responded_on, "The date of the answer", today, "responded_on")
    kernel.not_before(
        responded_on,
        sent_on,
        "The date of the answer",
        "the date of the consultation",
        "responded_on",
    )
    kernel.write_event(
        case,
        "setting_responded",
        responded_on,
        actor,
        consultation_id=consultation_id,
        can_meet_needs=can_meet_needs,
    )
    kernel.finish(
        case,
        actor,
        "The setting answered the consultation: "
        + ("can meet the needs" if can_meet_needs else "cannot meet the needs"),
        case,
        today,
        {"consultation_id": consultation_id, "can_meet_needs": can_meet_needs},
    )
    return consultation_id
