"""Backups and restores on real files: SQLite (management commands) and PostgreSQL (deploy scripts).

The SQLite database is created by Django's own migrations (``manage.py migrate`` in a
subprocess, once per session), put in WAL mode like the live one, and filled with rows;
then it is compared table by table (row count and a hash of the content).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from micro.core.management.commands.backup_sqlite import BACKUP_NAME, default_backup_dir

BASE_DIR = Path(settings.BASE_DIR)
PROBE_ROWS = 3000

Fingerprint = dict[str, tuple[int, str]]


# --- helpers --------------------------------------------------------------------------------


def fingerprint(path: Path) -> Fingerprint:
    """Row count and SHA-256 of the ordered content of every table, plus a hash of the schema."""
    connection = sqlite3.connect(path)
    try:
        result: Fingerprint = {}
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
        result["<schema>"] = (len(schema), hashlib.sha256(repr(schema).encode()).hexdigest())
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ):
            width = len(connection.execute(f'SELECT * FROM "{table}" LIMIT 0').description)  # noqa: S608
            order = ", ".join(str(column) for column in range(1, width + 1))
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}'):  # noqa: S608
                digest.update(repr(row).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
        return result
    finally:
        connection.close()


def files_state(directory: Path) -> dict[str, str]:
    """Name → SHA-256 of every file in ``directory`` (read as bytes, without opening SQLite)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
        if path.is_file()
    }


def run_backup(database: Path, output: str, *extra: str) -> Path:
    out = StringIO()
    call_command("backup_sqlite", "--database-path", str(database), "--output", output, *extra, stdout=out)
    printed = out.getvalue().strip().splitlines()
    assert printed, "backup_sqlite printed no path"
    return Path(printed[-1])


