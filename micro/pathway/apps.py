from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "micro.pathway"
    label = "pathway"
    verbose_name = "Migrant path"
