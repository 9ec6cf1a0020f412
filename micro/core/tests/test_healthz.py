"""/healthz tells load balancers whether the app can reach its database, without mocks."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_database_reachable(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_has_no_language_prefix_and_refuses_writes(client: Client) -> None:
    assert client.get("/en/healthz").status_code == 404
    assert client.post("/healthz").status_code == 405


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_unreachable(client: Client, tmp_path: Path) -> None:
    signed_in = Client()
    signed_in.force_login(get_user_model().objects.create_user(email="monitor@example.org", password="x"))
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    keep_alive = None
    if connection.vendor == "sqlite":
        # The in-memory test database lives only while a connection holds it: keep one open
        # aside, then point Django at a file in a directory that does not exist.
        keep_alive = sqlite3.connect(settings_dict["NAME"], uri=True)
        unreachable = {"NAME": str(tmp_path / "missing-directory" / "micro.sqlite3")}
    else:
        unreachable = {"HOST": "127.0.0.1", "PORT": str(unused_port())}
    try:
        settings_dict.update(unreachable)
        connection.close()

        response = client.get("/healthz")
        with_session = signed_in.get("/healthz")
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)
        connection.ensure_connection()
        if keep_alive is not None:
            keep_alive.close()

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert with_session.status_code == 503
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_bench_reference_page_is_routed_only_for_the_benchmark(client: Client, settings: object) -> None:
    """ARCHITECTURE.md's "bare view that renders a tiny template with one query": `make bench`
    measures the path and lesson pages as a share of its rate, so it must stay that small."""
    import importlib

    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches

    from micro.accounts.tests.factories import OrganisationFactory

    assert client.get("/en/bench/ceiling/").status_code == 404  # not in production or tests
    OrganisationFactory.create(is_partner=True)
    settings.BENCH_CEILING_VIEW = True  # type: ignore[attr-defined]
    import config.urls

    try:
        importlib.reload(config.urls)
        clear_url_caches()
        client.get("/en/bench/ceiling/")  # the connection is open, the template compiled
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/bench/ceiling/")
        assert response.status_code == 200
        assert response.content.decode().endswith("<p>1</p></html>\n")
        assert len(queries.captured_queries) == 1
        assert client.post("/en/bench/ceiling/").status_code in (403, 405)  # CSRF first, then the method
    finally:
        settings.BENCH_CEILING_VIEW = False  # type: ignore[attr-defined]
        importlib.reload(config.urls)
        clear_url_caches()