def run_restore(database: Path, backup: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("restore_sqlite", str(backup), "--database-path", str(database), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def journal_mode(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        connection.close()


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the real schema, made by `manage.py migrate` (once per test session)."""
    path = tmp_path_factory.mktemp("migrated") / "micro.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"sqlite:///{path}"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, f"migrate failed:\n{completed.stdout}\n{completed.stderr}"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")  # as the live database (config/env.py)
    connection.close()
    return path


@pytest.fixture
def live_db(tmp_path: Path, migrated_database: Path) -> Path:
    """A live database in WAL mode: migrated schema, audit rows, and a table with varied data."""
    var = tmp_path / "var"
    var.mkdir()
    path = var / "micro.sqlite3"
    shutil.copyfile(migrated_database, path)
    rng = random.Random(20240601)
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO core_auditevent (actor_id, actor_label, action, object_type, object_id, object_label,"
            " organisation_id, ip_address, user_agent, detail, created_at)"
            " VALUES (NULL, ?, ?, 'accounts.user', ?, ?, NULL, '192.0.2.1', 'pytest', ?, ?)",
            [
                (
                    f"operator{i}@example.org",
                    rng.choice(["case.read", "case.update", "plan.export"]),
                    str(i),
                    rng.choice(["Amina", "Олена", "أمينة", "Zoë 🚀"]),
                    f'{{"n": {i}}}',
                    f"2025-01-{1 + i % 28:02d} 10:00:00",
                )
                for i in range(200)
            ],
        )
        connection.execute(
            "CREATE TABLE backup_probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL, payload BLOB, amount REAL)"
        )
        connection.executemany(
            "INSERT INTO backup_probe (label, payload, amount) VALUES (?, ?, ?)",
            [(f"row {i} — ثبت", rng.randbytes(rng.randint(0, 300)), rng.random() * 1e6) for i in range(PROBE_ROWS)],
        )
    connection.close()
    return path


@pytest.fixture
def backup_file(live_db: Path, tmp_path: Path) -> Path:
    return run_backup(live_db, f"{tmp_path / 'backups'}/")


# --- SQLite: backup then restore ------------------------------------------------------------


def test_backup_then_restore_gives_back_the_same_data(live_db: Path, tmp_path: Path) -> None:
    # Rows committed by a connection that stays open remain in the -wal file, not yet in the main file.
    writer = sqlite3.connect(live_db, autocommit=True)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.executemany("INSERT INTO backup_probe (label) VALUES (?)", [(f"in the WAL {i}",) for i in range(50)])
    assert live_db.with_name("micro.sqlite3-wal").stat().st_size > 0
    original = fingerprint(live_db)
    assert original["backup_probe"][0] == PROBE_ROWS + 50
    assert original["core_auditevent"][0] == 200
    assert original["django_migrations"][0] > 0

    backup = run_backup(live_db, f"{tmp_path / 'backups'}/")

    assert backup.parent == tmp_path / "backups"
    assert BACKUP_NAME.match(backup.name)
    assert fingerprint(backup) == original  # WAL content included
    assert journal_mode(backup) == "delete"  # one self-contained file
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]

    # The live data changes after the backup...
    writer.execute("DELETE FROM backup_probe WHERE id % 3 = 0")
    writer.execute("UPDATE core_auditevent SET action = 'changed' WHERE id < 50")
    writer.execute("CREATE TABLE added_later (x)")
    writer.close()
    changed = fingerprint(live_db)
    assert changed != original

    out, _err = run_restore(live_db, backup)

    # ...and the restore brings back exactly what was backed up, table by table.
    restored = fingerprint(live_db)
    assert restored.keys() == original.keys()
    for table, expected in original.items():
        assert restored[table] == expected, table
    assert journal_mode(live_db) == "wal"
    # The database as it was just before the restore is kept aside, whole.
    asides = sorted(live_db.parent.glob("micro.sqlite3.before-restore-*"))
    assert len(asides) == 1
    assert fingerprint(asides[0]) == changed
    assert str(asides[0]) in out


def test_backup_is_consistent_while_the_database_is_written(live_db: Path, tmp_path: Path) -> None:
    """Writers keep committing batches of 10 rows; every backup holds whole batches only."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def write_batches() -> None:
        connection = sqlite3.connect(live_db, timeout=30, autocommit=False)
        try:
            while not stop.is_set():
                connection.executemany("INSERT INTO backup_probe (label) VALUES (?)", [("batch",)] * 10)
                connection.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=write_batches)
    thread.start()
    try:
        backups = [run_backup(live_db, f"{tmp_path / 'backups'}/") for _ in range(3)]
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors
    counts = [fingerprint(path)["backup_probe"][0] for path in backups]
    assert all(count % 10 == PROBE_ROWS % 10 for count in counts), counts
    assert len({path.name for path in backups}) == 3  # same-second backups get distinct names


def test_restore_into_a_missing_database_creates_it(backup_file: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "micro.sqlite3"
    out, _err = run_restore(fresh, backup_file)
    assert fingerprint(fresh) == fingerprint(backup_file)
    assert "before-restore" not in out
    assert not list(fresh.parent.glob("*.before-restore-*"))


def test_restore_adapts_a_backup_with_another_page_size(live_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    source = sqlite3.connect(live_db)
    source.execute("VACUUM INTO ?", (str(other),))
    source.close()
    rewrite = sqlite3.connect(other, autocommit=True)
    rewrite.execute("PRAGMA journal_mode=DELETE")
    rewrite.execute("PRAGMA page_size=8192")
    rewrite.execute("VACUUM")
    assert rewrite.execute("PRAGMA page_size").fetchone()[0] == 8192
    rewrite.close()
    expected = fingerprint(other)
    assert journal_mode(live_db) == "wal"  # a WAL database cannot take another page size as is

    run_restore(live_db, other)

    assert fingerprint(live_db) == expected
    assert not list(live_db.parent.glob(".*restore-staging*"))


def test_restore_warns_about_migrations_this_code_does_not_know(live_db: Path, tmp_path: Path) -> None:
    connection = sqlite3.connect(live_db)
    with connection:
        connection.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('core', '9999_from_the_future', '2030-01-01')"
        )
    connection.close()
    backup = run_backup(live_db, f"{tmp_path / 'backups'}/")
    _out, err = run_restore(live_db, backup)
    assert "newer version" in err
    assert "core.9999_from_the_future" in err


# --- SQLite: refusals -----------------------------------------------------------------------


def _bad_candidate(kind: str, tmp_path: Path, backup: Path) -> Path:
    path = tmp_path / f"candidate-{kind}"
    data = backup.read_bytes()
    if kind == "directory":
        path.mkdir()
    elif kind == "missing":
        pass
    elif kind == "garbage":
        path.write_bytes(random.Random(7).randbytes(20_000))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("id,name\n1,Amina\n", encoding="utf-8")
    elif kind == "header-only":
        path.write_bytes(data[:60])
    elif kind == "truncated-mid-page":
        path.write_bytes(data[: len(data) // 2 + 123])
    elif kind == "truncated-at-page":
        page_size = int.from_bytes(data[16:18], "big")
        path.write_bytes(data[: page_size * 3])
    elif kind == "corrupted":
        page_size = int.from_bytes(data[16:18], "big")
        pages = len(data) // page_size
        damaged = bytearray(data)
        noise = random.Random(11).randbytes(page_size * (pages // 2))
        damaged[page_size * 2 : page_size * 2 + len(noise)] = noise
        path.write_bytes(bytes(damaged))
    elif kind == "live-copy":
        # A raw copy of a live database: the main file plus a -wal file that holds part of its data.
        original = tmp_path / "elsewhere" / "micro.sqlite3"
        original.parent.mkdir()
        shutil.copyfile(backup, original)
        connection = sqlite3.connect(original, autocommit=True)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("DELETE FROM backup_probe")
        shutil.copyfile(original, path)
        shutil.copyfile(original.with_name("micro.sqlite3-wal"), path.with_name(path.name + "-wal"))
        connection.close()
    elif kind == "not-django":
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('hello')")
        connection.commit()
        connection.close()
    else:  # pragma: no cover
        raise AssertionError(kind)
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("directory", "not a regular file"),
        ("missing", "no file at"),
        ("garbage", "not a SQLite database"),
        ("empty", "not a SQLite database"),
        ("text", "not a SQLite database"),
        ("header-only", "truncated"),
        ("truncated-mid-page", "truncated"),
        ("truncated-at-page", "truncated"),
        ("corrupted", "damaged"),
        ("not-django", "no django_migrations table"),
        ("live-copy", "write-ahead log beside it"),
    ],
)
def test_restore_refuses_bad_files_and_changes_nothing(
    kind: str, message: str, live_db: Path, backup_file: Path, tmp_path: Path
) -> None:
    candidate = _bad_candidate(kind, tmp_path, backup_file)
    before_data = fingerprint(live_db)
    # fingerprint() opened and closed the database; take the byte-level state after it.
    before_files = files_state(live_db.parent)

    with pytest.raises(CommandError, match=message):
        run_restore(live_db, candidate)

    assert files_state(live_db.parent) == before_files  # not one byte changed, nothing copied aside
    assert fingerprint(live_db) == before_data


def test_restore_accepts_a_wal_mode_file_and_writes_nothing_beside_it(live_db: Path, tmp_path: Path) -> None:
    candidate_dir = tmp_path / "wal-mode"
    candidate_dir.mkdir()
    candidate = candidate_dir / "copy.sqlite3"
    source = sqlite3.connect(live_db)
    source.execute("VACUUM INTO ?", (str(candidate),))
    source.close()
    connection = sqlite3.connect(candidate, autocommit=True)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("DELETE FROM backup_probe WHERE id > 10")
    connection.close()  # the last connection checkpoints and removes the -wal file
    assert candidate.read_bytes()[18:20] == b"\x02\x02"
    expected = fingerprint(candidate)
    before = files_state(candidate_dir)

    run_restore(live_db, candidate)

    assert fingerprint(live_db) == expected
    assert files_state(candidate_dir) == before


def test_restore_refuses_the_live_file_itself(live_db: Path) -> None:
    with pytest.raises(CommandError, match="live database itself"):
        run_restore(live_db, live_db)


# --- SQLite: backup options and refusals ----------------------------------------------------


def test_keep_prunes_old_backups_only(backup_file: Path, live_db: Path) -> None:
    directory = backup_file.parent
    backup_file.unlink()
    old_names = [f"micro-2020010{day}-000000.sqlite3" for day in range(1, 6)] + ["micro-20200105-000000-2.sqlite3"]
    for name in old_names:
        (directory / name).write_bytes(b"an older backup")
    unrelated = [
        "notes.txt",
        "micro-manual.sqlite3",
        "micro-20200101-000000.sqlite3.bak",
        "other-20200101-000000.sqlite3",
    ]
    for name in unrelated:
        (directory / name).write_text("keep me", encoding="utf-8")

    newest = run_backup(live_db, f"{directory}/", "--keep", "3")

    remaining = sorted(path.name for path in directory.iterdir())
    expected = sorted([newest.name, "micro-20200105-000000.sqlite3", "micro-20200105-000000-2.sqlite3", *unrelated])
    assert remaining == expected

    run_backup(live_db, f"{directory}/", "--keep", "0")  # 0 keeps everything
    assert len([p for p in directory.iterdir() if BACKUP_NAME.match(p.name)]) == 4


def test_backup_to_an_explicit_file_never_overwrites(live_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "before-upgrade.sqlite3"
    assert run_backup(live_db, str(target)) == target
    assert fingerprint(target) == fingerprint(live_db)
    with pytest.raises(CommandError, match="exists already"):
        run_backup(live_db, str(target))


def test_backup_goes_to_var_backups_by_default(live_db: Path, tmp_path: Path) -> None:
    assert default_backup_dir() == BASE_DIR / "var" / "backups"
    with override_settings(BACKUP_DIR=tmp_path / "default-place"):
        out = StringIO()
        call_command("backup_sqlite", "--database-path", str(live_db), stdout=out)
    printed = Path(out.getvalue().strip())
    assert printed.parent == tmp_path / "default-place"
    assert BACKUP_NAME.match(printed.name)
    assert printed.is_file()


def test_backup_refuses_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no database file"):
        run_backup(tmp_path / "nothing.sqlite3", f"{tmp_path / 'backups'}/")
    assert not (tmp_path / "nothing.sqlite3").exists()
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_backup_refuses_a_negative_keep(live_db: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--keep"):
        run_backup(live_db, f"{tmp_path}/", "--keep", "-1")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
@pytest.mark.parametrize("command", ["backup_sqlite", "restore_sqlite"])
def test_commands_refuse_postgresql_and_point_to_the_scripts(command: str, tmp_path: Path) -> None:
    postgres = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "micro"}}
    args = [str(tmp_path / "x.sqlite3")] if command == "restore_sqlite" else []
    with override_settings(DATABASES=postgres), pytest.raises(CommandError, match=r"deploy/backup-postgres\.sh"):
        call_command(command, *args)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_backup_refuses_an_in_memory_database() -> None:
    memory = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    with override_settings(DATABASES=memory), pytest.raises(CommandError, match="in memory"):
        call_command("backup_sqlite")


# --- PostgreSQL: deploy/backup-postgres.sh and deploy/restore-postgres.sh -----------------

DEPLOY = BASE_DIR / "deploy"
PG_ADMIN_URL = os.environ.get("MICRO_TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_unavailable_reason() -> str | None:
    for tool in ("pg_dump", "pg_restore", "psql", "createdb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install postgresql-client)"
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {PG_ADMIN_URL} ({str(exc).strip().splitlines()[0]})"
    return None


def _url_for(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def _pg_fingerprint(database: str) -> dict[str, tuple[int, str]]:
    import psycopg

    with psycopg.connect(_url_for(database)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        result = {}
        for table in tables:
            count, digest = connection.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608
            ).fetchone()  # type: ignore[misc]
            result[table] = (int(count), str(digest))
        return result


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEPLOY / name), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL backup scripts not tested: {reason}")
    import psycopg

    suffix = uuid.uuid4().hex[:10]
    source, copy = f"micro_backup_src_{suffix}", f"micro_backup_copy_{suffix}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{source}"')
    try:
        yield source, copy
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            for name in (source, copy):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgres_scripts_back_up_and_restore_into_another_database(
    scratch_databases: tuple[str, str], tmp_path: Path
) -> None:
    import psycopg

    source, copy = scratch_databases
    with psycopg.connect(_url_for(source), autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE partner (id serial PRIMARY KEY, name text NOT NULL UNIQUE, country char(2) NOT NULL)"
        )
        connection.execute(
            "CREATE TABLE loan (id bigserial PRIMARY KEY, partner_id int NOT NULL REFERENCES partner(id),"
            " amount numeric(12, 2) NOT NULL, notes text, data jsonb, scan bytea, created timestamptz DEFAULT now())"
        )
        connection.execute(
            "INSERT INTO partner (name, country) VALUES ('Ente Nazionale per il Microcredito', 'IT'),"
            " ('Acción contra el Hambre', 'ES'), ('Wisamar', 'DE')"
        )
        connection.execute(
            "INSERT INTO loan (partner_id, amount, notes, data, scan)"
            " SELECT 1 + g % 3, g * 12.5, 'نص ' || g, jsonb_build_object('n', g), decode(md5(g::text), 'hex')"
            " FROM generate_series(1, 500) g"
        )
    original = _pg_fingerprint(source)
    assert original["loan"][0] == 500

    backups = tmp_path / "backups"
    env = {
        **os.environ,
        "DATABASE_URL": _url_for(source),
        "BACKUP_DIR": str(backups),
        "BACKUP_KEEP": "2",
        "MICRO_ENV_FILE": str(tmp_path / "no-env-file"),
    }
    dumps = []
    for _ in range(3):
        done = _script("backup-postgres.sh", env=env)
        assert done.returncode == 0, done.stderr
        dumps.append(Path(done.stdout.strip().splitlines()[-1]))
    assert all(path.parent == backups for path in dumps)
    assert sorted(p.name for p in backups.iterdir()) == sorted(p.name for p in dumps[1:])  # BACKUP_KEEP=2
    dump = dumps[-1]
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    # Without the confirmation flag nothing happens; neither without --create for a missing database.
    refused = _script("restore-postgres.sh", "--target", copy, "--create", str(dump), env=env)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    refused = _script("restore-postgres.sh", "--target", copy, "--yes", str(dump), env=env)
    assert refused.returncode != 0
    assert "--create" in refused.stderr
    with psycopg.connect(PG_ADMIN_URL) as admin:
        assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (copy,)).fetchone() is None

    done = _script("restore-postgres.sh", "--target", copy, "--create", "--yes", str(dump), env=env)
    assert done.returncode == 0, done.stderr
    assert _pg_fingerprint(copy) == original
    with psycopg.connect(_url_for(copy), autocommit=True) as connection:
        new_id = connection.execute("INSERT INTO loan (partner_id, amount) VALUES (1, 1) RETURNING id").fetchone()[0]  # type: ignore[index]
        assert new_id > 500  # sequences came back too
        connection.execute("DELETE FROM loan WHERE id > 250")

    # Restoring again over changed data: the changed data is dumped aside, the dump's data comes back.
    done = _script("restore-postgres.sh", "--target", copy, "--yes", str(dump), env=env)
    assert done.returncode == 0, done.stderr
    assert _pg_fingerprint(copy) == original
    asides = list(backups.glob(f"before-restore-{copy}-*.dump"))
    assert len(asides) == 1

    # Files that are not complete dumps are refused before anything changes.
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(random.Random(3).randbytes(5000))
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    for bad in (garbage, truncated, tmp_path):
        refused = _script("restore-postgres.sh", "--target", copy, "--yes", str(bad), env=env)
        assert refused.returncode != 0
        assert "nothing was changed" in refused.stderr or "is not a file" in refused.stderr
    assert _pg_fingerprint(copy) == original
    assert _pg_fingerprint(source) == original
