"""The access matrix for people outside the council: a parent, a young person, a school's SENCO,
an educational psychologist, and a signed-in person linked to nothing. Every staff URL answers
them exactly as it answers someone not signed in; in the portal, each sees only the cases they
are linked to, and everything else is a 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sendcase.casework.scenarios import build_case
from sendcase.placements.models import Setting
from sendcase.portal import actions
from sendcase.portal.models import ExternalPerson, Membership, Organisation, Relationship
from sendcase.portal.testing import portal_login

EXTERNAL = ("parent", "young_person", "senco", "psychologist", "unlinked")
# Which of the two cases each may see in the portal.
SEES = {
    "parent": {"a"},
    "young_person": {"b"},
    "senco": {"a"},
    "psychologist": {"b"},
    "unlinked": set(),
}


@pytest.fixture
def world(officer):
    a = build_case(stage="assessing", officer=officer, weeks_ago=3)
    b = build_case(stage="plan", officer=officer, weeks_ago=40)
    people = {
        name: ExternalPerson.objects.create(
            issuer="https://one-login.test", subject=name, name=name
        )
        for name in EXTERNAL
    }
    school = Organisation.objects.create(
        name="Hill School",
        kind=Organisation.Kind.SETTING,
        setting=Setting.objects.create(name="Hill School", kind="academy", phase="primary"),
    )
    eps = Organisation.objects.create(name="EP service", kind=Organisation.Kind.EP_SERVICE)
    senco = actions.add_member(
        school, people["senco"], role=Membership.Role.ADMINISTRATOR, actor=officer
    )
    psychologist = actions.add_member(
        eps, people["psychologist"], role=Membership.Role.MEMBER, actor=officer
    )
    actions.link_member_to_case(senco, a, relationship=Relationship.SETTING, actor=officer)
    actions.link_member_to_case(
        psychologist, b, relationship=Relationship.PROFESSIONAL, actor=officer
    )
    from sendcase.portal.models import CaseLink

    for name, case, relationship in (
        ("parent", a, Relationship.PARENT_CARER),
        ("young_person", b, Relationship.YOUNG_PERSON),
    ):
        CaseLink.objects.create(
            case=case, person=people[name], relationship=relationship, via=CaseLink.Via.COUNCIL
        )
    return people, {"a": a, "b": b}


def _staff_urls(case_pk: int) -> list[str]:
    """Every staff URL in the project (all but the portal's own), with its arguments filled."""
    urls: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "portal":
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = str(p.pattern)
                if route.startswith("^"):  # the admin's regex patterns
                    route = route.strip("^$").replace("(?P<", "<").replace(">[^/]+)", ">")
                for name in p.pattern.regex.groupindex:
                    for conv in ("int", "str", "path", "slug", "uuid"):
                        route = route.replace(f"<{conv}:{name}>", str(case_pk))
                    route = route.replace(f"<{name}>", str(case_pk))
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(u for u in urls if "<" not in u and "(" not in u))


def test_every_staff_url_treats_an_external_person_as_not_signed_in(world):
    people, cases = world
    urls = _staff_urls(cases["a"].pk)
    assert any(u.startswith("/cases/") for u in urls) and any(u.startswith("/admin/") for u in urls)
    anonymous = Client()
    expected = {url: anonymous.get(url).status_code for url in urls}
    for name in EXTERNAL:
        client = portal_login(Client(), people[name])
        wrong = {
            url: (code, expected[url])
            for url in urls
            if (code := client.get(url).status_code) != expected[url]
        }
        assert wrong == {}, name
    # And what an anonymous visitor gets from a staff page is never the page itself.
    assert expected["/cases/"] == 302 and expected[f"/cases/{cases['a'].pk}/"] == 302


@pytest.mark.parametrize("who", EXTERNAL)
def test_each_external_person_sees_only_their_cases(world, who):
    people, cases = world
    client = portal_login(Client(), people[who])
    for key, case in cases.items():
        status = client.get(f"/portal/cases/{case.pk}/").status_code
        assert status == (200 if key in SEES[who] else 404), (who, key)
    listing = client.get("/portal/cases/").content.decode()
    for key, case in cases.items():
        assert (case.child.full_name in listing) == (key in SEES[who])
    assert client.get("/portal/cases/999999/").status_code == 404


def test_the_portal_without_a_session_sends_people_to_sign_in(world):
    _, cases = world
    for url in ("/portal/cases/", f"/portal/cases/{cases['a'].pk}/", "/portal/link/"):
        assert Client().get(url)["Location"] == "/portal/"


def test_an_organisations_administrator_manages_its_people(world, officer):
    people, cases = world
    senco = Membership.objects.get(person=people["senco"])
    colleague = ExternalPerson.objects.create(issuer="i", subject="colleague", name="Colleague")
    added = actions.add_member(senco.organisation, colleague, role="member", by=senco)
    with pytest.raises(actions.PortalError):
        actions.add_member(senco.organisation, people["unlinked"], role="member", by=added)
    with pytest.raises(actions.PortalError):  # nor someone else's organisation
        eps = Membership.objects.get(person=people["psychologist"])
        actions.add_member(eps.organisation, colleague, role="member", by=senco)
    # Removing the SENCO ends their reach into the school's cases.
    actions.end_membership(senco, by=senco)
    client = portal_login(Client(), people["senco"])
    assert client.get(f"/portal/cases/{cases['a'].pk}/").status_code == 404


