"""Send the pending xAPI statements to the external learning record store now (safe to run often)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micro.learning.services.xapi import lrs_configured, max_forward_attempts, statements_forward


class Command(BaseCommand):
    help = (
        "Forward pending xAPI statements to XAPI_LRS_ENDPOINT in batches. A statement is sent once; "
        "after a failure the rest stays pending for the next run."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=None, help="Statements per request.")
        parser.add_argument(
            "--if-configured",
            action="store_true",
            help="Exit quietly when no store is configured (for a timer installed on every server).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not lrs_configured():
            if options.get("if_configured"):
                self.stdout.write("No learning record store is configured (XAPI_LRS_ENDPOINT): nothing to do.")
                return
            raise CommandError("No learning record store is configured: set XAPI_LRS_ENDPOINT.")
        batch_size = options.get("batch_size")
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        report = statements_forward(batch_size=batch_size)
        self.stdout.write(f"Forwarded: {report.sent}. Still pending: {report.pending}.")
        if report.parked:
            self.stdout.write(
                f"Refused by the store {max_forward_attempts()} times and no longer sent: {report.parked} "
                "(see 'xAPI statements' in the admin, filtered by 'waiting')."
            )
        if report.error:
            raise CommandError(f"Forwarding stopped: {report.error}")
