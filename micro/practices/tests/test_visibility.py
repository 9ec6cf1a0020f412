"""Unpublished practices never reach the public: not the search, the API, the CSV, the feed or any count."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.practices import selectors, services
from micro.practices.models import Practice, Status
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarwort"


@pytest.fixture
def every_status(author: User, alpha: Organisation, coordinator: User) -> dict[str, Practice]:
    """One practice in each status; only the published one says 'Visible'."""
    practices = {}
    practices["draft"] = factories.draft(author, alpha, title=f"{SECRET} draft")
    practices["submitted"] = factories.submitted(author, alpha, title=f"{SECRET} submitted")
    in_review = factories.submitted(author, alpha, title=f"{SECRET} in review")
    practices["in_review"] = services.practice_start_review(user=coordinator, practice=in_review)
    practices["returned"] = factories.review(
        coordinator, factories.submitted(author, alpha, title=f"{SECRET} returned"), "return", "More."
    )
    practices["published"] = factories.published(author, alpha, coordinator, title=f"Visible {SECRET}")
    assert {p.status for p in practices.values()} == set(Status.values)
    return practices


def test_search_list_and_facet_counts_only_count_published(client: Client, every_status: dict[str, Practice]) -> None:
    for query in ("", SECRET, SECRET.lower()):
        result = selectors.practice_search(query=query)
        assert [p.pk for p in result.practices] == [every_status["published"].pk]
        assert result.total == 1
        assert sum(option.count for option in result.facets["country"]) == 1
        assert sum(option.count for option in result.facets["theme"]) == 1
        assert sum(option.count for option in result.facets["target_group"]) == 1
    page = client.get("/en/practices/", {"q": SECRET}).text
    assert "Visible" in page
    for status in ("draft", "submitted", "in review", "returned"):
        assert f"{SECRET} {status}" not in page
    assert "(1)" in page and "(5)" not in page and "(4)" not in page
    assert selectors.published_count() == 1


def test_api_lists_and_details_only_published(client: Client, every_status: dict[str, Practice]) -> None:
    listing = client.get("/api/practices/", {"q": SECRET}).json()
    assert listing["count"] == 1 and [r["slug"] for r in listing["results"]] == [every_status["published"].slug]
    assert client.get("/api/practices/").json()["count"] == 1
    for status, practice in every_status.items():
        expected = 200 if status == "published" else 404
        assert client.get(f"/api/practices/{practice.slug}").status_code == expected


def test_csv_only_has_published_rows(client: Client, every_status: dict[str, Practice]) -> None:
    response = client.get("/en/practices/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == [f"Visible {SECRET}"]


def test_feed_only_has_published_entries(client: Client, every_status: dict[str, Practice]) -> None:
    feed = client.get("/en/practices/feed/").content.decode()
    assert feed.count("<entry>") == 1 and f"Visible {SECRET}" in feed
    assert f"{SECRET} draft" not in feed and f"{SECRET} returned" not in feed


def test_related_practices_never_suggest_unpublished_ones(client: Client, every_status: dict[str, Practice]) -> None:
    assert selectors.practice_related(every_status["published"]) == []
    page = client.get(f"/en/practices/{every_status['published'].slug}/").text
    assert f"{SECRET} draft" not in page


def test_the_staff_board_counts_the_pipeline_separately(
    client: Client, every_status: dict[str, Practice], alpha: Organisation, coordinator: User
) -> None:
    row = next(row for row in selectors.board_rows() if row.organisation == alpha)
    assert (row.published, row.pipeline, row.drafts) == (1, 3, 1)
