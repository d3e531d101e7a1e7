from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "sendcase.casework"
    label = "casework"
