"""Signing in: a password, then a TOTP code from an authenticator app.

The first time, the person enters an enrolment code from their administrator before the
authenticator key is shown (accounts/actions.py). Recovery codes stand in for a lost
phone. A forgotten password is reset by an emailed link, and an idle session is signed
out (accounts/middleware.py).
"""

from __future__ import annotations

from typing import Any, cast

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts import actions, sso
from sendcase.accounts.backends import demo_login_refused
from sendcase.accounts.forms import (
    EnrolmentCodeForm,
    RecoveryCodeForm,
    ResetPasswordForm,
    SetNewPasswordForm,
    SignInForm,
    TokenForm,
)
from sendcase.accounts.middleware import idle_seconds_left
from sendcase.accounts.models import User
from sendcase.core.actors import SystemActor
from sendcase.core.audit import acting_as, audit
from sendcase.core.oidc import OAuthError, client_for, id_claims

# The session remembers the key being set up (its device id) and, once, the recovery codes.
ENROLLING = "sendcase_enrolling_device"
NEW_RECOVERY_CODES = "sendcase_new_recovery_codes"
# Where to go after single sign-on (the page that asked for it).
SSO_NEXT = "sendcase_sso_next"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_label"] = settings.SENDCASE_SSO_LABEL if sso.provider() else ""
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit(form.get_user(), "sign_in", form.get_user(), "Signed in with password")
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes's answer while an account is locked (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "minutes": settings.SENDCASE_LOCKOUT_MINUTES,
        "attempts": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or settings.LOGIN_REDIRECT_URL
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return "/"


def _demo_skip(request: HttpRequest) -> bool:
    return bool(
        settings.SENDCASE_DEMO
        and settings.SENDCASE_DEMO_SKIP_2FA
        and getattr(request.user, "is_demo", False)
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code; the first time, send the person to set up an authenticator."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse_lazy('accounts:enrol')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit(user, "sign_in", device, "Passed the second factor")
            return redirect(_safe_next(request))
        form.add_error(
            "token",
            "The security code is wrong or has expired. Enter the latest code from your app.",
        )
    context = {"form": form, "next": _safe_next(request), "demo_skip": _demo_skip(request)}
    return render(request, "accounts/verify.html", context)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: first the administrator's enrolment code, then the key
    (shown only in this session) and the app's first code."""
    user = cast(User, request.user)  # signed in: login_required
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse_lazy('accounts:verify')}?next={_safe_next(request)}")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(ENROLLING, -1)
    ).first()
    context: dict[str, Any] = {"next": _safe_next(request), "demo_skip": _demo_skip(request)}
    if device is None:
        code_form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and code_form.is_valid():
            if actions.redeem_enrolment_code(user, code_form.cleaned_data["code"]):
                request.session[ENROLLING] = actions.start_enrolment(user).pk
                return redirect(f"{reverse_lazy('accounts:enrol')}?next={_safe_next(request)}")
            code_form.add_error(
                "code",
                "The enrolment code is wrong, has been used or has expired. "
                "Ask your administrator for a new one.",
            )
        return render(request, "accounts/enrol_code.html", {**context, "form": code_form})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_enrolment(device, form.cleaned_data["token"])
        if codes is not None:
            del request.session[ENROLLING]
            otp_login(request, device)
            audit(user, "sign_in", device, "Set up an authenticator and passed the second factor")
            request.session[NEW_RECOVERY_CODES] = codes
            return redirect(f"{reverse_lazy('accounts:recovery_codes')}?next={_safe_next(request)}")
        form.add_error(
            "token",
            "The security code is wrong or has expired. Enter the latest code from your app.",
        )
    context.update(
        form=form,
        qr_svg=segno.make(device.config_url).svg_inline(scale=4),
        setup_key=actions.grouped(actions.base32_key(device)),
    )
    return render(request, "accounts/enrol.html", context)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown this once."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect(_safe_next(request))
    context = {"codes": [actions.grouped(c) for c in codes], "next": _safe_next(request)}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def use_recovery_code(request: HttpRequest) -> HttpResponse:
    """Pass the second factor with a recovery code instead of the app; each works once."""
    user = request.user
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        code = actions.normalise_recovery_code(form.cleaned_data["code"])
        if device is not None and device.verify_token(code):
            otp_login(request, device)
            left = device.token_set.count()
            audit(
                user,
                "sign_in",
                device,
                "Passed the second factor with a recovery code",
                payload={"recovery_codes_left": left},
            )
            messages.info(
                request,
                f"You used a recovery code. You have {left} left. If you have lost your phone, "
                "ask your administrator to reset your authenticator.",
            )
            return redirect(_safe_next(request))
        form.add_error(
            "code", "The recovery code is wrong or has been used. Check it and try again."
        )
    return render(request, "accounts/recovery.html", {"form": form, "next": _safe_next(request)})


