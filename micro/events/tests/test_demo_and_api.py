"""The demo conferences and the public JSON API."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from micro.accounts import demo as accounts_demo
from micro.events import demo
from micro.events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_loads_four_conferences_and_is_idempotent(client: Client) -> None:
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert sorted(Event.objects.values_list("city", flat=True)) == ["Brussels", "Leipzig", "Madrid", "Rome"]
    rome = Event.objects.get(slug="rome-2026")
    assert rome.sessions.count() == 5 and rome.registrations.count() == 5
    html = client.get("/it/events/rome-2026/").content.decode()
    assert "Imprenditori migranti e microcredito" in html and "Moussa Diallo" in html
    for event in Event.objects.all():
        assert client.get(f"/en/events/{event.slug}/").status_code == 200
        assert client.get(f"/en/events/{event.slug}/register/").status_code == 200


def test_api_lists_published_conferences(client: Client, event: Event) -> None:
    data = client.get("/api/events/").json()
    assert [item["slug"] for item in data] == ["rome-test"] and data[0]["registration_open"] is True
    detail = client.get("/api/events/rome-test").json()
    assert detail["title"] == "Rome conference" and detail["sessions"] == []
    assert client.get("/api/events/nothing").status_code == 404
    assert client.get("/api/events/" + "x" * 500).status_code == 404
