from typing import Any

class NotificationsAPIClient:
    def __init__(self, api_key: str, base_url: str = ..., timeout: int = ...) -> None: ...
    def request(
        self, method: str, url: str, data: Any = None, params: Any = None
    ) -> dict[str, Any]: ...
    def send_sms_notification(
        self,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, Any] | None = None,
        reference: str | None = None,
        sms_sender_id: str | None = None,
    ) -> dict[str, Any]: ...
    def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: dict[str, Any] | None = None,
        reference: str | None = None,
        email_reply_to_id: str | None = None,
        one_click_unsubscribe_url: str | None = None,
        sanitise_content_for: str | None = None,
    ) -> dict[str, Any]: ...
    def send_letter_notification(
        self, template_id: str, personalisation: dict[str, Any], reference: str | None = None
    ) -> dict[str, Any]: ...
    def get_notification_by_id(self, id: str) -> dict[str, Any]: ...
