from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "sendcase.inspection"
    verbose_name = "Ready for inspection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sendcase.inspection import rules  # noqa: F401 - registers the permissions
