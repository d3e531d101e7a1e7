"""Every message the portal sends a family or young person (item 5 of issue 14): through GOV.UK
Notify, by the person's preferred channel (email, or text message), saying what happened, what
they can do, by when, and linking to the page. "By when" is the due date of a stored Deadline row
(the clock's answer), never counted here; a message where no date applies says why.

`MESSAGES` is the one list; `tests/portal/test_family_messages.py` checks that none lacks an action
or a date where one applies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from sendcase.casework.models import Case, Deadline
from sendcase.core import notify
from sendcase.core.models import NotifyMessage
from sendcase.statutory.dates import format_date


@dataclass(frozen=True)
class FamilyMessage:
    happened: str  # what happened, with {fields}
    action: str  # what they can do
    deadline: str | None  # the Deadline key whose due date is "by when"
    no_date_because: str = ""  # where no date applies, why
    page: str = "case"  # the portal page linked: "case", "messages" or "draft"


MESSAGES: dict[str, FamilyMessage] = {
    "ask_received": FamilyMessage(
        happened="The council received your request for an EHC needs assessment for "
        "{child_name} on {received_on}.",
        action="The council will tell you whether it will carry out an assessment. You can "
        "send your case officer a message, or add documents, in the portal.",
        deadline="decision_to_assess",
    ),
    "ask_being_checked": FamilyMessage(
        happened="The council received your request for an EHC needs assessment for "
        "{child_name} on {received_on}. An officer is checking the child's details.",
        action="You do not need to do anything. The council will write to you when your "
        "request is on a case you can see in the portal.",
        deadline=None,
        no_date_because="the clock counts from the day received; the decision date is "
        "sent when the case opens",
        page="start",
    ),
    "ask_added_to_case": FamilyMessage(
        happened="The council received your request about {child_name} on {received_on}. "
        "An officer has added it to the case the council already has for them, and you can "
        "now see that case in the portal.",
        action="Your case officer will reply to your request. You can send them a message, or "
        "add documents, in the portal.",
        deadline=None,
        no_date_because="the request joins a case whose dates are already set: the case page "
        "shows them",
    ),
    "reply": FamilyMessage(
        happened="Your case officer replied to your message about {child_name}.",
        action="Read the reply in the portal, and reply if you need to.",
        deadline=None,
        no_date_because="a reply asks nothing of the family by a date",
        page="messages",
    ),
    "draft_comments_received": FamilyMessage(
        happened="The council received your comments on the draft EHC plan for {child_name}.",
        action="Your case officer will consider them. You can add more comments in the portal "
        "until the window closes.",
        deadline="draft_comments_window",
        page="draft",
    ),
}


def by_when(case: Case, key: str | None) -> str:
    """The due date of the case's open deadline `key`, as GOV.UK writes a date ("" if none)."""
    if key is None:
        return ""
    row = (
        Deadline.objects.filter(case=case, key=key, due__isnull=False)
        .order_by("completed_on", "-trigger")
        .values_list("due", flat=True)
        .first()
    )
    return format_date(row) if row else ""


def link_for(spec: FamilyMessage, case: Case | None) -> str:
    base = settings.SENDCASE_PORTAL_URL.rstrip("/")
    if spec.page == "start" or case is None:
        return f"{base}/"
    if spec.page == "messages":
        return f"{base}/cases/{case.pk}/messages/"
    if spec.page == "draft":
        return f"{base}/cases/{case.pk}/draft/"
    return f"{base}/cases/{case.pk}/"


def personalisation(
    key: str, case: Case | None, name: str, child_name: str = "", **fields: str
) -> dict[str, str]:
    spec = MESSAGES[key]
    values = {"child_name": child_name or (case.child.full_name if case else ""), **fields}
    date = by_when(case, spec.deadline) if case is not None else ""
    return {
        "name": name,
        "what_happened": spec.happened.format(**values),
        "what_to_do": spec.action,
        "by_when": f"By {date}." if date else "",
        "link": link_for(spec, case),
    }


def send_to_person(
    person: Any, key: str, case: Case | None, *, reference: str = "", **fields: str
) -> None:
    """Queue the message for after the transaction commits, by the person's preferred channel
    (email where they have an address, else a text message where they have a number)."""
    data = personalisation(key, case, str(person), **fields)
    by_text = person.preferred_channel == "sms" and person.phone or not person.email
    to = person.phone if by_text else person.email
    if not to:
        return
    template = notify.TEMPLATES["portal_family_message"]
    reference = f"{case.reference if case else reference}-portal-{key}"

    def send() -> None:
        api = notify.client()
        if by_text:
            result = api.send_sms_notification(
                to, template, personalisation=data, reference=reference
            )
        else:
            result = api.send_email_notification(
                to, template, personalisation=data, reference=reference
            )
        # Staff see what was sent on the case.
        if case is not None:
            NotifyMessage.objects.filter(notify_id=str(result.get("id", ""))).update(
                case_id=case.pk
            )

    transaction.on_commit(send)
