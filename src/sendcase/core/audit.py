"""Writing the audit log. Every write of statutory data and every view of a child's record calls this."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from sendcase.core.actors import Actor, SystemActor, user_of
from sendcase.core.models import AuditEntry


def audit(
    actor: Actor,
    action: str,
    obj: models.Model | None,
    summary: str,
    *,
    case: Any = None,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (in the caller's transaction)."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    else:
        object_type, object_id = "", ""
    user = user_of(actor)
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case=case,
        summary=summary[:255],
        payload=payload or {},
    )


# Who is acting, for audit entries written where no actor is passed in: the signal
# handlers that audit changes to staff accounts and second factors, whichever screen or
# command made them. The web sets it for each request (accounts.middleware); elsewhere it
# is nobody, "command line or shell".
_acting: ContextVar[tuple[Actor, str] | None] = ContextVar("sendcase_audit_acting", default=None)
_NOBODY = "command line or shell"


@contextmanager
def acting_as(actor: Actor, via: str) -> Iterator[None]:
    """Within this block, audit entries written by signal handlers name `actor` and `via`."""
    token = _acting.set((actor, via))
    try:
        yield
    finally:
        _acting.reset(token)


def current_actor() -> tuple[Actor, str]:
    """The person acting now and how (a path in the web, or the command line)."""
    return _acting.get() or (SystemActor(_NOBODY), _NOBODY)
