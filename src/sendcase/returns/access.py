"""Who may use the SEN2 screens: one rule, one place.

Data officers (who prepare the return), heads of service, administrators and team
managers. Everyone else (case officers, finance officers) is answered 404, as if the
pages did not exist: the return lists every child in the council.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from sendcase.accounts.models import Role

RETURNS_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.TEAM_MANAGER)


def may_use_returns(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in RETURNS_ROLES
    )


def returns_access(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_use_returns(request.user):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapped
