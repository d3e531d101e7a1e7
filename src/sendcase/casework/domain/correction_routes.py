"""How the records that mirror a step follow its correction or strike-out, for the steps beyond
the assessment, plan and review (which `corrections.py` keeps itself): the appeal steps, the
decision whether to assess and not to issue, consulting a setting, the ceasing route, transfers
between councils, and decision notices.

Each mover takes (case, step, new date) and keeps the mirror equal to the corrected step, after
checking that the corrected history is possible (a decision before its request, a mediation
before it was asked for, an order complied with before it was made: refused in plain words).
Each striker takes (case, step), refuses in plain words when a later step hangs on it, and
clears or removes the mirror. `corrections.correct_step` and `strike_out_step` call them inside
their action (one transaction, audited, the deadlines recomputed once): nothing here writes an
event or an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.apps import apps

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.appeals import (
    CONCESSIONS_FOR,
    ORDERS_FOR,
    is_live,
    reinstate_plan,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Appeal, Case, Ceasing, Stage, StatutoryEvent, Transfer
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan, PlanVersion
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import transfer_in_review_due

Mover = Callable[[Case, StatutoryEvent, dt.date], None]
Striker = Callable[[Case, StatutoryEvent], None]


def _refuse(message: str) -> None:
    raise ActionError(message, field="date")


def order(earlier: tuple[dt.date | None, str], later: tuple[dt.date | None, str]) -> None:
    """Refuse a history in which `later` comes before `earlier` (each a date and its words).
    Public: the ceasing route's own steps (corrections.change_ceasing_step) use it too."""
    (a, a_words), (b, b_words) = earlier, later
    if a is not None and b is not None and b < a:
        _refuse(
            f"That would put {b_words} ({format_date(b)}) before {a_words} ({format_date(a)}), "
            "which cannot be"
        )


def _events(case: Case, *types: str) -> list[StatutoryEvent]:
    return [e for e in kernel.case_events(case) if e.type in types]


def _after(case: Case, on: dt.date, types: tuple[str, ...], what: str) -> None:
    later = [e for e in _events(case, *types) if e.date >= on]
    if later:
        names = ", ".join(sorted({e.type.replace("_", " ") for e in later}))
        raise ActionError(f"Steps follow {what} ({names}): strike them out first")


# --- The decision whether to assess, and not to issue --------------------------------------

_ASSESSMENT_STEPS = (
    "advice_requested",
    "advice_received",
    "decision_not_to_issue",
    "draft_issued",
    "final_issued",
    "setting_consulted",
)


def _appeal_on(case: Case, notice_on: dt.date) -> Appeal | None:
    return next(
        (a for a in buffer.related(case, Appeal, "case") if a.decision_notice_on == notice_on),
        None,
    )


def strike_decision_to_assess(case: Case, e: StatutoryEvent) -> None:
    """The case goes back to waiting for the decision (REQUESTED)."""
    _after(case, e.date, _ASSESSMENT_STEPS, "this decision")
    if _appeal_on(case, e.date) is not None:
        raise ActionError("An appeal is recorded against this decision: strike out its steps first")
    request = case.request
    request.decision, request.decision_on = "", None
    buffer.save(request, ["decision", "decision_on"])
    case.stage, case.closed_on = Stage.REQUESTED, None


def strike_not_to_issue(case: Case, e: StatutoryEvent) -> None:
    """The case goes back to the assessment."""
    if _appeal_on(case, e.date) is not None:
        raise ActionError("An appeal is recorded against this decision: strike out its steps first")
    _after(case, e.date, ("draft_issued", "final_issued"), "this decision")
    request = case.request
    request.not_to_issue_on = None
    buffer.save(request, ["not_to_issue_on"])
    if case.stage == Stage.NOT_ISSUED:
        case.stage, case.closed_on = Stage.ASSESSING, None


