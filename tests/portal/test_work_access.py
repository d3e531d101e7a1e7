"""The access matrix for the portal's school and professional pages: every new URL, for every
external role (a parent, a young person, a SENCO, a service manager, a psychologist given the
request, a psychologist not given it, someone linked to nothing), for a visitor not signed in and
for staff. Each sees what they were asked for; everything else is a 404 (a staff session is
refused, 403, and nobody is sent anywhere but sign-in)."""

from __future__ import annotations

import pytest
from django.test import Client

from sendcase.accounts.testing import verified_login
from sendcase.portal.testing import portal_login
from sendcase.portal.work_testing import build_work

WHO = ("parent", "young_person", "senco", "manager", "psychologist", "colleague", "unlinked")


@pytest.fixture
def world(officer):
    return build_work(officer)


def _urls(w) -> dict[str, str]:
    a, s = w.assignment.pk, w.service.pk
    return {
        "review_meeting": f"/portal/school/reviews/{w.pupil.pk}/meeting/",
        "review_meeting_of_another_case": f"/portal/school/reviews/{w.assessing.pk}/meeting/",
        "school": "/portal/school/",
        "school_ask": "/portal/school/ask/",
        "consultation": f"/portal/school/consultations/{w.consultation.pk}/",
        "review": f"/portal/school/reviews/{w.pupil.pk}/",
        "review_of_another_case": f"/portal/school/reviews/{w.assessing.pk}/",
        "advice": "/portal/advice/",
        "advice_detail": f"/portal/advice/{a}/",
        "missed_appointment": f"/portal/advice/{a}/missed-appointment/",
        "service": f"/portal/services/{s}/advice/",
        "assign": f"/portal/services/{s}/advice/{a}/assign/",
        "school_as_service": f"/portal/services/{w.school.pk}/advice/",
        "missing_advice": "/portal/advice/999999/",
        "missing_consultation": "/portal/school/consultations/999999/",
    }


# Who gets a 200 from each URL (everyone signed in gets a 404 from the rest). The advice list
# is everyone's (empty unless something was given to them).
ALLOWED = {
    "school": {"senco"},
    "school_ask": {"senco"},
    "consultation": {"senco"},
    "review": {"senco"},
    "review_of_another_case": set(),
    "review_meeting": {"senco"},
    "review_meeting_of_another_case": set(),
    "advice": set(WHO),
    "advice_detail": {"psychologist"},
    "missed_appointment": {"psychologist"},
    "service": {"manager"},
    "assign": {"manager"},
    "school_as_service": set(),
    "missing_advice": set(),
    "missing_consultation": set(),
}


@pytest.mark.parametrize("who", WHO)
def test_each_external_role_reaches_only_what_it_was_asked_for(world, who):
    client = portal_login(Client(), world.people[who])
    for name, url in _urls(world).items():
        expected = 200 if who in ALLOWED[name] else 404
        assert client.get(url).status_code == expected, (who, name)


def test_posts_by_the_wrong_people_change_nothing(world):
    from sendcase.core.models import AuditEntry

    before = AuditEntry.objects.count()
    urls = _urls(world)
    for who in ("parent", "colleague", "unlinked", "senco"):
        client = portal_login(Client(), world.people[who])
        for name in ("advice_detail", "missed_appointment", "assign"):
            assert client.post(urls[name], {"why": "x"}).status_code == 404, (who, name)
    for who in ("parent", "psychologist", "manager"):
        client = portal_login(Client(), world.people[who])
        for name in ("consultation", "review", "review_meeting"):
            assert client.post(urls[name], {"reasons": "x"}).status_code == 404, (who, name)
    assert AuditEntry.objects.count() == before


def test_a_visitor_not_signed_in_is_sent_to_sign_in(world):
    for url in _urls(world).values():
        assert Client().get(url)["Location"] == "/portal/"


def test_staff_are_refused(world, officer, head):
    for user in (officer, head):
        client = verified_login(Client(), user)
        for url in _urls(world).values():
            assert client.get(url).status_code == 403, url


def test_a_psychologist_removed_from_the_service_loses_the_request(world):
    from sendcase.portal import actions
    from sendcase.portal.models import Membership

    manager = Membership.objects.get(person=world.people["manager"])
    mine = Membership.objects.get(person=world.people["psychologist"])
    actions.end_membership(mine, by=manager)
    client = portal_login(Client(), world.people["psychologist"])
    assert client.get(f"/portal/advice/{world.assignment.pk}/").status_code == 404
    assert world.assessing.child.full_name not in client.get("/portal/advice/").content.decode()


def test_every_view_is_audited_with_who_saw_it(world):
    from sendcase.core.models import AuditEntry

    urls = _urls(world)
    for who, names in (
        ("psychologist", ("advice", "advice_detail")),
        ("manager", ("service",)),
        ("senco", ("school", "consultation", "review", "review_meeting")),
    ):
        person = world.people[who]
        client = portal_login(Client(), person)
        for name in names:
            before = AuditEntry.objects.filter(payload__external_person=person.pk).count()
            client.get(urls[name])
            after = AuditEntry.objects.filter(payload__external_person=person.pk).count()
            assert after > before, (who, name)
