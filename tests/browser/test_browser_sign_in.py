"""Signing in, in a real browser: the enrolment code and key, and the GOV.UK timeout
warning before the idle sign-out (static/sendcase/timeout-warning.js)."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts import actions
from sendcase.accounts.middleware import LAST_SEEN
from sendcase.accounts.testing import current_code

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def _idle_until(page, seconds_left: int) -> None:
    """Make the server's record say the person was last active long enough ago that
    `seconds_left` remain before the idle sign-out."""
    key = next(
        c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = SessionStore(session_key=key)
    session[LAST_SEEN] = time.time() - (settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60 - seconds_left)
    session.save()


def test_the_timeout_warning_offers_to_stay_signed_in_then_signs_out(
    officer, signed_in_page, assert_accessible
):
    page = signed_in_page(officer)
    page.clock.install()
    page.goto("/cases/")
    dialog = page.locator("#app-timeout-warning")
    assert not dialog.is_visible()
    timeout = settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60
    warning = settings.SENDCASE_IDLE_WARNING_MINUTES * 60

    # Work in another tab kept the session alive: the script asks before it warns.
    page.clock.run_for((timeout - warning) * 1000)
    page.wait_for_timeout(300)
    assert not dialog.is_visible()

    _idle_until(page, 90)
    page.clock.run_for(timeout * 1000)
    dialog.wait_for(state="visible")
    assert "You are about to be signed out" in dialog.inner_text()
    assert re.search(r"sign you out in 1 minute \d+ seconds", dialog.inner_text())
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    status = page.evaluate("async () => (await fetch('/accounts/session/')).json()")
    assert status["seconds_left"] > timeout - 5

    _idle_until(page, 30)
    page.clock.run_for(timeout * 1000)
    dialog.wait_for(state="visible")
    page.clock.run_for(31_000)
    page.wait_for_url("**/accounts/signed-out/")
    assert page.get_by_role("heading", name="You have been signed out").is_visible()
    page.goto("/cases/")
    assert "/accounts/sign-in/" in page.url


def test_enrolment_shows_the_key_after_the_code(
    officer, admin_user, anonymous_page, assert_accessible
):
    code = actions.issue_enrolment_code(officer, actor=admin_user)
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/set-up-authenticator/**")
    assert page.locator("svg").count() == 0
    assert_accessible(page)
    page.fill("#id_code", code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("I cannot scan the code").click()
    key = page.locator("#setup-key code").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=officer)
    assert key == actions.base32_key(device)
    assert_accessible(page)
    page.fill("#id_token", current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    assert page.locator(".app-recovery-codes li").count() == actions.RECOVERY_CODES
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url("**/cases/**")


def test_the_pages_around_sign_in_pass_axe(officer, anonymous_page, assert_accessible, settings):
    page = anonymous_page()
    page.goto("/accounts/password-reset/")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()  # empty: errors
    assert page.get_by_text("Enter your email address").first.is_visible()
    assert_accessible(page)
    page.fill("#id_email", "someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    page.goto("/accounts/password-reset/MQ/not-a-token/")
    page.get_by_role("heading", name="This link does not work").wait_for()
    assert_accessible(page)
    page.goto("/accounts/signed-out/")
    assert_accessible(page)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/sign-in/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", "not the password")
        page.get_by_role("button", name="Continue").click()
    page.get_by_role(
        "heading", name=f"You cannot sign in for {settings.SENDCASE_LOCKOUT_MINUTES} minutes"
    ).wait_for()
    assert_accessible(page)
