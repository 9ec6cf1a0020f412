"""Lesson and activity Markdown to safe HTML (through ``micro.core.sanitize.render_markdown``).

Lesson images are written ``![alternative text](image:key)``; they become the address of the
view that serves the file (uploads are never served directly), and an empty alternative text
takes the image's own, in the reader's language. The rendered HTML is cached per lesson,
language and change time, so a busy lesson page does not render Markdown on every request.
"""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from micro.core.sanitize import render_markdown
from micro.learning.models import Lesson, LessonImage
from micro.learning.services.authoring import MARKDOWN_IMAGE

CACHE_SECONDS = 60 * 60


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def markdown_html(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3 in render_markdown


def lesson_body_html(lesson: Lesson, body: str, images: list[LessonImage], language: str) -> SafeString:
    """The lesson body as safe HTML, with ``image:key`` resolved (images must be prefetched)."""
    stamp = lesson.updated_at.timestamp() if lesson.updated_at else 0
    key = f"learning:lesson:{lesson.pk}:{language}:{stamp}:{len(images)}"
    cached = cache.get(key)
    if cached is not None:
        return mark_safe(cached)  # noqa: S308 - stored output of render_markdown
    by_key = {image.key: image for image in images}

    def resolve(match: object) -> str:
        alt = match.group("alt")  # type: ignore[attr-defined]
        target = match.group("target")  # type: ignore[attr-defined]
        image = by_key.get(target.removeprefix("image:")) if target.startswith("image:") else None
        if image is None:
            return _escape_alt(alt)  # unknown or external images are dropped, their text kept
        text = alt.strip() or image.localized(language).get("alt", "")
        return f"![{_escape_alt(text)}]({reverse('learning:lesson_image', args=[image.pk])})"

    html = render_markdown(MARKDOWN_IMAGE.sub(resolve, body or ""))
    cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - output of nh3.clean
