"""The family's part of the portal: asking for an assessment (the clock starts the day received,
the duplicate-child check, the requester linked), comments on the draft within its window and
beside the sections on the staff page, views, uploads (checked, rate-limited), and secure
messages that the officer's queue shows waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sendcase.casework.models import Case, Child, StatutoryEvent
from sendcase.casework.scenarios import build_case
from sendcase.core import notify
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.portal import family_actions as fa
from sendcase.portal.models import (
    AssessmentAsk,
    CaseLink,
    CaseMessage,
    DraftComment,
    ExternalPerson,
    Relationship,
)
from sendcase.portal.testing import portal_login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def parent(db):
    return ExternalPerson.objects.create(
        issuer="https://one-login.test",
        subject="parent",
        name="Pat Parent",
        email="pat@example.org",
    )


@pytest.fixture(autouse=True)
def receiving_team(settings, team):
    settings.SENDCASE_PORTAL_REQUEST_TEAM = team.name


def _ask(client, **extra):
    data = {
        "relationship": "parent_carer",
        "forename": "Robin",
        "surname": "Newchild",
        "date_of_birth_day": "3",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2016",
        "why": "Robin finds reading and writing very hard.",
        "parental_responsibility": "yes",
        "consent": "on",
        **extra,
    }
    return client.post("/portal/ask/", data)


def test_a_parent_asks_online_and_the_clock_starts_that_day(
    parent, officer, django_capture_on_commit_callbacks
):
    client = portal_login(Client(), parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, evidence=SimpleUploadedFile("report.pdf", PDF, "application/pdf"))
    assert response.status_code == 200, response.content.decode()
    assert "Request sent" in response.content.decode()
    case = Case.objects.get(child__surname="Newchild")
    today = timezone.localdate()
    assert case.request.received_on == today and case.request.source == 1
    assert case.team == officer.team and case.officer is None
    assert StatutoryEvent.objects.filter(case=case, type="request_received", date=today).exists()
    due = case.deadlines.get(key="decision_to_assess").due
    assert due is not None
    # The requester is linked, is the family contact, and the evidence is on the case.
    assert CaseLink.objects.get(case=case, person=parent).via == CaseLink.Via.ASSESSMENT
    assert case.child.contacts.get().parental_responsibility is True
    assert case.documents.get().kind == "evidence"
    # In the officer's queue (the team's unassigned cases).
    staff = Client()
    from sendcase.accounts.testing import verified_login

    verified_login(staff, officer)
    assert case.reference in staff.get("/cases/?officer=none").content.decode()
    # The message says what happened, what to do and by when (the clock's date), with the link.
    # (the request-received letter goes to them too, as the officer's form sends it)
    message = NotifyMessage.objects.get(
        recipient="pat@example.org", template_id=notify.TEMPLATES["portal_family_message"]
    )
    assert message.case_id == case.pk
    from sendcase.statutory.dates import format_date

    assert message.personalisation["by_when"] == f"By {format_date(due)}."
    assert message.personalisation["link"].endswith(f"/portal/cases/{case.pk}/")
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 200


def test_without_consent_nothing_is_written(parent):
    client = portal_login(Client(), parent)
    response = _ask(client, consent="")
    assert response.status_code == 400
    assert "Confirm that the council may share" in response.content.decode()
    assert not AssessmentAsk.objects.exists() and not Child.objects.filter(surname="Newchild")


def test_a_file_that_is_not_a_document_is_refused_with_nothing_written(parent):
    client = portal_login(Client(), parent)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")
    response = _ask(client, evidence=bad)
    assert response.status_code == 400
    assert "The selected file must be" in response.content.decode()
    assert not Case.objects.filter(child__surname="Newchild").exists()


def test_a_child_who_may_be_known_waits_for_an_officer_and_keeps_the_day_received(
    parent, officer, client_for_staff
):
    known = build_case(stage="requested", officer=officer, weeks_ago=60)
    from sendcase.casework.domain.assessment import close_case

    close_case(
        known,
        why="moved_away",
        details="Moved",
        closed_on=timezone.localdate() - dt.timedelta(weeks=50),
        actor=officer,
    )
    child = known.child
    received = timezone.localdate() - dt.timedelta(days=3)
    ask = fa.ask_for_assessment(
        parent,
        relationship=Relationship.PARENT_CARER,
        forename=child.forename,
        surname=child.surname,
        date_of_birth=child.date_of_birth,
        why="Needs",
        consent=True,
        uploads=[SimpleUploadedFile("a.pdf", PDF, "application/pdf")],
        today=received,
    )
    assert ask.status == AssessmentAsk.Status.CHECK and ask.case is None
    client = portal_login(Client(), parent)
    assert client.get(f"/portal/cases/{known.pk}/").status_code == 404  # nothing by typing
    staff = client_for_staff(officer)
    assert "online request" in staff.get("/cases/").content.decode()
    page = staff.get(f"/online-access/assessment-requests/{ask.pk}/")
    assert child.full_name in page.content.decode()
    done = staff.post(f"/online-access/assessment-requests/{ask.pk}/", {"child": str(child.pk)})
    assert done.status_code == 302
    case = Case.objects.exclude(pk=known.pk).get(child=child)
    assert case.request.received_on == received
    assert case.documents.count() == 1
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 200


def test_uploads_are_rate_limited(parent, officer, settings):
    settings.SENDCASE_PORTAL_UPLOADS_PER_HOUR = 2
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    CaseLink.objects.create(
        case=case, person=parent, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    client = portal_login(Client(), parent)
    url = f"/portal/cases/{case.pk}/documents/"
    for _ in range(2):
        assert client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 302
    refused = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert refused.status_code == 400 and "too many files" in refused.content.decode()
    assert case.documents.count() == 2


@pytest.fixture
def draft_case(officer, parent):
    case = build_case(stage="draft", officer=officer, weeks_ago=4)
    CaseLink.objects.create(
        case=case, person=parent, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    return case


def test_a_parent_comments_on_the_draft_and_the_officer_sees_it_beside_the_section(
    draft_case, parent, officer, client_for_staff
):
    client = portal_login(Client(), parent)
    url = f"/portal/cases/{draft_case.pk}/draft/"
    page = client.get(url).content.decode()
    window = draft_case.deadlines.get(key="draft_comments_window").due
    assert window.strftime("%Y") in page and "Section F" in page
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Enter a comment" in empty.content.decode()
    sent = client.post(
        url,
        {
            "section_F": "Speech therapy should be weekly.",
            "setting": "Hill School, near home",
            "meeting": "Yes please, after school.",
        },
    )
    assert sent.status_code == 302
    assert DraftComment.objects.filter(case=draft_case).count() == 3
    version = DraftComment.objects.first().plan_version
    staff_page = (
        client_for_staff(officer)
        .get(f"/cases/{draft_case.pk}/plan/{version.number}/")
        .content.decode()
    )
    assert "Speech therapy should be weekly." in staff_page
    assert "Hill School, near home" in staff_page and "after school" in staff_page


def test_no_comments_once_the_window_has_closed(officer, parent):
    case = build_case(stage="draft", officer=officer, weeks_ago=20)
    CaseLink.objects.create(
        case=case, person=parent, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    client = portal_login(Client(), parent)
    url = f"/portal/cases/{case.pk}/draft/"
    assert "no draft plan open" in client.get(url).content.decode()
    client.post(url, {"section_F": "Late"})
    assert not DraftComment.objects.exists()


def test_messages_wait_in_the_queue_until_the_officer_replies(
    draft_case, parent, officer, client_for_staff, django_capture_on_commit_callbacks
):
    client = portal_login(Client(), parent)
    url = f"/portal/cases/{draft_case.pk}/messages/"
    assert client.post(url, {"body": ""}).status_code == 400
    client.post(url, {"body": "When is the meeting?"})
    CaseMessage.objects.update(sent_at=timezone.now() - dt.timedelta(days=3))
    staff = client_for_staff(officer)
    queue = staff.get("/cases/").content.decode()
    assert "waiting for an answer" in queue and "waiting 3 days" in queue
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/online-access/cases/{draft_case.pk}/messages/", {"body": "On Friday."})
    assert "waiting 3 days" not in staff.get("/cases/").content.decode()
    assert "On Friday." in client.get(url).content.decode()
    told = NotifyMessage.objects.get(recipient=parent.email, reference__endswith="portal-reply")
    assert told.personalisation["what_to_do"] and told.personalisation["link"].endswith(url)


def test_every_change_and_view_is_audited_with_who(draft_case, parent):
    client = portal_login(Client(), parent)
    client.get(f"/portal/cases/{draft_case.pk}/messages/")
    client.post(f"/portal/cases/{draft_case.pk}/messages/", {"body": "Hello"})
    client.post(
        f"/portal/cases/{draft_case.pk}/views/", {"kind": "section_a", "text": "Robin loves trains"}
    )
    entries = AuditEntry.objects.filter(case=draft_case, payload__external_person=parent.pk)
    summaries = " | ".join(entries.values_list("summary", flat=True))
    assert "Read their messages" in summaries and "Sent the case officer a message" in summaries
    assert "views for section a" in summaries.lower()


def test_letters_to_the_family_and_the_decision_reach_the_portal(requested_case, officer, parent):
    from sendcase.casework.models import FamilyContact

    case = requested_case
    other = {"name": "Other Parent", "relationship": "Father", "email": "other@example.org"}
    FamilyContact.objects.create(child=case.child, parental_responsibility=True, **other)
    CaseLink.objects.create(
        case=case, person=parent, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    from sendcase.casework.domain.assessment import record_decision_to_assess

    record_decision_to_assess(
        case, decided_on=timezone.localdate(), outcome="assess", actor=officer
    )
    client = portal_login(Client(), parent)
    page = client.get(f"/portal/cases/{case.pk}/documents/").content.decode()
    mine = case.correspondence.get(address="pat@example.org")
    theirs = case.correspondence.get(address="other@example.org")
    assert f"/letters/{mine.pk}/" in page and f"/letters/{theirs.pk}/" not in page
    assert client.get(f"/portal/cases/{case.pk}/letters/{mine.pk}/").status_code == 200
    assert client.get(f"/portal/cases/{case.pk}/letters/{theirs.pk}/").status_code == 404


def test_a_parent_chooses_text_messages_and_the_officer_sees_what_was_sent(
    draft_case, parent, officer, client_for_staff, django_capture_on_commit_callbacks
):
    client = portal_login(Client(), parent)
    refused = client.post("/portal/contact/", {"preferred_channel": "sms", "phone": ""})
    assert refused.status_code == 400 and "Enter a mobile phone number" in refused.content.decode()
    client.post("/portal/contact/", {"preferred_channel": "sms", "phone": "07700 900123"})
    parent.refresh_from_db()
    assert parent.preferred_channel == "sms" and parent.phone
    client.post(
        f"/portal/cases/{draft_case.pk}/views/", {"kind": "review", "text": "Robin wants to swim"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/cases/{draft_case.pk}/draft/", {"section_A": "Add swimming"})
    sent = NotifyMessage.objects.get(case=draft_case, reference__endswith="draft_comments_received")
    assert sent.channel == "sms"
    page = client_for_staff(officer).get(f"/online-access/cases/{draft_case.pk}/messages/")
    text = page.content.decode()
    assert "Robin wants to swim" in text and "received your comments on the draft" in text


def test_the_views_page_gives_the_annual_review_date(officer, parent):
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    CaseLink.objects.create(
        case=case, person=parent, relationship=Relationship.YOUNG_PERSON, via=CaseLink.Via.COUNCIL
    )
    from sendcase.statutory.dates import format_date

    due = case.deadlines.get(key="annual_review_meeting").due
    page = portal_login(Client(), parent).get(f"/portal/cases/{case.pk}/views/")
    assert f"must take place by {format_date(due)}" in page.content.decode()


def test_one_person_cannot_open_case_after_case(parent, monkeypatch):
    monkeypatch.setattr(fa, "ASKS_PER_DAY", 1)
    client = portal_login(Client(), parent)
    assert _ask(client).status_code == 200
    again = _ask(client, surname="Another")
    assert again.status_code == 400 and "too many requests today" in again.content.decode()
    assert AssessmentAsk.objects.count() == 1


def test_the_draft_while_open_and_the_final_plan_download_as_pdf(officer, parent, draft_case):
    client = portal_login(Client(), parent)
    draft = draft_case.plan.versions.get(kind="draft")
    got = client.get(f"/portal/cases/{draft_case.pk}/plans/{draft.number}.pdf")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    closed = build_case(stage="plan", officer=officer, weeks_ago=30)
    CaseLink.objects.create(
        case=closed, person=parent, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    versions = {v.kind: v.number for v in closed.plan.versions.all()}
    base = f"/portal/cases/{closed.pk}/plans/"
    assert client.get(f"{base}{versions['final']}.pdf").status_code == 200
    assert client.get(f"{base}{versions['draft']}.pdf").status_code == 404  # window over
    assert (
        f"{base}{versions['final']}.pdf"
        in client.get(f"/portal/cases/{closed.pk}/documents/").content.decode()
    )


def test_a_young_person_who_asks_in_their_own_right_gets_the_letters(officer):
    """A young person aged 16 to 25 asks online: the letters are theirs as well as their
    parents'; a parent's address withheld for safeguarding still reaches nobody but them."""
    from io import BytesIO

    from pypdf import PdfReader

    from sendcase.casework.domain.assessment import record_decision_to_assess
    from sendcase.casework.models import FamilyContact

    young = ExternalPerson.objects.create(
        issuer="https://one-login.test", subject="yp", name="Jo Young", email="jo@example.org"
    )
    today = timezone.localdate()
    fa.ask_for_assessment(
        young,
        relationship=Relationship.YOUNG_PERSON,
        forename="Jo",
        surname="Young",
        date_of_birth=today.replace(year=today.year - 17, day=1),
        why="I need help at college",
        consent=True,
    )
    case = Case.objects.get(child__surname="Young")
    assert case.request.young_person_request
    FamilyContact.objects.create(
        child=case.child,
        name="Sam Parent",
        relationship="Mother",
        parental_responsibility=True,
        address="1 Hidden Lane\nSafetown",
        postcode="ZZ1 1ZZ",
        withhold_address=True,
        preferred_contact=FamilyContact.ContactMethod.LETTER,
    )
    record_decision_to_assess(case, decided_on=today, outcome="assess", actor=officer)
    letters = case.correspondence.filter(letter="decision_to_assess")
    mine = letters.get(recipient="Jo Young")
    assert mine.address == "jo@example.org" and mine.channel == "email"
    parents = letters.get(recipient="Sam Parent")
    assert "1 Hidden Lane" in parents.address
    with mine.document.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(fh.read())).pages)
    assert "Jo Young" in text and "Hidden Lane" not in text and "ZZ1" not in text
    # The young person finds their letter in the portal.
    client = portal_login(Client(), young)
    assert f"/letters/{mine.pk}/" in client.get(f"/portal/cases/{case.pk}/documents/").text
