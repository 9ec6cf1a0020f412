"""How a practice is shown outside its page: machine-readable records (API, CSV) and lesson links.

The contact email is left out of the bulk exports (it stays on the practice page) so the open data
cannot be harvested for addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from micro.accounts.models import Country
from micro.practices.models import TEXT_FIELDS, LegalStatus, Practice, TargetGroup, Theme

_LANGUAGE_PREFIX = re.compile(r"^/([a-z]{2}(?:-[a-z]+)?)/")
_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def lesson_href(link: str, language: str) -> str:
    """A lesson of this platform opens in the reader's language (``/it/learn/…`` for an Italian reader)."""
    found = _LANGUAGE_PREFIX.match(link)
    if found and found.group(1) in _LANGUAGES:
        return f"/{language}/{link[found.end() :]}"
    return link


def practice_path(practice: Practice, language: str) -> str:
    with translation.override(language):
        return reverse("practices:detail", args=[practice.slug])


def summary_record(practice: Practice, *, language: str, base_url: str = "") -> dict[str, Any]:
    loc = practice.localized(language)
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "url": f"{base_url}{practice_path(practice, language)}",
        "title": loc.get("title", ""),
        "summary": loc.get("summary", ""),
        "language": loc.language,
        "translation_status": loc.status,
        "languages": practice.languages(),
        "organisation": practice.organisation.name,
        "organisation_slug": practice.organisation.slug,
        "country": practice.country,
        "theme": practice.theme,
        "target_groups": list(practice.target_groups),
        "legal_statuses": list(practice.legal_statuses),
        "published_at": practice.published_at,
        "is_example": practice.is_example,
    }


CSV_HEADER = [
    "id",
    "url",
    "title",
    "summary",
    "language",
    "translation_status",
    "languages",
    "organisation",
    "country",
    "theme",
    "target_groups",
    "legal_statuses",
    "published_at",
    "people_reached",
    "total_cost_eur",
    "started_on",
    "ended_on",
    *[name for name in TEXT_FIELDS if name not in ("title", "summary")],
    "competence_codes",
    "lesson_links",
    "links",
    "contact_name",
    "is_example",
]


def csv_rows(practices: Iterable[Practice], *, language: str, base_url: str) -> Iterator[list[Any]]:
    """One row per practice, texts in ``language`` (or the nearest available), codes as stored."""
    for practice in practices:
        loc = practice.localized(language)
        record = summary_record(practice, language=language, base_url=base_url)
        yield [
            record["id"],
            record["url"],
            record["title"],
            record["summary"],
            record["language"],
            record["translation_status"],
            " ".join(record["languages"]),
            record["organisation"],
            practice.country,
            practice.theme,
            " ".join(practice.target_groups),
            " ".join(practice.legal_statuses),
            practice.published_at.isoformat() if practice.published_at else "",
            practice.people_reached if practice.people_reached is not None else "",
            practice.total_cost if practice.total_cost is not None else "",
            practice.started_on.isoformat() if practice.started_on else "",
            practice.ended_on.isoformat() if practice.ended_on else "",
            *[loc.get(name, "") for name in TEXT_FIELDS if name not in ("title", "summary")],
            " ".join(practice.competence_codes),
            " ".join(practice.lesson_links),
            " ".join(link["url"] for link in practice.links),
            practice.contact_name,
            "yes" if practice.is_example else "no",
        ]


def choice_labels() -> dict[str, dict[str, str]]:
    """The code lists of the facets with their names in the active language."""
    return {
        "country": {value: str(label) for value, label in Country.choices},
        "theme": {value: str(label) for value, label in Theme.choices},
        "target_group": {value: str(label) for value, label in TargetGroup.choices},
        "legal_status": {value: str(label) for value, label in LegalStatus.choices},
    }
