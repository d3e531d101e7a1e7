"""Decision panels: the agenda from cases awaiting a decision, attendance, the decision with its
rationale feeding the case's step with the panel's date, the consistency figures, and the audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q
from django.urls import reverse

from sendcase.accounts.roles import panel_scope
from sendcase.accounts.testing import verified_login
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import AssessmentRequest, Case, Stage
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.panels import actions, queries
from sendcase.panels.models import PanelItem, PanelMeeting

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _meeting(manager: Any, kinds: tuple[str, ...] = ("assess", "issue")) -> PanelMeeting:
    return actions.create_meeting(
        name="SEND panel", held_on=TODAY() - dt.timedelta(days=1), kinds=list(kinds), actor=manager
    )


def test_the_agenda_holds_the_team_cases_awaiting_each_decision(manager, officer, outsider):
    requested = build_case(stage="requested", officer=officer, weeks_ago=3)
    assessing = build_case(stage="assessing", officer=officer, weeks_ago=8)
    build_case(stage="plan", officer=officer, weeks_ago=40)  # awaits neither decision
    elsewhere = build_case(stage="requested", officer=outsider, weeks_ago=3)  # another team
    meeting = _meeting(manager)
    added = actions.build_agenda(meeting, actor=manager)
    assert {(i.case_id, i.kind) for i in added} == {
        (requested.pk, "assess"),
        (assessing.pk, "issue"),
    }
    assert elsewhere.pk not in {i.case_id for i in added}
    # Built again, nothing is added twice (the cases are already on an undecided item).
    assert actions.build_agenda(meeting, actor=manager) == []
    entry = AuditEntry.objects.filter(object_type="panels.panelmeeting").latest("pk")
    assert "Agenda built" in entry.summary and entry.actor == manager


def test_a_decision_to_assess_feeds_the_case_with_the_panels_date(manager, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = _meeting(manager, ("assess",))
    (item,) = actions.build_agenda(meeting, actor=manager)
    with pytest.raises(ActionError) as refused:
        actions.record_panel_decision(
            item, recommendation="assess", decision="assess", rationale=" ", actor=manager
        )
    assert refused.value.field == "rationale"
    actions.record_panel_decision(
        item,
        recommendation="not_assess",
        decision="assess",
        rationale="Evidence of needs the school cannot meet",
        actor=manager,
    )
    case = Case.objects.get(pk=case.pk)
    request = AssessmentRequest.objects.get(case=case)
    assert case.stage == Stage.ASSESSING
    assert (request.decision_on, request.decision_panel, request.decision_panel_date) == (
        meeting.held_on,
        "SEND panel",
        meeting.held_on,
    )
    assert case.events.filter(type="decision_to_assess", date=meeting.held_on).exists()
    item.refresh_from_db()
    assert (item.agreed, item.step, item.officer_id) == (False, "decision_to_assess", officer.pk)
    entry = AuditEntry.objects.filter(object_type="panels.panelitem").get()
    assert entry.case_id == case.pk and entry.payload["agreed"] is False


def test_a_decision_not_to_issue_closes_the_case(manager, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    (item,) = actions.build_agenda(_meeting(manager, ("issue",)), actor=manager)
    actions.record_panel_decision(
        item, recommendation="not_issue", decision="not_issue", rationale="Met", actor=manager
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.NOT_ISSUED


def test_agreement_rates_by_officer_need_and_panel(manager, officer, teammate):
    mine = [build_case(stage="requested", officer=officer, weeks_ago=3) for _ in range(3)]
    theirs = build_case(stage="requested", officer=teammate, weeks_ago=3)
    items = {i.case_id: i for i in actions.build_agenda(_meeting(manager), actor=manager)}
    choices = [("assess", "assess"), ("assess", "not_assess"), ("not_assess", "not_assess")]
    for case, (rec, dec) in zip(mine, choices, strict=True):
        actions.record_panel_decision(
            items[case.pk], recommendation=rec, decision=dec, rationale="r", actor=manager
        )
    actions.record_panel_decision(
        items[theirs.pk], recommendation="assess", decision="assess", rationale="r", actor=manager
    )
    decided = queries.decided(Q(meeting__in=PanelMeeting.objects.filter(panel_scope(manager))))
    by_officer = {
        r.label: (r.decided, r.agreed, r.rate) for r in queries.agreement(decided, "officer")
    }
    name = officer.get_full_name() or officer.username
    other = teammate.get_full_name() or teammate.username
    assert by_officer == {name: (3, 2, 67), other: (1, 1, 100)}
    by_panel = queries.agreement(decided, "panel")
    assert [(r.label, r.decided, r.agreed) for r in by_panel] == [("SEND panel", 4, 3)]
    # A request has no plan yet: its need is not known.
    assert [r.label for r in queries.agreement(decided, "need")] == ["Not known"]


def test_a_decision_is_recorded_once_and_not_before_the_panel(manager, officer):
    build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = actions.create_meeting(
        name="Next panel", held_on=TODAY() + dt.timedelta(days=7), kinds=["assess"], actor=manager
    )
    (item,) = actions.build_agenda(meeting, actor=manager)
    with pytest.raises(ActionError, match="on or after the day it meets"):
        actions.record_panel_decision(
            item, recommendation="assess", decision="assess", rationale="r", actor=manager
        )
    assert PanelItem.objects.get(pk=item.pk).decision == ""


# --- Screens and who gets in ---------------------------------------------------------------

PEOPLE = ("officer", "teammate", "manager", "head", "admin_user", "data", "finance", "outsider")
#                       officer teammate manager head admin data finance outsider anonymous
EXPECTED = {
    "panels:index": (200, 200, 200, 200, 200, 200, 404, 200, 302),
    "panels:new": (404, 404, 200, 404, 200, 404, 404, 404, 302),
    "panels:consistency": (404, 404, 200, 200, 200, 404, 404, 404, 302),
    "panels:meeting": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "panels:agenda": (405, 405, 405, 405, 405, 405, 405, 405, 302),
    "panels:attendance": (404, 404, 200, 404, 200, 404, 404, 404, 302),
    "panels:decision": (404, 404, 200, 404, 200, 404, 404, 404, 302),
    "panels:add_item": (404, 404, 200, 404, 200, 404, 404, 404, 302),
    # Undecided: the manager is sent on to record the decision first.
    "panels:correct": (404, 404, 302, 404, 302, 404, 404, 404, 302),
    "panels:remove_item": (404, 404, 200, 404, 200, 404, 404, 404, 302),
}


@pytest.fixture
def people(officer, teammate, manager, head, admin_user, outsider, data_officer, finance):
    return {
        "officer": officer,
        "teammate": teammate,
        "manager": manager,
        "head": head,
        "admin_user": admin_user,
        "data": data_officer,
        "finance": finance,
        "outsider": outsider,
    }


def _urls(meeting: PanelMeeting, item: PanelItem) -> dict[str, str]:
    m = {"pk": meeting.pk}
    return {
        "panels:index": reverse("panels:index"),
        "panels:new": reverse("panels:new"),
        "panels:consistency": reverse("panels:consistency"),
        "panels:meeting": reverse("panels:meeting", kwargs=m),
        "panels:agenda": reverse("panels:agenda", kwargs=m),
        "panels:attendance": reverse("panels:attendance", kwargs=m),
        "panels:decision": reverse("panels:decision", kwargs={**m, "item_id": item.pk}),
        "panels:add_item": reverse("panels:add_item", kwargs=m),
        "panels:correct": reverse("panels:correct", kwargs={**m, "item_id": item.pk}),
        "panels:remove_item": reverse("panels:remove_item", kwargs={**m, "item_id": item.pk}),
    }


def test_every_panel_url_is_in_the_table():
    from sendcase.panels.urls import urlpatterns

    assert {f"panels:{p.name}" for p in urlpatterns} == set(EXPECTED)


def test_who_gets_in(client, people, officer, manager):
    from django.test import Client

    build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = _meeting(manager)
    (item,) = actions.build_agenda(meeting, actor=manager)
    urls = _urls(meeting, item)
    wrong = {}
    for name, url in urls.items():
        for i, who in enumerate((*PEOPLE, "anonymous")):
            c = Client() if who == "anonymous" else verified_login(Client(), people[who])
            got = c.get(url).status_code
            if got != EXPECTED[name][i]:
                wrong[(name, who)] = (got, EXPECTED[name][i])
    assert wrong == {}


@pytest.mark.parametrize("who", ["officer", "head", "data", "finance", "outsider"])
def test_only_the_teams_manager_runs_the_panel(people, officer, manager, who):
    from django.test import Client

    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    meeting = _meeting(manager, ("assess",))
    (item,) = actions.build_agenda(meeting, actor=manager)
    urls = _urls(meeting, item)
    c = verified_login(Client(), people[who])
    before = AuditEntry.objects.exclude(action="view").count()
    assert c.post(urls["panels:agenda"]).status_code == 404
    assert c.post(urls["panels:new"], {"name": "x"}).status_code == 404
    response = c.post(
        urls["panels:decision"],
        {"recommendation": "assess", "decision": "assess", "rationale": "r"},
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == Stage.REQUESTED
    assert AuditEntry.objects.exclude(action="view").count() == before


def test_the_screens_set_up_a_panel_and_record_a_decision(client, manager, officer):
    from django.test import Client

    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    c = verified_login(Client(), manager)
    held = TODAY() - dt.timedelta(days=1)
    response = c.post(
        reverse("panels:new"),
        {
            "name": "",
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
        },
    )
    page = response.content.decode()
    assert "Enter the name of the panel" in page and "Select the decisions the panel makes" in page
    response = c.post(
        reverse("panels:new"),
        {
            "name": "SEND panel",
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
            "kinds": ["assess"],
        },
    )
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302 and meeting.team == manager.team
    c.post(reverse("panels:agenda", args=[meeting.pk]))
    c.post(
        reverse("panels:attendance", args=[meeting.pk]),
        {"name": "Dr Rhys Evans", "agency": "health", "attended": "yes"},
    )
    item = PanelItem.objects.get()
    page = c.get(reverse("panels:meeting", args=[meeting.pk])).content.decode()
    assert case.reference in page and "Dr Rhys Evans (Health)" in page
    response = c.post(
        reverse("panels:decision", args=[meeting.pk, item.pk]),
        {"recommendation": "assess", "decision": "assess", "rationale": "Needs not met"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING
    page = c.get(reverse("panels:consistency")).content.decode()
    assert "100%" in page


@pytest.mark.parametrize("url_name", ["panels:index", "panels:meeting", "panels:consistency"])
def test_pages_read_the_same_number_of_queries_for_1_and_3_cases(manager, officer, url_name):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 3):
        for _ in range(n):
            build_case(stage="requested", officer=officer, weeks_ago=3)
        meeting = _meeting(manager, ("assess",))
        for item in actions.build_agenda(meeting, actor=manager):
            actions.record_panel_decision(
                item, recommendation="assess", decision="assess", rationale="r", actor=manager
            )
        c = verified_login(Client(), manager)
        url = reverse(url_name, kwargs={"pk": meeting.pk} if url_name == "panels:meeting" else {})
        with CaptureQueriesContext(connection) as queries_run:
            assert c.get(url).status_code == 200
        counts.append(len(queries_run))
    assert counts[0] == counts[1], counts
