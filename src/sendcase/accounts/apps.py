from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendcase.accounts"
    label = "accounts"
