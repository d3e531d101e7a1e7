"""Who gets in: every casework and accounts URL, every role, and people who must be refused."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sendcase.accounts.models import Role, User
from sendcase.accounts.testing import verified_login
from sendcase.casework.access import cases_for_user, children_for_user
from sendcase.casework.domain.phase_and_cease import consider_ceasing, record_cease_consultation
from sendcase.casework.domain.plan_editor import start_working_copy
from sendcase.casework.domain.reviews import record_review_invitations_sent
from sendcase.casework.domain.tasks import add_task
from sendcase.casework.models import Case, Child
from sendcase.casework.scenarios import build_case, phone_call
from sendcase.documents.actions import send_letter, upload_document

PEOPLE = (
    "officer",
    "teammate",
    "manager",
    "head",
    "admin_user",
    "data",
    "finance",
    "outsider",
    "anonymous",
)

# Expected GET status for each URL name, in the order of PEOPLE.
#                      officer teammate manager head admin data finance outsider anonymous
EXPECTED = {
    "casework:queue": (200, 200, 200, 200, 200, 200, 200, 200, 302),
    "casework:caseloads": (404, 404, 200, 200, 200, 404, 404, 404, 302),
    "casework:bulk_reassign": (405, 405, 405, 405, 405, 405, 405, 405, 302),
    "casework:queue_export": (200, 200, 200, 200, 200, 200, 404, 200, 302),
    # Everyone with case records may search (within what they may see: tests/casework/test_search.py).
    "casework:search": (200, 200, 200, 200, 200, 200, 404, 200, 302),
    "casework:new_request": (200, 200, 200, 404, 200, 404, 404, 200, 302),
    "casework:transfer_in": (200, 200, 200, 404, 200, 404, 404, 200, 302),
    "casework:case": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:audit": (404, 404, 200, 200, 200, 404, 404, 404, 302),
    "casework:reassign": (404, 404, 200, 200, 200, 404, 404, 404, 302),
    "casework:move_team": (404, 404, 404, 200, 200, 404, 404, 404, 302),
    "casework:contact_new": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:task_new": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:task_done": (405, 405, 405, 405, 405, 405, 405, 405, 302),
    "casework:child_details": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:contact_response": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:family_new": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:family_edit": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:family_end": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:plan_compare": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:plan_version": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:step": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    # Letters, correspondence and documents: read by those who may read the case, written by
    # those who may change it; the letters' wording by the head of service and administrators.
    "casework:plan_file": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:correspondence": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:letter_new": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:correspondence_file": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:documents": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:document_file": (200, 200, 200, 200, 200, 200, 404, 404, 302),
    "casework:letters": (404, 404, 404, 200, 200, 404, 404, 404, 302),
    "casework:letter_wording": (404, 404, 404, 200, 200, 404, 404, 404, 302),
    # Whoever recorded the step (the officer here), or a manager: team manager, head of service;
    # others who may change the case are refused (403), those who may not get 404.
    "casework:correct_step": (200, 403, 200, 200, 403, 404, 404, 404, 302),
    "casework:strike_out_step": (200, 403, 200, 200, 403, 404, 404, 404, 302),
    "casework:ceasing_step": (200, 403, 200, 200, 403, 404, 404, 404, 302),
    # The case has a plan: those who may write are sent back to it with a message.
    "casework:withdraw_request": (302, 302, 302, 404, 302, 404, 404, 404, 302),
    "casework:close_case": (302, 302, 302, 404, 302, 404, 404, 404, 302),
    # The plan editor writes to the case: the people who may change it.
    "casework:plan_editor": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:plan_section": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:plan_row_new": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:plan_row": (200, 200, 200, 404, 200, 404, 404, 404, 302),
    "casework:plan_row_remove": (405, 405, 405, 405, 405, 405, 405, 405, 302),
    "accounts:login": (302, 302, 302, 302, 302, 302, 302, 302, 200),
    # Single sign-on is off unless SENDCASE_SSO_DISCOVERY_URL is set (tests/accounts/test_sso.py).
    "accounts:sso": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "accounts:sso_callback": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "accounts:logout": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "accounts:verify": (200, 200, 200, 200, 200, 200, 200, 200, 302),
    "accounts:skip": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:recovery": (200, 200, 200, 200, 200, 200, 200, 200, 302),
    # Already set up (verified_login confirms a device): on to the security code.
    "accounts:enrol": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    # Recovery codes are shown once, straight after setting up; otherwise on to `next`.
    "accounts:recovery_codes": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:session_status": (200, 200, 200, 200, 200, 200, 200, 200, 401),
    "accounts:keep_alive": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "accounts:timed_out": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_sent": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A made-up link: "This link does not work".
    "accounts:password_reset_confirm": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200, 200),
}
WRITES = (
    "casework:reassign",
    "casework:bulk_reassign",
    "casework:move_team",
    "casework:child_details",
    "casework:contact_new",
    "casework:contact_response",
    "casework:family_new",
    "casework:family_edit",
    "casework:family_end",
    "casework:task_new",
    "casework:task_done",
    "casework:step",
    "casework:letter_new",
    "casework:documents",
    "casework:correct_step",
    "casework:strike_out_step",
    "casework:ceasing_step",
    "casework:withdraw_request",
    "casework:close_case",
    "casework:plan_editor",
    "casework:plan_section",
    "casework:plan_row_new",
    "casework:plan_row",
    "casework:plan_row_remove",
    "casework:new_request",
    "casework:transfer_in",
)


def _names(namespace: str) -> list[tuple[str, list[str]]]:
    """Every URL name in a namespace, with its argument names, from the resolver."""
    resolver = next(
        r
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and r.namespace == namespace
    )
    out = []
    for p in resolver.url_patterns:
        assert isinstance(p, URLPattern)
        out.append((f"{namespace}:{p.name}", list(p.pattern.regex.groupindex)))
    return out


@pytest.fixture
def world(officer, teammate, manager, head, admin_user, outsider, team):
    people = {
        "officer": officer,
        "teammate": teammate,
        "manager": manager,
        "head": head,
        "admin_user": admin_user,
        "outsider": outsider,
        "data": User.objects.create_user("data", password="x", role=Role.DATA_OFFICER),
        "finance": User.objects.create_user("finance", password="x", role=Role.FINANCE_OFFICER),
    }
    case = build_case(stage="plan", officer=officer, weeks_ago=40)  # draft and final: two versions
    entry = phone_call(case, officer)
    add_task(case, title="Call the parent", due_on=timezone.localdate(), actor=officer)
    send_letter(case, "final_plan", on=case.plan.first_issued_on, actor=officer, notify=True)
    upload_document(
        case,
        upload=SimpleUploadedFile("advice.pdf", b"%PDF-1.4 advice"),
        kind="advice",
        title="Advice",
        actor=officer,
    )
    sent = case.plan.first_issued_on + dt.timedelta(days=1)
    record_review_invitations_sent(case, sent_on=sent, actor=officer)
    start_working_copy(case, actor=officer)  # the plan editor has a plan to show
    consider_ceasing(case, considered_on=sent, reason=2, grounds="Needs met", actor=officer)
    record_cease_consultation(
        case, party="family", consulted_on=sent, views="Agrees", actor=officer
    )
    case.refresh_from_db()
    return people, case, entry


def _client(people, who):
    if who == "anonymous":
        return Client()
    return verified_login(Client(), people[who])


def _url(name, args, case, entry):
    values = {
        "pk": case.pk,
        "slug": "review-meeting",
        "number": 1,
        "entry_id": entry.pk,
        "uidb64": "MQ",
        "token": "not-a-token",
        "task_id": case.tasks.get().pk,
        "fmt": "pdf",
        "letter_id": case.correspondence.first().pk,
        "part": "letter",
        "doc_id": case.documents.get().pk,
        "key": "final_plan",
        "contact_id": case.child.contacts.get().pk,
        "event_id": case.events.get(type="review_invitations_sent").pk,
        "ceasing_id": case.ceasings.get().pk,
        "step": "family_consulted",
        "what": "correct",
        "index": 0,
    }
    if name.startswith("casework:plan_"):  # the plan editor's key is a section of the plan
        values["key"] = "B"
    return reverse(name, kwargs={a: values[a] for a in args})


def test_every_url_is_in_the_table():
    walked = {name for ns in ("casework", "accounts") for name, _ in _names(ns)}
    assert walked == set(EXPECTED)


def test_who_gets_in(world):
    people, case, entry = world
    seen = {}
    for ns in ("casework", "accounts"):
        for name, args in _names(ns):
            url = _url(name, args, case, entry)
            for who in PEOPLE:
                seen[(name, who)] = _client(people, who).get(url).status_code
    wrong = {
        (name, who): (seen[(name, who)], EXPECTED[name][i])
        for name in EXPECTED
        for i, who in enumerate(PEOPLE)
        if seen[(name, who)] != EXPECTED[name][i]
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("name", "who"),
    [
        (n, w)
        for n, w in itertools.product(WRITES, ("head", "data", "finance", "outsider"))
        # an officer of another team may open new cases, just not touch this one
        if not (w == "outsider" and n in ("casework:new_request", "casework:transfer_in"))
        # the head of service reassigns and moves cases between teams (no statutory step)
        and not (
            w == "head"
            and n
            in (
                "casework:reassign",
                "casework:bulk_reassign",
                "casework:move_team",
                # a manager may correct any step
                "casework:correct_step",
                "casework:strike_out_step",
                "casework:ceasing_step",
            )
        )
    ],
)
def test_read_only_and_outsiders_cannot_write(world, name, who):
    people, case, entry = world
    args = [a for n, a in _names("casework") if n == name][0]
    version = case.version
    response = _client(people, who).post(_url(name, args, case, entry), {"version": version})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).version == version


def test_sql_scope_agrees_with_the_predicates(world, other_team):
    people, case, _ = world
    cases = [
        case,
        build_case(stage="requested", officer=people["teammate"], weeks_ago=1),
        build_case(stage="requested", officer=people["outsider"], weeks_ago=1),
        Case.objects.create(
            reference="X-1", child=case.child, opened_on=case.opened_on, stage="withdrawn"
        ),
    ]
    for who, user in people.items():
        for c in cases:
            for write, perm in ((False, "casework.view_case"), (True, "casework.change_case")):
                in_scope = cases_for_user(user, write=write).filter(pk=c.pk).exists()
                assert in_scope == user.has_perm(perm, c), (who, c.reference, perm)


def test_child_scope_sql_agrees_with_the_predicates(world, other_team):
    people, case, _ = world
    theirs = build_case(stage="requested", officer=people["outsider"], weeks_ago=1)
    caseless = Child.objects.create(
        forename="No", surname="Case", date_of_birth=dt.date(2016, 5, 1), sex="F"
    )
    children = [case.child, theirs.child, caseless]
    for who, user in people.items():
        for child in children:
            for attach, perm in ((False, "casework.view_child"), (True, "casework.attach_child")):
                in_scope = children_for_user(user, attach=attach).filter(pk=child.pk).exists()
                assert in_scope == user.has_perm(perm, child), (who, child.surname, perm)
    # The officer sees their own child and the caseless one, never the other team's.
    officer_sees = set(children_for_user(people["officer"]).values_list("pk", flat=True))
    assert officer_sees == {case.child.pk, caseless.pk}
    # A team manager may attach any child; their reading scope stays their team's.
    manager = people["manager"]
    assert children_for_user(manager, attach=True).filter(pk=theirs.child.pk).exists()
    assert not children_for_user(manager).filter(pk=theirs.child.pk).exists()


def test_search_answers_within_each_persons_scope(world, other_team):
    """The access matrix for search: for every person, a child is named in the results exactly
    when they may see a case of the child; otherwise at most "the council knows this child"."""
    from sendcase.casework.search import KNOWN_ELSEWHERE

    people, case, entry = world
    theirs = build_case(stage="requested", officer=people["outsider"], weeks_ago=1)
    Child.objects.filter(pk=case.child_id).update(nhs_number="9434765919")
    Child.objects.filter(pk=theirs.child_id).update(nhs_number="4857773457")
    url = reverse("casework:search")
    for who in PEOPLE:
        client = _client(people, who)
        for c in (case, theirs):
            child = Child.objects.get(pk=c.child_id)
            response = client.get(url, {"q": child.nhs_number})
            if who == "anonymous":
                assert response.status_code == 302
                continue
            if EXPECTED["casework:search"][PEOPLE.index(who)] == 404:
                assert response.status_code == 404, who
                continue
            body = response.content.decode()
            named = f'data-child="{child.pk}"' in body
            assert named == people[who].has_perm("casework.view_case", c), (who, c.reference)
            if not named:
                assert reverse("casework:case", args=[c.pk]) not in body
                assert KNOWN_ELSEWHERE.split(".")[0] in body, (who, c.reference)
