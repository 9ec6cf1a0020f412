from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "micro.events"
    label = "events"
    verbose_name = "Conferences"
