"""Changing the register of settings: one action, used by the settings screen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.locking import StaleRecord, saved_by
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Placement, Setting, setting_type_for

# The fields the register screen edits (URN and UKPRN come from DfE and are not edited).
EDITABLE = (
    "name",
    "kind",
    "phase",
    "la_code",
    "postcode",
    "has_resourced_provision",
    "has_sen_unit",
)

# The fields DfE's Get Information about Schools keeps, which only its import changes
# (finance/gias.py); the register screen shows them.
FROM_GIAS = ("ukprn", "status", "opened_on", "closed_on", "gias_type")
FIELDS = (*EDITABLE, *FROM_GIAS)

STALE_SETTING = (
    "Someone else saved this setting while you were changing it. Their changes are below: "
    "check the details, then save again. What you entered is still in the form."
)


def _changes_after(setting: Setting, version: int) -> list[str]:
    """What was saved to the setting after `version`, from the audit log, oldest first."""
    entries = (
        AuditEntry.objects.filter(
            object_type=Setting._meta.label_lower,
            object_id=str(setting.pk),
            action=AuditEntry.Action.UPDATE,
            payload__version__gt=version,
        )
        .select_related("actor")
        .order_by("at", "pk")[:20]
    )
    lines = []
    for entry in entries:
        changed = entry.payload.get("changed", {})
        what = "; ".join(
            f"{name.replace('_', ' ')}: {new}" for name, (_old, new) in changed.items()
        )
        lines.append(f"{saved_by(entry.actor, entry.at)} saved {what or 'no changes'}")
    return lines


def _plain(value: Any) -> Any:
    """A field's value as the audit payload (JSON) keeps it: dates as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def update_setting(
    setting: Setting, *, actor: Actor, expected_version: int | None = None, **fields: Any
) -> list[int]:
    """Save the setting's details, and bring its placements' setting types into line.

    Side effects, in one transaction: the setting row is locked and updated, and stops being a
    placeholder; every placement in it gets ``setting_type_for(kind, resourced=..., sen_unit=...)``
    from its own flags (an import gave placements in a placeholder setting "other"); one audit
    entry for the setting, and one for each case whose placements changed type. Returns the
    ids of the placements whose setting type changed. Refused with `StaleRecord` (listing what
    was saved since) if the setting's version is no longer `expected_version`, the version the
    form was opened at.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_setting() cannot change {sorted(unknown)}")
    locked = Setting.objects.select_for_update().get(pk=setting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRecord(STALE_SETTING, changes=_changes_after(locked, expected_version))
    before = {name: _plain(getattr(locked, name)) for name in FIELDS}
    was_placeholder = locked.placeholder
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.placeholder = False
    locked.version += 1
    locked.save(update_fields=[*fields, "placeholder", "version"])

    changed_by_case: dict[int, list[list[Any]]] = defaultdict(list)
    by_flags: dict[tuple[bool, bool], str] = {}
    rows = Placement.objects.filter(setting=locked).values_list(
        "pk", "plan__case_id", "setting_type", "resourced_provision", "sen_unit"
    )
    for pk, case_id, old_type, resourced, unit in rows:
        new_type = by_flags.setdefault(
            (resourced, unit), setting_type_for(locked.kind, resourced=resourced, sen_unit=unit)
        )
        if new_type != old_type:
            changed_by_case[case_id].append([pk, old_type, new_type])
    for (resourced, unit), new_type in by_flags.items():
        Placement.objects.filter(
            setting=locked, resourced_provision=resourced, sen_unit=unit
        ).exclude(setting_type=new_type).update(setting_type=new_type)
    changed = sorted(row[0] for rows in changed_by_case.values() for row in rows)

    after = {name: _plain(getattr(locked, name)) for name in FIELDS}
    audit(
        actor,
        AuditEntry.Action.UPDATE,
        locked,
        f"Setting {'completed' if was_placeholder else 'changed'}: {locked.name}",
        payload={
            "changed": {k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]},
            "was_placeholder": was_placeholder,
            "version": locked.version,
            "placements_retyped": changed,
        },
    )
    user = user_of(actor)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            object_type=Placement._meta.label_lower,
            object_id=str(retyped[0][0]),
            case_id=case_id,
            summary=f"Setting type of the placement at {locked.name} brought up to date"[:255],
            payload={"setting": locked.pk, "placements": retyped},
        )
        for case_id, retyped in sorted(changed_by_case.items())
    )
    setting.refresh_from_db()
    return changed
