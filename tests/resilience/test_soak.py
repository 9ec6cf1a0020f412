"""Soak: 20 simulated users for ``SOAK_SECONDS`` (90 s in CI; 300 s or more by hand) against gunicorn on PostgreSQL.

Every user browses the migrant path, the public lists and the API, and saves their own plan over
and over. Passes when no request fails (no 5xx, no dropped connection, no 4xx) and each gunicorn
worker's resident memory grows less than ``RSS_GROWTH_LIMIT_MIB`` between the end of the warm-up
and the end of the run (the same workers throughout: none died or was replaced).

By hand: ``SOAK_SECONDS=300 .venv/bin/python -m pytest -q tests/resilience/test_soak.py -s``
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from tests.resilience.servers import Browser, Gunicorn, ScratchPostgres, hidden_value, manage, rss_kib

pytestmark = [pytest.mark.resilience, pytest.mark.soak]

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "90"))
USERS = int(os.environ.get("SOAK_USERS", "20"))
WARM_UP_SECONDS = min(10.0, SOAK_SECONDS / 6)
RSS_GROWTH_LIMIT_MIB = 30
PAGES = [
    "/en/",
    "/en/start/",
    "/en/start/01-idea/",
    "/it/start/01-idea/",
    "/ar/start/glossary/",
    "/en/practices/",
    "/en/events/",
    "/en/about/",
    "/en/start/plan/results/",
    "/healthz",
    "/api/meta",
    "/api/events/",
]


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    saves: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, label: str, status: int) -> None:
        with self.lock:
            self.statuses[str(status)] += 1
            if status not in (200, 302) and len(self.failures) < 20:
                self.failures.append(f"{label}: {status}")


def _user(port: int, number: int, until: float, tally: Tally) -> None:
    device = Browser(port)
    index = number
    while time.monotonic() < until:
        path = PAGES[index % len(PAGES)]
        index += 1
        try:
            status = device.get(path, timeout=30)[0]
        except OSError as error:
            status = 0
            path = f"{path} ({type(error).__name__})"
        tally.note(path, status)
        if index % 4 == 0:
            try:
                _status, _headers, page = device.get("/en/start/plan/sections/", timeout=30)
                fields = {
                    "title": f"Soak user {number}",
                    "summary": f"Save {index} of user {number}.",
                    "version": hidden_value(page, "version") or "1",
                    "save_key": hidden_value(page, "save_key") or "",
                }
                status = device.post_form("/en/start/plan/sections/", fields, timeout=30)[0]
            except OSError:
                status = 0
            tally.note("POST /en/start/plan/sections/", status)
            if status == 302:
                with tally.lock:
                    tally.saves += 1


def test_soak_without_errors_or_memory_growth(scratch_postgres: ScratchPostgres, pg_platform: Gunicorn) -> None:
    manage(pg_platform.env, "content_import")
    tally = Tally()
    started = time.monotonic()
    until = started + SOAK_SECONDS
    users = [
        threading.Thread(target=_user, args=(pg_platform.port, n, until, tally), daemon=True) for n in range(USERS)
    ]
    for user in users:
        user.start()
    time.sleep(WARM_UP_SECONDS)
    workers = pg_platform.worker_pids()
    rss_before = {pid: rss_kib(pid) for pid in workers}
    for user in users:
        user.join(timeout=SOAK_SECONDS + 60)
    rss_after = {pid: rss_kib(pid) for pid in pg_platform.worker_pids()}
    elapsed = time.monotonic() - started
    total = sum(tally.statuses.values())

    growth_mib = {pid: (rss_after.get(pid, 0) - rss_before[pid]) / 1024 for pid in workers}
    print(
        f"\nsoak: {USERS} users, {elapsed:.0f} s, {total} requests ({total / elapsed:.0f}/s), {tally.saves} plan saves, "
        f"statuses {dict(tally.statuses)}, worker RSS MiB before {[round(v / 1024, 1) for v in rss_before.values()]} "
        f"after {[round(v / 1024, 1) for v in rss_after.values()]}"
    )
    assert tally.failures == []
    assert set(rss_after) == set(workers), "a worker died or was replaced during the soak"
    assert total > USERS * 10 and tally.saves > USERS
    assert all(growth < RSS_GROWTH_LIMIT_MIB for growth in growth_mib.values()), growth_mib
