"""Load the content packs under content/ into the database (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from micro.pathway.content import content_import


class Command(BaseCommand):
    help = "Import the path, country rules, glossary and structured content packs from content/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", type=Path, default=None, help="content folder (default: content/)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = content_import(root=options["root"])
        self.stdout.write(
            f"Content: {report.stages} stages, {report.steps} steps, {report.rules} rules, "
            f"{report.terms} glossary terms, {report.data} data packs."
        )
        if report.errors:
            raise CommandError("Some content could not be read:\n" + "\n".join(report.errors))
