"""The contact log: calls, emails, letters and meetings with families, schools and professionals.

Each entry may need a response by a date the council sets: by default
SENDCASE_CONTACT_RESPONSE_WORKING_DAYS working days (10 unless configured) after the
contact, counted with the clock's one working-day function.

Both actions run in one transaction (`kernel.action`) and change no statutory state: no event,
no deadlines, no change to the case's version, no message.

* `record_contact`: a ContactLogEntry (with its response due date, if one is needed); one audit
  entry.
* `record_contact_response`: the entry's response date; one audit entry.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sendcase.casework.domain import kernel
from sendcase.casework.domain.deadlines import council_calendar
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, ContactLogEntry
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit

DEFAULT_RESPONSE_WORKING_DAYS = 10


def response_working_days() -> int:
    return int(
        getattr(settings, "SENDCASE_CONTACT_RESPONSE_WORKING_DAYS", DEFAULT_RESPONSE_WORKING_DAYS)
    )


def default_response_due(contact_on: dt.date) -> dt.date:
    return council_calendar().add_working_days(contact_on, response_working_days())


@kernel.action
def record_contact(
    case: Case,
    *,
    contact_on: dt.date,
    at_time: dt.time | None,
    channel: str,
    direction: str,
    party: str,
    summary: str,
    needs_response: bool,
    response_due: dt.date | None,
    actor: Actor,
    today: dt.date | None = None,
) -> ContactLogEntry:
    """Add an entry to the case's contact log (no statutory event: the clock is unchanged)."""
    today = kernel.local_today(today)
    if contact_on > today:
        raise ActionError(
            "The date of the contact must be today or in the past", field="contact_on"
        )
    if channel not in ContactLogEntry.Channel.values:
        raise ActionError("Select how the contact was made", field="channel")
    if direction not in ContactLogEntry.Direction.values:
        raise ActionError("Select whether the contact was received or sent", field="direction")
    if not party.strip():
        raise ActionError("Enter who the contact was with", field="party")
    if not summary.strip():
        raise ActionError("Enter a summary of the contact", field="summary")
    if needs_response:
        response_due = response_due or default_response_due(contact_on)
        if response_due < contact_on:
            raise ActionError(
                "The response due date must be the same as or after the date of the contact",
                field="response_due",
            )
    else:
        response_due = None
    at = timezone.make_aware(dt.datetime.combine(contact_on, at_time or dt.time(0, 0)))
    entry = ContactLogEntry.objects.create(
        case=case,
        at=at,
        channel=channel,
        direction=direction,
        party=party.strip(),
        summary=summary.strip(),
        response_due=response_due,
        recorded_by=user_of(actor),
    )
    audit(
        actor,
        "create",
        entry,
        f"{entry.get_channel_display()} {entry.get_direction_display().lower()}: {entry.party}",
        case=case,
        payload={"response_due": response_due.isoformat() if response_due else None},
    )
    return entry


@kernel.action
def record_contact_response(
    entry: ContactLogEntry, *, responded_on: dt.date, actor: Actor, today: dt.date | None = None
) -> ContactLogEntry:
    today = kernel.local_today(today)
    if entry.responded_on is not None:
        raise ActionError("A response to this contact has already been recorded")
    if responded_on > today:
        raise ActionError(
            "The date of the response must be today or in the past", field="responded_on"
        )
    if responded_on < timezone.localtime(entry.at).date():
        raise ActionError(
            "The date of the response must be the same as or after the date of the contact",
            field="responded_on",
        )
    entry.responded_on = responded_on
    entry.save(update_fields=["responded_on"])
    audit(
        actor, "update", entry, f"Response recorded for contact with {entry.party}", case=entry.case
    )
    return entry
