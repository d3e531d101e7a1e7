"""Every kind of step a case records can be corrected and struck out (issue 12, item 2).

The kinds come from the clock's registry (`statutory.EVENT_TYPES`), less the kinds that are never
a step on a case (`corrections.NOT_CASE_STEPS`, each with its reason): a new kind added to the
clock fails here until it has a correction route, a strike-out route (or the reason it has none,
`correction_routes.NOT_STRUCK`) and a walk below. For each kind: record it, correct its date,
strike it out; after each, the stored deadlines are the clock's answer for the corrected history,
the case's stage is right, and the record that mirrors the step follows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from sendcase import statutory
from sendcase.casework.domain import appeals, consultation, transfers
from sendcase.casework.domain import phase_and_cease as pc
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_not_to_issue,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.correction_routes import NOT_STRUCK
from sendcase.casework.domain.corrections import (
    CEASING_STEPS,
    NOT_CASE_STEPS,
    ceasing_step_date,
    change_ceasing_step,
    correct_step,
    strike_out_step,
)
from sendcase.casework.domain.deadlines import compute_for_case
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_advice_circulated,
    record_review_decision,
    record_review_invitations_sent,
    record_review_meeting,
    record_review_report,
)
from sendcase.casework.models import (
    AdviceRequest,
    Appeal,
    Case,
    Ceasing,
    Deadline,
    Stage,
    StatutoryEvent,
    TimeLimitException,
    Transfer,
)
from sendcase.casework.scenarios import place
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content
from sendcase.plans.models import Plan
from sendcase.reviews.models import AnnualReview, PhaseTransfer

D = dt.date
TODAY = D(2025, 10, 1)
KINDS = sorted(statutory.EVENT_TYPES - set(NOT_CASE_STEPS))


def _kw(officer: Any) -> dict[str, Any]:
    return {"actor": officer, "today": TODAY}


# --- Cases at each point ---------------------------------------------------------------------


def _requested(child: Any, officer: Any) -> Case:
    return open_case_from_request(
        child, received_on=D(2024, 9, 2), source=1, officer=officer, **_kw(officer)
    )


def _assessing(child: Any, officer: Any) -> Case:
    case = _requested(child, officer)
    record_decision_to_assess(case, decided_on=D(2024, 10, 7), outcome="assess", **_kw(officer))
    return _fresh(case)


def _refused(child: Any, officer: Any) -> Case:
    case = _requested(child, officer)
    record_decision_to_assess(
        case, decided_on=D(2024, 10, 7), outcome="not_assess", notify=False, **_kw(officer)
    )
    return _fresh(case)


def _drafted(child: Any, officer: Any) -> Case:
    case = _assessing(child, officer)
    record_draft_plan(
        case, issued_on=D(2024, 12, 2), content=lawful_content(("ASD",)), **_kw(officer)
    )
    return _fresh(case)


def _planned(child: Any, officer: Any) -> Case:
    case = _drafted(child, officer)
    place(case, officer, today=TODAY)  # a final plan names the current placement (section I)
    content = lawful_content(("ASD",))
    record_final_plan(case, issued_on=D(2025, 1, 13), content=content, **_kw(officer))
    return _fresh(case)


def _reviewed(child: Any, officer: Any, outcome: str = "amend") -> Case:
    case = _planned(child, officer)
    kw = _kw(officer)
    record_review_invitations_sent(case, sent_on=D(2025, 6, 2), **kw)
    record_review_advice_circulated(case, sent_on=D(2025, 6, 3), **kw)
    record_review_meeting(case, meeting_on=D(2025, 6, 20), **kw)
    record_review_report(case, sent_on=D(2025, 6, 27), **kw)
    record_review_decision(case, decided_on=D(2025, 7, 4), outcome=outcome, **kw)
    return _fresh(case)


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _appealed(child: Any, officer: Any, *, mediation: bool = True, until: str = "") -> Case:
    case = _refused(child, officer)
    kw = _kw(officer)
    notice = D(2024, 10, 7)
    appeals.record_mediation_decision(
        case, notice_on=notice, decided_on=D(2024, 10, 21), wants_mediation=mediation, **kw
    )
    if mediation:
        appeals.record_mediation_held(case, held_on=D(2024, 11, 4), **kw)
    if until == "mediation_held":
        return _fresh(case)
    appeals.record_mediation_certificate(case, issued_on=D(2024, 11, 6), **kw)
    if until == "mediation_certificate":
        return _fresh(case)
    appeals.record_appeal_registered(case, registered_on=D(2024, 12, 2), notice_on=notice, **kw)
    return _fresh(case)


def _ordered(child: Any, officer: Any, outcome: str = "upheld") -> Case:
    case = _appealed(child, officer)
    appeals.record_tribunal_decision(
        case, decided_on=D(2025, 3, 3), outcome=outcome, order_kind="assess", **_kw(officer)
    )
    return _fresh(case)


def _complied(child: Any, officer: Any, outcome: str = "upheld") -> Case:
    case = _ordered(child, officer, outcome)
    appeals.record_order_complied(case, complied_on=D(2025, 3, 10), stage="notify", **_kw(officer))
    return _fresh(case)


def _cease_notified(child: Any, officer: Any) -> Case:
    case = _planned(child, officer)
    kw = _kw(officer)
    pc.consider_ceasing(case, considered_on=D(2025, 5, 1), reason=2, grounds="Needs met", **kw)
    pc.record_cease_consultation(
        case, party="family", consulted_on=D(2025, 5, 2), views="Agrees", **kw
    )
    pc.decide_ceasing(case, decided_on=D(2025, 5, 20), decision="cease", reasons="Met", **kw)
    pc.notify_cease_decision(case, notified_on=D(2025, 5, 22), notify=False, **kw)
    return _fresh(case)


def _consulted(child: Any, officer: Any, answered: bool = False) -> Case:
    case = _drafted(child, officer)
    kw = _kw(officer)
    consultation.record_setting_consulted(
        case, consultation_id="c1", setting_name="Oak School", consulted_on=D(2024, 12, 4), **kw
    )
    if answered:
        consultation.record_setting_response(
            case, consultation_id="c1", responded_on=D(2024, 12, 11), can_meet_needs=True, **kw
        )
    return _fresh(case)


def _learned(child: Any, officer: Any, moved: bool = False) -> Case:
    case = _planned(child, officer)
    kw = _kw(officer)
    transfers.record_transfer_out_learned(
        case,
        learned_on=D(2025, 4, 1),
        move_date=D(2025, 5, 1),
        to_la_code="888",
        to_la_name="Elsewhere",
        **kw,
    )
    if moved:
        transfers.record_plan_transferred_out(case, transferred_on=D(2025, 5, 6), **kw)
    return _fresh(case)


def _transferred_in(child: Any, officer: Any, notice: bool = False) -> Case:
    kw = _kw(officer)
    case = transfers.record_transfer_in(
        child,
        transferred_on=D(2025, 3, 3),
        last_review=D(2024, 11, 1),
        from_la_code="888",
        from_la_name="Elsewhere",
        officer=officer,
        **kw,
    )
    if notice:
        transfers.record_transfer_in_notice(case, notice_on=D(2025, 3, 24), **kw)
    return _fresh(case)


def _with(build: Callable[..., Case], step: Callable[[Case, Any], Any]) -> Callable[..., Case]:
    def make(child: Any, officer: Any) -> Case:
        case = build(child, officer)
        step(case, officer)
        return _fresh(case)

    return make


# --- The mirror of each step ------------------------------------------------------------------


def _appeal(case: Case) -> Appeal | None:
    return Appeal.objects.filter(case=case).order_by("-pk").first()


def _field(model_get: Callable[[Case], Any], name: str) -> Callable[[Case], Any]:
    def read(case: Case) -> Any:
        row = model_get(case)
        return None if row is None else getattr(row, name)

    return read


def _review(case: Case) -> AnnualReview | None:
    return AnnualReview.objects.filter(plan__case=case).order_by("due_on").first()


def _ceasing(case: Case) -> Ceasing | None:
    return Ceasing.objects.filter(case=case).first()


def _transfer(case: Case) -> Transfer | None:
    return Transfer.objects.filter(case=case).first()


def _event_date(kind: str) -> Callable[[Case], Any]:
    def read(case: Case) -> Any:
        row = StatutoryEvent.objects.filter(case=case, type=kind).order_by("-date").first()
        return None if row is None else row.date

    return read


@dataclass
class Walk:
    build: Callable[..., Case]
    mirror: Callable[[Case], Any]
    # The stage after the step is struck out (None: unchanged).
    stage_struck: str | None = None
    # The mirror after the strike-out (None by default; a step whose record goes away).
    struck_value: Any = None
    # How far the correction moves the step (days).
    shift: int = -1


WALKS: dict[str, Walk] = {
    "request_received": Walk(_requested, _field(lambda c: c.request, "received_on")),
    "decision_to_assess": Walk(
        _assessing, _field(lambda c: c.request, "decision_on"), stage_struck=Stage.REQUESTED
    ),
    "advice_requested": Walk(
        _with(
            _assessing,
            lambda c, o: record_advice_requested(
                c, kind="health", provider="NHS", requested_on=D(2024, 10, 14), **_kw(o)
            ),
        ),
        _field(lambda c: AdviceRequest.objects.filter(case=c).first(), "requested_on"),
    ),
    "advice_received": Walk(
        _with(
            _assessing,
            lambda c, o: (
                record_advice_requested(
                    c,
                    kind="health",
                    provider="NHS",
                    requested_on=D(2024, 10, 14),
                    advice_id="h1",
                    **_kw(o),
                ),
                record_advice_received(
                    _fresh(c), advice_id="h1", received_on=D(2024, 11, 4), **_kw(o)
                ),
            ),
        ),
        _field(lambda c: AdviceRequest.objects.filter(case=c).first(), "received_on"),
    ),
    "exception": Walk(
        _with(
            _assessing,
            lambda c, o: record_exception(
                c,
                reason="exceptional_personal_circumstances",
                start=D(2024, 11, 1),
                end=D(2024, 11, 20),
                why="Family illness",
                **_kw(o),
            ),
        ),
        _field(lambda c: TimeLimitException.objects.filter(case=c).first(), "start"),
    ),
    "decision_not_to_issue": Walk(
        _with(
            _assessing,
            lambda c, o: record_decision_not_to_issue(
                c, decided_on=D(2024, 12, 9), notify=False, **_kw(o)
            ),
        ),
        _field(lambda c: c.request, "not_to_issue_on"),
        stage_struck=Stage.ASSESSING,
    ),
    "draft_issued": Walk(_drafted, _field(lambda c: c.plan, "draft_issued_on")),
    "final_issued": Walk(_planned, _field(lambda c: c.plan, "first_issued_on")),
    "setting_consulted": Walk(_consulted, _event_date("setting_consulted")),
    "setting_responded": Walk(
        lambda ch, o: _consulted(ch, o, answered=True), _event_date("setting_responded")
    ),
    "review_invitations_sent": Walk(_reviewed, _field(_review, "invitations_sent_on")),
    "review_advice_circulated": Walk(_reviewed, _event_date("review_advice_circulated")),
    "review_meeting": Walk(
        _with(_planned, lambda c, o: record_review_meeting(c, meeting_on=D(2025, 6, 20), **_kw(o))),
        _field(_review, "meeting_on"),
    ),
    "review_report": Walk(_reviewed, _field(_review, "report_on")),
    "review_decision": Walk(
        lambda ch, o: _reviewed(ch, o, "maintain"), _field(_review, "decision_on")
    ),
    "amendment_notice": Walk(
        _with(
            _reviewed, lambda c, o: record_amendment_notice(c, issued_on=D(2025, 7, 7), **_kw(o))
        ),
        _field(_review, "amendment_notice_on"),
    ),
    "final_amended_plan": Walk(
        _with(
            _with(
                _reviewed,
                lambda c, o: record_amendment_notice(c, issued_on=D(2025, 7, 7), **_kw(o)),
            ),
            lambda c, o: record_final_amended_plan(c, issued_on=D(2025, 8, 25), **_kw(o)),
        ),
        _field(_review, "final_amended_on"),
    ),
    "phase_transfer": Walk(
        _with(
            _planned,
            lambda c, o: pc.record_phase_transfer(
                c, transfer_date=D(2026, 9, 1), kind="school", **_kw(o)
            ),
        ),
        _field(lambda c: PhaseTransfer.objects.filter(plan__case=c).first(), "transfer_date"),
    ),
    "phase_transfer_named": Walk(
        _with(
            _with(
                _planned,
                lambda c, o: pc.record_phase_transfer(
                    c, transfer_date=D(2026, 9, 1), kind="school", **_kw(o)
                ),
            ),
            lambda c, o: pc.record_phase_transfer_named(c, named_on=D(2025, 9, 1), **_kw(o)),
        ),
        _field(lambda c: PhaseTransfer.objects.filter(plan__case=c).first(), "named_on"),
    ),
    "cease_considered": Walk(
        _with(
            _planned,
            lambda c, o: pc.consider_ceasing(
                c, considered_on=D(2025, 5, 1), reason=2, grounds="Needs met", **_kw(o)
            ),
        ),
        _field(_ceasing, "considered_on"),
    ),
    "cease_decision": Walk(_cease_notified, _field(_ceasing, "notified_on")),
    "decision_notice": Walk(_refused, _event_date("decision_notice"), shift=1),
    "transfer_out_learned": Walk(_learned, _field(_transfer, "learned_on")),
    "plan_transferred_out": Walk(
        lambda ch, o: _learned(ch, o, moved=True),
        _field(_transfer, "transferred_on"),
        stage_struck=Stage.PLAN,
    ),
    "transfer_in": Walk(_transferred_in, _field(_transfer, "transferred_on")),
    "transfer_in_notice": Walk(
        lambda ch, o: _transferred_in(ch, o, notice=True), _field(_transfer, "notice_on")
    ),
    "mediation_requested": Walk(
        _with(
            _refused,
            lambda c, o: appeals.record_mediation_decision(
                c,
                notice_on=D(2024, 10, 7),
                decided_on=D(2024, 10, 21),
                wants_mediation=True,
                **_kw(o),
            ),
        ),
        _field(_appeal, "mediation_requested_on"),
    ),
    "mediation_declined": Walk(
        _with(
            _refused,
            lambda c, o: appeals.record_mediation_decision(
                c,
                notice_on=D(2024, 10, 7),
                decided_on=D(2024, 10, 21),
                wants_mediation=False,
                **_kw(o),
            ),
        ),
        _field(_appeal, "mediation_declined_on"),
    ),
    "mediation_held": Walk(
        lambda ch, o: _appealed(ch, o, until="mediation_held"),
        _field(_appeal, "mediation_held_on"),
        shift=-2,
    ),
    "mediation_certificate": Walk(
        lambda ch, o: _appealed(ch, o, mediation=False, until="mediation_certificate"),
        _field(_appeal, "certificate_on"),
    ),
    "appeal_lodged": Walk(_appealed, _field(_appeal, "tribunal_registered_on"), struck_value=None),
    "tribunal_order": Walk(_ordered, _field(_appeal, "order_on"), stage_struck=Stage.NOT_ASSESSED),
    "unopposed_appeal": Walk(
        lambda ch, o: _ordered(ch, o, "conceded"),
        _field(_appeal, "order_on"),
        stage_struck=Stage.NOT_ASSESSED,
    ),
    "tribunal_order_complied": Walk(_complied, _event_date("tribunal_order_complied")),
    "unopposed_appeal_complied": Walk(
        lambda ch, o: _complied(ch, o, "conceded"), _event_date("unopposed_appeal_complied")
    ),
}


def _stored_equals_the_clock(case: Case) -> None:
    stored = sorted(
        (d.key, d.instance, d.trigger, d.due, d.completed_on, d.status)
        for d in Deadline.objects.filter(case=case)
    )
    computed = sorted(
        (d.key, d.instance, d.trigger, d.due, d.completed_on, d.status)
        for d in compute_for_case(case, today=TODAY)
    )
    assert stored == computed


def _latest(case: Case, kind: str) -> StatutoryEvent:
    return StatutoryEvent.objects.filter(case=case, type=kind).order_by("-date", "-pk")[0]


def test_every_kind_of_step_has_a_walk_and_a_route() -> None:
    """Derived from the clock's registry: a new kind fails here until it is covered."""
    from sendcase.casework.domain import corrections  # noqa: PLC0415  (the private tables)

    assert sorted(WALKS) == KINDS
    for kind in KINDS:
        assert kind in corrections._MOVE, f"{kind} has no correction route"
        assert kind in corrections._STRIKE or kind in NOT_STRUCK, f"{kind} has no strike-out"


