"""The one translation mechanism for content (lessons, path steps, guides, glossary, practices).

Each translatable model keeps a ``translations`` JSON object: ``{"en": {"title": …, "status":
"reviewed"}, "ar": {…, "status": "draft"}}``. Adding a language needs no migration. Reading
walks the fallback chain (e.g. ar → fr → en) and says which language was used and its status,
so a page can show "not yet translated" or "translation not yet reviewed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

STATUS_REVIEWED = "reviewed"
STATUS_DRAFT = "draft"


def fallback_chain(language: str | None = None) -> list[str]:
    """Languages to try, in order, for ``language`` (the active one by default)."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    chain = [language, *settings.CONTENT_FALLBACKS.get(language, []), settings.LANGUAGE_CODE]
    seen: list[str] = []
    for code in chain:
        if code not in seen:
            seen.append(code)
    return seen


@dataclass(frozen=True)
class Localized:
    """One object's fields in the best available language."""

    data: dict[str, Any]
    language: str
    requested: str
    status: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def is_draft(self) -> bool:
        return self.status != STATUS_REVIEWED

    def __getitem__(self, key: str) -> Any:
        # A KeyError lets templates fall through to the attributes (is_draft, is_fallback…).
        return self.data[key]

    def get(self, key: str, default: Any = "") -> Any:
        return self.data.get(key, default)


def localize(translations: dict[str, dict[str, Any]], language: str | None = None) -> Localized:
    chain = fallback_chain(language)
    for code in chain:
        data = translations.get(code)
        if data:
            return Localized(data=data, language=code, requested=chain[0], status=data.get("status", STATUS_DRAFT))
    return Localized(data={}, language=chain[0], requested=chain[0], status=STATUS_DRAFT)


class TranslatableContent(models.Model):
    """Abstract base for content models that carry their texts in every language."""

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, language: str | None = None) -> Localized:
        return localize(self.translations, language)

    @property
    def loc(self) -> Localized:
        """The texts in the active language (templates: ``{{ step.loc.title }}``)."""
        return self.localized()

    def languages(self) -> list[str]:
        return sorted(self.translations)
