"""Load the course content packs under content/courses/ into the database (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from micro.learning.content import course_import


class Command(BaseCommand):
    help = "Import the competence framework and the courses from content/courses/ (or --root)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", type=Path, default=None, help="courses folder (default: content/courses/)")
        parser.add_argument("--course", default=None, help="import only this course folder")

    def handle(self, *args: Any, **options: Any) -> None:
        report = course_import(root=options["root"], only=options["course"])
        self.stdout.write(
            f"Courses: {report.references} reference competences, {report.competences} operator competences, "
            f"{report.courses} courses, {report.lessons} lessons, {report.questions} questions, "
            f"{report.activities} activities, {report.retired} items retired."
        )
        if report.errors:
            raise CommandError("Some content could not be imported:\n" + "\n".join(report.errors))
