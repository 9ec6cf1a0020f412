"""SQL queries per page stay small and do not grow with the number of sessions or registrations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import User
from micro.events.models import CheckIn, Event, Registration, Session, Speaker
from micro.events.tests.factories import register

pytestmark = pytest.mark.django_db


def _grow(event: Event, n: int) -> None:
    for i in range(n):
        speaker = Speaker.objects.create(
            event=event, name=f"Speaker {i}", translations={"en": {"bio": "Bio", "status": "reviewed"}}
        )
        session = Session.objects.create(
            event=event,
            starts_at=event.starts_at + timedelta(minutes=30 * i),
            ends_at=event.starts_at + timedelta(minutes=30 * i + 25),
            translations={"en": {"title": f"Session {i}", "status": "reviewed"}},
        )
        session.speakers.add(speaker)
        registration, _ = register(event, list_consent=True)
        if i % 2:
            CheckIn.objects.create(
                registration=registration,
                event=event,
                checked_in_at=event.starts_at,
                idempotency_key=f"k{registration.pk}",
            )


def _count(client: Client, url: str) -> int:
    """Queries of one visit with cold caches (e.g. the two-factor all-clear), so both passes compare alike."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries.captured_queries)


PUBLIC = ["/en/events/", "/en/events/rome-test/", "/en/events/rome-test/register/"]
ORGANISER = [
    "/en/events/rome-test/manage/",
    "/en/events/rome-test/manage/registrations/",
    "/en/events/rome-test/manage/participants/",
    "/en/events/rome-test/check-in/?q=Person",
    "/en/events/rome-test/check-in/list/",
    "/en/events/rome-test/manage/programme/",
    "/en/events/rome-test/manage/registrations.csv",
]


def test_queries_are_bounded_and_independent_of_the_data(event: Event, organiser: User) -> None:
    staff = Client()
    staff.force_login(organiser)
    anonymous = Client()
    _grow(event, 2)
    _count(staff, ORGANISER[0])  # the first signed-in page also reads the two-factor revision (once a second)
    few = {url: _count(anonymous, url) for url in PUBLIC} | {url: _count(staff, url) for url in ORGANISER}
    _grow(event, 8)
    many = {url: _count(anonymous, url) for url in PUBLIC} | {url: _count(staff, url) for url in ORGANISER}
    assert many == few, {url: (few[url], many[url]) for url in few if few[url] != many[url]}
    assert all(count <= 15 for count in many.values()), many


def test_personal_page_query_count(client: Client, event: Event) -> None:
    _registration, token = register(event)
    assert _count(client, f"/en/events/r/{token}/") <= 6
    assert Registration.objects.count() == 1
