"""Write the path and glossary in the database back to content-pack files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from micro.pathway.content import content_export


class Command(BaseCommand):
    help = "Export stages, steps and glossary terms to content-pack files under --root."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        written = content_export(root=options["root"])
        self.stdout.write(f"Wrote {written} files under {options['root']}.")
