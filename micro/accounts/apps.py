from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "micro.accounts"
    label = "accounts"
    verbose_name = "Accounts"
