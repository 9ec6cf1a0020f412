"""axe-core finds nothing serious or critical on the main pages, in a left-to-right and a right-to-left language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import E2E

pytestmark = E2E

BLOCKING = {"serious", "critical"}
PAGES = {
    "home": "/{lang}/",
    "about": "/{lang}/about/",
    "sign-in": "/{lang}/accounts/login/",
    "profile": "/{lang}/accounts/profile/",
}


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            },
        },
    )
    return results.response["violations"]


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])} node(s): {targets})"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_serious_accessibility_violations(lang: str, new_context: Any, operator: Any, sign_in_cookie: Any) -> None:
    blocking: list[str] = []
    lesser: list[str] = []
    context = new_context()
    page = context.new_page()
    for name, url in PAGES.items():
        if name == "profile":
            sign_in_cookie(context, operator)
        response = page.goto(url.format(lang=lang))
        assert response is not None and response.status == 200, (name, page.url)
        assert page.url.endswith(url.format(lang=lang)), (name, page.url)
        for violation in _axe_violations(page):
            line = f"{lang} {name}: {_describe(violation)}"
            (blocking if violation["impact"] in BLOCKING else lesser).append(line)
    print(f"\naxe, lesser violations ({lang}):" + ("".join(f"\n  {line}" for line in lesser) or " none"))
    assert not blocking, "\n".join(blocking)


def test_sign_in_errors_are_accessible(page: Any, transactional_db: Any) -> None:
    """The sign-in form with field errors, then with a wrong password: error messages and field states still pass."""
    page.goto("/en/accounts/login/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    problems = [_describe(v) for v in _axe_violations(page)]
    page.locator("#id_email").fill("nobody@example.org")
    page.locator("#id_password").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors[role=alert]").count() == 1
    problems += [_describe(v) for v in _axe_violations(page)]
    print("\naxe, sign-in with errors:" + ("".join(f"\n  {line}" for line in problems) or " none"))
    assert not [line for line in problems if line.startswith(("[serious]", "[critical]"))], "\n".join(problems)
