"""The family's contacts, and the contact log of calls, emails, letters and meetings.

Family contacts (the people a child's letters and notices go to):

* `add_family_contact`, `update_family_contact`, `end_family_contact`: each in one transaction
  with one audit entry (what changed, from what, to what; or why the contact ended). An ended
  contact is kept for the history and never changed again. Identifiers and contact details are
  checked as every form checks them (sendcase.core.identity).
* Their addresses reach a letter or a document only through
  `sendcase.casework.domain.addresses.address_for_letter`.

The contact log:

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
from typing import Any

from django.conf import settings
from django.utils import timezone

from sendcase.casework.domain import kernel
from sendcase.casework.domain.children import checked, save_changes
from sendcase.casework.domain.deadlines import council_calendar
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Child, ContactLogEntry, FamilyContact
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.codes import Language

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


# --- Family contacts --------------------------------------------------------------------------

FAMILY_CONTACT_FIELDS = (
    "name",
    "relationship",
    "parental_responsibility",
    "email",
    "phone",
    "address",
    "postcode",
    "withhold_address",
    "preferred_contact",
    "language",
    "interpreter_needed",
)


def contact_stamp(contact: FamilyContact) -> str:
    """What the person saw when they opened the form, to tell whether someone changed it since."""
    return "|".join(str(getattr(contact, f)) for f in FAMILY_CONTACT_FIELDS)


def _family_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(FAMILY_CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"not a family contact's detail: {', '.join(sorted(unknown))}")
    fields = checked(fields)
    for key in ("name", "relationship"):
        if key in fields:
            fields[key] = " ".join(str(fields[key]).split())
    if not fields.get("name"):
        raise ActionError("Enter the contact's full name", field="name")
    if not fields.get("relationship"):
        raise ActionError("Enter the contact's relationship to the child", field="relationship")
    how = fields.get("preferred_contact") or ""
    if how and how not in FamilyContact.ContactMethod.values:
        raise ActionError("Choose how they prefer to be contacted", field="preferred_contact")
    if fields.get("language") and fields["language"] not in Language.values:
        raise ActionError("The language must be one of the codes listed", field="language")
    if fields.get("withhold_address") and not fields.get("address"):
        raise ActionError("Enter the address that must not be shared", field="address")
    return fields


@kernel.action
def add_family_contact(child: Child, *, actor: Actor, case: Case, **fields: Any) -> FamilyContact:
    """A new family contact for the child (FAMILY_CONTACT_FIELDS), audited on `case`."""
    contact = FamilyContact.objects.create(child=child, **_family_fields(fields))
    audit(
        actor,
        "create",
        contact,
        f"Family contact added: {contact}",
        case=case,
        payload={"withhold_address": contact.withhold_address},
    )
    return contact


@kernel.action
def update_family_contact(
    contact: FamilyContact, *, actor: Actor, case: Case, seen: str, **fields: Any
) -> list[str]:
    """Change a current contact's details, audited with what changed (from and to). Refused for
    an ended contact, or if someone changed it since the form was opened (`seen`). Returns the
    names of the fields changed."""
    current = FamilyContact.objects.select_for_update().get(pk=contact.pk)
    if current.ended_on is not None:
        raise ActionError("This contact has ended: add them again if they are a contact again")
    if contact_stamp(current) != seen:
        raise ActionError(
            "Someone else changed this contact while you were working on it. Check the details "
            "below, then save again: what you entered is still in the form."
        )
    fields = _family_fields({**{f: getattr(current, f) for f in FAMILY_CONTACT_FIELDS}, **fields})
    return save_changes(
        current, fields, FAMILY_CONTACT_FIELDS, actor, case, f"Family contact changed: {current}"
    )


@kernel.action
def end_family_contact(
    contact: FamilyContact,
    *,
    ended_on: dt.date,
    reason: str,
    actor: Actor,
    case: Case,
    today: dt.date | None = None,
) -> FamilyContact:
    """The contact is no longer one for the child (from `ended_on`, with why): kept for the
    history, no longer written to or sent notices."""
    today = kernel.local_today(today)
    current = FamilyContact.objects.select_for_update().get(pk=contact.pk)
    if current.ended_on is not None:
        raise ActionError("This contact has already ended")
    if ended_on > today:
        raise ActionError(
            "The date they stopped being a contact must be today or in the past", field="ended_on"
        )
    if not reason.strip():
        raise ActionError("Enter why they are no longer a contact", field="reason")
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    audit(
        actor,
        "update",
        current,
        f"Family contact ended: {current}",
        case=case,
        payload={"ended_on": ended_on.isoformat(), "reason": reason.strip()},
    )
    return current
