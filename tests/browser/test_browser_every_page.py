"""axe at desktop width and at 375 px, and no sideways scrolling at 375 or 320 px, on every
staff page of a small demo council, as each role.

The pages are found as a person finds them: from each role's start page, following the links
each page offers (so every id is a real one from the seeded council), and each route of the
URL conf is checked once, by the first role that reaches it (a step form once per step). The
URL conf is the list: every named route must either be checked or be listed in NOT_WALKED with
the reason, so a new page joins the walk or says why not. The failures name every page.

One browser, one signed-in context per role; a few minutes in all.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import deque
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from sendcase.accounts.models import Role, User
from sendcase.casework.domain.plan_editor import start_working_copy
from sendcase.casework.domain.reviews import record_review_invitations_sent
from sendcase.casework.scenarios import build_case, phone_call
from sendcase.demo.load import DEMO_PASSWORD
from sendcase.demo.sign_in import prepare
from sendcase.finance.costing import financial_year
from sendcase.finance.models import Band
from sendcase.information import actions as information
from sendcase.oidc_provider.directory import make_client_key
from sendcase.panels import actions as panels
from sendcase.panels.models import Kind
from sendcase.portal import actions as portal
from sendcase.portal.access import PORTAL_PERSON
from sendcase.portal.models import ExternalPerson

pytestmark = pytest.mark.browser

# The order the roles walk in: the widest view first, so that the narrower roles check only
# the pages that are theirs alone.
ROLES = (
    Role.ADMINISTRATOR,
    Role.TEAM_MANAGER,
    Role.CASE_OFFICER,
    Role.HEAD_OF_SERVICE,
    Role.FINANCE_OFFICER,
    Role.DATA_OFFICER,
    Role.INFORMATION_GOVERNANCE,
)
# Routes checked once per value of this argument (each step is its own form).
PER_ARGUMENT = {"casework:step": "slug", "information:step": "name"}
PORTAL_ISSUER = "http://127.0.0.1:9/"
# At most this many pages in all (a guard against a link that makes endless new pages).
MOST_PAGES = 400

NOT_WALKED = {
    # Not pages: answers for scripts, files and redirects.
    "health": "plain text for the load balancer",
    "favicon": "a redirect to GOV.UK's icon",
    "home": "redirects to the role's start page, which is walked",
    "accounts:session_status": "JSON for the timeout warning",
    "accounts:keep_alive": "POST only, for the timeout warning",
    "accounts:logout": "POST only",
    "accounts:sso": "a redirect to the provider (test_browser_oidc.py)",
    "accounts:sso_callback": "the provider's answer (test_browser_oidc.py)",
    "casework:queue_export": "a CSV file",
    "casework:plan_file": "a PDF or Word file (tests/documents)",
    "casework:correspondence_file": "a PDF file (tests/documents)",
    "casework:document_file": "an uploaded file",
    "casework:bulk_reassign": "POST only",
    "casework:task_done": "POST only",
    "casework:plan_row_remove": "POST only",
    "panels:agenda": "POST only (builds the agenda)",
    "reporting:committee_pdf": "a PDF file (tests/reporting)",
    "returns:export": "the SEN2 XML file",
    "finance:budget_export": "a spreadsheet",
    "information:sar_bundle": "a ZIP file",
    "inspection:chronology_pdf": "a PDF file (tests/inspection)",
    "inspection:annex_a_download": "a spreadsheet",
    "administration:staff_code": "POST only",
    "administration:staff_reset": "POST only",
    "administration:holiday_remove": "POST only",
    "retention:hold": "POST only",
    "retention:erase": "POST only",
    "portal:sign_out": "POST only",
    "portal:sign_in": "a redirect to GOV.UK One Login",
    "portal:signed_in": "GOV.UK One Login's answer (test_browser_oidc.py)",
    "portal:remove_member": "POST only",
    "reporting:summary": "a CSV, Excel or JSON file (its error page: tests/reporting)",
    "inspection:bulletin_pdf": "a PDF file (tests/inspection)",
    "portal:family_letter": "a PDF file (tests/portal/test_family_views.py)",
    "portal:family_plan": "a PDF file (tests/portal/test_family_views.py)",
    "portal:family_document": "an uploaded file (tests/portal/test_family_views.py)",
    # Pages that need work the walk's small council has not got (a request sent to a service,
    # a draft open for comments, a held online request, a panel decision): each is walked, with
    # axe at desktop and 375 px, by its own browser test.
    "casework:ceasing_step": "test_browser_corrections.py",
    "portal:advice": "test_browser_portal_work.py",
    "portal:advice_detail": "test_browser_portal_work.py",
    "portal:missed_appointment": "test_browser_portal_work.py",
    "portal:service_advice": "test_browser_portal_work.py",
    "portal:assign_advice": "test_browser_portal_work.py",
    "portal:school_consultation": "test_browser_portal_work.py",
    "portal:school_review_meeting": "test_browser_portal_work.py",
    "portal_staff:send_advice": "test_browser_portal_work.py",
    "portal:family_draft": "test_browser_portal_family.py",
    "portal_staff:check_ask": "test_browser_portal_family.py",
    "portal_staff:attach_ask": "test_browser_portal_family.py",
    "panels:correct": "test_browser_panels.py",
    # Signed-out pages, walked by test_browser_sign_in.py with a person part-way through.
    "accounts:login": "test_browser_sign_in.py",
    "accounts:verify": "test_browser_sign_in.py",
    "accounts:skip": "demo only; test_browser_sign_in.py",
    "accounts:recovery": "test_browser_sign_in.py",
    "accounts:enrol": "test_browser_sign_in.py",
    "accounts:recovery_codes": "test_browser_sign_in.py",
    "accounts:timed_out": "test_browser_sign_in.py",
    "accounts:password_reset": "test_browser_sign_in.py",
    "accounts:password_reset_sent": "test_browser_sign_in.py",
    "accounts:password_reset_confirm": "needs an emailed token; test_browser_sign_in.py",
    "accounts:password_reset_complete": "test_browser_sign_in.py",
}


def _routes() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: list[str]) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, [*namespace, p.namespace] if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(":".join([*namespace, p.name]))

    walk(get_resolver(), [])
    return {n for n in names if not n.startswith("admin:")}


def _key(path: str) -> tuple[str, str] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    argument = PER_ARGUMENT.get(match.view_name)
    return match.view_name, str(match.kwargs.get(argument, "")) if argument else ""


LINKS = """
() => [...document.querySelectorAll("a[href]")]
  .filter(a => !a.hasAttribute("download"))
  .map(a => a.href)
