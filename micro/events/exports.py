"""Registrations as CSV and XLSX for the organiser's spreadsheets.

Every text cell that a spreadsheet could read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe, so a hostile name cannot run anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from micro.events.languages import language_name
from micro.events.models import Event, Question, Registration

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def answer_text(question: Question, value: str) -> str:
    if question.kind == "choice":
        options = question.localized().get("options", [])
        try:
            return str(options[int(value)])
        except (ValueError, IndexError, TypeError):
            return value
    if question.kind == "yes_no":
        return {"yes": _("Yes"), "no": _("No")}.get(value, value)
    return value


def header(questions: list[Question]) -> list[str]:
    return [
        _("Registration"),
        _("Status"),
        _("Category"),
        _("Full name"),
        _("Email"),
        _("Organisation"),
        _("Language"),
        _("Interpretation into"),
        _("Accessibility or interpretation needs"),
        _("Participant list"),
        _("Follow-up"),
        _("Registered"),
        _("Checked in"),
        *[str(q.localized().get("label", q.pk)) for q in questions],
    ]


def rows(event: Event, registrations: Iterable[Registration], questions: list[Question]) -> Iterable[list[Any]]:
    with timezone.override(event.time_zone):
        for r in registrations:
            checkin = getattr(r, "checkin", None)
            row = [
                r.pk,
                r.get_status_display(),
                r.get_category_display(),
                r.full_name,
                r.email,
                r.organisation_name,
                language_name(r.language),
                language_name(r.interpretation_language) if r.interpretation_language else "",
                r.needs,
                _("Yes") if r.list_consent_at else _("No"),
                _("Yes") if r.followup_consent_at else _("No"),
                _when(r.created_at),
                _when(checkin.checked_in_at) if checkin else "",
                *[answer_text(q, (r.answers or {}).get(str(q.pk), "")) for q in questions],
            ]
            yield [safe_cell(str(cell)) if not isinstance(cell, int) else cell for cell in row]


def to_csv(event: Event, registrations: Iterable[Registration], questions: list[Question]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header(questions)])
    writer.writerows(rows(event, registrations, questions))
    # A byte-order mark lets spreadsheet programs read UTF-8 (accents, Arabic) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(event: Event, registrations: Iterable[Registration], questions: list[Question]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Registrations")[:31])
    sheet.append([safe_cell(cell) for cell in header(questions)])
    for row in rows(event, registrations, questions):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
