"""The business plan as a PDF (WeasyPrint), in the reader's language, right-to-left where the language is.

Fonts ship in ``micro/plans/fonts`` (DejaVu Sans: Latin, Cyrillic, Greek and Arabic, with its
licence) and are referenced by absolute ``file://`` URLs; the URL fetcher loads those two files
and nothing else, so no text in a plan can make the renderer read a file or call the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from micro.plans import structure as s
from micro.plans.models import BusinessPlan
from micro.plans.selectors import PlanResults

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
_ALLOWED_URLS = frozenset({FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()})


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class FontsOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in _ALLOWED_URLS:
                raise ValueError("Only the plan fonts may be loaded.")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",), timeout=5)


def render_plan_html(*, plan: BusinessPlan, results: PlanResults, language: str) -> str:
    """The HTML the PDF is made of (kept separate so it can be inspected)."""
    with translation.override(language):
        return render_to_string(
            "plans/pdf.html",
            {
                "plan": plan,
                "results": results,
                "sections": [(section, str(plan.sections.get(section.key) or "")) for section in s.SECTIONS],
                "today": timezone.localdate(),
                "created": timezone.now().replace(microsecond=0).isoformat(),
                "font_regular": FONT_REGULAR.as_uri(),
                "font_bold": FONT_BOLD.as_uri(),
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "pdf": True,
                "bar_steps": range(0, 101, 5),
            },
        )


def render_plan_pdf(*, plan: BusinessPlan, results: PlanResults, language: str) -> bytes:
    """The PDF bytes of the plan in ``language``."""
    from weasyprint import HTML

    html = render_plan_html(plan=plan, results=results, language=language)
    document: bytes = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
    return document
