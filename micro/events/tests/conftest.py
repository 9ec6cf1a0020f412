from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.events.models import Event
from micro.events.tests.factories import EventFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _on_commit_at_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a test's rolled-back transaction nothing ever commits, so run commit hooks at once.

    The services register their email as the last step of their own atomic block (which is the
    outermost one in production), so running it at once is what a commit would do. Tests that
    need real commits (parallel requests, the browser tests) use transaction=True and keep
    Django's own behaviour.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return

    def at_once(func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", at_once)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(slug="ente")


@pytest.fixture
def event(organisation: Organisation) -> Event:
    return EventFactory.create(organisation=organisation, slug="rome-test", title="Rome conference")


@pytest.fixture
def organiser(organisation: Organisation) -> User:
    return member(organisation, Role.PARTNER_ADMIN)
