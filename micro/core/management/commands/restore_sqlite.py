"""Restore the embedded SQLite database from a file written by ``backup_sqlite``.

Every check runs before the live database is touched: the file must be a regular file, a
complete SQLite database (header, size), pass ``PRAGMA integrity_check`` and hold Django's
``django_migrations`` table. Then the current database is copied aside
(``<name>.before-restore-<UTC time>``) and the backup is written into the live file with
SQLite's backup API, in one transaction: connections that are open see the old data or the
new data, never a mix.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from micro.core.management.commands.backup_sqlite import (
    BUSY_TIMEOUT_SECONDS,
    SQLITE_MAGIC,
    configured_sqlite_path,
    connect_existing,
    copy_database,
    integrity_problems,
    remove_with_sidecars,
    utc_stamp,
)

HEADER_SIZE = 100


def check_sqlite_file(path: Path) -> None:
    """Refuse anything that is not a complete SQLite database file, with a message that says why."""
    if not path.exists():
        raise CommandError(f"There is no file at {path}.")
    if not path.is_file():
        raise CommandError(f"{path} is not a regular file (a directory?). Give the path of a backup file.")
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if not header.startswith(SQLITE_MAGIC):
        raise CommandError(f"{path} is not a SQLite database (it does not start with the SQLite header).")
    if len(header) < HEADER_SIZE:
        raise CommandError(f"{path} is truncated: it is only {size} bytes long, shorter than a SQLite header.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise CommandError(f"{path} is not a valid SQLite database (its page size {page_size} is impossible).")
    if size % page_size:
        raise CommandError(f"{path} is truncated: {size} bytes is not a whole number of {page_size}-byte pages.")
    page_count = int.from_bytes(header[28:32], "big")
    # The page count in the header is trustworthy when the two change counters agree.
    if page_count and header[24:28] == header[92:96] and size < page_count * page_size:
        raise CommandError(f"{path} is truncated: it has {size // page_size} pages but its header says {page_count}.")


def open_backup(path: Path) -> sqlite3.Connection:
    """Open a backup read-only without writing anything beside it.

    A file whose header says WAL (a raw copy of a live database, not written by backup_sqlite)
    would make SQLite create -wal/-shm files next to it; it is opened as immutable instead, which
    is exact only when no -wal file holds part of its data, so that case is refused.
    """
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if header[18:20] != b"\x02\x02":
        return connect_existing(path, read_only=True)
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise CommandError(
            f"{path} has a write-ahead log beside it ({wal.name}): it is a live database or a raw copy of one, "
            "not a backup. Make a backup of it with `manage.py backup_sqlite --database-path` and restore that."
        )
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT_SECONDS, autocommit=True
    )


def inspect_backup(path: Path) -> tuple[set[tuple[str, str]], int]:
    """Open the candidate read-only; return its applied migrations and page size, or refuse."""
    try:
        connection = open_backup(path)
    except sqlite3.Error as exc:
        raise CommandError(f"{path} cannot be opened as a SQLite database: {exc}") from exc
    try:
        problems = integrity_problems(connection)
        if problems:
            raise CommandError(f"{path} is damaged (integrity check): " + "; ".join(problems[:5]))
        has_migrations = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        if not has_migrations:
            raise CommandError(
                f"{path} is a SQLite database but not one of this platform: it has no django_migrations table."
            )
        applied = {(str(app), str(name)) for app, name in connection.execute("SELECT app, name FROM django_migrations")}
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.Error as exc:
        raise CommandError(f"{path} is damaged: {exc}") from exc
    finally:
        connection.close()
    return applied, page_size


class Command(BaseCommand):
    help = (
        "Restore the embedded SQLite database from a backup file. The file is checked first; the "
        "current database is copied aside to <name>.before-restore-<time> before it is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="A backup written by `manage.py backup_sqlite`.")
        parser.add_argument("--database", default="default", help="Database alias in settings (default: default).")
        parser.add_argument(
            "--database-path",
            metavar="PATH",
            help="Restore into this SQLite file instead of the configured database (for tests and rehearsals).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup = Path(options["file"])
        live = (
            Path(options["database_path"]) if options["database_path"] else configured_sqlite_path(options["database"])
        )

        # 1. Check everything before touching the live database.
        if live.exists() and backup.exists() and live.resolve() == backup.resolve():
            raise CommandError(f"{backup} is the live database itself; nothing was changed.")
        check_sqlite_file(backup)
        applied, backup_page_size = inspect_backup(backup)
        if live.exists() and not live.is_file():
            raise CommandError(f"The database path {live} is not a regular file; nothing was changed.")
        self._report_migrations(applied)

        # 2. Keep the current database aside, consistently (it may be in use).
        stamp = utc_stamp()
        aside: Path | None = None
        try:
            if live.exists():
                aside = live.with_name(f"{live.name}.before-restore-{stamp}")
                current = connect_existing(live)
                try:
                    copy_database(current, aside)
                except sqlite3.Error:
                    remove_with_sidecars(aside)
                    aside = None
                    raise
                finally:
                    current.close()
            else:
                live.parent.mkdir(parents=True, exist_ok=True)

            # 3. Write the backup into the live file in one transaction.
            problems = self._restore_into(backup, backup_page_size, live)
        except sqlite3.Error as exc:
            where = f" The previous database is kept at {aside}." if aside else ""
            raise CommandError(f"The restore into {live} failed: {exc}.{where}") from exc
        if problems:
            undo = f" The previous database is kept at {aside}." if aside else ""
            raise CommandError(f"{live} fails its integrity check after the restore: {'; '.join(problems[:5])}.{undo}")

        self.stdout.write(self.style.SUCCESS(f"Restored {live} from {backup}."))
        if aside:
            self.stdout.write(f"The database as it was before is kept at {aside} (restore it the same way to undo).")

    def _restore_into(self, backup: Path, backup_page_size: int, live: Path) -> list[str]:
        """Copy ``backup`` into ``live`` in one transaction; return the integrity problems of the result."""
        source = open_backup(backup)
        target = sqlite3.connect(live, timeout=BUSY_TIMEOUT_SECONDS, autocommit=True)
        staging: Path | None = None
        try:
            journal_mode = str(target.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            live_page_size = int(target.execute("PRAGMA page_size").fetchone()[0])
            if journal_mode == "wal" and live_page_size != backup_page_size:
                # A WAL database cannot change its page size, so rewrite the backup with the live one first.
                staging = live.with_name(f".{live.name}.restore-staging")
                remove_with_sidecars(staging)
                copy_database(source, staging)
                source.close()
                rewrite = sqlite3.connect(staging, autocommit=True)
                try:
                    rewrite.execute(f"PRAGMA page_size = {live_page_size:d}")
                    rewrite.execute("VACUUM")
                finally:
                    rewrite.close()
                source = connect_existing(staging, read_only=True)
            source.backup(target, pages=-1)
            # Checked through the writing connection, so closing it checkpoints the WAL as usual.
            return integrity_problems(target)
        finally:
            source.close()
            target.close()
            if staging is not None:
                remove_with_sidecars(staging)

    def _report_migrations(self, applied: set[tuple[str, str]]) -> None:
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = sorted(applied - known)
        missing = sorted(known - applied)
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            self.stderr.write(
                self.style.WARNING(
                    f"The backup was made by a newer version of the platform (it has migrations this code does not "
                    f"know: {names}). Install that version before you use the restored database."
                )
            )
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"The backup is older than this code ({len(missing)} migration(s) not applied in it): "
                    "run `manage.py migrate` after the restore."
                )
            )
