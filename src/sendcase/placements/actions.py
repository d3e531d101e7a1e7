"""Changing the register of settings: one action, used by the settings screen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import PAGE_ROWS
from sendcase.core.bulk import Table
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
    changed = update_settings(
        [(setting, fields)],
        actor=actor,
        expected_versions=None if expected_version is None else {setting.pk: expected_version},
    )
    setting.refresh_from_db()
    return changed


@transaction.atomic
def update_settings(
    changes: list[tuple[Setting, dict[str, Any]]],
    *,
    actor: Actor,
    expected_versions: dict[int, int] | None = None,
) -> list[int]:
    """`update_setting` for many settings at once (the GIAS import): the same rows and audit
    entries, written in a few statements. Returns the ids of the retyped placements."""
    for _setting, fields in changes:
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise TypeError(f"update_setting() cannot change {sorted(unknown)}")
    ids = [setting.pk for setting, _fields in changes]
    locked = {s.pk: s for s in Setting.objects.select_for_update().filter(pk__in=ids)}
    audits: list[AuditEntry] = []
    touched: set[str] = set()
    user = user_of(actor)
    for setting, fields in changes:
        row = locked[setting.pk]
        expected = (expected_versions or {}).get(row.pk)
        if expected is not None and row.version != expected:
            raise StaleRecord(STALE_SETTING, changes=_changes_after(row, expected))
        before = {name: _plain(getattr(row, name)) for name in FIELDS}
        was_placeholder = row.placeholder
        for name, value in fields.items():
            setattr(row, name, value)
        touched.update(fields)
        row.placeholder = False
        row.version += 1
        after = {name: _plain(getattr(row, name)) for name in FIELDS}
        audits.append(
            AuditEntry(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                object_type=Setting._meta.label_lower,
                object_id=str(row.pk),
                summary=f"Setting {'completed' if was_placeholder else 'changed'}: {row.name}"[
                    :255
                ],
                payload={
                    "changed": {k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]},
                    "was_placeholder": was_placeholder,
                    "version": row.version,
                },
            )
        )
    Setting.objects.bulk_update(
        list(locked.values()), [*sorted(touched), "placeholder", "version"], batch_size=1000
    )

    changed_by_case: dict[tuple[int, int], list[list[Any]]] = defaultdict(list)
    retype: dict[str, list[int]] = defaultdict(list)
    rows = Placement.objects.filter(setting_id__in=ids).values_list(
        "pk", "plan__case_id", "setting_id", "setting_type", "resourced_provision", "sen_unit"
    )
    for pk, case_id, setting_id, old_type, resourced, unit in rows:
        kind = locked[setting_id].kind
        new_type = setting_type_for(kind, resourced=resourced, sen_unit=unit)
        if new_type != old_type:
            changed_by_case[(setting_id, case_id)].append([pk, old_type, new_type])
            retype[new_type].append(pk)
    for new_type, pks in retype.items():
        for start in range(0, len(pks), 5000):
            Placement.objects.filter(pk__in=pks[start : start + 5000]).update(setting_type=new_type)
    retyped_by_setting: dict[int, list[int]] = defaultdict(list)
    for (setting_id, _case), moved in changed_by_case.items():
        retyped_by_setting[setting_id] += [m[0] for m in moved]
    for entry in audits:
        entry.payload["placements_retyped"] = sorted(retyped_by_setting[int(entry.object_id)])
    audits += [
        AuditEntry(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            object_type=Placement._meta.label_lower,
            object_id=str(moved[0][0]),
            case_id=case_id,
            summary=f"Setting type of the placement at {locked[setting_id].name} brought up to date"[
                :255
            ],
            payload={"setting": setting_id, "placements": moved},
        )
        for (setting_id, case_id), moved in sorted(changed_by_case.items())
    ]
    if len(audits) > PAGE_ROWS:
        Table(AuditEntry, timezone.now()).write_objects(audits)
    else:
        AuditEntry.objects.bulk_create(audits)
    return sorted(pk for pks in retype.values() for pk in pks)
