from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sendcase.portal"
    label = "portal"
    verbose_name = "Portal for families, schools and professionals"

    def ready(self) -> None:
        from sendcase.portal import signals  # noqa: F401 - staff sign-in ends a portal session
