"""Write the competence framework and the courses in the database back to content-pack files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from micro.learning.content import course_export


class Command(BaseCommand):
    help = "Export the competence framework and courses to content-pack files under --root."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", type=Path, required=True)
        parser.add_argument("--course", default=None, help="export only the course with this slug")

    def handle(self, *args: Any, **options: Any) -> None:
        written = course_export(root=options["root"], slug=options["course"])
        self.stdout.write(f"Wrote {written} files under {options['root']}.")
