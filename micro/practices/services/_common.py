"""Rules shared by the services: limits, validation, the search document, the workflow log."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from micro.core import content_cache
from micro.core.services import audit_record
from micro.practices import search
from micro.practices.models import (
    FIELD_LABELS,
    LONG_TEXT_LIMIT,
    REQUIRED_TO_SUBMIT,
    TEXT_FIELDS,
    TEXT_LIMITS,
    LegalStatus,
    Practice,
    PracticeTransition,
    Status,
    TargetGroup,
)

ALLOWED: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.PUBLISHED, Status.RETURNED}),
    Status.PUBLISHED: frozenset(),
}
MAX_LINKS = 20
MAX_CODES = 30
MAX_INDICATORS = 30
MAX_ATTACHMENTS = 20
MAX_REUSE_TEXT = 5000
COMPETENCE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,19}$")
LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_.~%-]*$")
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class TransitionError(ValidationError):
    """A workflow move that is not allowed from the practice's current status."""


STRUCTURED = (
    "country",
    "theme",
    "target_groups",
    "legal_statuses",
    "people_reached",
    "total_cost",
    "started_on",
    "ended_on",
    "contact_name",
    "contact_email",
    "links",
    "competence_codes",
    "lesson_links",
)


# Slugs that are page addresses of the repository (``/practices/new/``…), never given to a practice.
RESERVED_SLUGS = frozenset({"feed", "mine", "new", "board", "files", "manage", "reuse", "export"})


def _language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the platform languages.")})
    return code


