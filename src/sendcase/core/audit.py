"""Writing the audit log. Every write of statutory data and every view of a child's record calls this."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from sendcase.core.actors import Actor, user_of
from sendcase.core.bulk import Table
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
    """Append one entry per record, each (object id, case id), in one bulk insert (COPY on
    PostgreSQL): for a page or a file that shows many children at once. Returns how many."""
    user = user_of(actor)
    base = {
        "actor_id": user.pk if user is not None else None,
        "action": action,
        "object_type": object_type,
        "summary": summary[:255],
        "payload": payload or {},
    }
    rows = [{**base, "object_id": str(pk), "case_id": case_id} for pk, case_id in records]
    return Table(AuditEntry, timezone.now()).write(rows)
