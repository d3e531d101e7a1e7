"""The portal's sign-in through the real loopback provider (private_key_jwt, vtr), and linking
a parent to their child's case with the code the officer sent by Notify."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from sendcase.accounts.testing import verified_login
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.portal.access import PORTAL_PERSON
from sendcase.portal.models import CaseLink, ExternalPerson


@pytest.fixture
def portal_sign_in(oidc_browser, one_login):
    def sign_in(client, username):
        return oidc_browser(client, one_login, "/portal/sign-in/", username)

    return sign_in


def _sent_code(case) -> str:
    message = NotifyMessage.objects.filter(reference__startswith=f"{case.reference}-portal").get()
    return message.personalisation["code"]


def test_a_parent_signs_in_with_one_login_and_links_with_the_code(
    client,
    portal_sign_in,
    one_login,
    family_case,
    other_case,
    officer,
    django_capture_on_commit_callbacks,
):
    start = client.get("/portal/sign-in/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["vtr"] == ['["Cl.Cm"]'] and query["ui_locales"] == ["en"]
    response = portal_sign_in(Client(), "parent")  # a fresh browser
    assert response.status_code == 302 and response["Location"] == "/portal/link/"
    person = ExternalPerson.objects.get(subject="sub-parent")
    assert person.issuer == one_login["issuer"]
    entry = AuditEntry.objects.get(action="sign_in", object_id=str(person.pk))
    assert entry.payload["vot"] == "Cl.Cm" and entry.payload["external_person"] == person.pk

    # The officer sends the mother a code (by Notify).
    staff = verified_login(Client(), officer)
    contact = family_case.child.contacts.get(name="Pat Parent")
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.post(
            f"/online-access/cases/{family_case.pk}/invite/",
            {"contact": contact.pk, "relationship": "parent_carer"},
        )
    assert sent.status_code == 302
    message = NotifyMessage.objects.get(recipient="pat@example.org")
    assert message.personalisation["child_name"] == family_case.child.full_name
    code = _sent_code(family_case)

    parent = Client()
    portal_sign_in(parent, "parent")
    linked = parent.post("/portal/link/", {"code": code.lower()})
    assert linked["Location"] == f"/portal/cases/{family_case.pk}/"
    page = parent.get(linked["Location"]).content.decode()
    assert family_case.child.full_name in page
    assert "assessment" in page and str(officer) in page
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", page)  # by when, as a GOV.UK date
    listing = parent.get("/portal/cases/").content.decode()
    assert family_case.child.full_name in listing and other_case.child.full_name not in listing
    assert parent.get(f"/portal/cases/{other_case.pk}/").status_code == 404
    assert AuditEntry.objects.filter(
        action="view", case=family_case, payload__external_person=person.pk
    ).exists()
    # The code worked once.
    someone = ExternalPerson.objects.create(issuer="x", subject="y")
    other = Client()
    other.session  # noqa: B018 - make the session
    session = other.session
    session[PORTAL_PERSON] = someone.pk
    session.save()
    again = other.post("/portal/link/", {"code": code})
    assert "The code is wrong, has been used or has expired" in again.content.decode()
    assert not CaseLink.objects.filter(person=someone).exists()


def test_wrong_codes_are_rate_limited(client, person, family_case, officer, settings):
    from sendcase.portal import actions
    from sendcase.portal.testing import portal_login

    code = actions.issue_link_code(
        family_case,
        family_case.child.contacts.create(name="P", relationship="Father", email="p@example.org"),
        relationship="parent_carer",
        actor=officer,
    )
    portal_login(client, person)
    for _ in range(settings.SENDCASE_PORTAL_CODE_ATTEMPTS):
        client.post("/portal/link/", {"code": "WRONG-CODE"})
    refused = client.post("/portal/link/", {"code": code}).content.decode()
    assert "too many wrong codes" in refused
    assert not CaseLink.objects.exists()


def test_a_staff_session_cannot_use_the_portal(officer, one_login):
    staff = verified_login(Client(), officer)
    for url in (
        "/portal/",
        "/portal/sign-in/",
        "/portal/signed-in/",
        "/portal/cases/",
        "/portal/link/",
    ):
        response = staff.get(url)
        assert response.status_code == 403, url
        assert "not for council staff" in response.content.decode()


def test_a_staff_sign_in_ends_the_portal_session(client, person, officer):
    from sendcase.portal.testing import portal_login

    portal_login(client, person)
    assert client.get("/portal/cases/").status_code == 200
    client.post("/accounts/sign-in/", {"username": "officer", "password": "correct horse battery"})
    assert PORTAL_PERSON not in client.session


def test_signing_out_ends_the_session_and_goes_to_one_login(client, portal_sign_in, one_login):
    portal_sign_in(client, "young.person")
    assert client.get("/portal/link/").status_code == 200
    response = client.post("/portal/sign-out/")
    assert response["Location"].startswith(one_login["issuer"] + "/logout?")
    assert "id_token_hint" in response["Location"]
    assert client.get("/portal/cases/")["Location"] == "/portal/"
    assert AuditEntry.objects.filter(action="sign_out").exists()


def test_a_forged_callback_is_refused(client, one_login):
    response = client.get("/portal/signed-in/?code=abc&state=forged")
    assert response.status_code == 403
    assert AuditEntry.objects.get(action="sign_in_failed").payload["ip_address"] == "127.0.0.1"


def test_sign_in_is_rate_limited_by_address(client, one_login, monkeypatch):
    from sendcase.portal import views

    monkeypatch.setattr(views, "SIGN_IN_FAILURES_PER_HOUR", 2)
    for _ in range(2):
        client.get("/portal/signed-in/?code=abc&state=forged")
    assert client.get("/portal/sign-in/").status_code == 429
