"""Write a cohort's xAPI statements to a JSON file (an array, oldest first)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micro.learning.models import Cohort
from micro.learning.selectors.xapi import statements_for_cohort, statements_json_array


class Command(BaseCommand):
    help = "Export the xAPI statements of one cohort as a JSON array (use --output - for the standard output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cohort", type=int, required=True, help="The cohort's id.")
        parser.add_argument("--output", required=True, help="The file to write (replaced if it exists), or -.")

    def handle(self, *args: Any, **options: Any) -> None:
        cohort = Cohort.objects.filter(pk=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"There is no cohort with id {options['cohort']}.")
        pieces = statements_json_array(statements_for_cohort(cohort))
        output = options["output"]
        if output == "-":
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        # Written beside the target and renamed at the end: never a half-written file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        count = -2  # the opening and closing pieces
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                for piece in pieces:
                    stream.write(piece)
                    count += 1
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"{count} statements of cohort {cohort.pk} written to {target}.")
