"""Finding a child: by name (any part, typo-tolerant on PostgreSQL), UPN, ULN, NHS number, date of
birth or case reference; only within what the person may see; audited; no N+1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sendcase.accounts.models import Role, User
from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case, make_child
from sendcase.casework.search import KNOWN_ELSEWHERE, KNOWN_ELSEWHERE_TOO
from sendcase.core.models import AuditEntry

URL = reverse("casework:search")
BORN = dt.date(2014, 6, 9)


@pytest.fixture
def ours(officer):
    """A child with two cases in the officer's team."""
    child = make_child(
        "Rosalind",
        "Featherstonehaugh",
        born=BORN,
        upn="A123456789012",
        uln="1234567890",
        nhs_number="4857773457",
    )
    first = build_case(stage="plan", officer=officer, weeks_ago=60, child=child)
    return child, first


@pytest.fixture
def theirs(outsider):
    """A child whose only case is in another team."""
    child = make_child(
        "Bartholomew",
        "Quigley",
        born=dt.date(2012, 1, 2),
        upn="B987654321098",
        nhs_number="9434765919",
        uln="1000000043",
    )
    case = build_case(stage="requested", officer=outsider, weeks_ago=2, child=child)
    return child, case


def _get(client, **params):
    return client.get(URL, params)


@pytest.mark.parametrize(
    "query",
    [
        "Rosalind",
        "featherstonehaugh",
        "ROSA",  # any part of the name
        "stone",
        "rosalind featherstonehaugh",
        "A123456789012",
        "a123 4567 89012",
        "1234567890",
        "4857773457",  # the NHS number
        "485 777 3457",
        "485-777-3457",
        "09/06/2014",
        "9.6.2014",
    ],
)
def test_an_officer_finds_their_teams_child(client_for, officer, ours, query):
    child, case = ours
    response = _get(client_for(officer), q=query)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-child="{child.pk}"' in body
    assert reverse("casework:case", args=[case.pk]) in body
    assert case.get_stage_display() in body
    assert str(officer) in body


def test_by_case_reference_and_by_the_govuk_date(client_for, teammate, ours):
    child, case = ours
    body = _get(client_for(teammate), q=case.reference.lower()).content.decode()
    assert f'data-child="{child.pk}"' in body
    body = _get(
        client_for(teammate),
        q="",
        date_of_birth_day=str(BORN.day),
        date_of_birth_month=str(BORN.month),
        date_of_birth_year=str(BORN.year),
    ).content.decode()
    assert f'data-child="{child.pk}"' in body


def test_a_name_and_a_date_of_birth_narrow_together(client_for, officer, ours):
    other = make_child("Rosalind", "Other", born=dt.date(2015, 1, 1))
    build_case(stage="requested", officer=officer, child=other)
    body = _get(
        client_for(officer),
        q="Rosalind",
        date_of_birth_day="9",
        date_of_birth_month="6",
        date_of_birth_year="2014",
    ).content.decode()
    assert f'data-child="{ours[0].pk}"' in body
    assert f'data-child="{other.pk}"' not in body


def test_every_case_of_the_child_is_listed(client_for, officer, ours):
    child, first = ours
    # A first request refused, then a second case: both are the child's.
    earlier = Case.objects.create(
        reference="EHC-20-00001",
        child=child,
        officer=officer,
        team=officer.team,
        opened_on=dt.date(2020, 1, 6),
        stage="not_assessed",
    )
    body = _get(client_for(officer), q="Featherstonehaugh").content.decode()
    assert body.count(f'data-child="{child.pk}"') == 1
    assert f'data-case="{first.reference}"' in body
    assert f'data-case="{earlier.reference}"' in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigrams are PostgreSQL's")
@pytest.mark.parametrize("typo", ["Featherstonhaugh", "Fetherstonehaugh", "Rosalynd"])
def test_a_misspelt_name_still_finds_the_child_on_postgresql(client_for, officer, ours, typo):
    body = _get(client_for(officer), q=typo).content.decode()
    assert f'data-child="{ours[0].pk}"' in body


