from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """The idle timeout, for the warning in every signed-in page (base.html)."""
    return {
        "idle_timeout_seconds": settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60,
        "idle_warning_seconds": settings.SENDCASE_IDLE_WARNING_MINUTES * 60,
    }
