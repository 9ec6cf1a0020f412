"""Fixtures for every test of the project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_content_cache() -> Iterator[None]:
    """Each test starts with nothing remembered from the content another test built and rolled back."""
    from micro.core import content_cache

    content_cache.clear()
    yield
