"""The page chrome (header and footer of base.html), rendered once per worker and language.

Every page carries the same header and footer: a dozen translated links, the language list and
two small forms. Rendering them through the template engine on each request cost about a third
of a millisecond of CPU, as much as a whole small page. They depend only on the language, on
whether someone is signed in, and on the site's name; so each worker renders them once per
combination, with markers where the two per-request values go (the CSRF token and the address to
come back to after a change of language), and fills those in on each request.

Translations, URLs and settings change only with a deploy, which starts new workers; a test that
changes a setting clears what was built (``setting_changed``).
"""

from __future__ import annotations

import threading
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

CSRF_MARKER = "chromecsrfmarker0b7e"
NEXT_MARKER = "chromenextmarker0b7e"
_CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'

_built: dict[tuple[str, str, bool, str], str] = {}
_lock = threading.Lock()


@receiver(setting_changed)
def _forget_on_setting_change(**_kwargs: Any) -> None:
    with _lock:
        _built.clear()


def _chrome(name: str, context: template.Context) -> str:
    site_name = str(context.get("SITE_NAME", ""))
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    key = (name, get_language() or "", signed_in, site_name)
    html = _built.get(key)
    if html is None:
        html = render_to_string(
            f"core/_site_{name}.html",
            {"SITE_NAME": site_name, "signed_in": signed_in, "csrf_token": CSRF_MARKER, "next_path": NEXT_MARKER},
        )
        with _lock:
            _built[key] = html
    return html


def _csrf_input(context: template.Context) -> str:
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's "no token" value, as in {% csrf_token %}
        return ""
    return _CSRF_INPUT.format(escape(token))


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    html = _chrome("header", context)
    if CSRF_MARKER in html:  # the sign-out form, for someone signed in
        html = html.replace(_CSRF_INPUT.format(CSRF_MARKER), _csrf_input(context))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine; the token is escaped


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    request = context.get("request")
    next_path = escape(request.get_full_path()) if request is not None else ""
    html = _chrome("footer", context)
    html = html.replace(_CSRF_INPUT.format(CSRF_MARKER), _csrf_input(context)).replace(NEXT_MARKER, next_path)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine; the path and token are escaped
