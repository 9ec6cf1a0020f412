"""The 503 middleware in-process: which errors it turns into 503, in which language, without touching the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from micro.core.middleware import service_unavailable_response

pytestmark = pytest.mark.resilience


class FailingMiddleware:
    """Stands for a middleware that reads the session or the user while the database is down."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.endswith("/fine/") and "fail" in request.GET:
            raise OperationalError("server closed the connection unexpectedly")
        return self.get_response(request)


@pytest.fixture
def faulty(settings: Any) -> Client:
    settings.ROOT_URLCONF = "tests.resilience.fault_urls"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/page/operational/", "/page/interface/"])
def test_database_errors_become_a_503_with_retry_after(faulty: Client, path: str) -> None:
    response = faulty.get(path, headers={"accept-language": "en"})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "briefly unavailable" in response.content.decode()


def test_the_page_is_in_the_readers_language(faulty: Client, italian_catalogue: Any) -> None:
    response = faulty.get("/page/operational/", headers={"accept-language": "it"})
    page = response.content.decode()
    assert response.status_code == 503 and response["Content-Language"] == "it"
    assert '<html lang="it"' in page and "Riprova" in page and "Torna alla pagina iniziale" in page


def test_arabic_readers_get_a_right_to_left_page(faulty: Client) -> None:
    page = faulty.get("/page/operational/", headers={"accept-language": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_an_error_in_a_middleware_is_a_503_too(faulty: Client) -> None:
    assert faulty.get("/page/fine/").status_code == 200
    assert faulty.get("/page/fine/?fail=1").status_code == 503


def test_the_api_gets_json(faulty: Client) -> None:
    response = faulty.get("/api/operational/", headers={"accept-language": "en"})
    assert response.status_code == 503 and response["Retry-After"]
    assert "unavailable" in json.loads(response.content)["detail"]


def test_other_errors_stay_500(faulty: Client) -> None:
    assert faulty.get("/page/bug/").status_code == 500


@pytest.mark.django_db
def test_the_503_page_runs_no_query(faulty: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert faulty.get("/page/operational/").status_code == 503


def test_a_hostile_path_is_escaped_in_the_try_again_link(faulty: Client) -> None:
    response = faulty.get('/page/operational/?"><script>alert(1)</script>')
    assert response.status_code == 503
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_try_again_link_never_leaves_the_site(rf: RequestFactory) -> None:
    request = rf.get("/en/about/")
    request.path = "//evil.example/en/about/"  # what a request for http://host//evil.example/... carries
    page = service_unavailable_response(request).content.decode()
    assert 'href="/evil.example/en/about/"' in page and 'href="//' not in page