@pytest.mark.parametrize("kind", KINDS)
def test_each_step_is_corrected_and_struck_out(
    kind: str, child: Any, officer: Any, manager: Any
) -> None:
    walk = WALKS[kind]
    case = walk.build(child, officer)
    event = _latest(case, kind)
    stage = case.stage
    _stored_equals_the_clock(case)

    new = event.date + dt.timedelta(days=walk.shift)
    fixed = correct_step(
        case, event_id=event.pk, date=new, reason="Wrong date typed", actor=officer, today=TODAY
    )
    case = _fresh(case)
    assert fixed.date == new and fixed.corrects_id == event.pk
    assert StatutoryEvent.log.filter(pk=event.pk).exists()  # the original stays in the log
    assert walk.mirror(case) == new, "the record that mirrors the step follows it"
    assert case.stage == stage
    _stored_equals_the_clock(case)
    assert AuditEntry.objects.filter(case=case, payload__reason="Wrong date typed").exists()

    if kind in NOT_STRUCK:
        with pytest.raises(ActionError, match="cannot be struck out"):
            strike_out_step(
                case, event_id=fixed.pk, reason="Recorded in error", actor=manager, today=TODAY
            )
        return
    strike_out_step(case, event_id=fixed.pk, reason="Recorded in error", actor=manager, today=TODAY)
    case = _fresh(case)
    assert not StatutoryEvent.objects.filter(pk=fixed.pk).exists()
    assert walk.mirror(case) == walk.struck_value
    assert case.stage == (walk.stage_struck or stage)
    _stored_equals_the_clock(case)
    entry = AuditEntry.objects.filter(case=case, payload__reason="Recorded in error").get()
    assert entry.actor == manager


