"""Search time and SQL queries of the practice repository with 50 and with 50,000 published practices.

Runs in a throwaway test database (never the development one), on SQLite by default or on
PostgreSQL when DATABASE_URL points to one (a ``test_…`` database is created and dropped):

    .venv/bin/python scripts/bench_practice_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/micro_bench .venv/bin/python scripts/bench_practice_search.py

Prints, for each size, the median wall time of five runs and the number of SQL queries of: the
search selector (total, facet counts and one page), the list page and the JSON API through the
test client, and the related practices of one practice.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "50,50000").split(",")]
RUNS = 5
SEARCHES: list[tuple[str, str, dict[str, Any]]] = [
    ("no words, no filter", "", {}),
    ("1 word (common)", "microcredit", {}),
    ("2 words", "microcredit refugees", {}),
    ("2 words + 2 facets", "kitchen transport", {"country": ["IT"], "target_group": ["women", "young_people"]}),
    ("3 facets, no words", "", {"theme": ["credit_access"], "legal_status": ["permit_holders"], "country": ["ES"]}),
    ("rare word", "practice 4242", {}),
]


def measure(action: Callable[[], Any]) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()  # warm up: templates compiled, connection open
    times = []
    queries = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="micro-bench-")
        os.environ["BENCH_SQLITE_FILE"] = str(Path(folder) / "bench.sqlite3")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if os.environ.get("BENCH_SQLITE_FILE"):
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["BENCH_SQLITE_FILE"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(Client())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(client: Any) -> None:
    from django.db import connection

    from micro.accounts.models import Country, Organisation
    from micro.practices import selectors
    from micro.practices.models import Practice
    from micro.practices.tests.factories import bulk_published

    organisations = [
        Organisation.objects.create(name=f"Bench partner {n}", slug=f"bench-{n}", country=country)
        for n, country in enumerate(
            [Country.ITALY, Country.BELGIUM, Country.SPAIN, Country.GERMANY, Country.ITALY, Country.SPAIN]
        )
    ]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{'practices':>9} | {'what':<34} | {'median ms':>9} | {'SQL':>3} | {'found':>6}")
    print("-" * 74)
    for size in SIZES:
        start = time.perf_counter()
        bulk_published(organisations, size - Practice.objects.count())
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE practices_practice")
        print(f"{size:>9} | {'(bulk insert + index)':<34} | {(time.perf_counter() - start) * 1000:>9.0f} | {'':>3} |")
        for label, query, filters in SEARCHES:
            found = selectors.practice_search(query=query, filters=filters).total
            ms, sql = measure(partial(selectors.practice_search, query=query, filters=filters))
            print(f"{size:>9} | {'selector: ' + label:<34} | {ms:>9.1f} | {sql:>3} | {found:>6}")
        for label, url in (
            ("list page ?q=microcredit&country=IT", "/en/practices/?q=microcredit&country=IT"),
            ("JSON API ?q=microcredit+refugees", "/api/practices/?q=microcredit+refugees"),
        ):
            ms, sql = measure(partial(client.get, url))
            print(f"{size:>9} | {label:<34} | {ms:>9.1f} | {sql:>3} |")
        practice = Practice.objects.order_by("pk").first()
        assert practice is not None
        ms, sql = measure(partial(selectors.practice_related, practice))
        print(f"{size:>9} | {'related practices (4)':<34} | {ms:>9.1f} | {sql:>3} |")
        ms, sql = measure(partial(client.get, f"/en/practices/{practice.slug}/"))
        print(f"{size:>9} | {'practice page':<34} | {ms:>9.1f} | {sql:>3} |")


if __name__ == "__main__":
    main()
