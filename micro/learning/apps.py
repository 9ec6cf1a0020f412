from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "micro.learning"
    label = "learning"
    verbose_name = "Operator e-learning"
