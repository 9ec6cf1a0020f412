"""The trainer dashboard of a cohort and its CSV exports (learners' progress, item analysis).

Only the cohort's trainers and coordinators reach these pages (404 for anyone else). Viewing the
dashboard and exporting are audited: both show learners' personal records. Every text cell of an
export that a spreadsheet could read as a formula is neutralised (see ``micro.events.exports``).
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from micro.core.sanitize import render_markdown
from micro.core.services import audit_record
from micro.learning.selectors.dashboard import Dashboard, ItemRow, cohort_dashboard_for, percent
from micro.learning.views.courses import learner_required

LEARNERS_PER_PAGE = 100
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula (as in ``micro.events.exports``)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_response(filename: str, header: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def plain_prompt(item: ItemRow) -> str:
    """The question's prompt as plain text (its Markdown rendered, then the tags removed)."""
    return html.unescape(strip_tags(render_markdown(item.question.loc.get("prompt", "")))).strip()


def _xapi_export_url(cohort_id: int) -> str:
    """The cohort's xAPI statement export, when that area provides it."""
    try:
        return reverse("learning:xapi_export", kwargs={"cohort_id": cohort_id})
    except NoReverseMatch:
        return ""


def _audit(request: HttpRequest, board: Dashboard, action: str) -> None:
    audit_record(action=action, obj=board.cohort, request=request, detail={"learners": len(board.learners)})


@require_GET
@learner_required
def cohort_dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    board = cohort_dashboard_for(request.user, cohort_id)
    _audit(request, board, "learning.cohort.dashboard")
    page = Paginator(board.learners, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "board": board,
        "cohort": board.cohort,
        "page": page,
        "items": [(item, percent(item.stats.difficulty), plain_prompt(item)) for item in board.items],
        "xapi_url": _xapi_export_url(board.cohort.pk),
    }
    return render(request, "learning/dashboard.html", context)


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


@require_GET
@learner_required
def cohort_dashboard_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    board = cohort_dashboard_for(request.user, cohort_id)
    _audit(request, board, "learning.cohort.export_progress")
    header = [
        _("Learner"),
        _("E-mail"),
        _("Organisation"),
        _("Lessons completed"),
        _("Lessons in the course"),
        _("Progress (%)"),
        _("Completed of those due"),
        _("Lessons due by now"),
        _("Behind schedule"),
        _("Last active"),
        _("Days without activity"),
        _("Stuck on"),
        _("Absences"),
        _("Pre-test (%)"),
        _("Post-test (%)"),
        _("Normalised gain"),
    ]
    rows = (
        [
            row.enrolment.learner.full_name,
            row.enrolment.learner.email,
            row.enrolment.organisation.name,
            row.lessons_done,
            row.lessons_total,
            row.percent,
            row.due_done,
            row.due_total,
            _yes(row.behind),
            timezone.localtime(row.last_active).strftime("%Y-%m-%d %H:%M") if row.last_active else "",
            row.idle_days if row.idle_days is not None else "",
            "; ".join(f"{stuck.activity.loc.get('title', stuck.activity.slug)} ({stuck.tries})" for stuck in row.stuck),
            row.absences,
            row.gain.pre if row.gain else "",
            row.gain.post if row.gain else "",
            row.gain.normalised if row.gain else "",
        ]
        for row in board.learners
    )
    return _csv_response(f"cohort-{board.cohort.pk}-progress.csv", header, rows)


@require_GET
@learner_required
def item_analysis_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    board = cohort_dashboard_for(request.user, cohort_id)
    _audit(request, board, "learning.cohort.export_items")
    flags = {"low": _("low discrimination"), "negative": _("negative discrimination"), "too_few": _("too few answers")}
    header = [
        _("Quiz"),
        _("Question key"),
        _("Question"),
        _("Answers"),
        _("Difficulty (share correct)"),
        _("Discrimination (corrected point-biserial)"),
        _("Flag"),
    ]
    rows = (
        [
            item.activity.loc.get("title", item.activity.slug),
            item.question.key,
            plain_prompt(item),
            item.stats.responses,
            percent(item.stats.difficulty),
            "" if item.stats.discrimination is None else f"{item.stats.discrimination:.2f}",
            flags.get(item.stats.flag, ""),
        ]
        for item in board.items
    )
    return _csv_response(f"cohort-{board.cohort.pk}-items.csv", header, rows)


routes: list[URLPattern] = [
    path("cohorts/<int:cohort_id>/dashboard/", cohort_dashboard, name="cohort_dashboard"),
    path("cohorts/<int:cohort_id>/dashboard/progress.csv", cohort_dashboard_csv, name="cohort_dashboard_csv"),
    path("cohorts/<int:cohort_id>/dashboard/items.csv", item_analysis_csv, name="item_analysis_csv"),
]
