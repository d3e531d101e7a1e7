from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "sendcase.reporting"
    label = "reporting"
