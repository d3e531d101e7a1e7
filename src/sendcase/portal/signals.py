"""A member of staff signing in ends any portal session in the same browser, so one session is
never both (the portal also refuses staff sessions: access.staff_session)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from sendcase.portal.access import PORTAL_ID_TOKEN, PORTAL_PERSON


@receiver(user_logged_in)
def _end_portal_session(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(PORTAL_PERSON, None)
        request.session.pop(PORTAL_ID_TOKEN, None)
