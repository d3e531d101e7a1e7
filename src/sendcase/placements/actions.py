"""Changing the register of settings: one action, used by the settings screen."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
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


@transaction.atomic
def update_setting(setting: Setting, *, actor: Actor, **fields: Any) -> list[int]:
    """Save the setting's details, and bring its placements' setting types into line.

    Side effects, in one transaction: the setting row is locked and updated, and stops being a
    placeholder; every placement in it gets ``setting_type_for(kind, resourced=..., sen_unit=...)``
    from its own flags (an import gave placements in a placeholder setting "other"); one audit
    entry for the setting, and one for each case whose placements changed type. Returns the
    ids of the placements whose setting type changed.
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_setting() cannot change {sorted(unknown)}")
    locked = Setting.objects.select_for_update().get(pk=setting.pk)
    before = {name: getattr(locked, name) for name in EDITABLE}
    was_placeholder = locked.placeholder
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.placeholder = False
    locked.save(update_fields=[*fields, "placeholder"])

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

    after = {name: getattr(locked, name) for name in EDITABLE}
    audit(
        actor,
        AuditEntry.Action.UPDATE,
        locked,
        f"Setting {'completed' if was_placeholder else 'changed'}: {locked.name}",
        payload={
            "changed": {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]},
            "was_placeholder": was_placeholder,
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
