"""CPU and wall time of one page per request, in one process, through Django's WSGI handler.

How the lesson page's cost was taken apart in issue 8 (no HTTP, no load generator: only what the
worker spends). Use the production settings against a `make bench` database kept with --keep-db:

    .venv/bin/python -m bench.run --duration 5 --skip-pages --keep-db --endpoints healthz
    export DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=<50+ characters> \\
        ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/micro_bench BENCH_CEILING_VIEW=true
    .venv/bin/python -m bench.generate --only-sessions --sessions 1 --sessions-file /tmp/s.json
    PYTHONPATH=. .venv/bin/python scripts/measure_request_cpu.py \\
        /en/learn/micro-sample/intercultural/working-with-interpreters/ --session-file /tmp/s.json
    PYTHONPATH=. .venv/bin/python scripts/measure_request_cpu.py /en/bench/ceiling/

The session file is written with the same SECRET_KEY (sessions are signed). ``--profile cumulative``
prints cProfile's table instead of the times.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

django.setup()
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--session-file", type=Path, help="JSON list of session keys (bench.generate); none: a visitor")
    parser.add_argument("--profile", choices=["cumulative", "tottime"], help="print cProfile's table instead")
    args = parser.parse_args()
    cookies: dict[str, str] = {}
    if args.session_file:
        cookies["sessionid"] = json.loads(args.session_file.read_text())[0]
    handler = WSGIHandler()
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        statuses.append(status)
        for name, value in headers:  # keep the CSRF cookie, as a browser does from its second page on
            if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                cookies["csrftoken"] = value.split(";", 1)[0].split("=", 1)[1]
        return lambda _data: None

    def request() -> int:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        return len(b"".join(handler(environ, start_response)))

    size = 0
    for _ in range(30):  # warm: connection, templates, the worker's content cache
        size = request()
    print(f"{args.path}: {statuses[-1]}, {size} bytes")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            request()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.profile).print_stats(50)
        return 0
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(args.requests):
        request()
    cpu_ms = 1000 * (time.process_time() - cpu) / args.requests
    wall_ms = 1000 * (time.perf_counter() - wall) / args.requests
    print(f"{args.requests} requests: {cpu_ms:.2f} ms CPU and {wall_ms:.2f} ms wall per request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
