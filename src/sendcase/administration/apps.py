from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "sendcase.administration"
    verbose_name = "Administration"
