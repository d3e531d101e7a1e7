"""Signing in: a password, then a TOTP code from an authenticator app."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts.forms import SignInForm, TokenForm
from sendcase.core.audit import audit


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit(form.get_user(), "sign_in", form.get_user(), "Signed in with password")
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or settings.LOGIN_REDIRECT_URL
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code; set up an authenticator the first time."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setup_device = None
    if device is None:
        setup_device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate = device or setup_device
        if candidate is not None and candidate.verify_token(form.cleaned_data["token"]):
            if not candidate.confirmed:
                candidate.confirmed = True
                candidate.save(update_fields=["confirmed"])
            otp_login(request, candidate)
            audit(user, "sign_in", candidate, "Passed the second factor")
            return redirect(_safe_next(request))
        form.add_error(
            "token",
            "The security code is wrong or has expired. Enter the latest code from your app.",
        )
    context = {
        "form": form,
        "next": _safe_next(request),
        "demo_skip": settings.SENDCASE_DEMO_SKIP_2FA and getattr(user, "is_demo", False),
    }
    if setup_device is not None:
        context["qr_svg"] = segno.make(setup_device.config_url).svg_inline(scale=4)
        context["setup_key"] = setup_device.bin_key.hex()
    return render(request, "accounts/verify.html", context)


@login_required
def skip_second_factor(request: HttpRequest) -> HttpResponse:
    if (
        request.method == "POST"
        and settings.SENDCASE_DEMO_SKIP_2FA
        and getattr(request.user, "is_demo", False)
    ):
        messages.info(
            request, "Demo login: the second factor was skipped. Production never allows this."
        )
    return redirect(_safe_next(request))
