"""For managers: many cases reassigned at once, a case moved between teams, caseloads of the
officers who hold cases, and the work queue as a CSV file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.accounts.models import Role, User
from sendcase.casework.domain.assignment import move_case_to_team, reassign_cases
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.casework.domain.tasks import add_task
from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry


def _boxes(cases: list[Case]) -> list[str]:
    return [f"{c.pk}-{c.version}" for c in cases]


def _state(cases: list[Case]) -> list[tuple[int | None, int | None, int]]:
    return [
        (c.officer_id, c.team_id, c.version)
        for c in Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk")
    ]


def _reassigned(cases: list[Case]) -> int:
    return AuditEntry.objects.filter(case__in=cases, summary__startswith="Case reassigned").count()


@pytest.fixture
def three(officer: User) -> list[Case]:
    return [build_case(stage="requested", officer=officer, weeks_ago=1 + i) for i in range(3)]


# --- Reassigning many cases at once --------------------------------------------------------


def test_a_manager_gives_many_team_cases_to_one_officer_in_one_go(
    client_for, manager, teammate, three
):
    client = client_for(manager)
    response = client.post(
        reverse("casework:bulk_reassign") + "?stage=open",
        {"cases": _boxes(three), "officer": teammate.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:queue") + "?stage=open"
    assert {o for o, _, _ in _state(three)} == {teammate.pk}
    # audited per case, each with before and after
    entries = AuditEntry.objects.filter(case__in=three, summary__startswith="Case reassigned")
    assert sorted(e.case_id for e in entries) == sorted(c.pk for c in three)
    assert all(e.payload["after"]["officer"] == teammate.pk for e in entries)
    page = client.get(response["Location"]).content.decode()
    assert "3 cases given to Teammate Tester" in page


def test_the_queue_offers_checkboxes_only_to_those_who_may_reassign(
    client_for, manager, officer, head, three
):
    for who, offered in ((manager, True), (head, True), (officer, False)):
        html = client_for(who).get(reverse("casework:queue")).content.decode()
        assert ('name="cases"' in html) is offered, who.username
        assert (reverse("casework:bulk_reassign") in html) is offered, who.username
    html = client_for(manager).get(reverse("casework:queue")).content.decode()
    for c in three:
        assert f'value="{c.pk}-{c.version}"' in html


def test_a_case_outside_the_managers_team_refuses_the_lot(
    client_for, manager, teammate, outsider, three
):
    theirs = build_case(stage="requested", officer=outsider, weeks_ago=2)
    before = _state([*three, theirs])
    response = client_for(manager).post(
        reverse("casework:bulk_reassign"),
        {"cases": _boxes([*three, theirs]), "officer": teammate.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed" in html and "There is a problem" in html
    assert theirs.reference not in html  # says nothing about a case outside their scope
    assert _state([*three, theirs]) == before
    assert _reassigned([*three, theirs]) == 0
    # the boxes they ticked are still ticked
    assert html.count(" checked>") == 3


def test_a_case_changed_meanwhile_refuses_the_lot(client_for, manager, teammate, three):
    seen = _boxes(three)
    Case.objects.filter(pk=three[1].pk).update(version=three[1].version + 1)
    before = _state(three)
    response = client_for(manager).post(
        reverse("casework:bulk_reassign"), {"cases": seen, "officer": teammate.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Someone else changed {three[1].reference}" in html and "Nothing was changed" in html
    assert _state(three) == before
    assert _reassigned(three) == 0


def test_a_case_officer_may_not_reassign_many(client_for, officer, teammate, three):
    before = _state(three)
    response = client_for(officer).post(
        reverse("casework:bulk_reassign"), {"cases": _boxes(three), "officer": teammate.pk}
    )
    assert response.status_code == 404
    assert _state(three) == before


def test_a_manager_may_not_give_cases_to_another_teams_officer(
    client_for, manager, outsider, three
):
    before = _state(three)
    response = client_for(manager).post(
        reverse("casework:bulk_reassign"), {"cases": _boxes(three), "officer": outsider.pk}
    )
    assert response.status_code == 400
    assert "Select the officer to give the cases to" in response.content.decode()
    assert _state(three) == before


def test_nothing_ticked_or_no_officer_in_govuk_words(client_for, manager, teammate, three):
    client = client_for(manager)
    html = client.post(reverse("casework:bulk_reassign"), {"officer": teammate.pk}).content.decode()
    assert "Select the cases to reassign" in html and 'href="#bulk_cases_0"' in html
    html = client.post(reverse("casework:bulk_reassign"), {"cases": _boxes(three)}).content.decode()
    assert "Select the officer to give the cases to" in html
    html = client.post(
        reverse("casework:bulk_reassign"), {"cases": ["x-1"], "officer": teammate.pk}
    ).content.decode()
    assert "Select the cases to reassign from the list" in html


def test_the_head_of_service_reassigns_across_teams(head, outsider, officer, three):
    theirs = build_case(stage="requested", officer=outsider, weeks_ago=2)
    done = reassign_cases({c.pk: c.version for c in [*three, theirs]}, officer=officer, actor=head)
    assert [c.pk for c in done.moved] == [theirs.pk]
    assert {c.pk for c in done.already} == {c.pk for c in three}
    theirs.refresh_from_db()
    assert theirs.officer_id == officer.pk and theirs.team_id == officer.team_id
    assert _reassigned([*three, theirs]) == 1  # the ones already held are left alone


def test_the_action_refuses_unknown_cases_and_stale_versions(manager, teammate, three):
    with pytest.raises(ActionError, match="Nothing was changed"):
        reassign_cases({three[0].pk: three[0].version, 10**9: 1}, officer=teammate, actor=manager)
    with pytest.raises(StaleCase):
        reassign_cases({three[0].pk: three[0].version - 1}, officer=teammate, actor=manager)
    assert _reassigned(three) == 0


# --- Moving a case between teams ------------------------------------------------------------


def test_the_head_of_service_moves_a_case_to_another_team(
    client_for, head, officer, outsider, other_team
):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    client = client_for(head)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert reverse("casework:move_team", args=[case.pk]) in page
    response = client.post(
        reverse("casework:move_team", args=[case.pk]),
        {"version": case.version, "team": other_team.pk, "officer": outsider.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.team_id, case.officer_id) == (other_team.pk, outsider.pk)
    entry = AuditEntry.objects.get(case=case, summary__startswith="Case moved to")
    assert entry.actor == head
    assert entry.payload["before"] == {"officer": officer.pk, "team": officer.team_id}
    assert entry.payload["after"] == {"officer": outsider.pk, "team": other_team.pk}
    assert "Case moved to South team" in client.get(response["Location"]).content.decode()


def test_a_moved_case_leaves_its_old_officer_unless_one_is_chosen(head, officer, other_team):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    moved = move_case_to_team(case, team=other_team, actor=head)
    assert (moved.team_id, moved.officer_id) == (other_team.pk, None)
    assert moved.version == case.version + 1


def test_moving_refuses_an_officer_of_another_team_and_a_stale_form(
    client_for, head, officer, teammate, other_team
):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    client = client_for(head)
    url = reverse("casework:move_team", args=[case.pk])
    response = client.post(
        url, {"version": case.version, "team": other_team.pk, "officer": teammate.pk}
    )
    assert response.status_code == 400
    assert "Select an officer in South team, or nobody" in response.content.decode()
    response = client.post(url, {"version": case.version - 1, "team": other_team.pk})
    assert "Someone else saved this case" in response.content.decode()
    assert Case.objects.get(pk=case.pk).team_id == officer.team_id


@pytest.mark.parametrize("who", ["manager", "officer", "outsider", "data_officer"])
def test_only_the_head_or_an_administrator_moves_a_case(
    request, client_for, officer, other_team, who
):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    person = request.getfixturevalue(who)
    url = reverse("casework:move_team", args=[case.pk])
    client = client_for(person)
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": case.version, "team": other_team.pk}).status_code == 404
    assert Case.objects.get(pk=case.pk).team_id == officer.team_id
    page = client.get(reverse("casework:case", args=[case.pk]))
    assert url not in page.content.decode()


# --- Caseloads: only officers who hold cases --------------------------------------------------


def test_caseloads_list_only_people_who_hold_open_cases(
    client_for, head, manager, officer, teammate, outsider, admin_user, data_officer, finance
):
    build_case(stage="requested", officer=officer, weeks_ago=1)
    build_case(stage="requested", officer=officer, weeks_ago=2)
    build_case(stage="requested", officer=outsider, weeks_ago=1)
    html = client_for(head).get(reverse("casework:caseloads")).content.decode()
    listed = re.findall(r"\?officer=(\d+)\">([^<]+)</a>", html)
    assert listed == [(str(officer.pk), "Officer Tester"), (str(outsider.pk), "Outsider Tester")]
    # a manager sees their team's officers who hold cases, not another team's
    html = client_for(manager).get(reverse("casework:caseloads")).content.decode()
    assert re.findall(r"\?officer=(\d+)\"", html) == [str(officer.pk)]


def test_caseloads_count_cases_held_by_someone_whose_role_changed(client_for, head, officer):
    build_case(stage="requested", officer=officer, weeks_ago=1)
    User.objects.filter(pk=officer.pk).update(role=Role.DATA_OFFICER)
    html = client_for(head).get(reverse("casework:caseloads")).content.decode()
    assert re.findall(r"\?officer=(\d+)\"", html) == [str(officer.pk)]


@pytest.mark.parametrize("n", [1, 3])
def test_caseloads_queries_do_not_grow_with_officers(
    client_for, head, team, django_assert_num_queries, n
):
    for i in range(n):
        person = User.objects.create_user(f"o{i}", role=Role.CASE_OFFICER, team=team)
        build_case(stage="requested", officer=person, weeks_ago=1)
    client = client_for(head)
    client.get(reverse("casework:caseloads"))
    with django_assert_num_queries(CASELOAD_QUERIES):
        client.get(reverse("casework:caseloads"))


CASELOAD_QUERIES = 5  # session, user, the grouped counts, the officers, the session save


# --- The work queue as CSV -------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_queue_exports_what_it_shows_with_its_filters_and_scope(
    client_for, manager, officer, teammate, outsider
):
    mine = build_case(stage="requested", officer=officer, weeks_ago=1)
    theirs = build_case(stage="requested", officer=teammate, weeks_ago=2)
    other_team = build_case(stage="requested", officer=outsider, weeks_ago=1)
    client = client_for(manager)
    rows = _csv(client.get(reverse("casework:queue_export")))
    refs = [r[0] for r in rows[1:]]
    assert sorted(refs) == sorted([mine.reference, theirs.reference])
    assert other_team.reference not in refs
    rows = _csv(client.get(reverse("casework:queue_export") + f"?officer={officer.pk}"))
    assert [r[0] for r in rows[1:]] == [mine.reference]
    # listed children are audited, one entry per case listed
    listed = AuditEntry.objects.filter(action="export", summary="Listed in a work queue export")
    assert sorted(listed.values_list("case_id", flat=True)) == sorted([mine.pk, theirs.pk, mine.pk])
    assert all(e.actor_id == manager.pk for e in listed)


def test_the_queue_export_lists_each_cases_tasks(client_for, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    today = timezone.localdate()
    add_task(case, title="Call the parent", due_on=today - dt.timedelta(days=1), actor=officer)
    add_task(case, title="Chase advice", due_on=today + dt.timedelta(days=1), actor=officer)
    header, row = _csv(client_for(officer).get(reverse("casework:queue_export")))
    got = dict(zip(header, row, strict=True))
    assert got["Next task"] == "Call the parent"
    assert got["Task due by"] == (today - dt.timedelta(days=1)).isoformat()
    assert got["Tasks overdue"] == "1"


def test_the_queue_export_cannot_run_a_formula(client_for, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    case.child.forename = '=HYPERLINK("http://example.com")'
    case.child.save(update_fields=["forename"])
    rows = _csv(client_for(officer).get(reverse("casework:queue_export")))
    assert rows[1][1].startswith("'=")


def test_the_queue_page_links_the_export_with_its_filters(client_for, manager, officer):
    build_case(stage="requested", officer=officer, weeks_ago=1)
    query = f"?officer={officer.pk}"
    html = client_for(manager).get(reverse("casework:queue") + query).content.decode()
    assert reverse("casework:queue_export") + query in html.replace("&amp;", "&")


def test_finance_gets_no_export(client_for, finance, officer):
    build_case(stage="requested", officer=officer, weeks_ago=1)
    assert client_for(finance).get(reverse("casework:queue_export")).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_dashboards_caseload_lists_only_people_who_hold_cases(
    client_for, head, manager, officer, teammate, admin_user, data_officer, finance
):
    from sendcase.reporting.domain import report

    build_case(stage="plan", officer=officer, weeks_ago=40)
    build_case(stage="requested", officer=officer, weeks_ago=1)
    rows = report.caseload(timezone.localdate())
    assert [(r["officer_id"], r["open_cases"], r["active_plans"]) for r in rows] == [
        (officer.pk, 2, 1)
    ]
