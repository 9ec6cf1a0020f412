"""Anonymise or delete the registrations of conferences whose retention period is over."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micro.events.management.commands.send_event_reminders import parse_now
from micro.events.services import registrations_purge


class Command(BaseCommand):
    help = "Apply each conference's retention period to its registrations (anonymise or delete). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Pretend it is this moment (ISO 8601 with offset).")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = registrations_purge(now=parse_now(options.get("now")))
        self.stdout.write(f"Registrations purged: {purged}")