"""


@pytest.fixture
def council(settings):
    """A small demo council, and a few records the demo does not make (a panel meeting, an
    FOI request, a complaint, a subject access request, a plan being written, a call to
    answer); returns the demo login of each role and the pages those records open."""
    settings.SENDCASE_DEMO = True
    call_command("demo", plans="40", seed="3", stdout=io.StringIO(), stderr=io.StringIO())
    people = {
        role: User.objects.filter(is_demo=True, role=role, is_active=True).order_by("pk").first()
        for role in ROLES
    }
    officer = people[Role.CASE_OFFICER]
    today = timezone.localdate()
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    entry = phone_call(case, officer)
    start_working_copy(case, actor=officer)
    requested = build_case(stage="requested", officer=officer, weeks_ago=2)
    foi = information.log_foi(
        requester="A journalist", received_on=today, question="How many plans?", actor=officer
    )
    complaint = information.log_complaint(
        case, complainant="Jo", summary="Slow", received_on=today, actor=officer
    )
    sar = information.log_sar(
        case.child, requester="Jo", relationship="Mother", received_on=today, actor=officer
    )
    meeting = panels.create_meeting(
        name="Monday panel", held_on=today, kinds=list(Kind.values), actor=officer
    )
    panels.build_agenda(meeting, actor=officer)
    sent = case.plan.first_issued_on + dt.timedelta(days=1)
    record_review_invitations_sent(case, sent_on=sent, actor=officer)
    event = case.events.get(type="review_invitations_sent")
    band = Band.objects.order_by("pk").first()
    outside = _portal_people()
    asked = portal.request_link(
        outside[0], relationship="parent", child_name="Sam Example",
        child_date_of_birth=dt.date(2015, 5, 1),
    )  # fmt: skip
    pages = [
        url for name in sorted(_routes()) if name not in NOT_WALKED and (url := _without_ids(name))
    ] + [
        reverse("casework:plan_editor", args=[case.pk]),
        reverse("casework:contact_response", args=[case.pk, entry.pk]),
        reverse("casework:correct_step", args=[case.pk, event.pk]),
        reverse("casework:strike_out_step", args=[case.pk, event.pk]),
        reverse("casework:close_case", args=[case.pk]),
        reverse("casework:withdraw_request", args=[requested.pk]),
        reverse("information:foi", args=[foi.pk]),
        reverse("information:complaint", args=[complaint.pk]),
        reverse("information:sar", args=[sar.pk]),
        reverse("panels:meeting", args=[meeting.pk]),
        reverse("portal_staff:decide", args=[asked.pk]),
        reverse("casework:plan_row_new", args=[case.pk, "B"]),
        reverse("casework:plan_row", args=[case.pk, "B", 0]),
        reverse("finance:band_rate", args=[band.pk, financial_year(today)]),
        reverse("retention:child", args=[case.child.pk]),
    ]
    return people, pages, outside


def _without_ids(name: str) -> str:
    """The route's address if it takes no arguments, else ""."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _walk(page, start, role, checked, failures, check, *, origin, within="/"):
    """Check every page reachable from `start` whose route no one has checked yet."""
    queue = deque(start)
    seen: set[str] = set()
    while queue and len(checked) < MOST_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc != origin or url in seen or not parts.path.startswith(within):
            continue
        seen.add(url)
        key = _key(parts.path)
        if key is None or key[0] in NOT_WALKED or key in checked:
            continue
        try:
            response = page.goto(url)
        except PlaywrightError:  # a POST-only address answers 405 with no page
            continue
        if response is None or response.status != 200:
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        checked[key] = f"{parts.path} as {role}"
        try:
            check(page)
        except AssertionError as failure:
            failures.append(f"{parts.path} as {role}: {failure}")
        queue.extend(page.evaluate(LINKS))


