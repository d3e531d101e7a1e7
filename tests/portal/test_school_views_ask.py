"""A school or college asks for an EHC needs assessment for a pupil (issue 14, item 3): the
request opens a case dated the day received with the setting as its source (SEN2 code 2), the
family the school named is the case's contact, the SENCO is linked; only a member of a setting
can ask as one, and bad input is refused with nothing written."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sendcase.casework.models import Case, StatutoryEvent
from sendcase.core.codes import RequestSource
from sendcase.portal.models import AssessmentAsk, CaseLink, Relationship
from sendcase.portal.testing import portal_login
from sendcase.portal.work_testing import build_work

ASK = {
    "forename": "Sky",
    "surname": "Pupilasked",
    "date_of_birth_day": "9",
    "date_of_birth_month": "10",
    "date_of_birth_year": "2015",
    "why": "Sky's reading is years behind despite two years of support.",
    "parent_name": "Sam Pupilasked",
    "parent_email": "sam@example.org",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def receiving_team(settings, team):
    settings.SENDCASE_PORTAL_REQUEST_TEAM = team.name


def test_a_senco_asks_for_a_pupil_and_the_clock_starts_that_day(officer):
    w = build_work(officer)
    senco = w.people["senco"]
    client = portal_login(Client(), senco)
    assert (
        "Ask for an EHC needs assessment for a pupil"
        in client.get("/portal/school/").content.decode()
    )
    assert client.get("/portal/school/ask/").status_code == 200
    response = client.post("/portal/school/ask/", ASK)
    assert response.status_code == 200, response.content.decode()
    assert "Request sent" in response.content.decode()
    case = Case.objects.get(child__surname="Pupilasked")
    today = timezone.localdate()
    assert case.request.received_on == today
    assert case.request.source == RequestSource.EDUCATION_SETTING
    assert w.school.name in case.request.requester_name
    assert StatutoryEvent.objects.filter(case=case, type="request_received", date=today).exists()
    assert case.deadlines.get(key="decision_to_assess").due is not None
    contact = case.child.contacts.get()
    assert (contact.name, contact.email) == ("Sam Pupilasked", "sam@example.org")
    link = CaseLink.objects.get(case=case, person=senco)
    assert link.relationship == Relationship.SETTING and link.via == CaseLink.Via.ASSESSMENT


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"parent_name": ""}, "Enter the name of the parent"),
        ({"consent": ""}, "Confirm that the family knows of this request"),
        ({"parent_email": "not an email"}, "Enter their email address in the correct format"),
        ({"date_of_birth_month": "13"}, "date of birth"),
    ],
)
def test_bad_input_is_refused_in_plain_words_with_nothing_written(officer, change, says):
    w = build_work(officer)
    client = portal_login(Client(), w.people["senco"])
    response = client.post("/portal/school/ask/", {**ASK, **change})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not AssessmentAsk.objects.exists()
    assert not Case.objects.filter(child__surname="Pupilasked").exists()


@pytest.mark.parametrize("who", ["parent", "psychologist", "manager", "unlinked"])
def test_only_a_member_of_a_school_or_college_can_ask_as_one(officer, who):
    w = build_work(officer)
    client = portal_login(Client(), w.people[who])
    assert client.get("/portal/school/ask/").status_code == 404
    assert client.post("/portal/school/ask/", ASK).status_code == 404
    assert not AssessmentAsk.objects.exists()
