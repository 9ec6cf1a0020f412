"""Settings for rehearsing ``make backup`` / ``make restore`` on a throw-away SQLite file.

The Makefile targets run exactly as an administrator runs them; only the database file and the
backup folder are moved into the test's temporary folder, so the developer database in var/ and
its backups are never touched.
"""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["RESILIENCE_SQLITE_PATH"],
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
    }
}
BACKUP_DIR = Path(os.environ["RESILIENCE_BACKUP_DIR"])
