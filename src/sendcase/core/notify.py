"""Emails and letters through GOV.UK Notify.

The production client is Notify's own Python client. Without NOTIFY_API_KEY the same
client runs with a local transport that records each message in NotifyMessage
instead of sending it: the request body is built by Notify's code exactly as it
would be for the real service, so the demo and the tests exercise the real path
up to the network.
"""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from typing import Any

from django.conf import settings
from notifications_python_client import prepare_upload
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
    # ((decision_date)), ((appeal_by)): a decision to cease the plan, with appeal rights.
    "cease_decision": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0c01",
    # To a member of staff: ((name)), ((reset_link)), ((valid_for)).
    "password_reset": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0007",
    # A letter written in SENDcase (sendcase.documents): ((subject)) and ((body)), by email, or by
    # post with the address lines; ((link)) to the letter in the portal. By email,
    # ((letter_file)) is the letter's PDF, sent as a file (Notify's "send a file by email").
    "letter_email": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0008",
    "letter_post": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0009",
    # To a family contact (email or text): ((name)), ((child_name)), ((code)), ((valid_until)),
    # ((portal_link)). Says what to do (sign in, enter the code) and by when.
    "portal_link_code": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a000a",
    # To a school's or a service's colleague: ((name)), ((organisation)), ((code)),
    # ((valid_until)), ((portal_link)).
    "portal_colleague_code": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a000b",
    # To a family or young person in the portal (portal/family_messages.py): ((name)),
    # ((what_happened)), ((what_to_do)), ((by_when)), ((link)), by email or text message.
    "portal_family_message": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a0f01",
    # To a school's or a service's person about work waiting for them in the portal: ((name)),
    # ((what_happened)), ((what_to_do)), ((by_when)), ((portal_link)) (portal/work.py).
    "portal_work": "6c1b5f2e-0d6f-4b7e-9a39-1d2f0c1a000c",
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
        personalisation: dict[str, Any] = {
            name: _recorded_file(value) if _is_file(value) else value
            for name, value in (data.get("personalisation") or {}).items()
        }
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


def _is_file(value: Any) -> bool:
    return isinstance(value, dict) and "file" in value


def _recorded_file(value: dict[str, Any]) -> dict[str, Any]:
    """What the local transport keeps of a file sent by email: that one was attached, its name
    and size (the bytes stay in the Correspondence row's copy, not in every message)."""
    try:
        size = len(base64.b64decode(value.get("file") or "", validate=True))
    except (binascii.Error, ValueError):
        size = 0
    return {
        "file_attached": True,
        "filename": value.get("filename") or "",
        "size": size,
        "confirm_email_before_download": value.get("confirm_email_before_download"),
        "retention_period": value.get("retention_period"),
    }


def client() -> NotificationsAPIClient:
    if settings.NOTIFY_API_KEY:
        return NotificationsAPIClient(settings.NOTIFY_API_KEY)
    return LocalNotifyClient(_LOCAL_KEY, base_url="http://notify.local")


def send_written(
    channel: str,
    to: str | list[str],
    personalisation: dict[str, str],
    reference: str,
    case_id: int | None = None,
    *,
    attachment: tuple[str, bytes] | None = None,
) -> tuple[str, str]:
    """Send a letter written in SENDcase now, by email (`to` an email address) or by post (`to`
    the address lines, the recipient's name first). Returns Notify's id and the status to show:
    the local transport's recorded status, else "sending" until Notify reports delivery.

    By email, `attachment` (a file name and its bytes: the letter's PDF) goes as a file in
    ((letter_file)), through Notify's `prepare_upload`; the recipient confirms their email
    address before downloading it. A file over Notify's 2MB limit is left out (the email still
    carries the letter's text and the link to it in the portal)."""
    api = client()
    if channel == "email":
        fields: dict[str, Any] = {**personalisation, "letter_file": ""}
        if attachment is not None:
            filename, data = attachment
            try:
                fields["letter_file"] = prepare_upload(
                    io.BytesIO(data), filename=filename, confirm_email_before_download=True
                )
            except ValueError:  # larger than Notify accepts
                pass
        result = api.send_email_notification(
            str(to), TEMPLATES["letter_email"], personalisation=fields, reference=reference
        )
    else:
        lines = [to] if isinstance(to, str) else to
        address = {f"address_line_{i}": line for i, line in enumerate(lines[:7], start=1)}
        result = api.send_letter_notification(
            TEMPLATES["letter_post"], {**personalisation, **address}, reference=reference
        )
    notify_id = str(result.get("id", ""))
    NotifyMessage.objects.filter(notify_id=notify_id).update(case_id=case_id)
    local = NotifyMessage.objects.filter(notify_id=notify_id).values_list("status", flat=True)
    return notify_id, (local.first() or "sending") if notify_id else "failed"


def delivery_status(notify_id: str) -> str:
    """Notify's delivery status of a message (delivered, permanent-failure, ...)."""
    local = (
        NotifyMessage.objects.filter(notify_id=notify_id).values_list("status", flat=True).first()
    )
    if local is not None:
        return local
    return str(client().get_notification_by_id(notify_id).get("status", ""))