def test_a_decision_cannot_be_corrected_to_before_its_request(child: Any, officer: Any) -> None:
    case = _assessing(child, officer)
    event = _latest(case, "decision_to_assess")
    with pytest.raises(ActionError):
        correct_step(
            case,
            event_id=event.pk,
            date=D(2024, 8, 30),
            reason="Typo",
            actor=officer,
            today=TODAY,
        )
    assert _latest(_fresh(case), "decision_to_assess").pk == event.pk


def test_an_appeal_step_cannot_come_before_the_step_it_follows(child: Any, officer: Any) -> None:
    case = _appealed(child, officer)
    held = _latest(case, "mediation_held")
    with pytest.raises(ActionError, match="before the request for mediation"):
        correct_step(
            case, event_id=held.pk, date=D(2024, 10, 14), reason="Typo", actor=officer, today=TODAY
        )
    assert _appeal(case).mediation_held_on == D(2024, 11, 4)


def test_correcting_an_order_moves_its_deadline(child: Any, officer: Any) -> None:
    case = _ordered(child, officer)
    order = _latest(case, "tribunal_order")
    before = {d.key: d.due for d in Deadline.objects.filter(case=case)}
    correct_step(
        case,
        event_id=order.pk,
        date=D(2025, 3, 10),
        reason="Order dated later",
        actor=officer,
        today=TODAY,
    )
    after = {d.key: d.due for d in Deadline.objects.filter(case=case)}
    moved = [k for k in before if k.startswith("tribunal_order") and before[k] != after.get(k)]
    assert moved, (before, after)


