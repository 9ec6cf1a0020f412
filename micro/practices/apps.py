from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "micro.practices"
    label = "practices"
    verbose_name = "Best practices"
