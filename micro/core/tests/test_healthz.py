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
