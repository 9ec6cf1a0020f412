"""SQL queries per page stay bounded and do not grow with the repository (50 and 500 practices)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import Organisation, User
from micro.practices.models import Practice
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db

LIST_BOUND = 4
DETAIL_BOUND = 10
PAGES = [
    "/en/practices/",
    "/en/practices/?q=microcredit+mentoring",
    "/en/practices/?q=kitchen&country=IT&target_group=women&target_group=young_people",
    "/en/practices/?theme=credit_access&legal_status=permit_holders&page=2",
    "/api/practices/?q=microcredit",
    "/en/practices/feed/",
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_use_the_same_few_queries_for_50_and_500_practices(
    client: Client, alpha: Organisation, beta: Organisation, url: str, django_assert_max_num_queries
) -> None:
    factories.bulk_published([alpha, beta], 50)
    few = _count(client, url)
    factories.bulk_published([alpha, beta], 450)
    assert Practice.objects.count() == 500
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few <= LIST_BOUND, few


def test_detail_page_queries_are_bounded_and_do_not_grow(
    client: Client,
    author: User,
    alpha: Organisation,
    beta: Organisation,
    coordinator: User,
    beta_admin: User,
    django_assert_max_num_queries,
) -> None:
    factories.bulk_published([alpha, beta], 50)
    practice = factories.published(author, alpha, coordinator)
    url = f"/en/practices/{practice.slug}/"
    few = _count(client, url)
    for n in range(5):
        practice.indicators.create(
            original_language="en",
            translations={"en": {"label": f"Indicator {n}"}},
            value=n,
            measured_on=factories.today(),
        )
        practice.reuses.create(
            organisation=beta,
            original_language="en",
            translations={"en": {"adaptation": "x"}},
            adopted_on=factories.today(),
        )
    factories.bulk_published([alpha, beta], 450)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= DETAIL_BOUND, few
    # Signed in as the author, with the workflow panel (reviews and history), still bounded.
    client.force_login(author)
    with django_assert_max_num_queries(DETAIL_BOUND + 6):
        assert client.get(url).status_code == 200
    client.force_login(beta_admin)
    with django_assert_max_num_queries(DETAIL_BOUND + 6):
        assert client.get(url).status_code == 200


def test_workspace_board_and_csv_are_bounded(
    client: Client,
    author: User,
    alpha: Organisation,
    beta: Organisation,
    coordinator: User,
    django_assert_max_num_queries,
) -> None:
    factories.bulk_published([alpha, beta], 50)
    for n in range(5):
        factories.submitted(author, alpha, title=f"In review {n}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/en/practices/mine/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/en/practices/board/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/en/practices/export.csv").status_code == 200
