"""Name badges as a PDF (WeasyPrint): eight per A4 page, with the check-in QR code.

Like the business-plan PDF, the fonts are the DejaVu files shipped in the repository
(micro/plans/fonts, Latin, Cyrillic, Greek and Arabic) and the URL fetcher loads those two
files and nothing else, so no text typed by a registrant can make the renderer read a file or
call the network. QR codes are inline SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from micro.events import tokens
from micro.events.models import Event, Registration

FONT_DIR = Path(settings.BASE_DIR) / "micro" / "plans" / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
_ALLOWED_URLS = frozenset({FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()})


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class FontsOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in _ALLOWED_URLS:
                raise ValueError("Only the badge fonts may be loaded.")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",), timeout=5)


def _qr_svg(registration: Registration) -> str:
    payload = tokens.qr_payload(registration.event_id, registration.checkin_code or "")
    return mark_safe(segno.make(payload, error="m").svg_inline(scale=3, border=1, omitsize=True))  # noqa: S308 - segno output


def render_badges_html(*, event: Event, registrations: list[Registration], language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "events/badges_pdf.html",
            {
                "event": event,
                "title": event.loc.get("title") or event.title,
                "badges": [{"registration": r, "qr": _qr_svg(r)} for r in registrations],
                "font_regular": FONT_REGULAR.as_uri(),
                "font_bold": FONT_BOLD.as_uri(),
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
            },
        )


def render_badges_pdf(*, event: Event, registrations: list[Registration], language: str) -> bytes:
    from weasyprint import HTML

    html = render_badges_html(event=event, registrations=registrations, language=language)
    document: bytes = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
    return document
