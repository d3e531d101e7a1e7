"""Registering a request for a child the service may already know: the officer says which child
it is (their record is used, so their history stays in one place) or that it is a different
child (recorded in the audit); a UPN already held cannot start a second record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.models import Case, Child
from sendcase.core.models import AuditEntry


def _form(officer: Any, dates: Any, **over: str) -> dict[str, str]:
    today = dt.date.today()
    return {
        "forename": "Alexander",
        "surname": "example",  # the known child is "Alex Example": case and first name differ
        "sex": "M",
        "postcode": "",
        "upn": "",
        "officer": str(officer.pk),
        "source": "1",
        **dates(date_of_birth=dt.date(2015, 3, 14), received_on=today - dt.timedelta(days=3)),
        **over,
    }


def _closed_case(child: Child, officer: Any) -> Case:
    case = open_case_from_request(child, received_on=dt.date(2024, 1, 8), source=1, actor=officer)
    record_decision_to_assess(
        case, decided_on=dt.date(2024, 2, 12), outcome="not_assess", actor=officer
    )
    return case


def test_a_possible_duplicate_is_asked_about_and_nothing_is_saved(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    client = client_for(officer)
    response = client.post(reverse("casework:new_request"), _form(officer, dates))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This child may already be known to the service" in page
    assert "Alex Example, born 14 March 2015" in page
    assert 'href="#id_known' in page  # the error summary leads to the question
    assert Child.objects.count() == 1 and not Case.objects.exists()


def test_choosing_the_known_child_records_the_request_on_their_record(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    _closed_case(child, officer)
    client = client_for(officer)
    response = client.post(
        reverse("casework:new_request"), _form(officer, dates, known=str(child.pk))
    )
    assert response.status_code == 302
    assert Child.objects.count() == 1
    assert child.cases.count() == 2  # the new request on the same child, after the refusal


def test_a_different_child_is_registered_and_the_answer_audited(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    client = client_for(officer)
    response = client.post(reverse("casework:new_request"), _form(officer, dates, known="new"))
    assert response.status_code == 302
    new = Child.objects.exclude(pk=child.pk).get()
    entry = AuditEntry.objects.get(
        object_type="casework.child", object_id=str(new.pk), action="create"
    )
    assert entry.payload == {"not_duplicate_of": [child.pk]}


def test_a_upn_already_held_cannot_start_a_second_record(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    Child.objects.filter(pk=child.pk).update(upn="A12345678901B")
    client = client_for(officer)
    form = _form(officer, dates, surname="Other", upn="A12345678901B", known="new")
    page = client.post(reverse("casework:new_request"), form).content.decode()
    assert "UPN A12345678901B is already recorded for Alex Example" in page
    assert Child.objects.count() == 1


def test_a_child_with_an_open_case_is_told_so(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    open_case_from_request(child, received_on=dt.date(2026, 1, 5), source=1, actor=officer)
    client = client_for(officer)
    page = client.post(
        reverse("casework:new_request"), _form(officer, dates, known=str(child.pk))
    ).content.decode()
    assert "already has an open case" in page
    assert child.cases.count() == 1
