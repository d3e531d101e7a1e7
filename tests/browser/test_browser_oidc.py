"""Signing in through the loopback OpenID Connect provider, in Chromium: a member of staff by
single sign-on, a leaver refused, and a parent who enters their linking code and sees their
child's case and nothing else. axe at desktop width and at 375 px."""

from __future__ import annotations

import pytest

from sendcase.accounts.models import Role
from sendcase.casework.models import FamilyContact
from sendcase.casework.scenarios import build_case
from sendcase.portal import actions

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def providers(settings, oidc_provider):
    settings.SENDCASE_SSO_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_SSO_CLIENT_ID = oidc_provider["staff_client_id"]
    settings.SENDCASE_SSO_CLIENT_SECRET = oidc_provider["staff_secret"]
    settings.SENDCASE_SSO_ROLE_GROUPS = {"sendcase-case-officers": Role.CASE_OFFICER}
    settings.SENDCASE_SSO_TEAM_GROUPS = {"sendcase-team-north": "North team"}
    settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_ONE_LOGIN_CLIENT_ID = oidc_provider["portal_client_id"]
    settings.SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE = oidc_provider["portal_key_file"]
    return oidc_provider


def _at_provider(page, provider, username):
    page.wait_for_url(f"{provider['issuer']}/authorize**")
    assert page.locator("#username").count() == 1, page.content()
    page.fill("#username", username)
    page.fill("#password", provider["password"])
    page.get_by_role("button", name="Sign in").click()


def _accessible_at_both_widths(page, assert_accessible):
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})


def test_staff_sign_in_through_the_provider_lands_on_their_page(
    providers, anonymous_page, assert_accessible, live_server
):
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    _accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Sign in with your council account").click()
    _at_provider(page, providers, "officer.sso")
    page.wait_for_url(f"{live_server.url}/cases/**")
    banner = page.locator("#signed-in-as").inner_text()
    assert "Case officer" in banner and "North team" in banner
    assert page.get_by_role("heading", name="Work queue").is_visible()
    _accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Sign out").click()
    page.goto("/cases/")
    assert "/accounts/sign-in/" in page.url


def test_signing_out_signs_out_at_the_provider_so_the_next_sign_in_asks_again(
    providers, anonymous_page, live_server
):
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    _at_provider(page, providers, "officer.sso")
    page.wait_for_url(f"{live_server.url}/cases/**")
    page.get_by_role("button", name="Sign out").click()
    # Through the provider's end-session endpoint and back to SENDcase's sign-in page.
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/**")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.wait_for_url(f"{providers['issuer']}/authorize**")
    assert page.locator("#password").is_visible()  # asked for credentials again


def test_an_account_disabled_at_the_provider_is_refused(
    providers, anonymous_page, assert_accessible, live_server
):
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    _at_provider(page, providers, "disabled.sso")
    page.get_by_role("heading", name="You cannot sign in to SENDcase").wait_for()
    _accessible_at_both_widths(page, assert_accessible)
    page.goto("/cases/")
    assert "/accounts/sign-in/" in page.url


def test_a_parent_links_with_their_code_and_sees_only_their_childs_case(
    providers, anonymous_page, assert_accessible, live_server, officer
):
    mine = build_case(stage="assessing", officer=officer, weeks_ago=3)
    theirs = build_case(stage="assessing", officer=officer, weeks_ago=3)
    contact = FamilyContact.objects.create(
        child=mine.child, name="Pat Parent", relationship="Mother", email="pat@example.org"
    )
    code = actions.issue_link_code(mine, contact, relationship="parent_carer", actor=officer)

    page = anonymous_page()
    page.goto("/portal/")
    _accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    _at_provider(page, providers, "parent")
    page.wait_for_url(f"{live_server.url}/portal/link/")
    page.get_by_role("button", name="Continue").click()  # empty: the GOV.UK error
    assert page.get_by_text("Enter your linking code").first.is_visible()
    _accessible_at_both_widths(page, assert_accessible)
    page.fill("#id_code", code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/portal/cases/{mine.pk}/")
    assert page.get_by_role("heading", name=mine.child.full_name).is_visible()
    assert str(officer) in page.locator("#officer").inner_text()
    assert page.locator("#next-steps tbody tr").count() >= 1
    _accessible_at_both_widths(page, assert_accessible)
    page.goto("/portal/cases/")
    assert mine.child.full_name in page.content()
    assert theirs.child.full_name not in page.content()
    _accessible_at_both_widths(page, assert_accessible)
    response = page.goto(f"/portal/cases/{theirs.pk}/")
    assert response.status == 404
    response = page.goto(f"/cases/{mine.pk}/")  # a staff page: not signed in there
    assert "/accounts/sign-in/" in page.url


def test_a_parent_signing_out_signs_out_at_one_login_too(
    providers, anonymous_page, live_server, officer
):
    """The portal's sign-out goes on to One Login's end-session endpoint (the page's Content
    Security Policy lets the form go there) and comes back to 'signed out'; signing in again
    asks for the password."""
    case = build_case(stage="assessing", officer=officer, weeks_ago=3)
    contact = FamilyContact.objects.create(
        child=case.child, name="Pat Parent", relationship="Mother", email="pat@example.org"
    )
    code = actions.issue_link_code(case, contact, relationship="parent_carer", actor=officer)
    page = anonymous_page()
    page.goto("/portal/")
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    _at_provider(page, providers, "parent")
    page.wait_for_url(f"{live_server.url}/portal/link/")
    page.fill("#id_code", code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/portal/cases/{case.pk}/")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/portal/signed-out/**")
    assert not blocked, blocked
    page.goto("/portal/")
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    page.wait_for_url(f"{providers['issuer']}/authorize**")
    assert page.locator("#password").is_visible()  # asked for credentials again