def test_nothing_found_says_so(client_for, officer, ours):
    body = _get(client_for(officer), q="Zzyzx").content.decode()
    assert 'id="no-results"' in body
    assert "Featherstonehaugh" not in body


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"q": ""}, "Enter a name, UPN, ULN, NHS number, date of birth or case reference"),
        ({"q": "31/02/2014"}, "Date of birth must be a real date"),
        (
            {
                "q": "",
                "date_of_birth_day": "9",
                "date_of_birth_month": "",
                "date_of_birth_year": "",
            },
            "The date of birth must include a month and a year",
        ),
        ({"q": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_input_is_a_govuk_error_not_a_crash(client_for, officer, params, error):
    response = _get(client_for(officer), **params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert error in body
    assert not AuditEntry.objects.filter(summary__startswith="Searched").exists()


def test_opening_the_page_searches_nothing(client_for, officer, ours):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
    assert not AuditEntry.objects.filter(summary__startswith="Searched").exists()


# --- Scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Bartholomew",
        "Quigley",
        "B987654321098",
        "02/01/2012",
        "quigley bartholomew",
        "943 476 5919",  # NHS number
        "1000000043",  # ULN
    ],
)
def test_another_teams_child_is_only_known_to_the_council(client_for, officer, theirs, query):
    child, case = theirs
    response = _get(client_for(officer), q=query)
    assert response.status_code == 200
    body = response.content.decode()
    assert KNOWN_ELSEWHERE in body
    for detail in (
        child.forename,
        child.surname,
        child.upn,
        child.nhs_number,
        child.uln,
        case.reference,
        "data-child=",
    ):
        assert detail not in body.replace(query, ""), detail
    assert reverse("casework:case", args=[case.pk]) not in body


def test_by_reference_too(client_for, officer, theirs):
    _child, case = theirs
    body = _get(client_for(officer), q=case.reference).content.decode()
    assert KNOWN_ELSEWHERE in body
    assert "Quigley" not in body


def test_a_forged_query_reveals_no_name(client_for, officer, theirs):
    """Extra parameters (a child id, a case id, a scope) are not searched on; the answer is the
    same as for an ordinary query."""
    child, case = theirs
    for params in (
        {"q": "Q", "child": child.pk, "officer": "", "team": case.team_id},
        {"q": "%", "scope": "all"},
        {"q": "_"},
        {"q": "' OR 1=1 --"},
        {"q": child.upn, "date_of_birth_day": "x"},
    ):
        body = _get(client_for(officer), **params).content.decode()
        assert "Quigley" not in body and "Bartholomew" not in body, params


def test_mixed_results_show_ours_and_say_others_are_known(client_for, officer, ours, theirs):
    # "a" is in both children's names.
    body = _get(client_for(officer), q="a").content.decode()
    assert f'data-child="{ours[0].pk}"' in body
    assert KNOWN_ELSEWHERE_TOO in body
    assert "Quigley" not in body


def test_a_team_manager_is_told_to_ask_the_head_of_service(client_for, manager, theirs):
    body = _get(client_for(manager), q="Quigley").content.decode()
    assert KNOWN_ELSEWHERE.replace("your team manager", "the head of service") in body
    assert "Quigley</" not in body and "Bartholomew" not in body


@pytest.mark.parametrize(
    ("who", "sees_ours", "sees_theirs"),
    [
        ("officer", True, False),
        ("teammate", True, False),
        ("manager", True, False),
        ("outsider", False, True),
        ("head", True, True),
        ("admin_user", True, True),
        ("data", True, True),
    ],
)
def test_each_role_sees_what_it_may(request, client_for, ours, theirs, who, sees_ours, sees_theirs):
    user = (
        User.objects.create_user("data", password="x", role=Role.DATA_OFFICER)
        if who == "data"
        else request.getfixturevalue(who)
    )
    for (child, _case), visible in ((ours, sees_ours), (theirs, sees_theirs)):
        body = _get(client_for(user), q=child.surname).content.decode()
        assert (f'data-child="{child.pk}"' in body) is visible, (who, child.surname)
        assert ('id="known-elsewhere"' in body) is (not visible), (who, child.surname)


def test_finance_and_anonymous_are_refused(client, client_for, ours):
    finance = User.objects.create_user("finance", password="x", role=Role.FINANCE_OFFICER)
    assert _get(client_for(finance), q="Rosalind").status_code == 404
    response = _get(client, q="Rosalind")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(summary__startswith="Searched").exists()


# --- Audit --------------------------------------------------------------------------------------


def test_every_search_is_audited_with_one_view_per_child(client_for, officer, ours, theirs):
    child, case = ours
    second = make_child("Rosamund", "Example", born=dt.date(2013, 2, 2))
    second_case = build_case(stage="requested", officer=officer, child=second)
    before = AuditEntry.objects.count()
    _get(client_for(officer), q="Ros")
    new = list(AuditEntry.objects.order_by("id")[before:])
    search = [e for e in new if e.summary.startswith("Searched")]
    assert len(search) == 1
    assert search[0].actor == officer
    assert search[0].payload["query"] == "Ros"
    assert sorted(search[0].payload["children_shown"]) == sorted([child.pk, second.pk])
    views = {
        (e.object_type, e.object_id, e.case_id) for e in new if e.object_type == "casework.child"
    }
    assert views == {
        ("casework.child", str(child.pk), case.pk),
        ("casework.child", str(second.pk), second_case.pk),
    }
    # Searching for another team's child is audited, and names nobody.
    _get(client_for(officer), q="Quigley")
    last = AuditEntry.objects.filter(summary__startswith="Searched").order_by("-id").first()
    assert last.payload["known_elsewhere"] is True
    assert last.payload["children_shown"] == []
    assert not AuditEntry.objects.filter(
        object_type="casework.child", object_id=str(theirs[0].pk), actor=officer
    ).exists()


# --- No N+1 -------------------------------------------------------------------------------------


def _children(n, officer, first=0):
    for i in range(first, first + n):
        child = make_child("Hermione", f"Surname{i}", born=dt.date(2015, 1, 1 + i))
        build_case(stage="requested", officer=officer, child=child)


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        body = client.get(URL, {"q": "Hermione"}).content.decode()
    return body.count("data-child="), len(captured.captured_queries)


def test_query_count_is_the_same_for_1_and_3_results(client_for, officer):
    client = client_for(officer)
    _children(1, officer)
    client.get(URL, {"q": "Hermione"})  # the session's first use
    shown_one, one = _queries(client)
    _children(2, officer, first=1)
    shown_three, three = _queries(client)
    assert (shown_one, shown_three) == (1, 3)
    assert one == three


def test_the_header_and_the_queue_link_to_the_search(client_for, officer):
    page = client_for(officer).get(reverse("casework:queue")).content.decode()
    header = page.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{URL}"' in header
    main = page.split("<main", 1)[1]
    assert f'href="{URL}"' in main
    # on the search page, the header marks Find a child (not the work queue) as here
    here = client_for(officer).get(URL).content.decode().split('aria-current="page"')[0]
    assert here.rsplit("href=", 1)[1].startswith(f'"{URL}"')


def test_finance_has_no_search_in_the_header(client_for):
    finance = User.objects.create_user("finance", password="x", role=Role.FINANCE_OFFICER)
    page = client_for(finance).get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{URL}"' not in page
