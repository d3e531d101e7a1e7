"""Every page that shows a child's data writes an audit entry: the step pages, the child-details
form, the other case forms, and the work queue (one entry per case listed, on that case)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sendcase.casework.scenarios import build_case, phone_call
from sendcase.core.models import AuditEntry


def _views(case: Any, user: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(case=case, actor=user, action="view").order_by("pk"))


@pytest.fixture
def case(officer: Any) -> Any:
    return build_case(stage="plan", officer=officer, weeks_ago=40)


@pytest.fixture
def entry(case: Any, officer: Any) -> Any:
    return phone_call(case, officer)


@pytest.mark.parametrize(
    ("name", "who", "summary"),
    [
        ("casework:step", "officer", "Opened the form: Record an annual review meeting"),
        ("casework:child_details", "officer", "Opened the child's details to change them"),
        ("casework:contact_new", "officer", "Opened the form: Add to the contact log"),
        ("casework:contact_response", "officer", "Opened the form: Record a response"),
        ("casework:reassign", "manager", "Opened the form: Give the case to another officer"),
    ],
)
def test_opening_a_form_with_the_childs_data_is_audited(
    client_for: Any, request: Any, case: Any, entry: Any, name: str, who: str, summary: str
) -> None:
    user = request.getfixturevalue(who)
    args = {"pk": case.pk, "slug": "review-meeting", "entry_id": entry.pk}
    wanted = {k: v for k, v in args.items() if k in _arg_names(name)}
    assert client_for(user).get(reverse(name, kwargs=wanted)).status_code == 200
    (viewed,) = _views(case, user)
    assert viewed.summary == summary


def _arg_names(name: str) -> set[str]:
    return {
        "casework:step": {"pk", "slug"},
        "casework:contact_response": {"pk", "entry_id"},
    }.get(name, {"pk"})


def test_a_step_form_shown_again_with_errors_is_audited(
    client_for: Any, officer: Any, case: Any
) -> None:
    url = reverse("casework:step", args=[case.pk, "review-meeting"])
    response = client_for(officer).post(url, {"version": str(case.version)})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert [e.summary for e in _views(case, officer)] == [
        "Opened the form: Record an annual review meeting"
    ]


def test_a_refused_person_leaves_no_view_entry(client_for: Any, outsider: Any, case: Any) -> None:
    url = reverse("casework:child_details", args=[case.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert not AuditEntry.objects.filter(actor=outsider).exists()


def test_the_queue_audits_each_case_it_lists(client_for: Any, officer: Any, teammate: Any) -> None:
    mine = [build_case(stage="draft", officer=officer, weeks_ago=20 + i) for i in range(3)]
    theirs = build_case(stage="draft", officer=teammate, weeks_ago=5)
    client = client_for(officer)
    assert client.get(reverse("casework:queue")).status_code == 200  # officer: own cases
    listed = AuditEntry.objects.filter(actor=officer, summary="Listed in the work queue")
    assert sorted(e.case_id for e in listed) == sorted(c.pk for c in mine)
    assert all(e.object_type == "casework.case" and e.object_id == str(e.case_id) for e in listed)
    assert listed.first().payload["filters"]["officer"] == "me"
    client.get(reverse("casework:queue") + "?officer=")  # the whole team
    assert AuditEntry.objects.filter(actor=officer, case=theirs, action="view").count() == 1
