"""Template helpers of the e-learning pages."""

from __future__ import annotations

from typing import Any

from django import template

from micro.learning import permissions

register = template.Library()


@register.inclusion_tag("learning/_nav.html", takes_context=True)
def learning_nav(context: dict[str, Any], current: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "current": current,
        "can_review": bool(user is not None and permissions.can_review_anyone(user)),
        "can_author": bool(user is not None and permissions.can_author(user)),
    }


@register.filter
def localized(obj: Any, language: str | None = None) -> Any:
    """``{{ item|localized }}``: the item's texts in the active language (with fallback)."""
    return obj.localized(language)