def test_every_staff_and_portal_page_is_accessible_at_desktop_and_375_px(
    council, signed_in_page, anonymous_page, assert_accessible, live_server
):
    people, pages, outside = council
    origin = urlsplit(live_server.url).netloc
    checked: dict[tuple[str, str], str] = {}
    failures: list[str] = []
    for role in ROLES:
        user = people[role]
        assert user is not None, f"the demo council has no {role.label}"
        page = signed_in_page(user, password=DEMO_PASSWORD)
        # The role's start page first, then every page without an id, then the records'.
        start = [page.url, *(live_server.url + p for p in pages)]
        _walk(page, start, role.label, checked, failures, assert_accessible, origin=origin)
    # The portal: signed out, then as each demo person outside the council (a parent, a young
    # person, a SENCO, an educational psychologist), signed in as the sign-in would leave them.
    portal = [live_server.url + reverse(n) for n in ("portal:start", "portal:signed_out")]
    _walk(
        anonymous_page(),
        portal,
        "nobody",
        checked,
        failures,
        assert_accessible,
        origin=origin,
        within="/portal/",
    )
    for person in outside:
        page = anonymous_page()
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": _portal_session(person),
                    "url": live_server.url,
                }
            ]  # fmt: skip
        )
        start = [live_server.url + reverse(n) for n in ("portal:cases", "portal:link")] + [
            live_server.url + reverse("portal:organisation", args=[m.organisation_id])
            for m in person.memberships.filter(ended_at__isnull=True)
        ]
        _walk(
            page,
            start,
            person.name,
            checked,
            failures,
            assert_accessible,
            origin=origin,
            within="/portal/",
        )
    missed = _routes() - {name for name, _ in checked} - set(NOT_WALKED)
    if missed:
        failures.append(f"routes no walk reached (link them, or say why in NOT_WALKED): {missed}")
    assert not failures, "\n\n".join(failures)
    assert len(checked) > 80, checked


def _portal_people(sendcase_url: str = "http://127.0.0.1") -> list[ExternalPerson]:
    """The demo's people outside the council, linked to cases and organisations as `sendcase
    demo-sign-in` links them."""
    prepare(
        issuer=PORTAL_ISSUER,
        staff_secret="not-used",
        portal_key_pem=make_client_key()[0],
        portal_url=sendcase_url + "/portal",
        sendcase_url=sendcase_url,
    )
    return list(ExternalPerson.objects.filter(issuer=PORTAL_ISSUER).order_by("pk"))


def _portal_session(person: ExternalPerson) -> str:
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[PORTAL_PERSON] = person.pk
    store.save()
    return str(store.session_key)