@login_required
def skip_second_factor(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _demo_skip(request):
        messages.info(
            request, "Demo login: the second factor was skipped. Production never allows this."
        )
    return redirect(_safe_next(request))


# --- The idle timeout -------------------------------------------------------------------------


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long this session has before the idle sign-out (asking is not activity)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": idle_seconds_left(request)})


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": the request itself is the activity (IdleTimeoutMiddleware)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": idle_seconds_left(request)})


def timed_out(request: HttpRequest) -> HttpResponse:
    """ "You have been signed out": the page the warning sends the browser to, and where the
    server sends an idle session. A POST signs out now (the warning's countdown ran out)."""
    if request.method == "POST" and request.user.is_authenticated:
        audit(
            request.user,
            "sign_out",
            request.user,
            f"Signed out after {settings.SENDCASE_IDLE_TIMEOUT_MINUTES} minutes without activity",
        )
        logout(request)
        return redirect("accounts:timed_out")
    context = {"minutes": settings.SENDCASE_IDLE_TIMEOUT_MINUTES}
    return render(request, "accounts/timed_out.html", context)


# --- Forgotten password -----------------------------------------------------------------------


class ResetPasswordView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_sent")


class ResetPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class SetNewPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetNewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        if demo_login_refused(user):
            return redirect("accounts:login")
        # The person with the link is acting: the audit entry (accounts/signals.py) names them.
        with acting_as(user, "emailed password reset link"):
            response = super().form_valid(form)
        # A new password ends a lockout from wrong guesses at the old one.
        axes_reset(username=user.get_username())
        return response


class ResetPasswordCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Single sign-on with the council's provider -------------------------------------------------


def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the council's provider (state, nonce and PKCE kept in the session)."""
    registration = sso.provider()
    if registration is None:
        raise Http404
    request.session[SSO_NEXT] = _safe_next(request)
    callback = request.build_absolute_uri(reverse("accounts:sso_callback"))
    return client_for(registration).authorize_redirect(request, callback)


def _sso_refused(
    request: HttpRequest, reason: str, user: User | None, payload: dict[str, Any]
) -> HttpResponse:
    audit(
        SystemActor("single sign-on"),
        "sign_in_failed",
        user,
        f"Single sign-on refused: {reason}",
        payload={**payload, "reason": reason, "ip_address": request.META.get("REMOTE_ADDR")},
    )
    return render(request, "accounts/sso_refused.html", status=403)


def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: check the ID token (Authlib), find the member of staff, sign in.

    The provider's second factor stands in for SENDcase's own, and only for this sign-in: the
    session records the token's `amr` and `acr` (RequireSecondFactorMiddleware reads it)."""
    registration = sso.provider()
    if registration is None:
        raise Http404
    try:
        token = client_for(registration).authorize_access_token(request)
        claims = id_claims(token)
    except OAuthError as exc:
        return _sso_refused(
            request,
            f"the provider answered {exc.error}",
            None,
            {"error": exc.error, "description": exc.description},
        )
    payload = {
        "issuer": claims.get("iss"),
        "subject": claims.get("sub"),
        "amr": claims.get("amr"),
        "acr": claims.get("acr"),
    }
    try:
        user = sso.sign_in_with_sso(claims)
    except sso.SSORefused as refused:
        return _sso_refused(request, refused.reason, refused.user, payload)
    target = request.session.pop(SSO_NEXT, settings.LOGIN_REDIRECT_URL)
    login(request, user, backend="sendcase.accounts.backends.StaffBackend")
    request.session[sso.SSO_SESSION] = {
        "issuer": claims["iss"],
        "amr": sso.second_factor_methods(claims),
        "acr": claims.get("acr", ""),
    }
    # For signing out at the provider too (RP-initiated logout's id_token_hint).
    request.session[sso.SSO_ID_TOKEN] = token.get("id_token", "")
    audit(
        user,
        "sign_in",
        user,
        "Signed in with single sign-on; the provider's second factor: "
        + ", ".join(sso.second_factor_methods(claims)),
        payload=payload,
    )
    return redirect(target)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out of SENDcase; after single sign-on, sign out at the provider too (RP-initiated
    logout, with the ID token as the hint), which comes back to the sign-in page. Otherwise the
    provider's session would sign the next person at this browser straight back in."""
    id_token = request.session.get(sso.SSO_ID_TOKEN, "")
    if request.user.is_authenticated:
        audit(request.user, "sign_out", request.user, "Signed out")
    logout(request)
    back = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    registration = sso.provider()
    if registration is not None and id_token:
        try:
            return client_for(registration).logout_redirect(
                request, post_logout_redirect_uri=back, id_token_hint=id_token
            )
        except (OAuthError, OSError, ValueError, RuntimeError):
            # The provider cannot be reached, or has no end-session endpoint: SENDcase's own
            # session has ended all the same.
            pass
    return redirect(back)