def decision_to_assess_outcome(
    case: Case, e: StatutoryEvent, details: dict[str, Any]
) -> dict[str, Any]:
    """Correct the decision's outcome (assess or not): the case's stage and the decision letter
    with appeal rights follow (a refusal has one; a decision to assess has none)."""
    data = dict(e.data)
    outcome = details.get("outcome")
    if outcome is None or outcome == data.get("outcome"):
        return data
    if outcome not in ("assess", "not_assess"):
        raise ActionError("Select whether the council will assess", field="outcome")
    if outcome == "not_assess":
        _after(case, e.date, _ASSESSMENT_STEPS, "the decision to assess")
        case.stage, case.closed_on = Stage.NOT_ASSESSED, e.date
    else:
        if _appeal_on(case, e.date) is not None:
            raise ActionError(
                "An appeal is recorded against this refusal: strike out its steps first",
                field="outcome",
            )
        case.stage, case.closed_on = Stage.ASSESSING, None
    request = case.request
    request.decision = outcome
    buffer.save(request, ["decision"])
    data["outcome"] = outcome
    return data


# --- Consulting a setting ------------------------------------------------------------------


def _consultation_row(case: Case, e: StatutoryEvent) -> Any:
    # The portal's record of the consultation (its app depends on casework, not the reverse).
    model = apps.get_model("portal", "Consultation")
    return model.objects.filter(
        case=case, consultation_id=str(e.data.get("consultation_id") or "")
    ).first()


def _answer_to(case: Case, e: StatutoryEvent) -> StatutoryEvent | None:
    cid = e.data.get("consultation_id")
    return next(
        (x for x in _events(case, "setting_responded") if x.data.get("consultation_id") == cid),
        None,
    )


def _consulted_of(case: Case, e: StatutoryEvent) -> StatutoryEvent | None:
    cid = e.data.get("consultation_id")
    return next(
        (x for x in _events(case, "setting_consulted") if x.data.get("consultation_id") == cid),
        None,
    )


