"""Fixtures of the resilience suite: a private PostgreSQL with gunicorn in front of it, started once.

The process-level tests (database down, worker killed, soak) do not depend on the database the
rest of the suite uses: they run once, in the SQLite leg of CI, and are skipped in the PostgreSQL
leg (``DATABASE_URL`` set) so the same minutes are not spent twice.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resilience.servers import Gunicorn, ScratchPostgres, django_env, manage

LOCALE_IT_MO = Path(__file__).resolve().parents[2] / "locale" / "it" / "LC_MESSAGES" / "django.mo"


def _skip_process_tests_in_postgres_leg() -> None:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("process-level resilience tests start their own servers; they run once, in the SQLite leg")


@pytest.fixture(scope="session")
def scratch_postgres() -> Iterator[ScratchPostgres]:
    """A migrated PostgreSQL cluster of our own (own folder, own port, fsync off)."""
    _skip_process_tests_in_postgres_leg()
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.skip("initdb/pg_ctl are not on PATH: the database-down test needs its own PostgreSQL")
    cluster = ScratchPostgres()
    try:
        cluster.init()
        manage(django_env(cluster.url), "migrate", "--no-input", "-v0")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_platform(scratch_postgres: ScratchPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn (2 sync workers) serving the platform from the scratch PostgreSQL."""
    log = tmp_path_factory.mktemp("gunicorn-pg") / "gunicorn.log"
    server = Gunicorn(django_env(scratch_postgres.url), log, workers=2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def italian_catalogue() -> Path:
    """The compiled Italian catalogue (``make test`` compiles it before pytest runs)."""
    if not LOCALE_IT_MO.exists():
        manage(django_env(None), "compile_translations")
    return LOCALE_IT_MO