def test_striking_out_an_appeal_against_a_cease_ends_the_plan_again(
    child: Any, officer: Any, manager: Any
) -> None:
    """Registering the appeal put the ended plan back (CFA s45(4)); striking it out puts the
    ceasing route back as it was: the plan ended on its date."""
    case = _cease_notified(child, officer)
    kw = _kw(officer)
    pc.cease_plan(case, cease_date=D(2025, 7, 28), reason=2, **kw)
    appeals.record_appeal_registered(
        case, registered_on=D(2025, 7, 30), notice_on=D(2025, 5, 22), **kw
    )
    case = _fresh(case)
    assert case.stage == Stage.PLAN and Plan.objects.get(case=case).cease_date is None
    lodged = _latest(case, "appeal_lodged")
    strike_out_step(case, event_id=lodged.pk, reason="Not our appeal", actor=manager, today=TODAY)
    case = _fresh(case)
    plan = Plan.objects.get(case=case)
    assert case.stage == Stage.CEASED and case.closed_on == D(2025, 7, 28)
    assert plan.cease_date == D(2025, 7, 28) and plan.status == Plan.Status.CEASED
    assert _ceasing(case).ended_on == D(2025, 7, 28)
    assert not case.disputed
    _stored_equals_the_clock(case)


def test_a_decision_to_assess_outcome_is_corrected_with_its_letter(
    child: Any, officer: Any
) -> None:
    case = _assessing(child, officer)
    event = _latest(case, "decision_to_assess")
    correct_step(
        case,
        event_id=event.pk,
        date=None,
        details={"outcome": "not_assess"},
        reason="Panel refused",
        actor=officer,
        today=TODAY,
    )
    case = _fresh(case)
    assert case.stage == Stage.NOT_ASSESSED and case.request.decision == "not_assess"
    assert StatutoryEvent.objects.filter(case=case, type="decision_notice").exists()
    _stored_equals_the_clock(case)


