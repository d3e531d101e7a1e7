"""The strategy tracker: saving the strategy, its outcomes, workstreams and actions, and the
bulletin's commentary. One action for every record, `save_record`, used by every screen.

Each save locks the row, refuses it if someone saved the record since the form was opened
(`StaleRecord`, saying who and what), bumps the version and appends one audit entry with the
fields before and after. No child's data is held here, so nothing is audited as a view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction
from django.forms.models import model_to_dict

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.locking import StaleRecord, saved_by
from sendcase.inspection.models import BulletinCommentary, Strategy
from sendcase.reporting.domain import measures as m

M = TypeVar("M", bound=models.Model)

STALE = (
    "Someone else saved this while you had it open. What they saved is below; what you typed "
    "is still in the form: check it, then save again."
)


def measure_choices() -> list[tuple[str, str]]:
    """Every measure in reporting's registry, as (key, label)."""
    return [(d.key, d.label) for d in m.DEFINITIONS]


def current_strategy() -> Strategy | None:
    return Strategy.objects.order_by("pk").first()


def _plain(obj: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
    values = model_to_dict(obj, fields=list(fields))
    return {
        k: (v.isoformat() if isinstance(v, dt.date) else getattr(v, "pk", v))
        for k, v in values.items()
    }


@transaction.atomic
def save_record(obj: M, fields: dict[str, Any], *, actor: Actor, expected_version: int) -> M:
    """Save `fields` on the strategy record `obj` (new when it has no primary key).

    Refuses with `StaleRecord` if the record's version moved on since the form was opened at
    `expected_version`. Side effects, in one transaction: the row is locked, the fields, author
    and version (+1) saved, and one audit entry keeps the fields before and after."""
    model = type(obj)
    created = obj.pk is None
    if not created:
        obj = model._default_manager.select_for_update().get(pk=obj.pk)
        if getattr(obj, "version") != expected_version:  # noqa: B009 - every model has one
            was = ", ".join(f"{k}: {v}" for k, v in _plain(obj, fields).items())
            raise StaleRecord(
                STALE, changes=[f"{saved_by(getattr(obj, 'updated_by'), getattr(obj, 'updated_at'))} saved: {was}"]  # noqa: B009
            )  # fmt: skip
    before = {} if created else _plain(obj, fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = getattr(obj, "version") + (0 if created else 1)  # type: ignore[attr-defined]  # noqa: B009
    obj.updated_by = user_of(actor)  # type: ignore[attr-defined]
    obj.full_clean(exclude=["updated_by"])
    obj.save()
    audit(
        actor,
        "create" if created else "update",
        obj,
        f"{str(model._meta.verbose_name).capitalize()} {'added' if created else 'changed'}: {obj}",
        payload={"before": before, "after": _plain(obj, fields)},
    )
    return obj


def commentary_for(start: dt.date, end: dt.date) -> BulletinCommentary:
    """The bulletin commentary for a period, unsaved (version 0) if nobody has written one."""
    found = BulletinCommentary.objects.filter(start=start, end=end).first()
    return found or BulletinCommentary(start=start, end=end)
