"""Saving the officer's commentary for a committee report: one action, used by the committee screen."""

from __future__ import annotations

from django.db import transaction

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.locking import StaleRecord, saved_by
from sendcase.reporting.models import CommitteeCommentary

STALE_COMMENTARY = (
    "Someone else saved the commentary while you were writing. Their text is below: "
    "combine the two in the box, then save again. What you wrote is still in the box."
)


@transaction.atomic
def save_commentary(
    report_key: str, *, text: str, actor: Actor, expected_version: int
) -> CommitteeCommentary:
    """Save the commentary for the report `report_key`, unless someone saved it since the form was
    opened at `expected_version` (then `StaleRecord`, carrying who saved what).

    Side effects, in one transaction: the row is locked (created at version 0 if new), its text,
    author and version (+1) are saved, and one audit entry keeps the new text and the text before.
    """
    row, _created = CommitteeCommentary.objects.select_for_update().get_or_create(
        report_key=report_key
    )
    if row.version != expected_version:
        raise StaleRecord(
            STALE_COMMENTARY,
            changes=[f"{saved_by(row.updated_by, row.updated_at)} saved: {row.text or '(empty)'}"],
        )
    before = row.text
    row.text = text
    row.version += 1
    row.updated_by = user_of(actor)
    row.save()
    audit(
        actor,
        "update",
        row,
        f"Committee report commentary saved ({report_key})",
        payload={"report_key": report_key, "version": row.version, "text": text, "before": before},
    )
    return row
