"""SQL queries, bytes and time of the main path pages on the embedded database with the real content.

Run after `make run` has imported the content: `PYTHONPATH=. .venv/bin/python scripts/measure_path_pages.py`.
The full benchmark suite (gunicorn, PostgreSQL, load) is `make bench` (issue 8).
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django

django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/it/start/",
    "/it/start/01-idea/",
    "/it/start/01-idea/01-your-idea/",
    "/it/start/03-rules/it-3-registration/",
    "/ar/start/05-microcredit/03-eligibility-check/",
    "/it/start/glossary/",
    "/it/start/plan/",
    "/it/start/plan/results/",
    "/it/start/journey/",
]


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/it/start/01-idea/01-your-idea/", {"idea_summary": "Sartoria", "product_or_service": "service"})
    client.post("/it/start/03-rules/00-country/", {"country": "IT"})
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        print(
            f"{url:50} {response.status_code} queries={len(queries.captured_queries):2d} bytes={len(response.content):6d} {elapsed:.0f} ms"
        )


if __name__ == "__main__":
    main()
