"""Every UI language renders with the right ``lang`` and ``dir`` on ``<html>``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from tests.e2e.support import E2E, RTL_LANGUAGES

pytestmark = E2E


def test_home_has_lang_and_dir_for_every_ui_language(page: Any, transactional_db: Any) -> None:
    seen = {}
    for code, _name in settings.LANGUAGES:
        response = page.goto(f"/{code}/")
        assert response is not None and response.status == 200, code
        html = page.locator("html")
        seen[code] = (
            html.get_attribute("lang"),
            html.get_attribute("dir"),
            page.evaluate("getComputedStyle(document.body).direction"),
        )
    expected = {
        code: (code, "rtl" if code in RTL_LANGUAGES else "ltr", "rtl" if code in RTL_LANGUAGES else "ltr")
        for code, _ in settings.LANGUAGES
    }
    assert seen == expected
    assert seen["ar"][1] == "rtl"
