"""Emails and letters through GOV.UK Notify.

The production client is Notify's own Python client. Without NOTIFY_API_KEY the same
client runs with a local transport that records each message in NotifyMessage
instead of sending it: the request body is built by Notify's code exactly as it
would be for the real service, so the demo and the tests exercise the real path
up to the network.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from notifications_python_client.notifications import NotificationsAPIClient

from sendcase.core.models import NotifyMessage

# Template ids per message; a council sets its own ids from its Notify account.
TEMPLATES: dict[str, str] = {
    "decision_to_assess": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0001",
    "decision_not_to_assess": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0002",
    "draft_plan_issued": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0003",
    "final_plan_issued": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0004",
    "decision_not_to_issue": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0005",
    "review_decision": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0006",
    # To a member of staff: ((name)), ((reset_link)), ((valid_for)).
    "password_reset": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0007",
}
TEMPLATES.update(getattr(settings, "NOTIFY_TEMPLATES", {}))

# A well-formed key for the local transport (name-serviceid-secret); it never leaves this machine.
_LOCAL_KEY = "local-" + str(uuid.UUID(int=1)) + "-" + str(uuid.UUID(int=2))


class LocalNotifyClient(NotificationsAPIClient):
    """Notify's client with a transport that records messages in the database."""

    def request(
        self, method: str, url: str, data: Any = None, params: Any = None
    ) -> dict[str, Any]:
        data = data or {}
        channel = "email" if url.endswith("/email") else "sms" if url.endswith("/sms") else "letter"
        personalisation = data.get("personalisation") or {}
        recipient = (
            data.get("email_address")
            or data.get("phone_number")
            or personalisation.get("address_line_1", "")
        )
        message = NotifyMessage.objects.create(
            channel=channel,
            template_id=data.get("template_id", ""),
            recipient=recipient,
            personalisation=personalisation,
            reference=data.get("reference") or "",
            notify_id=str(uuid.uuid4()),
            status="delivered (local)",
        )
        return {
            "id": message.notify_id,
            "reference": message.reference,
            "template": {"id": message.template_id},
        }


def client() -> NotificationsAPIClient:
    if settings.NOTIFY_API_KEY:
        return NotificationsAPIClient(settings.NOTIFY_API_KEY)
    return LocalNotifyClient(_LOCAL_KEY, base_url="http://notify.local")


def notify_family(case: Any, message: str, personalisation: dict[str, str]) -> None:
    """After the transaction commits, send `message` to each current contact not known to lack
    parental responsibility: by email where we hold an address and they did not ask for
    letters, otherwise by letter, to the address `address_for_letter` gives."""
    from sendcase.casework.domain.contacts import address_for_letter  # circular import

    template_id = TEMPLATES[message]
    contacts = list(
        case.child.contacts.filter(ended_on__isnull=True).exclude(parental_responsibility=False)
    )
    case_id = case.pk

    def send() -> None:
        api = client()
        for contact in contacts:
            fields = {
                "name": contact.name,
                "child_name": case.child.full_name,
                "case_reference": case.reference,
                **personalisation,
            }
            reference = f"{case.reference}-{message}"
            # A notice is in writing: by email unless they asked for letters (a preference for
            # texts or calls, or none recorded, still takes the email address we hold).
            if contact.preferred_contact != "letter" and contact.email:
                result = api.send_email_notification(
                    contact.email, template_id, personalisation=fields, reference=reference
                )
            else:
                lines = address_for_letter(contact, recipient=contact)
                if len(lines) < 2:
                    continue  # Notify needs at least a name line and a postcode line; the officer sees no address
                address = {
                    f"address_line_{i}": line
                    for i, line in enumerate([contact.name, *lines][:7], start=1)
                }
                result = api.send_letter_notification(
                    template_id, {**fields, **address}, reference=reference
                )
            NotifyMessage.objects.filter(notify_id=result.get("id", "")).update(case_id=case_id)

    transaction.on_commit(send)
