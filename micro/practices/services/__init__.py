"""Every write of the practice repository: practices, translations, workflow, reviews, targets, reuse.

Each function is keyword-only, atomic, checks the permission again (the API and the views both call
here), validates before saving and writes an audit row. Workflow moves go through ``_move``, the
only place that changes ``Practice.status``; it refuses any move not in ``ALLOWED`` and logs each
one as a ``PracticeTransition``.
"""

from micro.practices.services._common import (
    ALLOWED,
    COMPETENCE_CODE,
    LANGUAGE_CODES,
    LOCAL_PATH,
    MAX_ATTACHMENTS,
    MAX_CODES,
    MAX_INDICATORS,
    MAX_LINKS,
    MAX_REUSE_TEXT,
    RESERVED_SLUGS,
    STRUCTURED,
    TransitionError,
    clean_codes,
    clean_lesson_links,
    clean_links,
    clean_texts,
    field_label,
    missing_for_submission,
    practice_reindex,
)
from micro.practices.services.partners import reuse_record, reuse_update, target_set
from micro.practices.services.parts import attachment_add, attachment_delete, indicator_add, indicator_delete
from micro.practices.services.practices import practice_create, practice_translate, practice_update
from micro.practices.services.workflow import (
    _move,
    practice_start_review,
    practice_submit,
    review_submit,
    reviewer_assign,
    reviewer_unassign,
)

__all__ = [
    "ALLOWED",
    "COMPETENCE_CODE",
    "LANGUAGE_CODES",
    "LOCAL_PATH",
    "MAX_ATTACHMENTS",
    "MAX_CODES",
    "MAX_INDICATORS",
    "MAX_LINKS",
    "MAX_REUSE_TEXT",
    "RESERVED_SLUGS",
    "STRUCTURED",
    "TransitionError",
    "_move",
    "attachment_add",
    "attachment_delete",
    "clean_codes",
    "clean_lesson_links",
    "clean_links",
    "clean_texts",
    "field_label",
    "indicator_add",
    "indicator_delete",
    "missing_for_submission",
    "practice_create",
    "practice_reindex",
    "practice_start_review",
    "practice_submit",
    "practice_translate",
    "practice_update",
    "reuse_record",
    "reuse_update",
    "review_submit",
    "reviewer_assign",
    "reviewer_unassign",
    "target_set",
]
