"""The retention screens: who may use them, the due list, legal holds, and erasing with a
confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sendcase.accounts.models import Role, User
from sendcase.accounts.testing import verified_login
from sendcase.casework.models import Child
from sendcase.core.models import AuditEntry
from sendcase.retention.erasure import set_legal_hold
from sendcase.retention.models import Erasure, LegalHold

from .helpers import refused_case

# The due list: session, user, second factor; the candidates, 5 kinds of activity, open
# cases, legal holds; the audit row: the same for 1 row or 50.
DUE_QUERIES = 12


@pytest.fixture
def other_manager(other_team: Any) -> User:
    return User.objects.create_user(
        username="othermanager", password="x", role=Role.TEAM_MANAGER, team=other_team
    )


def _pages(client: Any, child: Child) -> list[int]:
    return [
        client.get(reverse("retention:due")).status_code,
        client.get(reverse("retention:child", args=[child.pk])).status_code,
        client.get(reverse("retention:hold", args=[child.pk])).status_code,
        client.get(reverse("retention:erase", args=[child.pk])).status_code,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("data_officer", [200, 200, 200, 200]),
        ("head", [200, 200, 200, 200]),
        ("manager", [404, 200, 200, 404]),  # their team's child: holds, not erasure
        ("other_manager", [404, 404, 404, 404]),
        ("officer", [404, 404, 404, 404]),
        ("admin_user", [404, 404, 404, 404]),
        ("finance", [404, 404, 404, 404]),
        ("anonymous", [302, 302, 302, 302]),  # to sign in
    ],
)
def test_who_may_use_retention(
    client: Any, request: Any, due_child: Child, who: str, expected: list[int]
) -> None:
    if who != "anonymous":
        verified_login(client, request.getfixturevalue(who))
    assert _pages(client, due_child) == expected
    assert client.post(reverse("retention:erase", args=[due_child.pk])).status_code in (302, 404)
    assert Erasure.objects.exists() == (expected[3] == 200)


@pytest.mark.django_db
def test_due_list_shows_each_record_with_its_date_and_why_and_is_audited(
    client: Any, data_officer: Any, due_child: Child, young_child: Child
) -> None:
    verified_login(client, data_officer)
    page = client.get(reverse("retention:due")).content.decode()
    assert reverse("retention:child", args=[due_child.pk]) in page
    assert "Morwenna Trelawney" in page and "14 March 2021" in page
    assert "6 years after their 25th birthday (14 March 2015)" in page
    assert "Perpetua" not in page  # not due until 2031
    entry = AuditEntry.objects.filter(summary__startswith="Records due for deletion viewed").get()
    assert entry.payload["children"] == [due_child.pk] and entry.actor == data_officer


@pytest.mark.django_db
def test_manager_places_and_lifts_a_hold(client: Any, manager: Any, due_child: Child) -> None:
    verified_login(client, manager)
    url = reverse("retention:hold", args=[due_child.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400
    assert "Enter why the record must be kept" in refused.content.decode()
    assert client.post(url, {"reason": "Tribunal claim EH123/45"}).status_code == 302
    assert LegalHold.objects.get(child=due_child).set_by == manager
    page = client.get(reverse("retention:child", args=[due_child.pk])).content.decode()
    assert "Tribunal claim EH123/45" in page and "Lift the legal hold" in page
    assert client.post(url, {"reason": "Claim withdrawn"}).status_code == 302
    assert not LegalHold.objects.exists()


@pytest.mark.django_db
def test_erase_asks_for_confirmation_then_erases(
    client: Any, data_officer: Any, due_child: Child
) -> None:
    verified_login(client, data_officer)
    url = reverse("retention:erase", args=[due_child.pk])
    confirm = client.get(url).content.decode()
    assert "Are you sure you want to erase this record?" in confirm
    assert "govuk-button--warning" in confirm and not Erasure.objects.exists()
    done = client.post(url, follow=True)
    erasure = Erasure.objects.get(child=due_child)
    page = done.content.decode()
    assert f"Record erased: the child is now {erasure.pseudonym}" in page
    assert "Morwenna" not in page and "Trelawney" not in page
    assert client.get(url).status_code == 302  # nothing more to erase


@pytest.mark.django_db
def test_erasing_early_needs_a_reason(client: Any, head: Any, young_child: Child) -> None:
    verified_login(client, head)
    url = reverse("retention:erase", args=[young_child.pk])
    assert "not due for deletion until 21 June 2031" in client.get(url).content.decode()
    refused = client.post(url, {"override_reason": ""})
    assert refused.status_code == 400
    assert "Enter why the record must be erased before it is due" in refused.content.decode()
    assert client.post(url, {"override_reason": "Art 17 request, DPO ref 12"}).status_code == 302
    assert Erasure.objects.get(child=young_child).override_reason == "Art 17 request, DPO ref 12"


@pytest.mark.django_db
def test_no_erasure_under_a_legal_hold(
    client: Any, data_officer: Any, manager: Any, due_child: Child
) -> None:
    set_legal_hold(due_child, reason="Ombudsman complaint", actor=manager)
    verified_login(client, data_officer)
    url = reverse("retention:erase", args=[due_child.pk])
    page = client.get(url).content.decode()
    assert "under a legal hold, so it cannot be erased" in page
    assert "Erase the record</button>" not in page
    refused = client.post(url)
    assert (
        refused.status_code == 400 and "Lift the hold before erasing it" in refused.content.decode()
    )
    assert not Erasure.objects.exists()
    assert (
        "1 record due by the policy is under a legal hold"
        in client.get(reverse("retention:due")).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "shown"), [("manager", True), ("head", True), ("officer", False)])
def test_case_page_links_to_retention_for_those_who_may_hold(
    client: Any, request: Any, manager: Any, due_child: Child, who: str, shown: bool
) -> None:
    set_legal_hold(due_child, reason="Tribunal claim EH123/45", actor=manager)
    verified_login(client, request.getfixturevalue(who))
    response = client.get(reverse("casework:case", args=[due_child.cases.get().pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert (reverse("retention:child", args=[due_child.pk]) in page) == shown
    assert ("Tribunal claim EH123/45" in page) == shown


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["retention:child", "retention:hold", "retention:erase"])
def test_pages_showing_a_child_are_audited(
    client: Any, data_officer: Any, due_child: Child, name: str
) -> None:
    verified_login(client, data_officer)
    before = AuditEntry.objects.filter(action="view", object_id=str(due_child.pk)).count()
    assert client.get(reverse(name, args=[due_child.pk])).status_code == 200
    entry = AuditEntry.objects.filter(action="view", object_id=str(due_child.pk)).latest("id")
    assert entry.actor == data_officer and entry.object_type == "casework.child"
    assert (
        AuditEntry.objects.filter(action="view", object_id=str(due_child.pk)).count() == before + 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 3])
def test_due_list_queries_do_not_grow_with_rows(
    client: Any,
    data_officer: Any,
    make_child: Any,
    manager: Any,
    n: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(n):
        child = make_child(f"Due{i}", "Record", dt.date(1989, 1, 1 + i))
        refused_case(child, manager, dt.date(2014, 10, 1), dt.date(2014, 11, 1))
    verified_login(client, data_officer)
    client.get(reverse("retention:due"))  # the session and second factor settle first
    with django_assert_num_queries(DUE_QUERIES):
        page = client.get(reverse("retention:due")).content.decode()
    assert page.count("Record</a>") == n
