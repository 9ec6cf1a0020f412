"""Lesson and activity Markdown to safe HTML (through ``micro.core.sanitize.render_markdown``).

Lesson images are written ``![alternative text](image:key)``; they become the address of the
view that serves the file (uploads are never served directly), and an empty alternative text
takes the image's own, in the reader's language. The rendered HTML is cached per lesson,
language and change time, so a busy lesson page does not render Markdown on every request.

Legal figures are written ``{{rule:KEY}}`` and come from the dated rule records of the migrant
path (``micro.pathway``): the figure, its source and the day it was recorded, with a warning
when it may be out of date. The cached HTML keeps a placeholder per figure and the figures are
put in on every request (one query, only for lessons that cite rules), so a new rule import
shows at once and each reader sees numbers in their own format.
"""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from micro.core.sanitize import render_markdown
from micro.learning.models import Lesson, LessonImage
from micro.learning.services.authoring import MARKDOWN_IMAGE
from micro.pathway.selectors import RULE_REFERENCE, rule_reference_html, rules_by_key

CACHE_SECONDS = 60 * 60
_PLACEHOLDER = "MICRORULE{index}X"


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def markdown_html(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3 in render_markdown


def rule_keys(text: str) -> list[str]:
    """The rule keys a text cites with ``{{rule:KEY}}``, in order of first appearance."""
    return list(dict.fromkeys(RULE_REFERENCE.findall(text or "")))


def _with_placeholders(text: str) -> tuple[str, list[str]]:
    """``text`` with every ``{{rule:KEY}}`` replaced by a Markdown-safe placeholder, and the keys."""
    keys = rule_keys(text)
    positions = {key: index for index, key in enumerate(keys)}
    replaced = RULE_REFERENCE.sub(lambda match: _PLACEHOLDER.format(index=positions[match.group(1)]), text or "")
    return replaced, keys


def _put_rules_in(html: str, keys: list[str]) -> str:
    if not keys:
        return html
    rules = rules_by_key(keys)
    for index, key in enumerate(keys):
        html = html.replace(_PLACEHOLDER.format(index=index), str(rule_reference_html(rules.get(key), key)))
    return html


def lesson_body_html(lesson: Lesson, body: str, images: list[LessonImage], language: str) -> SafeString:
    """The lesson body as safe HTML, with ``image:key`` and ``{{rule:KEY}}`` resolved (images prefetched)."""
    prepared, keys = _with_placeholders(body or "")
    stamp = lesson.updated_at.timestamp() if lesson.updated_at else 0
    key = f"learning:lesson:{lesson.pk}:{language}:{stamp}:{len(images)}"
    cached = cache.get(key)
    if cached is not None:
        return mark_safe(_put_rules_in(cached, keys))  # noqa: S308 - stored render_markdown output plus escaped figures
    by_key = {image.key: image for image in images}

    def resolve(match: object) -> str:
        alt = match.group("alt")  # type: ignore[attr-defined]
        target = match.group("target")  # type: ignore[attr-defined]
        image = by_key.get(target.removeprefix("image:")) if target.startswith("image:") else None
        if image is None:
            return _escape_alt(alt)  # unknown or external images are dropped, their text kept
        text = alt.strip() or image.localized(language).get("alt", "")
        return f"![{_escape_alt(text)}]({reverse('learning:lesson_image', args=[image.pk])})"

    html = render_markdown(MARKDOWN_IMAGE.sub(resolve, prepared))
    cache.set(key, html, CACHE_SECONDS)
    return mark_safe(_put_rules_in(html, keys))  # noqa: S308 - nh3-cleaned Markdown plus format_html-escaped figures
