"""Public pages: search, practice page, files, CSV."""

from __future__ import annotations

import csv
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from micro.practices import permissions, selectors, services
from micro.practices.models import FIELD_LABELS, TEXT_FIELDS, Practice
from micro.practices.presentation import CSV_HEADER, csv_rows, lesson_href
from micro.practices.views._common import _language, _search_inputs


@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    form, query, filters, page = _search_inputs(request)
    result = selectors.practice_search(query=query, filters=filters, page=page)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "dimensions": [
            (dimension.key, _dimension_label(dimension.key), result.facets[dimension.key])
            for dimension in selectors.DIMENSIONS
        ],
        "query_string": params.urlencode(),
        "can_create": permissions.can_create_practice(request.user),
        "is_staff_member": permissions.can_view_board(request.user),
    }
    return render(request, "practices/list.html", context)


def _dimension_label(key: str) -> str:
    return {
        "country": _("Country"),
        "theme": _("Theme"),
        "target_group": _("Target group"),
        "legal_status": _("Legal status"),
    }[key]


def _sections(practice: Practice, loc: Any) -> list[tuple[str, Any, str, str]]:
    """(name, heading, text, language of the text) of each long part, in the order of the template."""
    sources = loc.get("field_languages", {})
    return [
        (name, FIELD_LABELS[name], loc.get(name, ""), sources.get(name, loc.language))
        for name in TEXT_FIELDS
        if name not in ("title", "summary")
    ]


def _detail_context(request: HttpRequest, practice: Practice) -> dict[str, Any]:
    user = request.user
    loc = practice.localized()
    context: dict[str, Any] = {
        "practice": practice,
        "loc": loc,
        "sections": _sections(practice, loc),
        "partial": any(code != loc.language for code in loc.get("field_languages", {}).values()),
        "indicators": [(indicator, indicator.localized()) for indicator in practice.indicators.all()],
        "attachments": list(practice.attachments.all()),
        "lesson_links": [(link, lesson_href(link, _language())) for link in practice.lesson_links],
        "reuses": [
            (reuse, reuse.localized(), permissions.can_edit_reuse(user, reuse))
            for reuse in selectors.reuse_list_for_practice(practice)
        ],
        "related": selectors.practice_related(practice) if practice.is_published else [],
        "can_edit": permissions.can_edit_practice(user, practice),
        "can_submit": permissions.can_submit_practice(user, practice),
        "can_review": permissions.can_review_practice(user, practice),
        "can_assign": permissions.can_assign_reviewers(user, practice),
        "can_record_reuse": permissions.can_record_reuse(user, practice),
        "languages": practice.languages(),
    }
    if permissions.can_read_history(user, practice):
        context["reviews"] = selectors.review_list_for_practice(practice)
        context["transitions"] = selectors.transition_list_for_practice(practice)
        context["missing"] = [FIELD_LABELS.get(name, name) for name in services.missing_for_submission(practice)]
        context["show_workflow"] = True
    return context


@require_GET
def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_get_for_user(request.user, slug)
    response = render(request, "practices/detail.html", _detail_context(request, practice))
    if not practice.is_published:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=not attachment.is_image, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not attachment.practice.is_published:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def practice_export_csv(request: HttpRequest) -> HttpResponse:
    _form, query, filters, _page = _search_inputs(request)
    practices = selectors.practice_list_published(query=query, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="micro-practices.csv"'
    response.write("\ufeff")  # so spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    base = request.build_absolute_uri("/")[:-1]
    for row in csv_rows(practices, language=_language(), base_url=base):
        writer.writerow([_csv_safe(cell) for cell in row])
    return response
