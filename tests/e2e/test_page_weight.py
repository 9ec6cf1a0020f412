"""Migrant pages stay within 50 KB transferred on a cold first visit (HTML + CSS + JS + icons)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.support import E2E

pytestmark = E2E

BUDGET_BYTES = 50 * 1024


def _cold_visit(new_context: Any, url: str) -> dict[str, int]:
    """Bytes on the wire (headers + body, as Chromium counts them) and the number of requests for one visit."""
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished", lambda event: finished.__setitem__(event["requestId"], event["encodedDataLength"])
    )
    page.goto(url, wait_until="networkidle")
    return {"bytes": int(sum(finished.values())), "requests": len(finished)}


def test_home_page_weight(new_context: Any, artifacts_dir: Path, transactional_db: Any) -> None:
    measured = {f"home-{lang}": _cold_visit(new_context, f"/{lang}/") for lang in ("en", "ar")}
    path = artifacts_dir / "page-weight.json"
    path.write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    print(f"\npage weight (cold visit): {json.dumps(measured)}")
    for name, numbers in measured.items():
        assert numbers["requests"] >= 2, (name, numbers)  # the HTML and the stylesheet at least
        assert numbers["bytes"] <= BUDGET_BYTES, (name, numbers)
