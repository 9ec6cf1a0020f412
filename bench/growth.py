"""SQL queries and time of each main page, in-process (Django test client) against the bench database.

bench/run.py calls it twice: after the demo data ("small") and after the generated data ("large");
the query counts must not grow with the data.

    .venv/bin/python -m bench.growth --label small --out /tmp/growth-small.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import MAIN_PAGES

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
OPERATOR_EMAIL = "operator@demo.micro.example"


def measure_page(client: Any, path: str, runs: int = RUNS) -> dict[str, Any]:
    """Median milliseconds over ``runs`` after one warm-up, and the smallest query count of the runs.

    The smallest, because a few reads happen once a second per worker rather than once per page
    (the revision numbers of micro.core.revisions): one of them landing in the run that happens to
    be counted is time, not data size (2026-11-27: the practice search counted 2 queries with the
    small data and 3 with the large, whose runs took longer and crossed a second).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # templates compiled, caches filled, connection open
    times = []
    status = 0
    queries: int | None = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        counted = len(captured.captured_queries)
        queries = counted if queries is None else min(queries, counted)
    return {"status": status, "queries": queries or 0, "ms": round(statistics.median(times), 2)}


def migrant_client() -> Any:
    """An anonymous visitor with a journey: a worksheet answer, a country and a worked plan."""
    from django.test import Client

    from micro.plans.tests.factories import WORKED_BUDGET, WORKED_LOAN, WORKED_SALES

    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/it/start/01-idea/01-your-idea/", {"idea_summary": "Sartoria", "product_or_service": "service"})
    client.post("/it/start/03-rules/00-country/", {"country": "IT"})
    from micro.pathway.services import SESSION_KEY
    from micro.plans.models import BusinessPlan

    journey_id = client.session.get(SESSION_KEY)
    if journey_id:
        BusinessPlan.objects.update_or_create(
            journey_id=journey_id,
            defaults={
                "title": "Sartoria",
                "inputs": {"budget": WORKED_BUDGET, "sales": WORKED_SALES, "loan": WORKED_LOAN},
            },
        )
    return client


def staff_client() -> Any:
    from django.test import Client

    from micro.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=OPERATOR_EMAIL))
    return client


def data_size() -> dict[str, int]:
    from micro.accounts.models import User
    from micro.events.models import Registration
    from micro.learning.models import Attempt
    from micro.pathway.models import Journey
    from micro.practices.models import Practice

    return {
        "journeys": Journey.objects.count(),
        "users": User.objects.count(),
        "attempts": Attempt.objects.count(),
        "practices": Practice.objects.count(),
        "registrations": Registration.objects.count(),
    }


def run() -> dict[str, Any]:
    migrant = migrant_client()
    staff = staff_client()
    pages = {}
    for page in MAIN_PAGES:
        pages[page.name] = {"path": page.path, **measure_page(staff if page.signed_in else migrant, page.path)}
    return {"data": data_size(), "pages": pages}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    result = {"label": args.label, **run()}
    args.out.write_text(json.dumps(result, indent=2))
    worst = max(result["pages"].values(), key=lambda p: p["queries"])
    print(f"growth ({args.label}): {len(result['pages'])} pages, at most {worst['queries']} queries ({worst['path']})")


if __name__ == "__main__":
    main()
