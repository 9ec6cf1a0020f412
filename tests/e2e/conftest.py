"""Browser fixtures for the end-to-end tests: one Debian Chromium per session, a fresh context per test.

The test process serves the app with pytest-django's ``live_server`` (static files through
``StaticFilesHandler``); Playwright's sync API runs an event loop in this thread, so Django's
async-safety check is switched off for the ORM calls the tests make.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, OPERATOR_EMAIL

# Reports every Content-Security-Policy violation to the test through an exposed binding.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__microCspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    page: document.location.pathname,
  });
});
"""


@dataclass
class PageProblems:
    """Console errors, uncaught page errors and CSP violations seen while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)

    def all(self) -> list[Any]:
        return [*self.console_errors, *self.page_errors, *self.csp_violations]


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"e2e tests need Debian Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Only while the browser runs, so other tests and their subprocesses keep the safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def new_context(browser: Any, live_server: Any, problems: PageProblems) -> Iterator[Any]:
    """Factory of fresh browser contexts (empty cache and cookies) that watch for console errors and CSP violations."""
    contexts: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("viewport", {"width": 1024, "height": 768})
        kwargs.setdefault("base_url", live_server.url)
        context = browser.new_context(**kwargs)
        context.set_default_timeout(10_000)
        context.expose_function("__microCspViolation", lambda violation: problems.csp_violations.append(violation))
        context.add_init_script(CSP_LISTENER)

        def watch(page: Any) -> None:
            page.on(
                "console",
                lambda msg: problems.console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None,
            )
            page.on("pageerror", lambda exc: problems.page_errors.append(f"{page.url}: {exc}"))

        context.on("page", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    return new_context().new_page()


@pytest.fixture
def demo_data(transactional_db: Any) -> None:
    """The partners and one account per role, from the same loader ``manage.py demo_load`` uses."""
    from micro.accounts import demo

    demo.load(io.StringIO())


@pytest.fixture
def operator(demo_data: None) -> Any:
    from micro.accounts.models import User

    return User.objects.get(email=OPERATOR_EMAIL)


@pytest.fixture
def sign_in_cookie(live_server: Any) -> Any:
    """Give a browser context the session of ``user`` without going through the sign-in form."""
    from django.conf import settings
    from django.test import Client

    def add(context: Any, user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    return add


@pytest.fixture
def path_content(transactional_db: Any) -> None:
    """The real content packs under content/ (path, rules, glossary, data), imported as ``make run`` does."""
    from micro.pathway.content import content_import

    report = content_import()
    assert report.errors == [], report.errors
