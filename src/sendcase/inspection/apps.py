from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "sendcase.inspection"
    verbose_name = "Ready for inspection"
    default_auto_field = "django.db.models.BigAutoField"
