from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendcase.accounts"
    label = "accounts"

    def ready(self) -> None:
        from sendcase.accounts import signals  # noqa: F401 - connects the audit handlers