def test_a_settings_answer_is_corrected(child: Any, officer: Any) -> None:
    case = _consulted(child, officer, answered=True)
    event = _latest(case, "setting_responded")
    fixed = correct_step(
        case,
        event_id=event.pk,
        date=None,
        details={"can_meet_needs": "no"},
        reason="Misread the reply",
        actor=officer,
        today=TODAY,
    )
    assert fixed.data["can_meet_needs"] is False


def test_an_orders_kind_must_be_one_the_tribunal_can_make(child: Any, officer: Any) -> None:
    case = _ordered(child, officer)
    event = _latest(case, "tribunal_order")
    with pytest.raises(ActionError, match="order the tribunal can make"):
        correct_step(
            case,
            event_id=event.pk,
            date=None,
            details={"kind": "continue"},
            reason="Typo",
            actor=officer,
            today=TODAY,
        )


# --- The ceasing route's steps that write no event -------------------------------------------


def _ceasing_until(child: Any, officer: Any, manager: Any, step: str) -> Case:
    case = _planned(child, officer)
    kw = _kw(officer)
    pc.consider_ceasing(case, considered_on=D(2025, 5, 1), reason=2, grounds="Needs met", **kw)
    party = "setting" if step == "setting_consulted" else "family"
    pc.record_cease_consultation(
        case, party=party, consulted_on=D(2025, 5, 2), views="Agrees", **kw
    )
    if step.endswith("_consulted"):
        return _fresh(case)
    pc.decide_ceasing(case, decided_on=D(2025, 5, 20), decision="cease", reasons="Met", **kw)
    if step == "decided":
        return _fresh(case)
    pc.approve_cease_decision(case, approved_on=D(2025, 5, 21), actor=manager, today=TODAY)
    if step == "approved":
        return _fresh(case)
    pc.notify_cease_decision(case, notified_on=D(2025, 5, 22), notify=False, **kw)
    pc.cease_plan(case, cease_date=D(2025, 7, 28), reason=2, **kw)
    return _fresh(case)


