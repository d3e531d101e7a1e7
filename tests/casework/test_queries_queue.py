"""The work queue: ranking, filters, counts, keyset pages, caseloads, and constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sendcase.casework import queries
from sendcase.casework.domain.contacts import record_contact
from sendcase.casework.domain.placements import record_placement
from sendcase.casework.domain.tasks import add_task
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry


def _rows(html: str) -> list[str]:
    import re

    return re.findall(r'data-case="([^"]+)"', html)


def test_overdue_first_then_soonest(client_for, officer):
    later = build_case(stage="requested", officer=officer, weeks_ago=1)  # decision due in 5 weeks
    overdue = build_case(stage="draft", officer=officer, weeks_ago=24)  # final plan 4 weeks overdue
    soon = build_case(stage="requested", officer=officer, weeks_ago=5)  # decision due in a week
    html = client_for(officer).get(reverse("casework:queue")).content.decode()
    assert _rows(html) == [overdue.reference, soon.reference, later.reference]
    assert "4 weeks" not in html  # days, not weeks
    assert "28 days overdue" in html and "Final plan" in html
    assert "7 days left" in html
    assert 'id="count-overdue">1</span>' in html
    assert 'id="count-due-soon">1</span>' in html


def test_officer_sees_own_cases_by_default_and_team_on_request(
    client_for, officer, teammate, outsider
):
    mine = build_case(stage="requested", officer=officer, weeks_ago=1)
    theirs = build_case(stage="requested", officer=teammate, weeks_ago=2)
    other_team = build_case(stage="requested", officer=outsider, weeks_ago=3)
    client = client_for(officer)
    assert _rows(client.get(reverse("casework:queue")).content.decode()) == [mine.reference]
    team_rows = _rows(client.get(reverse("casework:queue") + "?officer=").content.decode())
    assert team_rows == [theirs.reference, mine.reference]
    assert other_team.reference not in team_rows


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("stage=requested", {"req"}),
        ("stage=draft", {"draft"}),
        ("key=final_plan", {"draft"}),
        ("key=decision_to_assess", {"req"}),
        ("need=SLCN", {"draft"}),
        ("need=ASD", set()),
        ("setting=other", {"draft"}),
        ("setting=mainstream", set()),
        ("stage=closed", set()),
    ],
)
def test_filters(client_for, manager, officer, query, expect):
    cases = {
        "req": build_case(stage="requested", officer=officer, weeks_ago=1),
        "draft": build_case(stage="draft", officer=officer, weeks_ago=24, need="SLCN"),
    }
    record_placement(
        cases["draft"], entry_date=timezone.localdate(), sen_setting="OLA", actor=officer
    )
    html = client_for(manager).get(reverse("casework:queue") + "?" + query).content.decode()
    assert set(_rows(html)) == {cases[k].reference for k in expect}


def test_keyset_pages_cover_every_case_once(officer, manager):
    for weeks in (1, 2, 3, 5, 24):
        build_case(stage="requested" if weeks < 24 else "draft", officer=officer, weeks_ago=weeks)
    from sendcase.casework.models import Case

    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(next_due=None)
    qs = queries.filtered_cases(manager, queries.QueueFilters())
    today = timezone.localdate()
    seen, after, pages = [], None, []
    while True:
        page = queries.queue_page(qs, today=today, warn=14, after=after, size=2)
        pages.append(page)
        seen += [r.case.pk for r in page.rows]
        if not page.next_cursor:
            break
        after = queries.Cursor.decode(page.next_cursor)
    expected = [
        c.pk
        for c in sorted(qs, key=lambda c: (c.next_due is None, c.next_due or dt.date.min, c.pk))
    ]
    assert seen == expected
    # ... and going back from the last page gives the page before it.
    back = queries.queue_page(
        qs, today=today, warn=14, before=queries.Cursor.decode(pages[-1].prev_cursor), size=2
    )
    assert [r.case.pk for r in back.rows] == [r.case.pk for r in pages[-2].rows]


def test_caseloads_against_the_guide(client_for, manager, officer, teammate):
    build_case(stage="requested", officer=officer, weeks_ago=1)
    rows = {r.officer.username: r for r in queries.caseloads(manager, today=timezone.localdate())}
    assert rows["officer"].open_cases == 1 and "teammate" not in rows  # holds no case
    assert queries.Caseload(officer, 230, 0).band[0] == "Typical"
    assert queries.Caseload(officer, 300, 0).band[0] == "Above typical"
    assert queries.Caseload(officer, 500, 0).band[0] == "Unmanageable"
    html = client_for(manager).get(reverse("casework:caseloads")).content.decode()
    assert "Officer Tester" in html and "Below typical" in html


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# For a manager: 7, plus the one bulk insert of the audit entries for the cases listed (one per
# case), the officers they may give the ticked cases to, and the overdue tasks counted (each
# row's tasks come in the page's one query); and the portal's two: the families' messages
# waiting for an answer, and the online requests waiting for a check (portal_family tags).
QUEUE_QUERIES = 12


@pytest.mark.parametrize("n", [1, 3])
def test_queue_queries_do_not_grow_with_rows(
    client_for, manager, officer, django_assert_num_queries, n
):
    for i in range(n):
        case = build_case(stage="draft", officer=officer, weeks_ago=20 + i)
        record_placement(case, entry_date=timezone.localdate(), sen_setting="OLA", actor=officer)
        for days in (-1, 3):
            due = timezone.localdate() + dt.timedelta(days=days)
            add_task(case, title="Call the parent", due_on=due, actor=officer)
    client = client_for(manager)
    client.get(reverse("casework:queue"))  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("casework:queue"))
    assert len(_rows(response.content.decode())) == n


# 18, plus the case's appeals and recent decision notices (for the steps offered) and its appeals
# again for the page's "Mediation and appeals" section, and its tasks; its complaints' deadlines
# (issue 15): the complaints linked to the case, and their stored deadlines.
CASE_QUERIES = 23


@pytest.mark.parametrize("n", [1, 3])
def test_case_page_queries_do_not_grow_with_events(
    client_for, officer, django_assert_num_queries, n
):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    today = timezone.localdate()
    for i in range(n):
        record_contact(
            case,
            contact_on=today,
            at_time=dt.time(9, i),
            channel="email",
            direction="out",
            party=f"School {i}",
            summary="Sent the plan",
            needs_response=True,
            response_due=None,
            actor=officer,
        )
        record_placement(
            case,
            entry_date=today - dt.timedelta(days=10 * (n - i)),
            sen_setting="OLA",
            actor=officer,
        )
        add_task(case, title=f"Task {i}", due_on=today, actor=officer)
    client = client_for(officer)
    client.get(reverse("casework:case", args=[case.pk]))
    with django_assert_num_queries(CASE_QUERIES):
        response = client.get(reverse("casework:case", args=[case.pk]))
    assert response.content.decode().count("Sent the plan") == n


def test_viewing_a_case_is_audited(client_for, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=1)
    client_for(officer).get(reverse("casework:case", args=[case.pk]))
    assert AuditEntry.objects.filter(case=case, action="view", actor=officer).count() == 1


def test_timeline_lists_each_event_once_with_who_and_when_plus_other_changes(
    client_for, officer, manager
):
    from sendcase.casework.domain.assignment import reassign_case

    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    reassign_case(case, officer=manager, actor=manager)
    page = client_for(manager).get(reverse("casework:case", args=[case.pk])).content.decode()
    html = page[page.index('id="timeline"') : page.index('id="plan"')]
    assert html.count("Decision whether to assess") == 1
    assert html.count("Request for an EHC needs assessment received") == 1
    assert "Case reassigned to Manager Tester" in html
    assert "Recorded by Officer Tester at" in html
