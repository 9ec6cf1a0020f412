"""Import and export of course content packs (format: ``content/courses/README.md``).

* One file per item and language (``name.<lang>.md`` / ``name.<lang>.yaml``); the *structure*
  (order, minutes, competences, answers, links between items…) is read from the source language
  file (English when present), the *texts* from every language's file, matched by stable keys.
* The import upserts by slug and key and is idempotent: importing the same pack twice changes
  nothing. Modules, lessons, activities and questions that left the pack are **retired**, never
  deleted, so no learner's record loses its question; smaller parts (choices, nodes, rubric
  levels, images) are replaced.
* Numeric questions with ``compute`` get their answer from the finance core at import time; an
  ``answer`` typed next to it must agree, or the course is refused.
* Each course is imported in its own savepoint: a course with an error is left as it was and the
  error is reported; the others are imported.
"""

from micro.learning.content.exporter import course_export
from micro.learning.content.importer import course_import
from micro.learning.content.pack import ImportReport, PackError, courses_root

__all__ = ["ImportReport", "PackError", "course_export", "course_import", "courses_root"]