@pytest.mark.parametrize("step", sorted(CEASING_STEPS))
def test_each_ceasing_step_is_corrected_and_struck_out(
    step: str, child: Any, officer: Any, manager: Any, teammate: Any
) -> None:
    case = _ceasing_until(child, officer, manager, step)
    ceasing = _ceasing(case)
    was = ceasing_step_date(ceasing, step)
    assert was is not None
    new = was + dt.timedelta(days=1 if step == "ended" else -1)
    if step != "approved":  # the approver is the manager; the officer recorded the others
        with pytest.raises(ActionError, match="Only the person who recorded"):
            change_ceasing_step(
                case,
                ceasing_id=ceasing.pk,
                step=step,
                date=new,
                reason="x",
                actor=teammate,
                today=TODAY,
            )
    change_ceasing_step(
        case,
        ceasing_id=ceasing.pk,
        step=step,
        date=new,
        reason="Typo",
        actor=manager,
        today=TODAY,
    )
    case = _fresh(case)
    assert ceasing_step_date(_ceasing(case), step) == new
    if step == "ended":
        assert Plan.objects.get(case=case).cease_date == new and case.closed_on == new
    _stored_equals_the_clock(case)
    change_ceasing_step(
        case,
        ceasing_id=ceasing.pk,
        step=step,
        reason="Not so",
        strike=True,
        actor=manager,
        today=TODAY,
    )
    case = _fresh(case)
    assert ceasing_step_date(_ceasing(case), step) is None
    if step == "ended":
        assert case.stage == Stage.PLAN and Plan.objects.get(case=case).cease_date is None
    _stored_equals_the_clock(case)
    assert AuditEntry.objects.filter(case=case, payload__ceasing_step=step).count() == 2


