"""A held online request added to the matched child's existing case (family_actions.
attach_checked_ask, /online-access/assessment-requests/<pk>/attach/): to an open case as
correspondence (documents, link, contact, the family told), to a closed case as a new request
(the child's next case opens, dated the day received); refused without the officer's check of
who asked; and who may reach the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sendcase.accounts.testing import verified_login
from sendcase.casework.models import Case, ContactLogEntry
from sendcase.casework.scenarios import build_case
from sendcase.core import notify
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.portal import family_actions as fa
from sendcase.portal.models import AssessmentAsk, CaseLink, ExternalPerson, Relationship
from sendcase.portal.testing import portal_login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def receiving_team(settings, team):
    settings.SENDCASE_PORTAL_REQUEST_TEAM = team.name


@pytest.fixture
def parent(db):
    return ExternalPerson.objects.create(
        issuer="https://one-login.test", subject="p", name="Pat Parent", email="pat@example.org"
    )


def _held(person, case, *, days_ago=2):
    child = case.child
    ask = fa.ask_for_assessment(
        person,
        relationship=Relationship.PARENT_CARER,
        forename=child.forename,
        surname=child.surname,
        date_of_birth=child.date_of_birth,
        why="Robin cannot read yet.",
        consent=True,
        has_parental_responsibility=True,
        uploads=[SimpleUploadedFile("report.pdf", PDF, "application/pdf")],
        today=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    assert ask.status == AssessmentAsk.Status.CHECK
    return ask


def _url(ask):
    return f"/online-access/assessment-requests/{ask.pk}/attach/"


def test_added_to_an_open_case_as_correspondence(
    officer, parent, django_capture_on_commit_callbacks
):
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    ask = _held(parent, case)
    staff = verified_login(Client(), officer)
    page = staff.get(_url(ask)).content.decode()
    assert case.reference in page and "added to it as correspondence" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(_url(ask), {"case": str(case.pk), "verified": "on"})
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.filter(child=case.child).count() == 1  # no second case, no new request
    ask.refresh_from_db()
    assert ask.status == AssessmentAsk.Status.ATTACHED and ask.case == case
    assert ask.decided_by == officer
    entry = case.contact_log.get()
    assert entry.channel == ContactLogEntry.Channel.PORTAL and entry.direction == "in"
    assert entry.at.date() == ask.received_on and entry.response_due is not None
    assert "Robin cannot read yet." in entry.summary and "Pat Parent" in entry.party
    assert case.documents.get().filename == "report.pdf"
    link = CaseLink.objects.get(case=case, person=parent)
    assert link.linked_by == officer and link.relationship == Relationship.PARENT_CARER
    contact = case.child.contacts.get(email="pat@example.org")
    assert contact.parental_responsibility is True and contact.relationship == "Parent or carer"
    assert AuditEntry.objects.filter(
        actor=officer, case=case, summary__contains="added it to case"
    ).exists()
    told = NotifyMessage.objects.get(
        recipient="pat@example.org", reference__endswith="ask_added_to_case"
    )
    assert told.template_id == notify.TEMPLATES["portal_family_message"]
    assert "already has for them" in told.personalisation["what_happened"]
    # The parent now sees the case; the request cannot be dealt with twice.
    assert portal_login(Client(), parent).get(f"/portal/cases/{case.pk}/").status_code == 200
    assert staff.get(_url(ask)).status_code == 404
    with pytest.raises(fa.PortalError):
        fa.attach_checked_ask(ask, case, actor=officer)


def test_a_closed_case_gets_a_new_request_dated_the_day_received(officer, parent):
    from sendcase.casework.domain.assessment import close_case

    closed = build_case(stage="requested", officer=officer, weeks_ago=60)
    close_case(
        closed,
        why="moved_away",
        details="Moved",
        closed_on=timezone.localdate() - dt.timedelta(weeks=50),
        actor=officer,
    )
    ask = _held(parent, closed, days_ago=4)
    staff = verified_login(Client(), officer)
    assert "recorded as a new request" in staff.get(_url(ask)).content.decode()
    done = staff.post(_url(ask), {"case": str(closed.pk), "verified": "on"})
    new = Case.objects.exclude(pk=closed.pk).get(child=closed.child)
    assert done["Location"] == f"/cases/{new.pk}/"
    assert new.request.received_on == ask.received_on
    assert new.deadlines.filter(key="decision_to_assess").exists()
    assert new.documents.count() == 1 and not closed.documents.exists()
    assert new.reference in closed.contact_log.get().summary
    ask.refresh_from_db()
    assert ask.status == AssessmentAsk.Status.OPENED and ask.case == new


def test_without_the_officers_check_nothing_is_written(officer, parent):
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    ask = _held(parent, case)
    staff = verified_login(Client(), officer)
    refused = staff.post(_url(ask), {"case": str(case.pk)})
    assert refused.status_code == 400
    assert "Confirm that you have checked who made this request" in refused.content.decode()
    nothing = staff.post(_url(ask), {"verified": "on"})
    assert "Select the case to add this request to" in nothing.content.decode()
    ask.refresh_from_db()
    assert ask.status == AssessmentAsk.Status.CHECK
    assert not case.contact_log.exists() and not case.documents.exists()
    assert not CaseLink.objects.filter(person=parent).exists()


def test_a_school_that_asked_is_linked_through_its_setting(officer):
    from sendcase.placements.models import Setting
    from sendcase.portal import actions
    from sendcase.portal.models import Organisation

    school = Organisation.objects.create(
        name="Hill School",
        kind=Organisation.Kind.SETTING,
        setting=Setting.objects.create(name="Hill School", kind="academy", phase="primary"),
    )
    senco = ExternalPerson.objects.create(
        issuer="https://one-login.test", subject="s", name="Sam Senco", email="sam@example.org"
    )
    actions.add_member(school, senco, role="administrator", actor=officer)
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    child = case.child
    ask = fa.ask_for_assessment(
        senco,
        relationship=Relationship.SETTING,
        setting=school,
        parent_name="Pat Parent",
        forename=child.forename,
        surname=child.surname,
        date_of_birth=child.date_of_birth,
        why="Needs more support",
        consent=True,
    )
    fa.attach_checked_ask(ask, case, actor=officer)
    link = CaseLink.objects.get(case=case, person=senco)
    assert link.relationship == Relationship.SETTING and link.organisation == school
    assert "Hill School" in case.contact_log.get().party
    assert not case.child.contacts.filter(email="sam@example.org").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("manager", 200), ("outsider", 200), ("head", 404), ("data_officer", 404)],
)
def test_who_may_reach_the_page(officer, parent, who, status, request):
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    ask = _held(parent, case)
    user = request.getfixturevalue(who)
    client = verified_login(Client(), user)
    assert (
        client.get(_url(ask)).status_code
        == (404 if not user.has_perm("casework.add_case") else 200)
        == status
    )
    # An officer of another team is offered no case, and cannot add it to this one.
    if who == "outsider":
        assert "has a case you can change" in client.get(_url(ask)).content.decode()
        posted = client.post(_url(ask), {"case": str(case.pk), "verified": "on"})
        assert posted.status_code == 400 and not case.contact_log.exists()


def test_the_page_refuses_people_outside_the_council_and_a_missing_request(officer, parent):
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    ask = _held(parent, case)
    # Not signed in, or signed in to the portal only: sent to the staff sign-in.
    assert Client().get(_url(ask)).status_code == 302
    assert portal_login(Client(), parent).get(_url(ask)).status_code == 302
    staff = verified_login(Client(), officer)
    assert staff.get("/online-access/assessment-requests/999999/attach/").status_code == 404
