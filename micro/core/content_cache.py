"""Read-mostly content (stages, steps, lessons) kept in each worker's memory between requests.

Every path and lesson page reads the same content, which changes only on an import or an
author's edit. Each worker keeps what it built, tagged with the content revision
(``micro.core.revisions``, name "content"); it reads that number at most once a second, so a
change made in one worker or by ``manage.py content_import`` reaches all of them within about a
second (and what a rolled-back change left in this worker's memory is gone after the same
interval). Any save or delete of a ``TranslatableContent`` model (and any change of their
many-to-many links) bumps the number: see ``content_changed``. Per-person data (progress,
journeys, discussions) is never kept here.

Values are shared by every request of the worker: callers must treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from micro.core import revisions
from micro.core.content_i18n import TranslatableContent

MAX_ENTRIES = 2048

# Built values with the content revision they were built at, least recently used first.
_entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget everything this worker built (tests call it before each test)."""
    with _lock:
        _entries.clear()
    revisions.forget(revisions.CONTENT)


def cached[T](key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s value for ``key`` at the current content revision, built once per worker."""
    current = revisions.current(revisions.CONTENT)
    with _lock:  # the development server and the browser tests' live server answer in threads
        entry = _entries.get(key)
        if entry is not None and entry[0] == current:
            _entries.move_to_end(key)
            return entry[1]  # type: ignore[no-any-return]
    value = build()  # outside the lock: two threads may build the same value once each
    with _lock:
        _entries[key] = (current, value)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def cached_many[K: Hashable, T](prefix: str, keys: Iterable[K], build: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
    """Like ``cached`` for many items at once: ``build`` gets the keys this worker does not hold at
    the current revision (one query for all of them) and returns what it found; keys it does not
    return are not remembered."""
    current = revisions.current(revisions.CONTENT)
    found: dict[K, T] = {}
    missing: list[K] = []
    with _lock:
        for key in dict.fromkeys(keys):
            entry = _entries.get((prefix, key))
            if entry is not None and entry[0] == current:
                _entries.move_to_end((prefix, key))
                found[key] = entry[1]
            else:
                missing.append(key)
    if missing:
        built = build(missing)
        with _lock:
            for key, value in built.items():
                _entries[(prefix, key)] = (current, value)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        found.update(built)
    return found


def bump() -> None:
    """Content changed: this worker forgets at once, the others at their next revision check.

    If the transaction rolls back, what this worker built inside it carries a number the row
    never holds again (micro.core.revisions), and is dropped at the next check.
    """
    with _lock:
        _entries.clear()
    revisions.bump(revisions.CONTENT)


def content_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """post_save, post_delete and m2m_changed receiver for every model."""
    # m2m_changed also sends pre_add, pre_remove and pre_clear: the change is not made yet.
    if isinstance(instance, TranslatableContent) and str(kwargs.get("action", "post_")).startswith("post_"):
        bump()