def test_a_ceasing_step_out_of_order_is_refused(child: Any, officer: Any, manager: Any) -> None:
    case = _ceasing_until(child, officer, manager, "decided")
    ceasing = _ceasing(case)
    with pytest.raises(ActionError, match="before consulting the family"):
        change_ceasing_step(
            case,
            ceasing_id=ceasing.pk,
            step="decided",
            date=D(2025, 5, 1),
            reason="Typo",
            actor=officer,
            today=TODAY,
        )
    with pytest.raises(ActionError, match="follows this step"):
        change_ceasing_step(
            case,
            ceasing_id=ceasing.pk,
            step="family_consulted",
            reason="Never",
            strike=True,
            actor=officer,
            today=TODAY,
        )


def test_the_end_of_a_plan_stays_after_the_appeal_window(
    child: Any, officer: Any, manager: Any
) -> None:
    case = _ceasing_until(child, officer, manager, "ended")
    with pytest.raises(ActionError, match="after the appeal window closes"):
        change_ceasing_step(
            case,
            ceasing_id=_ceasing(case).pk,
            step="ended",
            date=D(2025, 7, 1),
            reason="Typo",
            actor=officer,
            today=TODAY,
        )


def test_a_date_and_details_corrected_together_move_the_mirror(child: Any, officer: Any) -> None:
    """A plan transferred in, its date and its last review at once: the first review's due
    date follows both."""
    from sendcase.statutory.rules import transfer_in_review_due  # noqa: PLC0415

    case = _transferred_in(child, officer)
    event = _latest(case, "transfer_in")
    correct_step(
        case,
        event_id=event.pk,
        date=D(2025, 3, 10),
        details={"last_review": D(2024, 3, 1)},
        reason="Papers re-read",
        actor=officer,
        today=TODAY,
    )
    case = _fresh(case)
    assert _transfer(case).last_review == D(2024, 3, 1)
    assert _review(case).due_on == transfer_in_review_due(D(2025, 3, 10), D(2024, 3, 1))
    _stored_equals_the_clock(case)
