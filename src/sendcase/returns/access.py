"""Who may use the SEN2 screens: one rule, one place.

Data officers (who prepare the return), heads of service, administrators and team
managers. Everyone else (case officers, finance officers) is answered 404, as if the
pages did not exist: the return lists every child in the council.

Downloading the whole return - every child in the council in one file - is narrower: the data
officers who submit it and the head of service who signs it off. Team managers (whose scope is
their team) and administrators (who run the system, not the return) may check files and the
records but not take the council's file away; they are answered 404 there too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from sendcase.accounts.models import Role
from sendcase.core.actors import Actor

RETURNS_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.TEAM_MANAGER)
DOWNLOAD_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE)


def _has_role(user: Actor | None, roles: tuple[str, ...]) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in roles
    )


def may_use_returns(user: Actor | None) -> bool:
    return _has_role(user, RETURNS_ROLES)


def may_download_return(user: Actor | None) -> bool:
    return _has_role(user, DOWNLOAD_ROLES)


def role_guard(
    allowed: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                raise Http404("No such page")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


returns_access = role_guard(may_use_returns)
download_access = role_guard(may_download_return)
