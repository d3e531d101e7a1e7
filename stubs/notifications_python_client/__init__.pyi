# Type stubs for the parts of GOV.UK Notify's client that SENDcase uses (sendcase.core.notify).
# The package marks itself typed (py.typed) but leaves its methods unannotated, so every call
# would be untyped under mypy's strict mode.
from typing import Any

from notifications_python_client.notifications import (
    NotificationsAPIClient as NotificationsAPIClient,
)

def prepare_upload(
    f: Any,
    filename: str | None = ...,
    confirm_email_before_download: bool | None = ...,
    retention_period: str | None = ...,
) -> dict[str, Any]: ...