def move_consulted(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    answer = _answer_to(case, e)
    order((new, "the consultation"), (answer.date if answer else None, "the setting's answer"))
    row = _consultation_row(case, e)
    if row is not None:
        row.consulted_on = new
        row.save(update_fields=["consulted_on"])


def move_responded(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    sent = _consulted_of(case, e)
    order((sent.date if sent else None, "the consultation"), (new, "the setting's answer"))
    row = _consultation_row(case, e)
    if row is not None:
        row.answered_on = new
        row.save(update_fields=["answered_on"])


def strike_consulted(case: Case, e: StatutoryEvent) -> None:
    if _answer_to(case, e) is not None:
        raise ActionError(
            "The setting's answer to this consultation is recorded: strike it out first"
        )
    row = _consultation_row(case, e)
    if row is not None:
        row.delete()


def strike_responded(case: Case, e: StatutoryEvent) -> None:
    row = _consultation_row(case, e)
    if row is not None:
        row.answered_on, row.can_meet_needs = None, None
        row.save(update_fields=["answered_on", "can_meet_needs"])


def responded_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    """Whether the setting said it can meet the child's needs."""
    data = dict(e.data)
    can = details.get("can_meet_needs")
    if can is None:
        return data
    can = can in (True, "yes", "True", "true", "1")
    if can == data.get("can_meet_needs"):
        return data
    row = _consultation_row(case, e)
    if row is not None:
        row.can_meet_needs = can
        row.save(update_fields=["can_meet_needs"])
    data["can_meet_needs"] = can
    return data


def consulted_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    """The name of the setting consulted."""
    data = dict(e.data)
    name = str(details.get("setting") or "").strip()
    if name and name != data.get("setting"):
        data["setting"] = name
    return data


# --- The ceasing route -------------------------------------------------------------------


def _ceasings(case: Case) -> list[Ceasing]:
    return buffer.related(case, Ceasing, "case")


def move_considered(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    ceasing = next((c for c in _ceasings(case) if c.considered_on == e.date), None)
    plan: Plan | None = getattr(case, "plan", None)
    order(
        (plan.first_issued_on if plan else None, "the plan's issue"), (new, "considering ceasing")
    )
    if ceasing is None:
        return
    for field, words in (
        ("family_consulted_on", "consulting the family"),
        ("setting_consulted_on", "consulting the setting"),
        ("decided_on", "the decision"),
    ):
        order((new, "considering ceasing"), (getattr(ceasing, field), words))
    ceasing.considered_on = new
    buffer.save(ceasing, ["considered_on"])


def strike_considered(case: Case, e: StatutoryEvent) -> None:
    ceasing = next((c for c in _ceasings(case) if c.considered_on == e.date), None)
    if ceasing is None:
        return
    if ceasing.decision:
        raise ActionError("A decision on ceasing follows this step: strike it out first")
    ceasing.delete()  # its consultations were part of it


def _cease_ceasing(case: Case, e: StatutoryEvent) -> Ceasing | None:
    """The Ceasing a cease_decision step mirrors: the one notified that day (to cease), or
    decided that day (not to cease)."""
    if e.data.get("outcome") == "not_cease":
        return next(
            (
                c
                for c in _ceasings(case)
                if c.decision == Ceasing.Decision.NOT_CEASE and c.decided_on == e.date
            ),
            None,
        )
    return next((c for c in _ceasings(case) if c.notified_on == e.date), None)


def move_cease_route(case: Case, e: StatutoryEvent, new: dt.date) -> bool:
    """A decision on ceasing made through the route: its Ceasing follows. True if there was one."""
    ceasing = _cease_ceasing(case, e)
    if ceasing is None:
        return False
    if e.data.get("outcome") == "not_cease":
        for field, words in (
            ("considered_on", "considering ceasing"),
            ("family_consulted_on", "consulting the family"),
            ("setting_consulted_on", "consulting the setting"),
        ):
            order((getattr(ceasing, field), words), (new, "the decision"))
        ceasing.decided_on = ceasing.closed_on = new
        buffer.save(ceasing, ["decided_on", "closed_on"])
        return True
    order((ceasing.approved_on or ceasing.decided_on, "the decision"), (new, "its notice"))
    order((new, "the notice"), (ceasing.ended_on, "the plan's end"))
    ceasing.notified_on = new
    buffer.save(ceasing, ["notified_on"])
    return True


def strike_cease_decision(case: Case, e: StatutoryEvent) -> None:
    """A decision on ceasing struck out: the route goes back to the step before it (decided,
    waiting for the notice; or consulting, waiting for the decision). An imported or a child's
    death's cease: the plan is maintained again."""
    ceasing = _cease_ceasing(case, e)
    if ceasing is not None:
        if e.data.get("outcome") == "not_cease":
            ceasing.decision, ceasing.decided_on, ceasing.closed_on = "", None, None
            ceasing.decision_reasons, ceasing.decided_by = "", None
            buffer.save(
                ceasing, ["decision", "decided_on", "closed_on", "decision_reasons", "decided_by"]
            )
            return
        if ceasing.ended_on is not None:
            raise ActionError(
                "The plan has ended after this decision: correct the plan's end, or strike "
                "out the appeal steps, first"
            )
        if _appeal_on(case, e.date) is not None:
            raise ActionError(
                "An appeal is recorded against this decision: strike out its steps first"
            )
        ceasing.notified_on = None
        buffer.save(ceasing, ["notified_on"])
        return
    plan: Plan | None = getattr(case, "plan", None)
    if plan is not None and plan.cease_date == e.date and case.stage == Stage.CEASED:
        reinstate_plan(case)


# --- Appeals -------------------------------------------------------------------------------

# An appeal's steps in the order they can happen.
_CHAIN = (
    ("decision_notice_on", "the decision letter"),
    ("mediation_requested_on", "the request for mediation"),
    ("mediation_declined_on", "the family's decision about mediation"),
    ("mediation_held_on", "the mediation"),
    ("certificate_on", "the mediation certificate"),
    ("tribunal_registered_on", "the appeal's registration"),
    ("order_on", "the tribunal's decision"),
    ("complied_on", "the council's compliance with the order"),
)
_FIELD = {
    "mediation_requested": "mediation_requested_on",
    "mediation_declined": "mediation_declined_on",
    "mediation_held": "mediation_held_on",
    "mediation_certificate": "certificate_on",
    "appeal_lodged": "tribunal_registered_on",
    "tribunal_order": "order_on",
    "unopposed_appeal": "order_on",
}


def _appeals(case: Case) -> list[Appeal]:
    return buffer.related(case, Appeal, "case")


def _appeal_of(case: Case, e: StatutoryEvent) -> Appeal | None:
    if e.type in ("tribunal_order_complied", "unopposed_appeal_complied"):
        kind = e.data.get("kind")
        found = [
            a
            for a in _appeals(case)
            if a.order_kind == kind and a.order_on is not None and a.order_on <= e.date
        ]
        return max(found, key=lambda a: a.order_on or e.date) if found else None
    field = _FIELD[e.type]
    return next(
        (
            a
            for a in _appeals(case)
            if getattr(a, field) == e.date
            and (field != "order_on" or a.order_kind == e.data.get("kind"))
        ),
        None,
    )


def _in_order(appeal: Appeal) -> None:
    seen: list[tuple[dt.date, str]] = []
    for field, words in _CHAIN:
        d = getattr(appeal, field)
        if d is None:
            continue
        for earlier in seen:
            order(earlier, (d, words))
        seen.append((d, words))


def _complied(case: Case, appeal: Appeal) -> list[StatutoryEvent]:
    types = ("tribunal_order_complied", "unopposed_appeal_complied")
    return [
        x
        for x in _events(case, *types)
        if appeal.order_on is not None
        and x.data.get("kind") == appeal.order_kind
        and x.date >= appeal.order_on
    ]


def move_appeal_step(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    appeal = _appeal_of(case, e)
    if appeal is None:
        return
    if e.type in ("tribunal_order_complied", "unopposed_appeal_complied"):
        order((appeal.order_on, "the tribunal's decision"), (new, "the council's compliance"))
        if appeal.complied_on == e.date:
            appeal.complied_on = new
            buffer.save(appeal, ["complied_on"])
        return
    field = _FIELD[e.type]
    if field == "order_on":
        first = min((x.date for x in _complied(case, appeal)), default=None)
        order((new, "the tribunal's decision"), (first, "the council's compliance"))
    setattr(appeal, field, new)
    _in_order(appeal)
    buffer.save(appeal, [field])


def _mark_disputed(case: Case) -> None:
    disputed = any(is_live(a) for a in _appeals(case))
    if case.disputed != disputed:
        case.disputed = disputed
        buffer.save(case, ["disputed"])


def strike_appeal_step(case: Case, e: StatutoryEvent) -> None:
    appeal = _appeal_of(case, e)
    if appeal is None:
        return
    later = {
        "mediation_requested": ("mediation_held_on", "certificate_on", "tribunal_registered_on"),
        "mediation_declined": ("certificate_on", "tribunal_registered_on"),
        "mediation_held": ("certificate_on",),
        "mediation_certificate": ("tribunal_registered_on",),
        "appeal_lodged": ("order_on",),
    }.get(e.type, ())
    if any(getattr(appeal, f) is not None for f in later) or (
        e.type == "appeal_lodged" and appeal.outcome != Appeal.Outcome.PENDING
    ):
        raise ActionError("Later steps of this appeal are recorded: strike them out first")
    if e.type in ("tribunal_order", "unopposed_appeal"):
        _strike_order(case, appeal)
    elif e.type in ("tribunal_order_complied", "unopposed_appeal_complied"):
        if appeal.complied_on == e.date:
            appeal.complied_on = None
            buffer.save(appeal, ["complied_on"])
    else:
        appeal_id = appeal.pk
        setattr(appeal, _FIELD[e.type], None)
        starts = ("mediation_requested_on", "mediation_declined_on", "tribunal_registered_on")
        if all(getattr(appeal, f) is None for f in starts):
            appeal.delete()  # the step started the appeal: nothing else is recorded on it
        else:
            buffer.save(appeal, [_FIELD[e.type]])
        if e.type == "appeal_lodged":
            _cease_again(case, appeal, appeal_id)
    _mark_disputed(case)


def _strike_order(case: Case, appeal: Appeal) -> None:
    """An order struck out: the appeal waits for its decision again, and what the order undid
    is put back (a reopened assessment closed again; a ceasing the order ended open again)."""
    if _complied(case, appeal):
        raise ActionError(
            "The council's compliance with this order is recorded: strike it out first"
        )
    kind, order_on = appeal.order_kind, appeal.order_on
    if kind in ("assess", "make_plan") and case.stage == Stage.ASSESSING and order_on:
        _after(case, order_on, _ASSESSMENT_STEPS, "the order")
        request = case.request
        if appeal.decision_type == Appeal.DecisionType.NOT_ASSESS:
            case.stage, case.closed_on = Stage.NOT_ASSESSED, request.decision_on
        elif appeal.decision_type == Appeal.DecisionType.NOT_ISSUE:
            case.stage, case.closed_on = Stage.NOT_ISSUED, request.not_to_issue_on
    if kind == "continue":
        for ceasing in _ceasings(case):
            if ceasing.closed_on == order_on and ceasing.notified_on == appeal.decision_notice_on:
                ceasing.closed_on = None
                buffer.save(ceasing, ["closed_on"])
    appeal.outcome, appeal.order_kind, appeal.order_on = Appeal.Outcome.PENDING, "", None
    buffer.save(appeal, ["outcome", "order_kind", "order_on"])


def _cease_again(case: Case, appeal: Appeal, appeal_id: int) -> None:
    """Registering an appeal against a decision to cease put back a plan already ended (CFA s45(4)):
    striking the registration out ends it again on its date, as the ceasing route had it."""
    if appeal.decision_type != Appeal.DecisionType.CEASE or case.stage != Stage.PLAN:
        return
    entry = (
        AuditEntry.objects.filter(
            case=case,
            object_type="casework.appeal",
            object_id=str(appeal_id),
            payload__reopened="plan",
        )
        .order_by("-pk")
        .first()
    )
    if entry is None or not entry.payload.get("cease_date"):
        return
    ended = dt.date.fromisoformat(entry.payload["cease_date"])
    plan = case.plan
    plan.status, plan.cease_date = Plan.Status.CEASED, ended
    plan.cease_reason = entry.payload.get("cease_reason")
    buffer.save(plan, ["status", "cease_date", "cease_reason"])
    for placement in buffer.related(plan, Placement, "plan"):
        if placement.leaving_date is None and placement.entry_date <= ended:
            placement.leaving_date = ended
            buffer.save(placement, ["leaving_date"])
    for ceasing in _ceasings(case):
        if ceasing.notified_on == appeal.decision_notice_on and ceasing.closed_on is None:
            ceasing.ended_on = ceasing.closed_on = ended
            buffer.save(ceasing, ["ended_on", "closed_on"])
    case.stage, case.closed_on = Stage.CEASED, ended


def order_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    """What the tribunal ordered (or the council conceded), among what it could order."""
    data = dict(e.data)
    kind = details.get("kind")
    if kind is None or kind == data.get("kind"):
        return data
    appeal = _appeal_of(case, e)
    allowed = (CONCESSIONS_FOR if e.type == "unopposed_appeal" else ORDERS_FOR).get(
        appeal.decision_type if appeal else "", ()
    )
    if kind not in allowed:
        raise ActionError("Select an order the tribunal can make on this appeal", field="kind")
    if appeal is not None:
        if _complied(case, appeal):
            raise ActionError(
                "The council's compliance with this order is recorded: strike it out first",
                field="kind",
            )
        appeal.order_kind = kind
        buffer.save(appeal, ["order_kind"])
    data["kind"] = kind
    return data


# --- Decision notices ----------------------------------------------------------------------

_NOTIFIED = frozenset(
    {
        "decision_to_assess",
        "decision_not_to_issue",
        "final_issued",
        "review_decision",
        "final_amended_plan",
        "cease_decision",
    }
)


def move_notice(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    """The decision letter sent later (or earlier) than recorded: not before its decision, and
    the appeal about it follows."""
    decided = [x.date for x in _events(case, *_NOTIFIED) if x.date == e.date]
    order((min(decided, default=None), "the decision"), (new, "its letter"))
    notice_follows(case, e.date, new)


def notice_follows(case: Case, old: dt.date, new: dt.date) -> None:
    """A decision letter moved: the appeal about it follows (still in order)."""
    appeal = _appeal_on(case, old)
    if appeal is not None:
        appeal.decision_notice_on = new
        _in_order(appeal)
        buffer.save(appeal, ["decision_notice_on"])


def strike_notice(case: Case, e: StatutoryEvent) -> None:
    if _appeal_on(case, e.date) is not None:
        raise ActionError("An appeal is recorded about this decision: strike out its steps first")


# --- Transfers between councils -------------------------------------------------------------


def _transfer(case: Case, direction: str, field: str, on: dt.date) -> Transfer | None:
    return next(
        (
            t
            for t in buffer.related(case, Transfer, "case")
            if t.direction == direction and getattr(t, field) == on
        ),
        None,
    )


def move_learned(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    t = _transfer(case, Transfer.Direction.OUT, "learned_on", e.date)
    if t is None:
        return
    order((new, "learning of the move"), (t.transferred_on, "the plan's transfer"))
    t.learned_on = new
    buffer.save(t, ["learned_on"])


def learned_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    """The date of the move the council was told of."""
    data = dict(e.data)
    move = details.get("move_date")
    if move is None or move.isoformat() == data.get("move_date"):
        return data
    t = _transfer(case, Transfer.Direction.OUT, "learned_on", e.date)
    if t is not None:
        t.move_date = move
        buffer.save(t, ["move_date"])
    data["move_date"] = move.isoformat()
    return data


def strike_learned(case: Case, e: StatutoryEvent) -> None:
    t = _transfer(case, Transfer.Direction.OUT, "learned_on", e.date)
    if t is None:
        return
    if t.transferred_on is not None:
        raise ActionError("The plan's transfer is recorded after this step: strike it out first")
    t.delete()


def move_transferred_out(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    t = _transfer(case, Transfer.Direction.OUT, "transferred_on", e.date)
    if t is not None:
        order((t.learned_on, "learning of the move"), (new, "the plan's transfer"))
        t.transferred_on = new
        buffer.save(t, ["transferred_on"])
    plan: Plan | None = getattr(case, "plan", None)
    if plan is not None and plan.cease_date == e.date:
        plan.cease_date = new
        buffer.save(plan, ["cease_date"])
        for placement in buffer.related(plan, Placement, "plan"):
            if placement.leaving_date == e.date:
                placement.leaving_date = new
                buffer.save(placement, ["leaving_date"])
    if case.closed_on == e.date:
        case.closed_on = new


def strike_transferred_out(case: Case, e: StatutoryEvent) -> None:
    """The plan was not transferred after all: it is maintained here again."""
    t = _transfer(case, Transfer.Direction.OUT, "transferred_on", e.date)
    if t is not None:
        t.transferred_on = None
        buffer.save(t, ["transferred_on"])
    if case.stage == Stage.TRANSFERRED_OUT:
        case.stage = Stage.CEASED  # reinstate_plan reads a ceased case
        reinstate_plan(case)


def move_transfer_in(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    """The plan transferred in on another day: the case's opening, the plan's start, its first
    version and its first review's due date follow."""
    t = _transfer(case, Transfer.Direction.IN, "transferred_on", e.date)
    last = dt.date.fromisoformat(e.data["last_review"]) if e.data.get("last_review") else None
    order((last, "its last review"), (new, "the transfer in"))
    if t is not None:
        order((new, "the transfer in"), (t.notice_on, "the family's notice"))
        t.transferred_on = new
        buffer.save(t, ["transferred_on"])
    _transfer_in_follows(case, e, new, last)


def _transfer_in_follows(case: Case, e: StatutoryEvent, new: dt.date, last: dt.date | None) -> None:
    case.opened_on = new
    buffer.save(case, ["opened_on"])
    plan: Plan | None = getattr(case, "plan", None)
    if plan is None:
        return
    if plan.first_issued_on == e.date:
        plan.first_issued_on = new
        buffer.save(plan, ["first_issued_on"])
    for v in buffer.related(plan, PlanVersion, "plan"):
        if v.issued_on == e.date and v.kind == PlanVersion.Kind.FINAL:
            v.issued_on = new
            buffer.save(v, ["issued_on"])
    if last is not None:
        _first_review(plan, (e.date, last), (new, last))


def _first_review(plan: Plan, was: tuple[dt.date, dt.date], now: tuple[dt.date, dt.date]) -> None:
    """A transferred-in plan's first review, due from its transfer and its last review (each
    pair), follows them while it is not held."""
    due = transfer_in_review_due(*was)
    for r in buffer.related(plan, AnnualReview, "plan"):
        if r.meeting_on is None and r.due_on == due:
            r.due_on = transfer_in_review_due(*now)
            buffer.save(r, ["due_on"])


def transfer_in_details(case: Case, e: StatutoryEvent, details: dict[str, Any]) -> dict[str, Any]:
    """The plan's last review (or making) before it came: the first review's due date follows."""
    data = dict(e.data)
    last = details.get("last_review")
    if last is None or last.isoformat() == data.get("last_review"):
        return data
    order((last, "its last review"), (e.date, "the transfer in"))
    plan: Plan | None = getattr(case, "plan", None)
    if plan is not None:
        _first_review(plan, (e.date, dt.date.fromisoformat(data["last_review"])), (e.date, last))
    t = _transfer(case, Transfer.Direction.IN, "transferred_on", e.date)
    if t is not None:
        t.last_review = last
        buffer.save(t, ["last_review"])
    data["last_review"] = last.isoformat()
    return data


def move_transfer_in_notice(case: Case, e: StatutoryEvent, new: dt.date) -> None:
    t = _transfer(case, Transfer.Direction.IN, "notice_on", e.date)
    if t is None:
        return
    order((t.transferred_on, "the transfer in"), (new, "the family's notice"))
    t.notice_on = new
    buffer.save(t, ["notice_on"])


def strike_transfer_in_notice(case: Case, e: StatutoryEvent) -> None:
    t = _transfer(case, Transfer.Direction.IN, "notice_on", e.date)
    if t is not None:
        t.notice_on = None
        buffer.save(t, ["notice_on"])


_APPEAL_STEPS = (
    "mediation_requested",
    "mediation_declined",
    "mediation_held",
    "mediation_certificate",
    "appeal_lodged",
    "tribunal_order",
    "unopposed_appeal",
    "tribunal_order_complied",
    "unopposed_appeal_complied",
)

MOVE: dict[str, Mover] = {
    **dict.fromkeys(_APPEAL_STEPS, move_appeal_step),
    "setting_consulted": move_consulted,
    "setting_responded": move_responded,
    "cease_considered": move_considered,
    "decision_notice": move_notice,
    "transfer_out_learned": move_learned,
    "plan_transferred_out": move_transferred_out,
    "transfer_in": move_transfer_in,
    "transfer_in_notice": move_transfer_in_notice,
}
STRIKE: dict[str, Striker] = {
    **dict.fromkeys(_APPEAL_STEPS, strike_appeal_step),
    "decision_to_assess": strike_decision_to_assess,
    "decision_not_to_issue": strike_not_to_issue,
    "setting_consulted": strike_consulted,
    "setting_responded": strike_responded,
    "cease_considered": strike_considered,
    "cease_decision": strike_cease_decision,
    "decision_notice": strike_notice,
    "transfer_out_learned": strike_learned,
    "plan_transferred_out": strike_transferred_out,
    "transfer_in_notice": strike_transfer_in_notice,
}
DETAILS: dict[str, tuple[str, ...]] = {
    "decision_to_assess": ("outcome",),
    "setting_consulted": ("setting",),
    "setting_responded": ("can_meet_needs",),
    "tribunal_order": ("kind",),
    "unopposed_appeal": ("kind",),
    "transfer_out_learned": ("move_date",),
    "transfer_in": ("last_review",),
}
DETAIL_FUNCTIONS: dict[str, Callable[[Case, StatutoryEvent, dict[str, Any]], dict[str, Any]]] = {
    "decision_to_assess": decision_to_assess_outcome,
    "setting_consulted": consulted_details,
    "setting_responded": responded_details,
    "tribunal_order": order_details,
    "unopposed_appeal": order_details,
    "transfer_out_learned": learned_details,
    "transfer_in": transfer_in_details,
}
# Steps that cannot be struck out, and what to do instead (the case began with them, or they
# made a plan document that was sent).
NOT_STRUCK: dict[str, str] = {
    "request_received": "the case began with it. Correct its date, or close the case, instead",
    "transfer_in": "the case began with it. Correct its date, or close the case, instead",
    "draft_issued": "it made a plan document that was sent. Correct its date instead",
    "final_issued": "it made a plan document that was sent. Correct its date instead",
    "amendment_notice": "it made a plan document that was sent. Correct its date instead",
    "final_amended_plan": "it made a plan document that was sent. Correct its date instead",
}
