"""Template helpers shared by every app."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from micro.core.sanitize import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> SafeString:
    """Render user or content Markdown safely (sanitised by nh3)."""
    return mark_safe(render_markdown(value))  # noqa: S308 - output of nh3.clean
