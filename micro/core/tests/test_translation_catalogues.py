"""Every UI language ships a complete catalogue: no untranslated and no fuzzy entries.

This stays strict on purpose: a language ships only at 100 % of its catalogue.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def catalogue_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", TRANSLATED_LANGUAGES)
def test_every_ui_language_has_a_catalogue(code: str) -> None:
    assert catalogue_path(code).is_file(), f"{catalogue_path(code)} is missing"


@pytest.mark.parametrize("code", TRANSLATED_LANGUAGES)
def test_catalogue_is_complete_and_reviewed(code: str) -> None:
    path = catalogue_path(code)
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    catalogue = polib.pofile(str(path))
    live = [entry for entry in catalogue if not entry.obsolete]
    untranslated = [entry.msgid for entry in live if not entry.translated() and "fuzzy" not in entry.flags]
    fuzzy = [entry.msgid for entry in live if "fuzzy" in entry.flags]

    assert live, f"{path} has no entries"
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
