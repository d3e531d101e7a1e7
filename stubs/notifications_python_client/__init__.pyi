# Type stubs for the parts of GOV.UK Notify's client that SENDcase uses (sendcase.core.notify).
# The package marks itself typed (py.typed) but leaves its methods unannotated, so every call
# would be untyped under mypy's strict mode.
from notifications_python_client.notifications import NotificationsAPIClient as NotificationsAPIClient
