from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendcase.core"
    label = "core"

    def ready(self) -> None:
        # Registers the SQLite function the audit log's triggers read (core/audit_lock.py).
        from sendcase.core import audit_lock  # noqa: F401  # models must be loaded first
