"""JSON API of the practices app (mounted at /api/practices/ by config/api.py).

Published practices only, with the filters of the search page. Texts come in the language of
``Accept-Language`` (or ``?lang=``), falling back like the pages do; ``translations`` in the detail
holds every language with its review status.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema

from micro.core.schemas import NUL_IN_PATH, UNAVAILABLE, ErrorOut
from micro.practices import selectors
from micro.practices.models import TEXT_FIELDS, Practice
from micro.practices.presentation import choice_labels, summary_record

router = Router(tags=["practices"])
MAX_LIMIT = 100
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class PracticeSummaryOut(Schema):
    id: int
    slug: str
    url: str
    title: str
    summary: str
    language: str = Field(description="Language of title and summary (after fallback)")
    translation_status: str = Field(description="reviewed or draft")
    languages: list[str]
    organisation: str
    organisation_slug: str
    country: str
    theme: str
    target_groups: list[str]
    legal_statuses: list[str]
    published_at: datetime | None
    is_example: bool


class PracticeListOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[PracticeSummaryOut]


class IndicatorOut(Schema):
    label: str
    value: str
    unit: str
    measured_on: date


class AttachmentOut(Schema):
    name: str
    title: str
    content_type: str
    size: int
    url: str


class LinkOut(Schema):
    title: str
    url: str


class ReuseOut(Schema):
    organisation: str
    adopted_on: date
    adaptation: str
    outcome: str
    people_reached: int | None
    language: str


class PracticeDetailOut(PracticeSummaryOut):
    texts: dict[str, str] = Field(description="Every part in the requested language, or the nearest one that has it")
    text_languages: dict[str, str] = Field(description="The language each part of ``texts`` is in")
    translations: dict[str, dict[str, str]]
    people_reached: int | None
    total_cost_eur: str | None
    started_on: date | None
    ended_on: date | None
    contact_name: str
    links: list[LinkOut]
    competence_codes: list[str]
    lesson_links: list[str]
    indicators: list[IndicatorOut]
    attachments: list[AttachmentOut]
    reuses: list[ReuseOut]


class CodeListsOut(Schema):
    country: dict[str, str]
    theme: dict[str, str]
    target_group: dict[str, str]
    legal_status: dict[str, str]


class PracticeFilters(Schema):
    q: str = Field("", max_length=200, description="Words to look for, in any language")
    country: list[str] = Field(default_factory=list)
    theme: list[str] = Field(default_factory=list)
    target_group: list[str] = Field(default_factory=list)
    legal_status: list[str] = Field(default_factory=list)
    lang: str = Field("", description="Language of the texts; Accept-Language when empty")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


def _language(requested: str) -> str:
    return requested if requested in LANGUAGE_CODES else (translation.get_language() or "en")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@router.get(
    "/",
    response={200: PracticeListOut, 422: ErrorOut, **UNAVAILABLE},
    summary="Published practices, filtered and searched",
)
def practice_list(request: HttpRequest, filters: Query[PracticeFilters]) -> dict[str, Any]:
    language = _language(filters.lang)
    found = selectors.practice_list_published(
        query=filters.q,
        filters={
            "country": filters.country,
            "theme": filters.theme,
            "target_group": filters.target_group,
            "legal_status": filters.legal_status,
        },
    )
    page = list(found[filters.offset : filters.offset + filters.limit])
    base = _base_url(request)
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "results": [summary_record(practice, language=language, base_url=base) for practice in page],
    }


@router.get("/codes", response=CodeListsOut, summary="The codes of the facets and their names")
def code_lists(request: HttpRequest) -> dict[str, dict[str, str]]:
    return choice_labels()


def _detail(practice: Practice, *, language: str, base: str) -> dict[str, Any]:
    loc = practice.localized(language)
    record = summary_record(practice, language=language, base_url=base)
    reuses = []
    for reuse in selectors.reuse_list_for_practice(practice):
        texts = reuse.localized(language)
        reuses.append(
            {
                "organisation": reuse.organisation.name,
                "adopted_on": reuse.adopted_on,
                "adaptation": texts.get("adaptation", ""),
                "outcome": texts.get("outcome", ""),
                "people_reached": reuse.people_reached,
                "language": texts.language,
            }
        )
    return {
        **record,
        "texts": {name: loc.get(name, "") for name in TEXT_FIELDS},
        "text_languages": {name: code for name, code in loc.get("field_languages", {}).items() if name in TEXT_FIELDS},
        "translations": {
            code: {key: str(value) for key, value in texts.items()} for code, texts in practice.translations.items()
        },
        "people_reached": practice.people_reached,
        "total_cost_eur": str(practice.total_cost) if practice.total_cost is not None else None,
        "started_on": practice.started_on,
        "ended_on": practice.ended_on,
        "contact_name": practice.contact_name,
        "links": practice.links,
        "competence_codes": practice.competence_codes,
        "lesson_links": practice.lesson_links,
        "indicators": [
            {
                "label": indicator.localized(language).get("label", ""),
                "value": str(indicator.value),
                "unit": indicator.unit,
                "measured_on": indicator.measured_on,
            }
            for indicator in practice.indicators.all()
        ],
        "attachments": [
            {
                "name": attachment.name,
                "title": attachment.title,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "url": base + _attachment_path(attachment.pk, language),
            }
            for attachment in practice.attachments.all()
        ],
        "reuses": reuses,
    }


def _attachment_path(pk: int, language: str) -> str:
    with translation.override(language):
        return reverse("practices:attachment", args=[pk])


@router.get(
    "/{slug}",
    response={200: PracticeDetailOut, 404: ErrorOut, **UNAVAILABLE},
    openapi_extra=NUL_IN_PATH,
    summary="One published practice with every part, translation, indicator, file and reuse",
)
def practice_detail(request: HttpRequest, slug: str, lang: str = "") -> dict[str, Any]:
    practice = selectors.practice_get_public(slug)  # Http404: config.api answers it with ErrorOut
    return _detail(practice, language=_language(lang), base=_base_url(request))
