from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "micro.plans"
    label = "plans"
    verbose_name = "Business plans"
