from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "sendcase.information"
    verbose_name = "Information rights and complaints"
    default_auto_field = "django.db.models.BigAutoField"
