"""Every panel decision feeds the case's step with the panel's date, through the casework action
that records it (or, for a placement or funding not agreed, changes nothing on the case); a case
added to the agenda by hand; a decision corrected with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sendcase.accounts.testing import verified_login
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.placements import record_placement
from sendcase.casework.models import AssessmentRequest, Case, Stage
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.panels import actions
from sendcase.panels.models import PanelItem, PanelMeeting
from sendcase.placements.models import Placement, Setting

pytestmark = pytest.mark.django_db

HELD = dt.date.today() - dt.timedelta(days=2)


def _meeting(manager: Any, *kinds: str) -> PanelMeeting:
    return actions.create_meeting(name="SEND panel", held_on=HELD, kinds=list(kinds), actor=manager)


def _school(urn: str = "100001") -> Setting:
    return Setting.objects.create(name=f"School {urn}", urn=urn, kind="academy", phase="primary")


def _decide(item: PanelItem, decision: str, manager: Any, **kw: Any) -> PanelItem:
    return actions.record_panel_decision(
        item, recommendation=decision, decision=decision, rationale="Reasons", actor=manager, **kw
    )


def test_a_decision_to_issue_feeds_the_request_and_sen2(manager, officer):
    from sendcase.returns.exporter import request_record
    from sendcase.returns.periods import Collection

    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    collection = Collection(dt.date.today().year + 1)
    rec = request_record(Case.objects.get(pk=case.pk), collection)
    assert rec is not None and rec.assessment is not None
    assert rec.assessment.assessment_outcome == "A"  # decision yet to be made
    (item,) = actions.build_agenda(_meeting(manager, "issue"), actor=manager)
    item = _decide(item, "issue", manager)
    rec = request_record(Case.objects.get(pk=case.pk), collection)
    assert rec is not None and rec.assessment is not None
    assert rec.assessment.assessment_outcome == "Y"
    request = AssessmentRequest.objects.get(case=case)
    assert request.issue_decision_on == HELD
    assert item.step == "decision_to_issue"
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING  # the draft is its own step
    entry = AuditEntry.objects.filter(case=case, object_type="casework.assessmentrequest").latest(
        "pk"
    )
    assert "Decided to issue a plan" in entry.summary


def test_a_placement_agreed_with_a_setting_records_the_placement(manager, officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=18)
    school = _school()
    (item,) = actions.build_agenda(_meeting(manager, "placement"), actor=manager)
    starts = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ActionError) as refused:
        _decide(item, "agree", manager, setting=school)
    assert refused.value.field == "entry_date"
    item = _decide(item, "agree", manager, setting=school, entry_date=starts)
    placement = Placement.objects.get(plan__case=case)
    assert (placement.setting, placement.entry_date, placement.agreed_on) == (school, starts, HELD)
    assert item.step == "placement"


def test_a_placement_agreed_marks_the_recorded_placement_and_funding_follows(manager, officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=18)
    meeting = _meeting(manager, "placement", "funding")
    items = {i.kind: i for i in actions.build_agenda(meeting, actor=manager)}
    # No placement on the case yet: the panel's agreement has nothing to go on.
    with pytest.raises(ActionError, match="Record the child's placement"):
        _decide(items["funding"], "agree", manager)
    assert PanelItem.objects.get(pk=items["funding"].pk).decision == ""
    record_placement(case, setting=_school(), entry_date=dt.date.today(), actor=officer)
    _decide(items["placement"], "agree", manager)
    _decide(items["funding"], "agree", manager)
    placement = Placement.objects.get(plan__case=case)
    assert (placement.agreed_on, placement.funding_agreed_on) == (HELD, HELD)
    steps = set(PanelItem.objects.filter(case=case).values_list("step", flat=True))
    assert steps == {"placement_agreed", "funding_agreed"}


def test_a_placement_not_agreed_changes_nothing_on_the_case(manager, officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=18)
    (item,) = actions.build_agenda(_meeting(manager, "placement"), actor=manager)
    version = Case.objects.get(pk=case.pk).version
    item = _decide(item, "not_agree", manager)
    assert item.step == "" and Case.objects.get(pk=case.pk).version == version


def test_a_case_added_by_hand(manager, officer, outsider):
    plan_case = build_case(stage="plan", officer=officer, weeks_ago=40)
    requested = build_case(stage="requested", officer=officer, weeks_ago=2)
    elsewhere = build_case(stage="plan", officer=outsider, weeks_ago=40)
    meeting = _meeting(manager, "assess", "placement")
    item = actions.add_agenda_item(
        meeting, reference=plan_case.reference.lower(), kind="placement", actor=manager
    )
    assert (item.case_id, item.kind) == (plan_case.pk, "placement")
    with pytest.raises(ActionError, match="already on an agenda"):
        actions.add_agenda_item(
            meeting, reference=plan_case.reference, kind="placement", actor=manager
        )
    with pytest.raises(ActionError, match="cannot decide"):
        actions.add_agenda_item(
            meeting, reference=plan_case.reference, kind="assess", actor=manager
        )
    with pytest.raises(ActionError, match="no case with that reference"):
        actions.add_agenda_item(
            meeting, reference=elsewhere.reference, kind="placement", actor=manager
        )
    with pytest.raises(ActionError, match="decisions this panel makes"):
        actions.add_agenda_item(meeting, reference=requested.reference, kind="issue", actor=manager)
    entry = AuditEntry.objects.filter(case=plan_case, object_type="panels.panelmeeting").get()
    assert "Added to the agenda" in entry.summary


def test_correcting_a_decision(manager, officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=18)
    requested = build_case(stage="requested", officer=officer, weeks_ago=3)
    school = _school()
    meeting = _meeting(manager, "assess", "placement")
    items = {i.case_id: i for i in actions.build_agenda(meeting, actor=manager)}
    refused = _decide(items[case.pk], "not_agree", manager)
    kw = {"recommendation": "agree", "rationale": "Reasons", "actor": manager}
    with pytest.raises(ActionError) as no_reason:
        actions.correct_panel_decision(refused, decision="agree", reason=" ", **kw)
    assert no_reason.value.field == "reason"
    # The minutes said the panel agreed: the correction feeds the placement then.
    fixed = actions.correct_panel_decision(
        refused,
        decision="agree",
        reason="Minutes say agreed",
        setting=school,
        entry_date=dt.date.today(),
        **kw,
    )
    assert (fixed.decision, fixed.agreed, fixed.step) == ("agree", True, "placement")
    assert Placement.objects.get(plan__case=case).agreed_on == HELD
    entry = AuditEntry.objects.filter(object_type="panels.panelitem", case=case).latest("pk")
    assert "Why: Minutes say agreed" in entry.summary
    assert entry.payload["from"]["decision"] == "not_agree"
    # The recommendation and reasons of a decision that fed a step change here alone.
    assessed = _decide(items[requested.pk], "assess", manager)
    fixed = actions.correct_panel_decision(
        assessed,
        recommendation="not_assess",
        decision="assess",
        rationale="Fuller reasons",
        reason="Typo",
        actor=manager,
    )
    assert (fixed.agreed, fixed.rationale) == (False, "Fuller reasons")
    assert Case.objects.get(pk=requested.pk).stage == Stage.ASSESSING


def test_the_screens_add_a_case_and_correct_a_decision(manager, officer):
    from django.test import Client

    case = build_case(stage="draft", officer=officer, weeks_ago=18)
    meeting = _meeting(manager, "funding")
    c = verified_login(Client(), manager)
    page = c.post(
        reverse("panels:add_item", args=[meeting.pk]), {"reference": "", "kind": "funding"}
    ).content.decode()
    assert "Enter the case reference" in page and "govuk-error-summary" in page
    response = c.post(
        reverse("panels:add_item", args=[meeting.pk]),
        {"reference": case.reference, "kind": "funding"},
    )
    assert response.status_code == 302
    item = PanelItem.objects.get(case=case)
    page = c.post(
        reverse("panels:decision", args=[meeting.pk, item.pk]),
        {"recommendation": "agree", "decision": "agree", "rationale": "r"},
    ).content.decode()
    assert "Record the child&#x27;s placement" in page or "Record the child's placement" in page
    assert PanelItem.objects.get(pk=item.pk).decision == ""
    c.post(
        reverse("panels:decision", args=[meeting.pk, item.pk]),
        {"recommendation": "agree", "decision": "not_agree", "rationale": "Too costly"},
    )
    page = c.get(reverse("panels:correct", args=[meeting.pk, item.pk])).content.decode()
    assert "Too costly" in page
    response = c.post(
        reverse("panels:correct", args=[meeting.pk, item.pk]),
        {
            "recommendation": "agree",
            "decision": "not_agree",
            "rationale": "Too costly for the band",
            "reason": "Fuller minutes",
        },
    )
    assert response.status_code == 302
    assert PanelItem.objects.get(pk=item.pk).rationale == "Too costly for the band"


def test_a_case_decided_by_a_panel_is_not_put_on_the_next_agenda_again(manager, officer):
    """The defect: a case the panel decided to issue a plan for stays 'assessing' until the draft,
    and every later agenda picked it up again."""
    issue = build_case(stage="assessing", officer=officer, weeks_ago=10)
    draft = build_case(stage="draft", officer=officer, weeks_ago=18)
    first = {
        i.case_id: i
        for i in actions.build_agenda(_meeting(manager, "issue", "placement"), actor=manager)
    }
    _decide(first[issue.pk], "issue", manager)
    _decide(first[draft.pk], "not_agree", manager)
    again = actions.build_agenda(_meeting(manager, "issue", "placement"), actor=manager)
    # The placement not agreed comes back; the decision to issue does not.
    assert [(i.case_id, i.kind) for i in again] == [(draft.pk, "placement")]


def test_a_case_that_moved_on_before_the_panel_is_taken_off_the_agenda(manager, officer):
    """The defect: the decision to assess recorded on the case before the panel met left its
    agenda item undecidable (the case is no longer awaiting it) and on the agenda for good."""
    from django.test import Client

    from sendcase.casework.domain.assessment import record_decision_to_assess

    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = _meeting(manager, "assess")
    (item,) = actions.build_agenda(meeting, actor=manager)
    record_decision_to_assess(case, decided_on=HELD, outcome="assess", actor=officer)
    with pytest.raises(ActionError):
        _decide(item, "assess", manager)
    c = verified_login(Client(), manager)
    url = reverse("panels:remove_item", args=[meeting.pk, item.pk])
    page = c.post(url, {"reason": ""}).content.decode()
    assert "Enter why the case is being taken off the agenda" in page
    assert c.post(url, {"reason": "Decided on the case before the panel"}).status_code == 302
    assert not PanelItem.objects.filter(pk=item.pk).exists()
    entry = AuditEntry.objects.filter(case=case, object_type="panels.panelmeeting").latest("pk")
    assert "Taken off the agenda" in entry.summary and entry.actor == manager


def test_a_choice_that_is_not_offered_is_refused_in_plain_words(manager, officer):
    from django.test import Client

    build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = _meeting(manager, "assess")
    (item,) = actions.build_agenda(meeting, actor=manager)
    c = verified_login(Client(), manager)
    page = c.post(
        reverse("panels:decision", args=[meeting.pk, item.pk]),
        {"recommendation": "zz", "decision": "zz", "rationale": "r"},
    ).content.decode()
    assert "Select the case officer&#x27;s recommendation" in page
    assert "Select the panel&#x27;s decision" in page and "valid choice" not in page
    page = c.post(
        reverse("panels:add_item", args=[meeting.pk]), {"reference": "x", "kind": "zz"}
    ).content.decode()
    assert "Select one of the decisions this panel makes" in page


def test_a_corrected_decision_whether_to_assess_corrects_the_step_it_fed(manager, officer):
    from sendcase.casework.models import StatutoryEvent

    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    (item,) = actions.build_agenda(_meeting(manager, "assess"), actor=manager)
    item = _decide(item, "assess", manager)
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING
    fixed = actions.correct_panel_decision(
        item,
        recommendation="assess",
        decision="not_assess",
        rationale="The minutes say refused",
        reason="Minutes checked",
        actor=manager,
    )
    case = Case.objects.get(pk=case.pk)
    assert (fixed.decision, fixed.step) == ("not_assess", "decision_to_assess")
    assert case.stage == Stage.NOT_ASSESSED and case.closed_on == HELD
    decision = StatutoryEvent.objects.get(case=case, type="decision_to_assess")
    assert decision.data["outcome"] == "not_assess" and decision.corrects_id is not None
    assert StatutoryEvent.objects.filter(case=case, type="decision_notice", date=HELD).exists()
    assert AuditEntry.objects.filter(
        case=case, summary__contains="Panel decision corrected: Minutes checked"
    ).exists()


def test_a_corrected_decision_whether_to_issue_swaps_the_step(manager, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    (item,) = actions.build_agenda(_meeting(manager, "issue"), actor=manager)
    item = _decide(item, "issue", manager)
    kw = {"recommendation": "issue", "rationale": "r", "actor": manager}
    fixed = actions.correct_panel_decision(item, decision="not_issue", reason="Misheard", **kw)
    request = AssessmentRequest.objects.get(case=case)
    assert fixed.step == "decision_not_to_issue"
    assert request.issue_decision_on is None and request.not_to_issue_on == HELD
    assert Case.objects.get(pk=case.pk).stage == Stage.NOT_ISSUED
    fixed = actions.correct_panel_decision(fixed, decision="issue", reason="Misheard again", **kw)
    request = AssessmentRequest.objects.get(case=case)
    assert fixed.step == "decision_to_issue"
    assert request.issue_decision_on == HELD and request.not_to_issue_on is None
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING
