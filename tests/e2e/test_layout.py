"""Small screens: screenshots at 390 px for review, and no horizontal scrolling at 320 px, in both directions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import E2E

pytestmark = E2E

NARROW_PAGES = ["/{lang}/", "/{lang}/about/", "/{lang}/accounts/login/", "/{lang}/accounts/profile/"]

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1) && !el.closest('.skip-link, .visually-hidden');
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_home_screenshot_390(lang: str, new_context: Any, artifacts_dir: Path, transactional_db: Any) -> None:
    page = new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True
    ).new_page()
    page.goto(f"/{lang}/")
    path = artifacts_dir / f"home-{lang}-390.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.evaluate(OVERFLOWING) == []
    # Right to left: the brand starts on the right, the first door sits on the right edge of the page.
    brand = page.locator(".brand").bounding_box()
    assert brand is not None
    if lang == "ar":
        assert brand["x"] + brand["width"] > 390 / 2
    else:
        assert brand["x"] < 390 / 2


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_horizontal_scroll_at_320(
    lang: str, new_context: Any, artifacts_dir: Path, operator: Any, sign_in_cookie: Any
) -> None:
    context = new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    widths = {}
    for url in NARROW_PAGES:
        if "profile" in url:
            sign_in_cookie(context, operator)
        page.goto(url.format(lang=lang))
        name = url.strip("/").split("/")[-1].replace("{lang}", "home")
        page.screenshot(path=str(artifacts_dir / f"{name}-{lang}-320.png"), full_page=True)
        widths[page.url] = (page.evaluate("document.scrollingElement.scrollWidth"), page.evaluate(OVERFLOWING))
    too_wide = {url: value for url, value in widths.items() if value[0] > 320 or value[1]}
    assert not too_wide, too_wide
