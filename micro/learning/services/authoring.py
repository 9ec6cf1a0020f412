"""Checks shared by the content import and the admin, so both refuse the same mistakes."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from micro.core.content_i18n import STATUS_DRAFT, STATUS_REVIEWED
from micro.learning.models import Competence

MAX_SCENARIO_SCORE = 3
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES) | frozenset(
    code for chain in settings.CONTENT_FALLBACKS.values() for code in chain
)
# Markdown images: ![alt](target "title")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def translations_check(value: Any, *, required: tuple[str, ...] = ()) -> list[str]:
    """Problems with a ``translations`` value ({lang: {field: text, "status": …}}), in English."""
    problems: list[str] = []
    if not isinstance(value, dict):
        return ["translations must be a mapping of language codes to texts"]
    for lang, texts in value.items():
        if not isinstance(lang, str) or not LANGUAGE_CODE.match(lang):
            problems.append(f"{lang!r} is not a language code")
            continue
        if not isinstance(texts, dict):
            problems.append(f"{lang}: the texts must be a mapping of field names to text")
            continue
        status = texts.get("status", STATUS_DRAFT)
        if status not in (STATUS_DRAFT, STATUS_REVIEWED):
            problems.append(f"{lang}: status must be draft or reviewed")
        for name, text in texts.items():
            if isinstance(text, list):
                if not all(isinstance(item, str) for item in text):
                    problems.append(f"{lang}.{name}: a list of texts only")
            elif not isinstance(text, str):
                problems.append(f"{lang}.{name}: must be text")
        for name in required:
            if not str(texts.get(name, "")).strip():
                problems.append(f"{lang}: {name} is missing")
    return problems


def lesson_body_check(body: str, image_keys: set[str]) -> list[str]:
    """Every image of a lesson body is a lesson image (``image:key``).

    Lesson images always carry their own alternative text, which an empty ``![](image:key)`` takes;
    anything else (an external picture) is refused, because it would have no checked alternative
    text and would break the page's content security policy.
    """
    problems = []
    for match in MARKDOWN_IMAGE.finditer(body or ""):
        target = match.group("target")
        if not target.startswith("image:"):
            problems.append(f"image {target!r}: use a lesson image, written as image:<key>")
        elif target.removeprefix("image:") not in image_keys:
            problems.append(f"image {target!r}: no lesson image with this key")
    return problems


def scenario_scores_clean(scores: Any) -> dict[str, int]:
    """``{competence code: 0–3}`` with known codes, or a ValidationError."""
    if scores in (None, ""):
        return {}
    if not isinstance(scores, dict):
        raise ValidationError(_("Scores must map competence codes to points."))
    known = set(Competence.objects.filter(code__in=[str(code) for code in scores]).values_list("code", flat=True))
    cleaned: dict[str, int] = {}
    for code, points in scores.items():
        if str(code) not in known:
            raise ValidationError(_("Unknown competence code: %(code)s") % {"code": code})
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_SCENARIO_SCORE:
            raise ValidationError(
                _("Points for %(code)s must be a whole number from 0 to %(max)d.")
                % {"code": code, "max": MAX_SCENARIO_SCORE}
            )
        cleaned[str(code)] = points
    return cleaned
