"""Machine-readable faces: the JSON API (filters, languages, detail), the CSV download and the Atom feed."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.practices import services
from micro.practices.models import Practice
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(author: User, alpha: Organisation, coordinator: User) -> Practice:
    practice = factories.draft(
        author, alpha, people_reached=120, links=[{"title": "Report", "url": "https://example.org/r"}]
    )
    services.indicator_add(
        user=author, practice=practice, label="Loans granted", value=Decimal(58), unit="", measured_on=factories.today()
    )
    services.practice_translate(
        user=author,
        practice=practice,
        language="de",
        texts={"title": "Mentoring durch ehemalige Kreditnehmer", "summary": "Ehemalige helfen Neuen."},
        checked=False,
        indicator_labels={practice.indicators.get().pk: "Vergebene Kredite"},
    )
    services.practice_submit(user=author, practice=practice)
    return factories.review(coordinator, Practice.objects.get(pk=practice.pk))


def test_api_list_filters_and_languages(client: Client, bilingual: Practice, beta: Organisation) -> None:
    other = factories.quick(beta, title="Belgian practice", theme="operator_training")
    everything = client.get("/api/practices/").json()
    assert everything["count"] == 2
    only_it = client.get("/api/practices/", {"country": "IT"}).json()
    assert [r["slug"] for r in only_it["results"]] == [bilingual.slug]
    two_themes = client.get("/api/practices/?theme=operator_training&theme=credit_access").json()
    assert two_themes["count"] == 2
    assert client.get("/api/practices/", {"q": "belgian"}).json()["results"][0]["slug"] == other.slug
    german = client.get("/api/practices/", {"country": "IT"}, HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]
    assert german["title"] == "Mentoring durch ehemalige Kreditnehmer"
    assert german["language"] == "de" and german["translation_status"] == "draft"
    assert german["url"].endswith(f"/de/practices/{bilingual.slug}/")
    assert client.get("/api/practices/", {"country": "IT", "lang": "en"}).json()["results"][0]["language"] == "en"
    paged = client.get("/api/practices/", {"limit": 1, "offset": 1}).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1
    assert client.get("/api/practices/", {"limit": 1000}).status_code == 422


def test_api_detail_has_every_part(client: Client, bilingual: Practice) -> None:
    body = client.get(f"/api/practices/{bilingual.slug}", {"lang": "de"}).json()
    assert body["texts"]["title"] == "Mentoring durch ehemalige Kreditnehmer"
    assert body["texts"]["objectives"] == factories.TEXTS["objectives"]  # not translated: the original, marked
    assert body["text_languages"]["objectives"] == "en" and body["text_languages"]["title"] == "de"
    assert set(body["translations"]) == {"en", "de"}
    assert body["translations"]["en"]["objectives"] == factories.TEXTS["objectives"]
    assert body["indicators"] == [
        {"label": "Vergebene Kredite", "value": "58.00", "unit": "", "measured_on": factories.today().isoformat()}
    ]
    assert body["links"] == [{"title": "Report", "url": "https://example.org/r"}]
    assert body["people_reached"] == 120
    assert "contact_email" not in body
    assert client.get("/api/practices/no-such-practice").status_code == 404
    assert client.get("/api/practices/codes").json()["theme"]["credit_access"] == "Access to credit"


def test_csv_download_follows_the_filters_and_language(client: Client, bilingual: Practice, beta: Organisation) -> None:
    factories.quick(beta, title="Belgian practice")
    response = client.get("/de/practices/export.csv", {"country": "IT"})
    assert response["Content-Disposition"] == 'attachment; filename="micro-practices.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "Mentoring durch ehemalige Kreditnehmer" and row["language"] == "de"
    assert row["theme"] == "credit_access" and row["country"] == "IT" and row["people_reached"] == "120"
    assert row["objectives"] == factories.TEXTS["objectives"]  # a part not yet translated: the original
    assert row["url"].endswith(f"/de/practices/{bilingual.slug}/")


def test_atom_feed_lists_new_practices_in_the_readers_language(client: Client, bilingual: Practice) -> None:
    response = client.get("/de/practices/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert 'xml:lang="de"' in feed
    assert "Mentoring durch ehemalige Kreditnehmer" in feed
    assert f"/de/practices/{bilingual.slug}/" in feed
    assert "Alpha Microfinanza" in feed


def test_list_page_links_the_open_data(client: Client, bilingual: Practice) -> None:
    page = client.get("/en/practices/", {"country": "IT"}).text
    assert 'href="/en/practices/export.csv?country=IT"' in page
    assert 'type="application/atom+xml"' in page and "/api/practices/" in page
