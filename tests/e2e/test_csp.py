"""No console errors and no Content-Security-Policy violations; no inline script or style in the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import E2E

pytestmark = E2E

PAGES = [
    "/{lang}/",
    "/{lang}/about/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/password-reset/",
    "/{lang}/accounts/profile/",
    "/{lang}/accounts/two-factor/",
    "/{lang}/does-not-exist/",
]

INLINE = """() => ({
  styleAttributes: [...document.querySelectorAll('[style]')].map((el) => el.outerHTML.slice(0, 80)),
  inlineScripts: [...document.querySelectorAll('script:not([src])')].map((el) => el.outerHTML.slice(0, 80)),
  styleElements: [...document.querySelectorAll('style')].map((el) => el.outerHTML.slice(0, 80)),
  handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).map((el) => el.tagName),
})"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_console_errors_or_csp_violations(
    lang: str, new_context: Any, operator: Any, sign_in_cookie: Any, problems: Any
) -> None:
    context = new_context()
    page = context.new_page()
    inline: dict[str, Any] = {}
    for url in PAGES:
        if "profile" in url:
            sign_in_cookie(context, operator)
        response = page.goto(url.format(lang=lang), wait_until="networkidle")
        assert response is not None
        assert response.headers.get("content-security-policy"), f"{url}: no CSP header"
        found = {key: value for key, value in page.evaluate(INLINE).items() if value}
        if found:
            inline[page.url] = found
    assert inline == {}
    # The 404 page logs its status as a console error in Chromium; anything else is a real problem.
    errors = [line for line in problems.console_errors if "404 (Not Found)" not in line]
    assert errors == []
    assert problems.page_errors == []
    assert problems.csp_violations == []


def test_watchdog_sees_a_blocked_inline_script(page: Any, problems: Any, transactional_db: Any) -> None:
    """The harness itself: an inline script is blocked by the CSP and the violation reaches the test."""
    page.goto("/en/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("window.__ran === true") is False
    page.wait_for_timeout(100)
    assert [v["directive"] for v in problems.csp_violations] == ["script-src-elem"]
    assert problems.console_errors, "Chromium reports the blocked script on the console"
