"""Fixtures for every test of the project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_content_cache() -> Iterator[None]:
    """Each test starts with nothing remembered from the content another test built and rolled back,
    and with no cached value or revision number of another test (ids repeat between tests)."""
    from django.core.cache import cache

    from micro.core import content_cache, revisions

    content_cache.clear()
    revisions.forget()
    cache.clear()
    yield
