"""The discussion block of the lesson page: the reader's cohorts on this course, each with its
threads on the lesson and the messages the reader has not read (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django import template

from micro.learning.selectors.discussions import lesson_discussions_for

register = template.Library()


@register.inclusion_tag("learning/_discussion_block.html", takes_context=True)
def lesson_discussions(context: dict[str, Any], lesson: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"lesson": lesson, "discussions": lesson_discussions_for(user, lesson) if user is not None else []}
