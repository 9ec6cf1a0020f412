"""Constants and helpers shared by the end-to-end tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
OPERATOR_EMAIL = "operator@demo.micro.example"
RTL_LANGUAGES = {"ar", "fa", "ur", "ps", "he"}

# Put in each test module: ``pytestmark = E2E``.
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"e2e tests need Debian Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]


# --- Shared by the migrant-path tests (test_path_*.py) -------------------------------------------

CONTENT = Path(__file__).resolve().parents[2] / "content"
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (the rule set of test_accessibility.py)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.response["violations"]


def describe_violation(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])} node(s): {targets})"
    )


def lang_dir(page: Any) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def expected_dir(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def content_header(relative: str) -> dict[str, Any]:
    """The YAML header of a content file, e.g. ``path/01-idea/01-your-idea.it.md``."""
    import yaml

    text = (CONTENT / relative).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def content_data(relative: str) -> Any:
    """A structured content pack, e.g. ``legal-forms/IT.it.yaml``."""
    import yaml

    return yaml.safe_load((CONTENT / relative).read_text(encoding="utf-8"))


def path_steps(lang: str, country: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(stage slug, step slug, header) of every step a visitor of ``country`` sees, in path order."""
    steps = []
    for stage_dir in sorted(p for p in (CONTENT / "path").iterdir() if p.is_dir()):
        headers = [content_header(f"path/{stage_dir.name}/{p.name}") for p in stage_dir.glob(f"[!_]*.{lang}.md")]
        visible = [h for h in headers if h.get("country", "") in ("", country)]
        steps += [(stage_dir.name, h["slug"], h) for h in sorted(visible, key=lambda h: h["order"])]
    return steps


def amounts(text: str) -> list[Decimal]:
    """Every money figure with two decimals in ``text`` ("1.234,56", "1,234.56", "239.02"), as Decimal."""
    found = re.findall(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f ]\d{3})*[.,]\d{2}(?!\d)", text)
    return [Decimal(re.sub(r"\D", "", figure)) / 100 for figure in found]
