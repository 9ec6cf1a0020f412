"""A real sign-in in the browser, a change of preferred language, sign-out; and keyboard access to main."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from tests.e2e.support import E2E

pytestmark = E2E


def _lang_dir(page: Any) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def test_operator_signs_in_changes_language_and_signs_out(page: Any, operator: Any, problems: Any) -> None:
    operator.preferred_language = "ar"
    operator.save(update_fields=["preferred_language"])

    page.goto("/ar/accounts/login/")
    assert _lang_dir(page) == ("ar", "rtl")
    page.locator("#id_email").fill(operator.email)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/accounts/profile/$"))
    assert _lang_dir(page) == ("ar", "rtl")
    assert page.locator("main").get_by_text(operator.email).count() == 1

    page.locator("#id_preferred_language").select_option("it")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/it/accounts/profile/$"))
    assert _lang_dir(page) == ("it", "ltr")
    assert page.locator("#id_preferred_language").input_value() == "it"
    assert page.locator(".messages [class*=message-success]").count() == 1
    operator.refresh_from_db()
    assert operator.preferred_language == "it"

    page.locator("header form[action*='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/it/$"))
    assert _lang_dir(page) == ("it", "ltr")
    assert page.locator("header a[href='/it/accounts/login/']").count() == 1
    assert page.locator("header form[action*='/accounts/logout/']").count() == 0
    page.goto("/it/accounts/profile/")
    assert "/accounts/login/" in page.url, "the profile must need a new sign-in after signing out"
    assert problems.all() == []


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(page: Any, transactional_db: Any) -> None:
    for lang in ("en", "ar"):
        page.goto(f"/{lang}/")
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert focused == ["skip-link", "#main"], lang
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["y"] >= 0 and box["x"] >= 0, f"the focused skip link must be visible ({lang})"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", lang
        # The next Tab continues inside main, not back at the top of the page.
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), lang
