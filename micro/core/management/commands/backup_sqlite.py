"""Online backup of the embedded SQLite database.

Uses SQLite's backup API, so it is safe while the web server and the worker run: the copy is
one consistent snapshot and includes what is still in the write-ahead log (WAL). The copy is
written next to its final name, checked with ``PRAGMA integrity_check``, then moved into place,
so a backup file either is complete and sound or does not exist.

The helpers at the top are shared with ``restore_sqlite``.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SQLITE_ENGINE = "django.db.backends.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUP_NAME = re.compile(r"^micro-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?\.sqlite3$")
BUSY_TIMEOUT_SECONDS = 30.0
DEFAULT_KEEP = 14


def utc_stamp() -> str:
    """A sortable, unambiguous timestamp (UTC, so no daylight-saving jumps) for file names."""
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def default_backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups"))


def configured_sqlite_path(alias: str = "default") -> Path:
    """The file of the configured SQLite database; a clear refusal for any other engine."""
    database = settings.DATABASES.get(alias)
    if database is None:
        raise CommandError(f"There is no database called {alias!r} in settings.DATABASES.")
    engine = database.get("ENGINE", "")
    if engine != SQLITE_ENGINE:
        raise CommandError(
            f"The {alias!r} database uses {engine}, not the embedded SQLite database, so this command cannot "
            "copy it. For PostgreSQL use deploy/backup-postgres.sh and deploy/restore-postgres.sh "
            "(see deploy/README.md)."
        )
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise CommandError("The SQLite database lives in memory: there is no file to back up or restore.")
    return Path(name)


def connect_existing(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a database file that must already exist (never create an empty one by mistake)."""
    mode = "ro" if read_only else "rw"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_SECONDS, autocommit=True
    )


def integrity_problems(connection: sqlite3.Connection) -> list[str]:
    """Empty when ``PRAGMA integrity_check`` answers ``ok``; else the problems it lists."""
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy ``source`` into a new self-contained file (rollback journal, no -wal file beside it)."""
    target = sqlite3.connect(target_path, timeout=BUSY_TIMEOUT_SECONDS, autocommit=True)
    try:
        # pages=-1: one step, so the source is read inside one transaction: a consistent snapshot.
        source.backup(target, pages=-1)
        # The copy inherits WAL mode from the header of a WAL source; a backup should be one file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def remove_with_sidecars(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
        candidate.unlink(missing_ok=True)


def backup_files(directory: Path) -> list[Path]:
    """Backups written by this command in ``directory``, oldest first (by the time in their name)."""
    found: list[tuple[str, int, Path]] = []
    if directory.is_dir():
        for path in directory.iterdir():
            match = BACKUP_NAME.match(path.name)
            if match and path.is_file():
                found.append((match["stamp"], int(match["seq"] or 1), path))
    return [path for _stamp, _seq, path in sorted(found)]


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups; other files in the directory are left alone."""
    if keep <= 0:
        return []
    existing = backup_files(directory)
    doomed = existing[:-keep] if len(existing) > keep else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


class Command(BaseCommand):
    help = (
        "Back up the embedded SQLite database (safe while the server runs) into "
        "var/backups/micro-YYYYmmdd-HHMMSS.sqlite3 (UTC time), check the copy, print its path "
        "and keep only the newest backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="File to write, or an existing directory to write a timestamped file into "
            "(default: var/backups/). An existing file is never overwritten.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=DEFAULT_KEEP,
            metavar="N",
            help=f"Keep the N newest micro-*.sqlite3 backups in the output directory, delete older ones "
            f"(default {DEFAULT_KEEP}; 0 keeps everything).",
        )
        parser.add_argument("--database", default="default", help="Database alias in settings (default: default).")
        parser.add_argument(
            "--database-path",
            metavar="PATH",
            help="Back up this SQLite file instead of the configured database (for tests and one-off copies).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep: int = options["keep"]
        if keep < 0:
            raise CommandError("--keep must be 0 (keep everything) or a positive number.")
        source_path = (
            Path(options["database_path"]) if options["database_path"] else configured_sqlite_path(options["database"])
        )
        if not source_path.is_file():
            raise CommandError(
                f"There is no database file at {source_path}. Check DATABASES, or run `manage.py migrate` first."
            )
        target = self._target_path(options["output"])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        remove_with_sidecars(partial)
        try:
            source = connect_existing(source_path)
            try:
                copy_database(source, partial)
            finally:
                source.close()
            check = connect_existing(partial, read_only=True)
            try:
                problems = integrity_problems(check)
            finally:
                check.close()
            if problems:
                raise CommandError(
                    f"The copy of {source_path} failed its integrity check, so it was not kept: "
                    + "; ".join(problems[:5])
                )
            partial.replace(target)
        except sqlite3.Error as exc:
            raise CommandError(f"The backup of {source_path} failed: {exc}") from exc
        finally:
            remove_with_sidecars(partial)

        for old in prune_backups(target.parent, keep) if BACKUP_NAME.match(target.name) else []:
            if options["verbosity"] >= 2:
                self.stderr.write(f"Removed old backup {old}")
        self.stdout.write(str(target))

    def _target_path(self, output: str | None) -> Path:
        if output and not Path(output).is_dir() and not output.endswith(("/", "\\")):
            target = Path(output)
            if target.exists():
                raise CommandError(f"{target} exists already; choose another name (backups are never overwritten).")
            return target
        directory = Path(output) if output else default_backup_dir()
        stamp = utc_stamp()
        target = directory / f"micro-{stamp}.sqlite3"
        sequence = 1
        while target.exists():  # two backups in the same second
            sequence += 1
            target = directory / f"micro-{stamp}-{sequence}.sqlite3"
        return target