def test_a_request_to_link_is_decided_by_an_officer(world, officer, client_for_staff):
    people, cases = world
    person = people["unlinked"]
    client = portal_login(Client(), person)
    sent = client.post(
        "/portal/link/request/",
        {
            "relationship": "parent_carer",
            "child_name": cases["b"].child.full_name,
            "child_date_of_birth_day": "1",
            "child_date_of_birth_month": "2",
            "child_date_of_birth_year": "2015",
        },
    )
    assert "Request sent" in sent.content.decode()
    assert client.get(f"/portal/cases/{cases['b'].pk}/").status_code == 404
    staff = client_for_staff(officer)
    request_pk = person.requests.get().pk
    assert person.name in staff.get("/online-access/requests/").content.decode()
    staff.post(f"/online-access/requests/{request_pk}/", {"case_reference": cases["b"].reference})
    assert client.get(f"/portal/cases/{cases['b'].pk}/").status_code == 200


def test_the_case_page_offers_the_invitation_to_those_who_may_change_it(
    world, officer, head, client_for_staff
):
    _, cases = world
    url = f"/online-access/cases/{cases['a'].pk}/invite/"
    assert url in client_for_staff(officer).get(f"/cases/{cases['a'].pk}/").content.decode()
    assert url not in client_for_staff(head).get(f"/cases/{cases['a'].pk}/").content.decode()
    assert client_for_staff(head).get(url).status_code == 404
    assert client_for_staff(officer).get(url).status_code == 200


def test_a_school_administrator_invites_and_removes_a_colleague(
    world, django_capture_on_commit_callbacks
):
    from sendcase.core.models import NotifyMessage
    from sendcase.portal.models import LinkCode

    people, cases = world
    school = Membership.objects.get(person=people["senco"]).organisation
    admin = portal_login(Client(), people["senco"])
    page = f"/portal/organisations/{school.pk}/"
    assert admin.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            page, {"name": "Robin Teacher", "email": "robin@school.example", "role": "member"}
        )
    message = NotifyMessage.objects.get(recipient="robin@school.example")
    assert message.personalisation["organisation"] == school.name
    colleague = ExternalPerson.objects.create(issuer="i", subject="robin", name="Robin Teacher")
    robin = portal_login(Client(), colleague)
    joined = robin.post("/portal/link/", {"code": message.personalisation["code"]})
    assert joined["Location"] == page
    assert "Robin Teacher" in robin.get(page).content.decode()
    # A member cannot invite; someone outside the school cannot see its page.
    robin.post(page, {"name": "X", "email": "x@example.org", "role": "administrator"})
    assert LinkCode.objects.filter(organisation=school).count() == 1
    assert portal_login(Client(), people["parent"]).get(page).status_code == 404
    # The administrator removes Robin.
    membership = Membership.objects.get(person=colleague)
    admin.post(f"{page}people/{membership.pk}/remove/")
    assert robin.get(page).status_code == 404


def test_the_cases_page_costs_the_same_queries_for_one_case_or_three(officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sendcase.portal.models import CaseLink

    def queries(n: int) -> int:
        person = ExternalPerson.objects.create(issuer="i", subject=f"p{n}", name="P")
        for _ in range(n):
            CaseLink.objects.create(
                case=build_case(stage="assessing", officer=officer, weeks_ago=3),
                person=person,
                relationship=Relationship.PARENT_CARER,
                via=CaseLink.Via.COUNCIL,
            )
        client = portal_login(Client(), person)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portal/cases/").status_code == 200
        return len(captured)

    assert queries(1) == queries(3)


# --- The family's pages (portal/family_views.py) ----------------------------------------------

FAMILY_PAGES = ("draft/", "views/", "documents/", "rights/", "messages/")
FAMILY_SEES = {"parent": {"a"}, "young_person": {"b"}}  # schools and professionals: none


@pytest.mark.parametrize("who", EXTERNAL)
def test_the_family_pages_are_for_the_linked_family_only(world, who):
    people, cases = world
    client = portal_login(Client(), people[who])
    for key, case in cases.items():
        for page in FAMILY_PAGES:
            status = client.get(f"/portal/cases/{case.pk}/{page}").status_code
            assert status == (200 if key in FAMILY_SEES.get(who, set()) else 404), (who, key, page)
            # Nor can they change anything there.
            if status == 404:
                assert client.post(f"/portal/cases/{case.pk}/{page}", {}).status_code == 404
        for url in ("letters/1/", "documents/1/", "plans/1.pdf"):
            assert client.get(f"/portal/cases/{case.pk}/{url}").status_code == 404
    # Anyone signed in may ask for an assessment: it reaches no case until the council opens one.
    assert client.get("/portal/ask/").status_code == 200
    assert client.get("/portal/contact/").status_code == 200


def test_the_family_pages_refuse_staff_and_send_strangers_to_sign_in(world, officer):
    from sendcase.accounts.testing import verified_login

    _, cases = world
    pages = ["/portal/ask/", "/portal/contact/"] + [
        f"/portal/cases/{cases['a'].pk}/{p}" for p in FAMILY_PAGES
    ]
    staff = verified_login(Client(), officer)
    for url in pages:
        assert staff.get(url).status_code == 403, url
        assert Client().get(url)["Location"] == "/portal/", url


@pytest.mark.parametrize(("who", "status"), [("officer", 200), ("head", 200), ("outsider", 404)])
def test_the_officers_family_pages_follow_the_case_rules(world, who, status, request):
    from sendcase.accounts.testing import verified_login

    _, cases = world
    user = request.getfixturevalue(who)
    client = verified_login(Client(), user)
    assert client.get(f"/online-access/cases/{cases['a'].pk}/messages/").status_code == status
    asks = client.get("/online-access/assessment-requests/").status_code
    assert asks == (200 if user.has_perm("casework.add_case") else 404)
