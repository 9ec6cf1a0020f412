"""Email the reminder to every confirmed registrant whose conference is near. Safe to run often."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from micro.events.services import reminders_send


def parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise CommandError("--now takes an ISO date and time with its offset, e.g. 2026-06-01T09:00:00+00:00.")
    return parsed


class Command(BaseCommand):
    help = "Send the reminder emails before conferences (each registrant gets one reminder, however often this runs)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", help="Pretend it is this moment (ISO 8601 with offset); for tests and catching up."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(now=parse_now(options.get("now")))
        self.stdout.write(f"Reminders sent: {sent}")
