"""Ceasing a plan only by the lawful route (CFA 2014 s45; SEND Regulations 2014 regs 29 to 31):
consider, consult the family and the setting, decide, notify with appeal rights; the plan stays
maintained until the appeal window closes or an appeal against the cease is decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain import appeals
from sendcase.casework.domain import phase_and_cease as pc
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.placements import record_placement
from sendcase.casework.domain.reviews import record_review_meeting
from sendcase.casework.models import Case, Ceasing, Child, Deadline, Stage
from sendcase.casework.scenarios import plan_issued_on
from sendcase.core.codes import CeaseReason
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Setting
from sendcase.returns.exporter import people
from sendcase.returns.periods import Collection
from sendcase.statutory.rules import DEADLINE_RULES, period_end

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 30)
ISSUED = D(2025, 3, 3)


def _kw(actor: Any, today: dt.date = TODAY) -> dict[str, Any]:
    return {"actor": actor, "today": today}


def _plan(child: Child, officer: Any, issued: dt.date = ISSUED) -> Case:
    return plan_issued_on(child, officer, issued, today=TODAY)


def _error(fn: Any) -> ActionError:
    with pytest.raises(ActionError) as caught:
        fn()
    return caught.value


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _consulted(case: Case, officer: Any, on: dt.date, *, setting: bool = True) -> None:
    pc.consider_ceasing(
        case, considered_on=on, reason=CeaseReason.NEEDS_MET, grounds="Needs met", **_kw(officer)
    )
    parties = ("family", "setting") if setting else ("family",)
    for party in parties:
        pc.record_cease_consultation(
            case, party=party, consulted_on=on, views="Agrees", **_kw(officer)
        )


def _notified(case: Case, officer: Any, on: dt.date) -> None:
    _consulted(case, officer, on - dt.timedelta(days=14))
    pc.decide_ceasing(case, decided_on=on, decision="cease", reasons="Met", **_kw(officer))
    pc.notify_cease_decision(case, notified_on=on, notify=False, **_kw(officer))


def _deadline(case: Case, key: str) -> Deadline:
    return Deadline.objects.get(case=case, key=key)


def test_the_defect_a_young_plan_cannot_be_ceased_in_one_step(child, officer) -> None:
    """Issue 12: a 25-day-old plan ceased ('needs met without a plan') with no decision,
    consultation, notice or confirmation, dated inside its own appeal window."""
    issued = TODAY - dt.timedelta(days=25)
    case = _plan(child, officer, issued)
    e = _error(
        lambda: pc.cease_plan(case, cease_date=TODAY, reason=CeaseReason.NEEDS_MET, **_kw(officer))
    )
    assert "only after a decision to cease it" in e.message and "s45" in e.message
    case = _fresh(case)
    assert (case.stage, case.plan.status, case.plan.cease_date) == (Stage.PLAN, "active", None)


def test_the_decision_to_cease_needs_the_family_and_the_setting_consulted(child, officer) -> None:
    case = _plan(child, officer)
    setting = Setting.objects.create(name="Oak Lane Primary", urn="100001")
    record_placement(case, entry_date=ISSUED, setting=setting, **_kw(officer))
    pc.consider_ceasing(
        case, considered_on=D(2026, 5, 1), reason=2, grounds="Needs met", **_kw(officer)
    )
    decide = lambda: pc.decide_ceasing(  # noqa: E731
        case, decided_on=D(2026, 6, 1), decision="cease", reasons="Met", **_kw(officer)
    )
    assert "Consult the family" in _error(decide).message
    pc.record_cease_consultation(
        case, party="family", consulted_on=D(2026, 5, 5), views="Disagree", **_kw(officer)
    )
    assert "school or college named" in _error(decide).message
    pc.record_cease_consultation(
        case, party="setting", consulted_on=D(2026, 5, 6), views="Agree", **_kw(officer)
    )
    early = _error(
        lambda: pc.decide_ceasing(
            case, decided_on=D(2026, 5, 5), decision="cease", reasons="Met", **_kw(officer)
        )
    )
    assert early.field == "decided_on"
    ceasing = decide()
    assert ceasing.decision == "cease" and ceasing.decided_by == officer
    # Deciding is not yet ceasing: the plan is maintained and nothing is notified.
    assert _fresh(case).plan.status == "active"


def test_the_plan_stays_maintained_through_its_appeal_window(child, officer) -> None:
    case = _plan(child, officer)
    notice = D(2026, 6, 1)
    _notified(case, officer, notice)
    end = period_end("appeal_window", notice)
    row = _deadline(case, "plan_maintained_pending_appeal")
    assert (row.trigger, row.due) == (notice, end)
    assert row.source == DEADLINE_RULES["plan_maintained_pending_appeal"].source
    consult = _deadline(case, "cease_consultation")
    assert consult.completed_on == notice and "reg 31" in consult.source
    for inside in (notice, end):
        e = _error(
            lambda inside=inside: pc.cease_plan(case, cease_date=inside, reason=2, **_kw(officer))
        )
        assert e.field == "cease_date" and "stays in force" in e.message
    plan = pc.cease_plan(case, cease_date=end + dt.timedelta(days=1), reason=2, **_kw(officer))
    assert plan.cease_date == end + dt.timedelta(days=1)
    case = _fresh(case)
    assert case.stage == Stage.CEASED and case.closed_on == plan.cease_date
    ceasing = case.ceasings.get()
    assert ceasing.ended_on == ceasing.closed_on == plan.cease_date


def test_a_mediation_certificate_extends_the_time_the_plan_is_maintained(child, officer) -> None:
    case = _plan(child, officer)
    notice = D(2026, 6, 1)
    _notified(case, officer, notice)
    kw = _kw(officer)
    appeals.record_mediation_decision(
        case, notice_on=notice, decided_on=D(2026, 7, 20), wants_mediation=False, **kw
    )
    e = _error(lambda: pc.cease_plan(case, cease_date=D(2026, 9, 1), reason=2, **kw))
    assert "in mediation" in e.message
    appeals.record_mediation_certificate(case, issued_on=D(2026, 7, 22), **kw)
    later = period_end("appeal_window/after_certificate", D(2026, 7, 22))
    assert later > period_end("appeal_window", notice)
    e = _error(lambda: pc.cease_plan(case, cease_date=later, reason=2, **kw))
    assert "mediation certificate" in e.message
    appeals.record_no_appeal(case, decided_on=later + dt.timedelta(days=1), **kw)
    pc.cease_plan(case, cease_date=later + dt.timedelta(days=1), reason=2, **kw)
    assert _fresh(case).stage == Stage.CEASED


def test_an_appeal_keeps_the_plan_until_it_is_decided(child, officer) -> None:
    case = _plan(child, officer)
    notice = D(2026, 3, 2)
    _notified(case, officer, notice)
    kw = _kw(officer)
    appeals.record_appeal_registered(case, registered_on=D(2026, 4, 10), notice_on=notice, **kw)
    assert "appeal" in _deadline(case, "plan_maintained_pending_appeal").explanation
    e = _error(lambda: pc.cease_plan(case, cease_date=D(2026, 8, 1), reason=2, **kw))
    assert "until the tribunal decides the appeal" in e.message
    appeals.record_tribunal_decision(case, decided_on=D(2026, 9, 1), outcome="dismissed", **kw)
    pc.cease_plan(case, cease_date=D(2026, 9, 2), reason=2, **kw)
    assert _fresh(case).plan.cease_date == D(2026, 9, 2)


def test_an_order_to_continue_ends_the_ceasing(child, officer) -> None:
    case = _plan(child, officer)
    notice = D(2026, 3, 2)
    _notified(case, officer, notice)
    kw = _kw(officer)
    appeals.record_appeal_registered(case, registered_on=D(2026, 4, 10), notice_on=notice, **kw)
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 9, 1), outcome="upheld", order_kind="continue", **kw
    )
    assert case.ceasings.get().closed_on == D(2026, 9, 1)
    e = _error(lambda: pc.cease_plan(case, cease_date=D(2026, 10, 1), reason=2, **kw))
    assert "only after a decision to cease it" in e.message
    # The council may consider ceasing again later, from the start.
    pc.consider_ceasing(case, considered_on=D(2026, 10, 5), reason=2, grounds="Again", **kw)


def test_a_decision_not_to_cease_closes_the_consultation(child, officer) -> None:
    case = _plan(child, officer)
    _consulted(case, officer, D(2026, 5, 1))
    pc.decide_ceasing(
        case,
        decided_on=D(2026, 5, 20),
        decision="not_cease",
        reasons="Still needed",
        **_kw(officer),
    )
    assert _deadline(case, "cease_consultation").completed_on == D(2026, 5, 20)
    assert not Deadline.objects.filter(case=case, key="plan_maintained_pending_appeal").exists()
    assert case.ceasings.get().closed_on == D(2026, 5, 20)
    assert _fresh(case).plan.status == "active"


def test_a_manager_approves_where_the_council_requires_it(
    settings, child, officer, manager, teammate
) -> None:
    settings.SENDCASE_CEASE_NEEDS_APPROVAL = True
    case = _plan(child, officer)
    _consulted(case, officer, D(2026, 5, 1))
    pc.decide_ceasing(
        case, decided_on=D(2026, 5, 20), decision="cease", reasons="Met", **_kw(officer)
    )
    notify = lambda: pc.notify_cease_decision(  # noqa: E731
        case, notified_on=D(2026, 5, 25), notify=False, **_kw(officer)
    )
    assert "must approve" in _error(notify).message
    approve = lambda who: pc.approve_cease_decision(  # noqa: E731
        case, approved_on=D(2026, 5, 22), **_kw(who)
    )
    assert "Only a team manager" in _error(lambda: approve(teammate)).message
    approve(manager)
    notify()
    ceasing = case.ceasings.get()
    assert ceasing.approved_by == manager and ceasing.notified_on == D(2026, 5, 25)
    summaries = list(AuditEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert any("approved" in s for s in summaries)


def test_a_manager_cannot_approve_their_own_decision(settings, child, manager) -> None:
    settings.SENDCASE_CEASE_NEEDS_APPROVAL = True
    case = _plan(child, manager)
    _consulted(case, manager, D(2026, 5, 1))
    pc.decide_ceasing(
        case, decided_on=D(2026, 5, 20), decision="cease", reasons="Met", **_kw(manager)
    )
    e = _error(lambda: pc.approve_cease_decision(case, approved_on=D(2026, 5, 21), **_kw(manager)))
    assert "Another manager" in e.message


def test_at_18_or_over_only_after_a_review(officer) -> None:
    adult = Child.objects.create(forename="Jo", surname="Older", date_of_birth=D(2006, 1, 10))
    case = _plan(adult, officer)
    consider = lambda on: pc.consider_ceasing(  # noqa: E731
        case,
        considered_on=on,
        reason=CeaseReason.EMPLOYMENT,
        grounds="Working",
        **_kw(officer),
    )
    assert "reg 30" in _error(lambda: consider(D(2026, 2, 1))).message
    record_review_meeting(case, meeting_on=D(2026, 2, 20), **_kw(officer))
    assert consider(D(2026, 3, 1)).reason == CeaseReason.EMPLOYMENT


def test_transfers_go_by_their_own_step_and_a_death_needs_no_decision(child, officer) -> None:
    case = _plan(child, officer)
    kw = _kw(officer)
    e = _error(lambda: pc.cease_plan(case, cease_date=D(2026, 5, 1), reason=5, **kw))
    assert "move to another council" in e.message
    e = _error(
        lambda: pc.consider_ceasing(case, considered_on=D(2026, 5, 1), reason=8, grounds="x", **kw)
    )
    assert e.field == "reason"
    _consulted(case, officer, D(2026, 4, 1))  # a ceasing under way ends with the plan
    pc.cease_plan(case, cease_date=D(2026, 5, 1), reason=CeaseReason.DECEASED, **kw)
    assert _fresh(case).stage == Stage.CEASED
    assert case.ceasings.get().closed_on == D(2026, 5, 1)


def test_import_mode_records_a_historic_cease_in_one_step(child, officer) -> None:
    """The SEN2 import and the demo know a past cease only by its date and reason."""
    case = _plan(child, officer)
    pc.cease_plan(case, cease_date=D(2025, 4, 1), reason=2, import_mode=True, **_kw(officer))
    case = _fresh(case)
    assert case.stage == Stage.CEASED and case.plan.cease_date == D(2025, 4, 1)
    entry = AuditEntry.objects.filter(case=case).latest("pk")
    assert entry.payload["imported"] is True
    assert case.events.filter(type="cease_decision", date=D(2025, 4, 1)).exists()


def test_sen2_reports_the_day_the_plan_stopped_being_maintained(child, officer) -> None:
    """Notified in the 2025 calendar year, ended in January 2026: the 2026 return (calendar
    2025) shows the plan still maintained; the 2027 return shows the day it ended."""
    case = _plan(child, officer)
    _notified(case, officer, D(2025, 11, 17))
    end = period_end("appeal_window", D(2025, 11, 17)) + dt.timedelta(days=1)
    pc.cease_plan(case, cease_date=end, reason=2, **_kw(officer))

    def plan_rec(year: int) -> Any:
        (person,) = list(people(Collection(year)))
        return person.requests[0].plan

    assert plan_rec(2026).cease_date is None
    assert (plan_rec(2027).cease_date, plan_rec(2027).cease_reason) == (end, "2")


def test_the_open_ceasing_is_one_at_a_time(child, officer) -> None:
    case = _plan(child, officer)
    _consulted(case, officer, D(2026, 5, 1))
    e = _error(
        lambda: pc.consider_ceasing(
            case, considered_on=D(2026, 5, 2), reason=2, grounds="Again", **_kw(officer)
        )
    )
    assert "already considering" in e.message
    assert Ceasing.objects.filter(case=case).count() == 1
