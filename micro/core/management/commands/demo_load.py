"""Load the demo organisations, users and content of every app. Development only."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo organisations, accounts and content (refuses to run when DEBUG is off)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo loader only runs with DEBUG on: it creates accounts with a published password."
            )
        # Each app may ship a ``demo`` module with ``load(stdout)``; apps run in INSTALLED_APPS order
        # so later apps can rely on the organisations and users of ``accounts``.
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name.startswith("micro.") and find_spec(module_name) is not None:
                    import_module(module_name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
