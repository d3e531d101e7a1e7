from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sendcase.finance"
    label = "finance"
