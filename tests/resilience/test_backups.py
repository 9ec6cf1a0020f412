"""Backups give back the same data: ``make backup``/``make restore`` on SQLite, the deploy/ scripts on PostgreSQL.

Compared table by table: the row count and a SHA-256 over every row (ordered by all columns) of
every table, taken from the source before the backup and from the restored database.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.resilience.servers import REPO, ScratchPostgres, django_env, manage, run_django

pytestmark = pytest.mark.resilience

SEED = """
from micro.accounts.models import Role
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.events.tests.factories import EventFactory, register
from micro.plans.tests.factories import make_journey, worked_plan
from micro.practices.tests.factories import quick

for n in range(3):
    organisation = OrganisationFactory.create(slug=f"backup-{n}", name=f"Backup partner {n} – ñ ü ع")
    member(organisation, Role.OPERATOR, email=f"op{n}@backup.example.org")
    event = EventFactory.create(organisation=organisation, slug=f"backup-event-{n}")
    for k in range(4):
        register(event, email=f"guest{n}-{k}@example.org", needs="Rampa d'accesso – ♿")
    worked_plan(make_journey())
    quick(organisation, title=f"Practice {n} with 'quotes' and \\\\backslashes")
print("seeded")
"""

FINGERPRINT = """
import hashlib, json
from django.db import connection
tables = sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_"))
result = {}
with connection.cursor() as cursor:
    for table in tables:
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {quoted} WHERE 1=0")
        width = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
        digest = hashlib.sha256()
        count = 0
        for row in cursor.fetchall():
            digest.update(repr(tuple(str(value) for value in row)).encode())
            count += 1
        result[table] = [count, digest.hexdigest()]
print(json.dumps(result))
"""

CHANGE = """
from micro.accounts.models import Organisation
from micro.events.models import Registration
Registration.objects.filter(email__startswith="guest0").delete()
Organisation.objects.filter(slug="backup-1").update(name="Changed after the backup")
print("changed")
"""


def _fingerprint(env: dict[str, str]) -> dict[str, list]:
    return json.loads(run_django(env, FINGERPRINT))


def _make(target: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", target, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_backup_and_make_restore_give_back_the_same_sqlite_data(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the SQLite rehearsal runs once, in the SQLite leg")
    backup_dir = tmp_path / "backups"
    env = django_env(
        None,
        DJANGO_SETTINGS_MODULE="tests.resilience.backup_settings",
        RESILIENCE_SQLITE_PATH=str(tmp_path / "live.sqlite3"),
        RESILIENCE_BACKUP_DIR=str(backup_dir),
    )
    manage(env, "migrate", "--no-input", "-v0")
    run_django(env, SEED)
    before = _fingerprint(env)
    assert sum(count for count, _digest in before.values()) > 50

    backed_up = _make("backup", env)
    assert backed_up.returncode == 0, backed_up.stderr
    backups = sorted(backup_dir.glob("micro-*.sqlite3"))
    assert len(backups) == 1

    run_django(env, CHANGE)
    assert _fingerprint(env) != before  # the check below can tell a difference

    restored = _make("restore", env, f"FILE={backups[0]}")
    assert restored.returncode == 0, restored.stderr + restored.stdout
    after = _fingerprint(env)
    assert after == before, sorted(t for t in before if before[t] != after.get(t))


def test_deploy_scripts_back_up_and_restore_the_same_postgres_data(
    scratch_postgres: ScratchPostgres, tmp_path: Path
) -> None:
    scratch_postgres.psql("postgres", "CREATE DATABASE backup_source")
    source_url = scratch_postgres.url.rsplit("/", 1)[0] + "/backup_source"
    source = django_env(source_url)
    manage(source, "migrate", "--no-input", "-v0")
    run_django(source, SEED)
    before = _fingerprint(source)

    shell_env = {**source, "PYTHON": "python3", "MICRO_ENV_FILE": "/nonexistent"}
    dump_dir = tmp_path / "dumps"
    dumped = subprocess.run(
        ["bash", "deploy/backup-postgres.sh", "--dir", str(dump_dir), "--keep", "0"],
        cwd=REPO,
        env=shell_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert dumped.returncode == 0, dumped.stderr
    dump = Path(dumped.stdout.strip().splitlines()[-1])
    assert dump.is_file()

    restore_env = {**shell_env, "DATABASE_URL": scratch_postgres.url.rsplit("/", 1)[0] + "/postgres"}
    restored = subprocess.run(
        ["bash", "deploy/restore-postgres.sh", "--target", "backup_restored", "--create", "--yes", str(dump)],
        cwd=REPO,
        env={**restore_env, "BACKUP_DIR": str(tmp_path / "aside")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr
    after = _fingerprint(django_env(scratch_postgres.url.rsplit("/", 1)[0] + "/backup_restored"))
    assert after == before, sorted(t for t in before if before[t] != after.get(t))
    assert sum(count for count, _digest in after.values()) > 50
