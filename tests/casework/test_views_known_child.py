"""Registering a request for a child the service may already know: the officer says which child
it is (their record is used, so their history stays in one place) or that it is a different
child (recorded in the audit); a UPN already held cannot start a second record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.children import KNOWN_ELSEWHERE, register_child_with_request
from sendcase.casework.domain.errors import ActionError
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
    case = open_case_from_request(
        child, received_on=dt.date(2024, 1, 8), source=1, actor=officer, officer=officer
    )
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
    Child.objects.filter(pk=child.pk).update(upn="L12345678901B")
    client = client_for(officer)
    form = _form(officer, dates, surname="Other", upn="L12345678901B", known="new")
    page = client.post(reverse("casework:new_request"), form).content.decode()
    assert "UPN L12345678901B is already recorded for Alex Example" in page
    assert Child.objects.count() == 1


def test_a_child_with_an_open_case_is_told_so(
    client_for: Any, officer: Any, child: Child, dates: Any
) -> None:
    open_case_from_request(
        child, received_on=dt.date(2026, 1, 5), source=1, actor=officer, officer=officer
    )
    client = client_for(officer)
    page = client.post(
        reverse("casework:new_request"), _form(officer, dates, known=str(child.pk))
    ).content.decode()
    assert "already has an open case" in page
    assert child.cases.count() == 1


# --- Scope: a child known only to another team is not named to an officer -------------------------


def _elsewhere(child: Child, outsider: Any) -> Case:
    """The child's only case is in another team."""
    return open_case_from_request(
        child,
        received_on=dt.date(2025, 1, 6),
        source=1,
        actor=outsider,
        officer=outsider,
        team=outsider.team,
    )


def _says_only_that_it_is_known(page: str, child: Child, case: Case) -> None:
    assert KNOWN_ELSEWHERE in page
    # The officer's own entries come back in the form; the known child's label and case do not.
    for detail in (
        "Alex Example",
        "born 14",
        "UPN L12345678901B",
        case.reference,
        f"/cases/{case.pk}/",
    ):
        assert detail not in page, detail
    assert "None of these" not in page  # no way to start a second record


@pytest.mark.parametrize(
    "over",
    [{}, {"surname": "Different", "upn": "L12345678901B"}],
    ids=["same surname and birth date", "same UPN"],
)
@pytest.mark.parametrize("answer", ["", "new", "forged"])
def test_an_officer_is_told_only_that_the_council_knows_the_child(
    client_for: Any,
    officer: Any,
    outsider: Any,
    child: Child,
    dates: Any,
    over: dict[str, str],
    answer: str,
) -> None:
    Child.objects.filter(pk=child.pk).update(upn="L12345678901B")
    case = _elsewhere(child, outsider)
    known = str(child.pk) if answer == "forged" else answer
    response = client_for(officer).post(
        reverse("casework:new_request"), _form(officer, dates, known=known, **over)
    )
    assert response.status_code == 200
    _says_only_that_it_is_known(response.content.decode(), child, case)
    assert Child.objects.count() == 1 and child.cases.count() == 1


def test_a_manager_may_attach_a_request_to_a_child_known_to_another_team(
    client_for: Any, manager: Any, officer: Any, outsider: Any, child: Child, dates: Any
) -> None:
    _elsewhere(child, outsider)
    record_decision_to_assess(
        child.cases.get(), decided_on=dt.date(2025, 2, 10), outcome="not_assess", actor=outsider
    )
    client = client_for(manager)
    page = client.post(reverse("casework:new_request"), _form(officer, dates)).content.decode()
    assert "Alex Example, born 14 March 2015" in page
    response = client.post(
        reverse("casework:new_request"), _form(officer, dates, known=str(child.pk))
    )
    assert response.status_code == 302
    assert child.cases.filter(team=officer.team).count() == 1


def test_the_action_itself_refuses_an_officer_attaching_a_child_out_of_scope(
    officer: Any, outsider: Any, child: Child
) -> None:
    _elsewhere(child, outsider)
    with pytest.raises(ActionError, match="Ask your team manager"):
        register_child_with_request(
            child_fields={},
            contact_fields=None,
            received_on=dt.date(2026, 1, 5),
            source=1,
            actor=officer,
            officer=officer,
            known_child=child,
        )
    assert child.cases.count() == 1


def test_a_child_in_scope_is_offered_but_not_a_new_record_beside_one_known_elsewhere(
    client_for: Any, officer: Any, outsider: Any, child: Child, dates: Any
) -> None:
    twin = Child.objects.create(
        forename="Sam", surname="Example", date_of_birth=child.date_of_birth, sex="F"
    )
    case = _elsewhere(twin, outsider)
    page = (
        client_for(officer)
        .post(reverse("casework:new_request"), _form(officer, dates, known="new"))
        .content.decode()
    )
    assert "Alex Example, born 14 March 2015" in page  # no case yet: nobody's record
    assert "Sam" not in page and f"/cases/{case.pk}/" not in page
    assert KNOWN_ELSEWHERE in page
    assert Child.objects.count() == 2
