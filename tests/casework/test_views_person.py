"""The whole person (issue 12.4): the defects a new user found, each with the test that failed
before, and the family contacts added, changed and ended, all audited."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain.addresses import address_for_letter
from sendcase.casework.domain.children import register_child_with_request
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Child, FamilyContact
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.statutory.dates import add_months

NEW = reverse("casework:new_request")


def _request(officer: Any, dates: Any, **over: str) -> dict[str, str]:
    received = timezone.localdate() - dt.timedelta(days=3)
    return {
        "forename": "Robin",
        "surname": "Person",
        "sex": "F",
        "officer": str(officer.pk),
        "source": "1",
        **dates(date_of_birth=dt.date(2015, 4, 2), received_on=received),
        **over,
    }


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        pytest.param(
            {"contact_email": "jo@example.org"},
            "contact_name",
            "Enter the parent or carer's name, or remove their email and phone number",
            id="email-without-a-name-was-dropped",
        ),
        pytest.param(
            {"contact_phone": "07700 900123"},
            "contact_name",
            "Enter the parent or carer's name",
            id="phone-without-a-name-was-dropped",
        ),
        pytest.param(
            {"upn": "ABC123"}, "upn", "Enter a UPN in the correct format", id="upn-ABC123"
        ),
        pytest.param(
            {"upn": "B123456789012"}, "upn", "the first letter does not match", id="check-letter"
        ),
        pytest.param(
            {"postcode": "not a postcode"}, "postcode", "Enter a real postcode", id="not-a-postcode"
        ),
        pytest.param(
            {"contact_name": "Jo", "contact_relationship": "Mother", "contact_phone": "12"},
            "contact_phone",
            "Enter a phone number",
            id="bad-phone",
        ),
    ],
)
def test_the_new_request_form_refuses_what_the_edit_form_refuses(
    client_for: Any, officer: Any, dates: Any, over: dict[str, str], field: str, message: str
) -> None:
    response = client_for(officer).post(NEW, _request(officer, dates, **over))
    assert response.status_code == 200
    page = _page(response)
    assert message in page
    assert f'id="id_{field}-error"' in page
    assert not Child.objects.filter(surname="Person").exists()


def test_parental_responsibility_is_recorded_when_asked_at_registration(
    client_for: Any, officer: Any, dates: Any
) -> None:
    data = _request(
        officer,
        dates,
        contact_name="Jo Person",
        contact_relationship="Foster carer",
        contact_parental_responsibility="no",
    )
    assert client_for(officer).post(NEW, data).status_code == 302
    assert FamilyContact.objects.get(name="Jo Person").parental_responsibility is False


def test_a_postcode_is_never_cut_short_by_the_page(client_for: Any, officer: Any) -> None:
    """The browser cut "not a postcode" to "not a post" (maxlength=10) before the server saw it."""
    page = client_for(officer).get(NEW).content.decode()
    start = page.index('name="postcode"')
    tag = page[page.rindex("<", 0, start) : page.index(">", start)]
    assert "maxlength" not in tag


def test_a_36_year_old_is_refused_with_the_reason_by_the_action_too(officer: Any) -> None:
    received = timezone.localdate()
    with pytest.raises(ActionError) as exc:
        register_child_with_request(
            child_fields={
                "forename": "Old",
                "surname": "Enough",
                "date_of_birth": add_months(received, -12 * 36),
                "sex": "M",
            },
            contact_fields=None,
            received_on=received,
            source=1,
            actor=officer,
        )
    assert exc.value.field == "date_of_birth"
    assert "aged 0 to 25" in exc.value.message
    assert not Child.objects.filter(surname="Enough").exists()


def test_a_contact_from_the_request_is_not_said_to_have_been_asked(
    client_for: Any, officer: Any, dates: Any
) -> None:
    """The case page said "Prefers: Email" and "Parental responsibility: Yes", never asked."""
    client = client_for(officer)
    data = _request(
        officer,
        dates,
        contact_name="Jo Person",
        contact_relationship="Mother",
        contact_email="jo@example.org",
        contact_phone="07700900123",
    )
    response = client.post(NEW, data)
    assert response.status_code == 302
    contact = FamilyContact.objects.get(child__surname="Person")
    assert (contact.parental_responsibility, contact.preferred_contact) == (None, "")
    assert contact.phone == "07700 900123"
    page = _page(client.get(response.url))
    family = page[page.index('id="family"') : page.index('id="contact-log"')]
    assert 'Parental responsibility</dt><dd class="govuk-summary-list__value">Not known' in family
    assert 'Prefers</dt><dd class="govuk-summary-list__value">Not known' in family


# --- The child's details ---------------------------------------------------------------------


def _seen(page: str) -> str:
    marker = 'name="seen" value="'
    start = page.index(marker) + len(marker)
    return html.unescape(page[start : page.index('"', start)])


def test_the_whole_child_is_recorded_and_audited(client_for: Any, officer: Any, dates: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    child = case.child
    client = client_for(officer)
    url = reverse("casework:child_details", args=[case.pk])
    seen = _seen(client.get(url).content.decode())
    data = {
        "forename": child.forename,
        "surname": child.surname,
        "sex": "F",
        "gender": "Non-binary",
        "ethnicity": "MWBA",
        "first_language": "POL",
        "interpreter_needed": "on",
        "address": "1 High Street\n Hereford ",
        "postcode": "hr11aa",
        "upn": "",
        "upn_unknown": "UN8",
        "uln": "",
        "nhs_number": "943 476 5919",
        "disability": "Y",
        "known_to_social_care": "Y",
        "social_care_team": "Children with disabilities team",
        "seen": seen,
        **dates(date_of_birth=child.date_of_birth),
    }
    response = client.post(url, data)
    assert response.status_code == 302, _page(response)
    child.refresh_from_db()
    assert (child.ethnicity, child.first_language, child.interpreter_needed) == (
        "MWBA",
        "POL",
        True,
    )
    assert (child.nhs_number, child.upn_unknown, child.postcode) == ("9434765919", "UN8", "HR1 1AA")
    assert (child.disability, child.known_to_social_care) == ("Y", "Y")
    assert child.address == "1 High Street\nHereford"
    entry = AuditEntry.objects.filter(object_type="casework.child", action="update").latest("pk")
    assert entry.payload["changed"]["nhs_number"] == {"from": "", "to": "9434765919"}
    page = _page(client.get(reverse("casework:case", args=[case.pk])))
    for shown in (
        "Mixed – White and Black African",
        "Polish; needs an interpreter",
        "Not known: New to the council",
        "9434765919",
        "Yes (Children with disabilities team)",
        "gender: Non-binary",
    ):
        assert shown in page, shown


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "Enter a real NHS number"),
        ({"uln": "1000000063"}, "uln", "Enter a real ULN"),
        ({"upn": "A123456789012", "upn_unknown": "UN1"}, "upn_unknown", "Remove the reason"),
        ({"social_care_team": "East"}, "known_to_social_care", "Select yes if the child is known"),
        ({"ethnicity": "XXXX"}, "ethnicity", "Select a valid choice"),
    ],
)
def test_bad_details_are_refused(
    client_for: Any, officer: Any, dates: Any, over: dict[str, str], field: str, message: str
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    child = case.child
    client = client_for(officer)
    url = reverse("casework:child_details", args=[case.pk])
    seen = _seen(client.get(url).content.decode())
    data = {
        "forename": child.forename,
        "surname": child.surname,
        "sex": child.sex,
        "seen": seen,
        **dates(date_of_birth=child.date_of_birth),
        **over,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = _page(response)
    assert message in page and f'id="id_{field}-error"' in page


# --- Family contacts -------------------------------------------------------------------------


def _contact(**over: str) -> dict[str, str]:
    return {
        "name": "Alex Parent",
        "relationship": "Father",
        "parental_responsibility": "yes",
        "email": "alex@example.org",
        "phone": "07700 900456",
        "address": "2 Low Road\nLeominster",
        "postcode": "HR6 8AA",
        "preferred_contact": "letter",
        "language": "",
        **over,
    }


def test_a_contact_is_added_changed_and_ended_with_audit(
    client_for: Any, officer: Any, dates: Any
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    client = client_for(officer)
    case_url = reverse("casework:case", args=[case.pk])
    assert reverse("casework:family_new", args=[case.pk]) in client.get(case_url).content.decode()
    response = client.post(reverse("casework:family_new", args=[case.pk]), _contact())
    assert response.status_code == 302
    alex = FamilyContact.objects.get(name="Alex Parent")
    assert alex.parental_responsibility is True and alex.postcode == "HR6 8AA"
    added = AuditEntry.objects.get(object_type="casework.familycontact", object_id=str(alex.pk))
    assert added.case_id == case.pk and added.action == "create"

    edit = reverse("casework:family_edit", args=[case.pk, alex.pk])
    seen = _seen(client.get(edit).content.decode())
    changed = _contact(preferred_contact="text", language="POL", seen=seen)
    assert client.post(edit, changed).status_code == 302
    alex.refresh_from_db()
    assert (alex.preferred_contact, alex.language) == ("text", "POL")
    entry = AuditEntry.objects.filter(object_id=str(alex.pk), action="update").latest("pk")
    assert entry.payload["changed"]["preferred_contact"] == {"from": "letter", "to": "text"}

    end = reverse("casework:family_end", args=[case.pk, alex.pk])
    today = timezone.localdate()
    response = client.post(end, {**dates(ended_on=today), "reason": "Moved abroad"})
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.ended_on == today
    ended = AuditEntry.objects.filter(object_id=str(alex.pk), action="update").latest("pk")
    assert ended.payload["reason"] == "Moved abroad"
    # An ended contact is kept for the history, and is no longer changed.
    assert "Ended" in _page(client.get(case_url))
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the contact's full name"),
        ({"preferred_contact": "email", "email": ""}, "email", "Enter an email address"),
        ({"preferred_contact": "text", "phone": "01432 260000"}, "phone", "Enter a mobile"),
        ({"preferred_contact": "letter", "address": ""}, "address", "Enter an address"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode"),
        ({"withhold_address": "on", "address": ""}, "address", "must not be shared"),
    ],
)
def test_a_contact_with_bad_details_is_refused(
    client_for: Any, officer: Any, over: dict[str, str], field: str, message: str
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    response = client_for(officer).post(
        reverse("casework:family_new", args=[case.pk]), _contact(**over)
    )
    assert response.status_code == 400
    page = _page(response)
    assert message in page and f'id="id_{field}-error"' in page
    assert not FamilyContact.objects.filter(name="Alex Parent").exists()


def test_a_contact_of_another_childs_case_is_not_found(
    client_for: Any, officer: Any, teammate: Any
) -> None:
    mine = build_case(stage="plan", officer=officer, weeks_ago=30)
    other = build_case(stage="requested", officer=teammate, weeks_ago=2)
    theirs = other.child.contacts.get()
    url = reverse("casework:family_edit", args=[mine.pk, theirs.pk])
    assert client_for(officer).get(url).status_code == 404


# --- An address withheld from the other parent ------------------------------------------------


@pytest.fixture
def separated(officer: Any) -> tuple[Case, FamilyContact, FamilyContact]:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    Child.objects.filter(pk=case.child_id).update(
        address="9 Safe Lane\nLedbury", postcode="HR8 1AA"
    )
    mother = case.child.contacts.get()
    mother.address, mother.postcode, mother.withhold_address = (
        "9 Safe Lane\nLedbury",
        "HR8 1AA",
        True,
    )
    mother.save()
    father = FamilyContact.objects.create(
        child=case.child,
        name="Pat Other",
        relationship="Father",
        parental_responsibility=True,
        address="1 Far Street\nLudlow",
        postcode="SY8 1AA",
        preferred_contact="letter",
    )
    return case, mother, father


def test_a_withheld_address_never_reaches_a_letter_to_anyone_else(separated: Any) -> None:
    case, mother, father = separated
    child = Child.objects.get(pk=case.child_id)
    assert address_for_letter(mother, recipient=mother) == ["9 Safe Lane", "Ledbury", "HR8 1AA"]
    assert address_for_letter(mother, recipient=father) == []
    assert address_for_letter(mother, recipient=None) == []
    # The child lives at the withheld address: theirs is withheld from the father too.
    assert address_for_letter(child, recipient=father) == []
    assert address_for_letter(child, recipient=mother) == ["9 Safe Lane", "Ledbury", "HR8 1AA"]
    assert address_for_letter(father, recipient=mother) == ["1 Far Street", "Ludlow", "SY8 1AA"]


def test_notices_go_to_current_contacts_each_at_their_own_address(
    separated: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A letter (documents.actions.issue_letter) to each current contact with parental
    responsibility, at their own address: the father's never shows the mother's withheld one."""
    from sendcase.documents.actions import issue_letter
    from sendcase.documents.models import Correspondence

    case, mother, father = separated
    mother.email, mother.preferred_contact, mother.parental_responsibility = "", "letter", True
    mother.save()
    gone = FamilyContact.objects.create(
        child=case.child,
        name="Ended One",
        relationship="Aunt",
        parental_responsibility=True,
        address="x\ny",
        ended_on=dt.date(2025, 1, 1),
    )
    final_on = case.plan.versions.get(kind="final").issued_on
    with django_capture_on_commit_callbacks(execute=True):
        issue_letter(
            case, "final_plan", on=final_on, actor=officer, notify=True, today=timezone.localdate()
        )
    sent = {c.recipient: c for c in Correspondence.objects.filter(case=case)}
    assert set(sent) == {mother.name, father.name}
    assert gone.name not in sent
    assert "Safe Lane" in sent[mother.name].address
    assert "Safe Lane" not in sent[father.name].address and "HR8" not in sent[father.name].address
    to_father = [
        m
        for m in NotifyMessage.objects.all()
        if m.personalisation.get("address_line_1") == father.name
    ]
    assert to_father and "Safe Lane" not in " ".join(
        str(v) for v in to_father[0].personalisation.values()
    )


def test_records_to_fix_links_a_missing_upn_to_the_childs_details(
    client_for: Any, officer: Any, manager: Any
) -> None:
    """The SEN2 data check's advice for a child with no UPN and no reason: a link to the field on
    the child's details page that fixes it (UPNunknown now has somewhere to be recorded)."""
    from sendcase.returns.records import Problem
    from sendcase.returns.views import _rows

    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    problem = Problem(None, "Module 1 (child or young person)", "UPN", "No UPN", "Record it")
    problem.case_id = case.pk
    (row,) = _rows([problem], officer)
    assert row["url"] == reverse("casework:child_details", args=[case.pk]) + "#id_upn"
    other = Problem(None, "Module 2 (request for assessment)", "ReceivedDate", "x", "y")
    other.case_id = case.pk
    (row,) = _rows([other], officer)
    assert row["url"] == reverse("casework:case", args=[case.pk])
