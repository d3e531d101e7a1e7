from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "sendcase.returns"
    label = "returns"
