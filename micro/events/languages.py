"""Languages a conference can be held in or interpreted into, with their names in the reader's language."""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

SIGN = "sgn"
# The partner countries' languages, then the largest migrant communities' (see ARCHITECTURE.md).
CODES = [
    "en",
    "it",
    "es",
    "fr",
    "de",
    "nl",
    "ar",
    "uk",
    "ro",
    "tr",
    "pt",
    "pl",
    "ru",
    "sq",
    "zh-hans",
    "bn",
    "fa",
    "ur",
    "hi",
    "pa",
    SIGN,
]


def language_name(code: str) -> str:
    """The language's name in the active language (Django's own catalogues translate them)."""
    if code == SIGN:
        return _("International Sign")
    if code not in LANG_INFO:
        return code
    return str(get_language_info(code)["name_translated"])


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in CODES]


def language_names(codes: list[str]) -> list[str]:
    return [language_name(code) for code in codes if isinstance(code, str)]
