from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sendcase.demo"
    label = "demo"
