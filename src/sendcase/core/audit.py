"""Writing the audit log. Every write of statutory data and every view of a child's record calls this."""

from __future__ import annotations

from typing import Any

from django.db import models

from sendcase.core.actors import Actor, user_of
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
