"""Django's database sessions, read with one plain SQL statement.

Every signed-in request reads its session. Through the ORM, building that one-row query took
longer in Python than PostgreSQL took to answer it, so ``load`` asks in SQL. Everything else
(table, encoding, saving, expiry, clearing) is Django's, so existing sessions stay valid.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        # Django makes keys of ASCII letters and digits; anything else (a NUL byte, which PostgreSQL
        # refuses in text, quotes, markup) is a cookie nobody was given: no query, a new session.
        if not key or not (key.isascii() and key.isalnum()):
            self._session_key = None
            return {}
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {self.model._meta.db_table}"  # noqa: S608 - table name from the model
                " WHERE session_key = %s AND expire_date > %s",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # unknown or expired: a new session starts, as in Django's store
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
