"""Template helpers of the conferences app."""

from __future__ import annotations

from django import template

from micro.events.languages import language_name, language_names

register = template.Library()


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    return language_name(code) if code else ""


@register.filter(name="language_names")
def language_names_filter(codes: list[str]) -> str:
    return ", ".join(language_names(codes or []))


@register.filter(name="filesize_mb")
def filesize_mb(size: int) -> str:
    return f"{max(size, 0) / 1_048_576:.1f}"