def clean_texts(texts: dict[str, Any], *, require_title: bool = True) -> dict[str, str]:
    """The texts of one language, trimmed and checked (type, length). Unknown keys are dropped."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        value = texts.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.setdefault(name, []).append(_("Enter text."))
            continue
        value = value.replace("\x00", "").strip()
        limit = TEXT_LIMITS.get(name, LONG_TEXT_LIMIT)
        if len(value) > limit:
            errors.setdefault(name, []).append(_("Write at most %(limit)d characters.") % {"limit": limit})
        if value:
            cleaned[name] = value
    if require_title and not cleaned.get("title") and "title" not in errors:
        errors["title"] = [_("Give the practice a title.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _choices(values: Any, allowed: list[str], field: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError({field: _("Choose from the list.")})
    result: list[str] = []
    for value in values:
        if value not in allowed:
            raise ValidationError({field: _("Choose from the list.")})
        if value not in result:
            result.append(value)
    return result


def clean_links(links: Any) -> list[dict[str, str]]:
    if not isinstance(links, list | tuple) or len(links) > MAX_LINKS:
        raise ValidationError({"links": _("Give at most %(count)d links.") % {"count": MAX_LINKS}})
    validate = URLValidator(schemes=["http", "https"])
    result = []
    for link in links:
        url = str(link.get("url", "") if isinstance(link, dict) else link).strip()
        title = str(link.get("title", "") if isinstance(link, dict) else "").strip()[:200]
        try:
            validate(url)
        except ValidationError as error:
            raise ValidationError(
                {"links": _("This is not a web address starting with https://: %(url)s") % {"url": url[:80]}}
            ) from error
        if len(url) > 500:
            raise ValidationError({"links": _("A web address may have at most 500 characters.")})
        result.append({"title": title, "url": url})
    return result


def clean_codes(codes: Any) -> list[str]:
    if not isinstance(codes, list | tuple) or len(codes) > MAX_CODES:
        raise ValidationError({"competence_codes": _("Give at most %(count)d codes.") % {"count": MAX_CODES}})
    result: list[str] = []
    for code in codes:
        code = str(code).strip().upper()
        if not COMPETENCE_CODE.match(code):
            raise ValidationError(
                {"competence_codes": _("A competence code is letters, digits and dashes, like EF-1 or IC-2.")}
            )
        if code not in result:
            result.append(code)
    return result


def clean_lesson_links(links: Any) -> list[str]:
    if not isinstance(links, list | tuple) or len(links) > MAX_LINKS:
        raise ValidationError({"lesson_links": _("Give at most %(count)d lessons.") % {"count": MAX_LINKS}})
    validate = URLValidator(schemes=["http", "https"])
    result: list[str] = []
    for link in links:
        link = str(link).strip()
        if len(link) > 500:
            raise ValidationError({"lesson_links": _("A web address may have at most 500 characters.")})
        if not LOCAL_PATH.match(link):
            try:
                validate(link)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "lesson_links": _(
                            "Give the address of a lesson of this platform, like /en/learn/…, or a https:// link."
                        )
                    }
                ) from error
        if link not in result:
            result.append(link)
    return result


STRUCTURED = (
    "country",
    "theme",
    "target_groups",
    "legal_statuses",
    "people_reached",
    "total_cost",
    "started_on",
    "ended_on",
    "contact_name",
    "contact_email",
    "links",
    "competence_codes",
    "lesson_links",
)


def _apply_structured(practice: Practice, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(STRUCTURED)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "target_groups" in fields:
        fields["target_groups"] = _choices(fields["target_groups"], TargetGroup.values, "target_groups")
    if "legal_statuses" in fields:
        fields["legal_statuses"] = _choices(fields["legal_statuses"], LegalStatus.values, "legal_statuses")
    if "links" in fields:
        fields["links"] = clean_links(fields["links"])
    if "competence_codes" in fields:
        fields["competence_codes"] = clean_codes(fields["competence_codes"])
    if "lesson_links" in fields:
        fields["lesson_links"] = clean_lesson_links(fields["lesson_links"])
    for name, value in fields.items():
        setattr(practice, name, value)
    if practice.started_on and practice.ended_on and practice.ended_on < practice.started_on:
        raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})


# Slugs that are page addresses of the repository (``/practices/new/``…), never given to a practice.
RESERVED_SLUGS = frozenset({"feed", "mine", "new", "board", "files", "manage", "reuse", "export"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "practice"
    taken = set(Practice.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _audit(action: str, *, user: Any, practice: Practice, request: HttpRequest | None, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=user,
        obj=practice,
        organisation_id=practice.organisation_id,
        request=request,
        detail=detail,
    )


def practice_reindex(*, practice: Practice) -> None:
    """Rewrite the stored search texts (all languages) and, on PostgreSQL, the search vector."""
    titles = [texts.get("title", "") for texts in practice.translations.values()]
    parts: list[Any] = [*titles, practice.organisation.name, *practice.competence_codes]
    for texts in practice.translations.values():
        parts += [texts.get(name, "") for name in TEXT_FIELDS if name != "title"]
    for indicator in practice.indicators.all():
        parts += [texts.get("label", "") for texts in indicator.translations.values()]
    Practice.objects.filter(pk=practice.pk).update(
        search_title=search.document(titles), search_document=search.document(parts)
    )
    if search.is_postgresql():
        Practice.objects.filter(pk=practice.pk).update(search_vector=search.vector_expression())
    # update() sends no signal: searches remembered by any worker (selectors.search_memory) are stale.
    content_cache.bump()


def missing_for_submission(practice: Practice) -> list[str]:
    """Names of the parts still empty that a practice needs before review."""
    texts = practice.translations.get(practice.original_language, {})
    missing = [name for name in REQUIRED_TO_SUBMIT if not texts.get(name)]
    if not practice.target_groups:
        missing.append("target_groups")
    if not practice.legal_statuses:
        missing.append("legal_statuses")
    return missing


def _log(*, practice: Practice, from_status: str, to_status: str, user: Any, comment: str = "") -> PracticeTransition:
    actor = user if getattr(user, "is_authenticated", False) else None
    step = PracticeTransition(
        practice=practice, from_status=from_status or to_status, to_status=to_status, actor=actor, comment=comment
    )
    step.full_clean()
    step.save()
    return step


def field_label(name: str) -> Any:
    """The label of a practice part, as the forms show it."""
    return FIELD_LABELS.get(name, name)
