"""Read-mostly content (stages, steps, lessons) kept in each worker's memory between requests.

Every path and lesson page reads the same content, which changes only on an import or an
author's edit. Each worker keeps what it built, tagged with the content revision
(``ContentRevision``); it reads that number at most once every ``REVISION_TTL_SECONDS``, so a
change made in one worker or by ``manage.py content_import`` reaches all of them within about a
second (and what a rolled-back change left in this worker's memory is gone after the same
interval). Any save or delete of a ``TranslatableContent`` model (and any change of their
many-to-many links) bumps the number: see ``content_changed``. Per-person data (progress,
journeys, discussions) is never kept here.

Values are shared by every request of the worker: callers must treat them as read-only.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import transaction

from micro.core.content_i18n import TranslatableContent
from micro.core.models import ContentRevision

REVISION_TTL_SECONDS = 1.0  # settings.CONTENT_REVISION_TTL_SECONDS overrides it
MAX_ENTRIES = 2048


class _Memory:
    revision: int = -1
    read_at: float = float("-inf")
    entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()


_memory = _Memory()


def clear() -> None:
    """Forget everything this worker built (tests call it before each test)."""
    _memory.entries.clear()
    _memory.revision = -1
    _memory.read_at = float("-inf")


def revision() -> int:
    now = time.monotonic()
    if now - _memory.read_at >= getattr(settings, "CONTENT_REVISION_TTL_SECONDS", REVISION_TTL_SECONDS):
        number = ContentRevision.objects.filter(pk=1).values_list("number", flat=True).first()
        _memory.revision = int(number or 0)
        _memory.read_at = now
    return _memory.revision


def cached[T](key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s value for ``key`` at the current content revision, built once per worker."""
    current = revision()
    entry = _memory.entries.get(key)
    if entry is not None and entry[0] == current:
        _memory.entries.move_to_end(key)
        return entry[1]  # type: ignore[no-any-return]
    value = build()
    _memory.entries[key] = (current, value)
    if len(_memory.entries) > MAX_ENTRIES:
        _memory.entries.popitem(last=False)
    return value


def _transaction_marker() -> None:
    """Registered with on_commit once per transaction that already bumped the revision."""


def bump() -> None:
    """Content changed: this worker forgets at once, the others at their next revision check.

    Inside a transaction the row is updated once (the first change), so the new number becomes
    visible to other workers together with the content itself when the transaction commits. The
    number is random rather than counted: if the transaction rolls back, what this worker built
    from it carries a number the row will never hold again, and is dropped at the next check.
    """
    clear()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(callback is _transaction_marker for _, callback, _ in connection.run_on_commit):
            return
        transaction.on_commit(_transaction_marker)
    number = secrets.randbits(62)  # never a number seen before, even after a rollback
    if not ContentRevision.objects.filter(pk=1).update(number=number):
        ContentRevision.objects.update_or_create(pk=1, defaults={"number": number})


def content_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """post_save, post_delete and m2m_changed receiver for every model."""
    # m2m_changed also sends pre_add, pre_remove and pre_clear: the change is not made yet.
    if isinstance(instance, TranslatableContent) and str(kwargs.get("action", "post_")).startswith("post_"):
        bump()
