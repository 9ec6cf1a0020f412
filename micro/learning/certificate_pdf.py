"""The certificate as a PDF (WeasyPrint) in the certificate's language, right-to-left where the
language is, with a QR code (segno, inline SVG) that opens the public verification page.

The texts come from the signed credential, so the paper and the credential always say the same.
Fonts are the DejaVu Sans files shipped in ``micro/plans/fonts`` (Latin, Cyrillic, Greek, Arabic);
the URL fetcher loads those two files and nothing else, so no text can make the renderer read a
file or call the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from micro.learning.models.certificates import Certificate
from micro.learning.selectors.certificates import competence_results_for
from micro.learning.services.certificates import verification_url

FONT_DIR = Path(settings.BASE_DIR) / "micro" / "plans" / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
_ALLOWED_URLS = frozenset({FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()})


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class FontsOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in _ALLOWED_URLS:
                raise ValueError("Only the certificate fonts may be loaded.")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",), timeout=5)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG markup (segno writes it; no user text is inside)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True))  # noqa: S308


def render_certificate_html(certificate: Certificate) -> str:
    """The HTML the PDF is made of (kept separate so it can be inspected)."""
    credential = certificate.credential
    achievement = credential["credentialSubject"]["achievement"]
    percents = {
        result.competence.code: result.percent
        for result in competence_results_for(certificate.learner, certificate.course)
    }
    competences = [
        {"name": item.get("targetName", ""), "percent": percents.get(item.get("targetCode"))}
        for item in achievement.get("alignment", [])
    ]
    url = verification_url(certificate)
    with translation.override(certificate.language):
        return render_to_string(
            "learning/certificate_pdf.html",
            {
                "certificate": certificate,
                "course_name": achievement.get("name", ""),
                "issuer_name": credential["issuer"].get("name", ""),
                "competences": competences,
                "hours": max(1, round(certificate.minutes / 30)) / 2,
                "verification_url": url,
                "qr": qr_svg(url),
                "font_regular": FONT_REGULAR.as_uri(),
                "font_bold": FONT_BOLD.as_uri(),
                "LANGUAGE_CODE": certificate.language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
            },
        )


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF bytes of the certificate."""
    from weasyprint import HTML

    html = render_certificate_html(certificate)
    document: bytes = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
    return document
