from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendcase.accounts"
    label = "accounts"

    def ready(self) -> None:
        # In ready(): the models must be loaded first.
        from sendcase.accounts import (
            roles,  # noqa: F401 - registers every staff permission (django-rules)
            signals,  # noqa: F401 - connects the audit handlers
        )
