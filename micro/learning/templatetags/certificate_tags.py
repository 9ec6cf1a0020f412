"""The certificates section of the progress page (a tag, so the page's view stays as it is)."""

from __future__ import annotations

from typing import Any

from django import template

from micro.learning.selectors.certificates import certificate_list_for_learner, completions_for_learner

register = template.Library()


@register.inclusion_tag("learning/certificate_panel.html", takes_context=True)
def certificates_section(context: Any) -> dict[str, Any]:
    """Certificates ready to be claimed, those waiting for the post-test, and the learner's own.

    Reuses the page's course outlines; four queries whatever the number of courses."""
    request = context.get("request")
    user = getattr(request, "user", None)
    completions = completions_for_learner(user, context.get("outlines") or [])
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "ready": [c for c in completions if c.complete and c.certificate is None],
        "waiting": [
            c
            for c in completions
            if c.certificate is None and c.lessons_total and not c.lessons_left and not c.complete
        ],
        "certificates": certificate_list_for_learner(user),
    }
