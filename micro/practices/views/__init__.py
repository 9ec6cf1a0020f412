"""The repository's pages: thin views that parse, call one service or selector, and render."""

from micro.practices.views.authors import (
    attachment_add,
    attachment_delete,
    indicator_add,
    indicator_delete,
    practice_create,
    practice_edit,
    practice_submit,
    practice_translate,
    workspace,
)
from micro.practices.views.partners import board, reuse_edit, reuse_record
from micro.practices.views.public import attachment_download, practice_detail, practice_export_csv, practice_list
from micro.practices.views.reviewers import review, review_start, reviewer_remove, reviewers

__all__ = [
    "attachment_add",
    "attachment_delete",
    "attachment_download",
    "board",
    "indicator_add",
    "indicator_delete",
    "practice_create",
    "practice_detail",
    "practice_edit",
    "practice_export_csv",
    "practice_list",
    "practice_submit",
    "practice_translate",
    "reuse_edit",
    "reuse_record",
    "review",
    "review_start",
    "reviewer_remove",
    "reviewers",
    "workspace",
]
