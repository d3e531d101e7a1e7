"""Signed-in staff: who is acting (for the audit log), the idle timeout, and the second
factor (TOTP) before they see anything."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sendcase.accounts.backends import demo_login_refused
from sendcase.accounts.sso import SSO_ID_TOKEN, SSO_SESSION, end_session_origin
from sendcase.core import oidc
from sendcase.core.audit import acting_as, audit
from sendcase.portal.access import PORTAL_ID_TOKEN, one_login

OPEN_PATHS = ("/accounts/", "/static/", "/health")
# The session keeps the time of the person's last request, in seconds since the epoch.
LAST_SEEN = "sendcase_last_seen"
# Writing the session on every request costs a database write; this often is enough.
TOUCH_EVERY_SECONDS = 30


def signed_in_with_provider_second_factor(session: Any) -> bool:
    """Signed in this session through single sign-on, whose provider used a second factor."""
    return bool(session is not None and session.get(SSO_SESSION, {}).get("amr"))


def second_factor_satisfied(user: object, session: Any = None) -> bool:
    """Passed SENDcase's own second factor (TOTP or a recovery code), or signed in this session
    through single sign-on, whose provider used a second factor (accounts/sso.py checked the
    ID token's `amr`), or a demo login allowed to skip it."""
    if getattr(user, "is_verified", lambda: False)():
        return True
    if signed_in_with_provider_second_factor(session):
        return True
    return bool(
        settings.SENDCASE_DEMO
        and settings.SENDCASE_DEMO_SKIP_2FA
        and getattr(user, "is_demo", False)
    )


class AuditActorMiddleware:
    """Audit entries written by signal handlers during a request name who made it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request.user, request.path):
            return self.get_response(request)


def idle_seconds_left(request: HttpRequest, now: float | None = None) -> int:
    """Seconds before this session is signed out for want of activity."""
    now = time.time() if now is None else now
    last: float = request.session.get(LAST_SEEN, now)
    return max(0, round(settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60 - (now - last)))


class IdleTimeoutMiddleware:
    """Sign out whoever has made no request for SENDCASE_IDLE_TIMEOUT_MINUTES.

    Enforced here on the server, whatever the browser does; the warning in the page
    (static/sendcase/timeout-warning.js) is a courtesy on top. Asking how long is left
    (accounts:session_status) does not count as activity.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith("/static/"):
            now = time.time()
            if idle_seconds_left(request, now) == 0:
                minutes = settings.SENDCASE_IDLE_TIMEOUT_MINUTES
                audit(
                    user,
                    "sign_out",
                    user,
                    f"Signed out after {minutes} minutes without activity",
                )
                logout(request)
                return redirect("accounts:timed_out")
            if demo_login_refused(user):
                logout(request)
                return redirect("accounts:login")
            if request.path != reverse("accounts:session_status"):
                last = request.session.get(LAST_SEEN)
                if last is None or now - last >= TOUCH_EVERY_SECONDS:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not second_factor_satisfied(user, request.session)
        ):
            return redirect(f"{reverse('accounts:verify')}?next={request.path}")
        return self.get_response(request)


class SignOutAtProviderMiddleware:
    """After single sign-on, the pages' Content Security Policy lets the sign-out form go on to
    the provider's end-session endpoint: browsers check `form-action` along the form's
    redirects, and signing out there is a redirect to the provider (accounts/views.sign_out).
    List it after django-csp's middleware, so that it sees the response first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        origin = ""
        if session.get(SSO_ID_TOKEN):
            origin = end_session_origin()
        elif session.get(PORTAL_ID_TOKEN):  # the portal's sign-out goes on to One Login
            origin = oidc.end_session_origin(one_login())
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
