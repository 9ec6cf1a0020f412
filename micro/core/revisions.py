"""Numbers in the database that tell every worker "this changed", each read at most once a second.

Workers keep things in their own memory (the content they rendered, a session's two-factor
all-clear) and must drop them when someone else, possibly in another process, changes what they
were built from. Without a shared cache the database is what all workers see: a change writes a
new random number under a name (``core_revision``), and each worker re-reads that number at most
every ``settings.REVISION_TTL_SECONDS`` (1 s). Random rather than counted, so that a number written
by a transaction that rolled back is never seen again.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.db import transaction

from micro.core.models import Revision

CONTENT = "content"
TWO_FACTOR = "two-factor"
COHORTS = "cohorts"
DEFAULT_TTL_SECONDS = 1.0

_read: dict[str, tuple[int, float]] = {}  # name -> (number, when this worker read it)
_markers: dict[str, object] = {}  # name -> the on_commit callback that marks "bumped in this transaction"


def forget(name: str | None = None) -> None:
    """Read the number again next time (all names when ``name`` is None)."""
    if name is None:
        _read.clear()
    else:
        _read.pop(name, None)


def current(name: str) -> int:
    now = time.monotonic()
    known = _read.get(name)
    if known is not None and now - known[1] < getattr(settings, "REVISION_TTL_SECONDS", DEFAULT_TTL_SECONDS):
        return known[0]
    number = int(Revision.objects.filter(name=name).values_list("number", flat=True).first() or 0)
    _read[name] = (number, now)
    return number


def _marker(name: str) -> object:
    if name not in _markers:

        def bumped_in_this_transaction() -> None:
            """Runs harmlessly after the commit; its presence in run_on_commit is the mark."""

        _markers[name] = bumped_in_this_transaction
    return _markers[name]


def pending(name: str) -> bool:
    """Whether the transaction under way has changed ``name``: until it commits, what it reads
    must not be cached under a number the other workers cannot see yet (later changes in the same
    transaction would not write a new one)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    marker = _markers.get(name)
    return marker is not None and any(callback is marker for _, callback, _ in connection.run_on_commit)


def bump(name: str) -> None:
    """Something named ``name`` changed: this worker re-reads at once, the others within the TTL.

    Inside a transaction the row is written once (at the first change), so other workers see the
    new number together with the change itself, when the transaction commits.
    """
    forget(name)
    if transaction.get_connection().in_atomic_block:
        if pending(name):
            return
        transaction.on_commit(_marker(name))  # type: ignore[arg-type]
    number = secrets.randbits(62)
    if not Revision.objects.filter(name=name).update(number=number):
        Revision.objects.update_or_create(name=name, defaults={"number": number})
