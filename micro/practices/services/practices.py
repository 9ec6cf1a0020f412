"""Writing practices: create a draft, change it, translate it."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from micro.accounts.models import Organisation
from micro.core.content_i18n import STATUS_DRAFT, STATUS_REVIEWED
from micro.practices import permissions
from micro.practices.models import (
    Practice,
    Status,
)
from micro.practices.services._common import (
    _apply_structured,
    _audit,
    _ensure,
    _language,
    _log,
    _unique_slug,
    clean_texts,
    practice_reindex,
)


@transaction.atomic
def practice_create(
    *,
    user: Any,
    organisation: Organisation,
    language: str,
    texts: dict[str, Any],
    fields: dict[str, Any],
    token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Practice:
    """A new draft in ``organisation``, written in ``language``. The same ``token`` twice creates it once."""
    if token is not None:
        existing = Practice.objects.filter(client_token=token).first()
        if existing is not None:
            _ensure(existing.organisation_id in permissions.editable_organisation_ids(user))
            return existing
    _ensure(organisation.pk in permissions.editable_organisation_ids(user))
    language = _language(language)
    cleaned = clean_texts(texts)
    practice = Practice(
        organisation=organisation,
        original_language=language,
        translations={language: {**cleaned, "status": STATUS_DRAFT}},
        created_by=user,
        client_token=token,
        country=organisation.country,
    )
    _apply_structured(practice, dict(fields))
    practice.slug = _unique_slug(cleaned["title"])
    practice.full_clean()
    practice.save()
    _log(practice=practice, from_status="", to_status=Status.DRAFT, user=user)
    _audit("practice.create", user=user, practice=practice, request=request, language=language)
    practice_reindex(practice=practice)
    return practice


@transaction.atomic
def practice_update(
    *,
    user: Any,
    practice: Practice,
    texts: dict[str, Any],
    fields: dict[str, Any],
    request: HttpRequest | None = None,
) -> Practice:
    """Change the structured fields and the texts in the original language (drafts and returned only)."""
    locked = Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)
    _ensure(permissions.can_edit_practice(user, locked))
    cleaned = clean_texts(texts)
    _apply_structured(locked, dict(fields))
    locked.translations = {
        **locked.translations,
        locked.original_language: {**cleaned, "status": STATUS_DRAFT},
    }
    locked.full_clean()
    locked.save()
    _audit("practice.update", user=user, practice=locked, request=request)
    practice_reindex(practice=locked)
    return locked


@transaction.atomic
def practice_translate(
    *,
    user: Any,
    practice: Practice,
    language: str,
    texts: dict[str, Any],
    checked: bool,
    indicator_labels: dict[int, str] | None = None,
    request: HttpRequest | None = None,
) -> Practice:
    """Add or change the texts in another language; ``checked`` marks the translation reviewed.

    Empty texts remove the translation of that language.
    """
    locked = Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)
    _ensure(permissions.can_edit_practice(user, locked))
    language = _language(language)
    if language == locked.original_language:
        raise ValidationError({"language": _("This is the language the practice is written in: edit the practice.")})
    cleaned = clean_texts(texts, require_title=False)
    translations = dict(locked.translations)
    if cleaned:
        if not cleaned.get("title"):
            raise ValidationError({"title": _("Give the practice a title.")})
        translations[language] = {**cleaned, "status": STATUS_REVIEWED if checked else STATUS_DRAFT}
    else:
        translations.pop(language, None)
    locked.translations = translations
    locked.full_clean()
    locked.save(update_fields=["translations", "updated_at"])
    for indicator in locked.indicators.all():
        label = (indicator_labels or {}).get(indicator.pk, "").strip()[:200]
        labels = dict(indicator.translations)
        if label:
            labels[language] = {"label": label, "status": STATUS_REVIEWED if checked else STATUS_DRAFT}
        else:
            labels.pop(language, None)
        if labels != indicator.translations:
            indicator.translations = labels
            indicator.save(update_fields=["translations"])
    _audit("practice.translate", user=user, practice=locked, request=request, language=language, checked=checked)
    practice_reindex(practice=locked)
    return locked
