"""Writing the audit log. Every write of statutory data and every view of a child's record calls this."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils import timezone

from sendcase.core.actors import Actor, SystemActor, user_of
from sendcase.core.bulk import Table
from sendcase.core.models import AuditEntry

# More entries than a page shows at once go through the bulk writer (COPY on PostgreSQL).
PAGE_ROWS = 500


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
    return AuditEntry.objects.create(
        actor=user_of(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        case=case,
        summary=summary[:255],
        payload=payload or {},
    )


def audit_each(
    actor: Actor,
    action: str,
    object_type: str,
    records: Iterable[tuple[Any, int | None]],
    summary: str,
    *,
    payload: dict[str, Any] | None = None,
) -> int:
    """Append one entry per record, each (object id, case id), in one bulk insert: for a page
    or a file that shows many children at once (a queue page, a report list, the SEN2 return).
    A page's few rows go through bulk_create (one INSERT, counted like any query); a file's
    thousands through COPY on PostgreSQL (core/bulk.py: 22,399 rows in about 1 s, where
    bulk_create took 5 s on the same loaded machine). Returns how many."""
    user = user_of(actor)
    fields = {
        "actor_id": user.pk if user is not None else None,
        "action": action,
        "object_type": object_type,
        "summary": summary[:255],
        "payload": payload or {},
    }
    rows = [{**fields, "object_id": str(pk), "case_id": case_id} for pk, case_id in records]
    if len(rows) > PAGE_ROWS:
        return Table(AuditEntry, timezone.now()).write(rows)
    AuditEntry.objects.bulk_create([AuditEntry(**row) for row in rows])
    return len(rows)


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
