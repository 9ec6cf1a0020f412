from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "micro.core"
    label = "core"
    verbose_name = "Core"
