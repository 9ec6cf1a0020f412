"""Registration throughput: 50 people register at the same moment for one conference.

Starts gunicorn on 127.0.0.1 with the production settings against a scratch PostgreSQL database,
fires N concurrent registrations (threads, urllib: GET the form for its CSRF token, then POST it),
then checks that nothing is overbooked, nobody is stored twice and no request failed, and prints
requests per second. For comparison the same threads hit /healthz (one query, no template) first.
It also reports the weight of the public conference page. Bounded in time; talks only to 127.0.0.1.

    .venv/bin/python scripts/bench_event_registration.py [--registrants 50] [--capacity 40] [--workers 4]

Needs PostgreSQL at --admin-url (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEED = """
from datetime import timedelta
from django.utils import timezone
from micro.accounts.models import Organisation
from micro.events.models import Event
organisation, _ = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench partner", "country": "IT"})
start = timezone.now() + timedelta(days=10)
Event.objects.create(organisation=organisation, slug="bench-warmup", title="Warm-up", status="published", city="Rome",
    venue_name="Sala", venue_address="Via Nazionale 194", starts_at=start, ends_at=start + timedelta(hours=8), capacity=100)
Event.objects.create(organisation=organisation, slug="bench", title="Bench conference", status="published", city="Rome",
    venue_name="Sala", venue_address="Via Nazionale 194", starts_at=start, ends_at=start + timedelta(hours=8),
    time_zone="Europe/Rome", languages=["it", "en"], interpretation=["en"], capacity={capacity},
    category_capacity={"press": {press}},
    translations={"en": {"title": "Bench conference", "description": "A day on **microcredit**.", "status": "reviewed"}})
"""
CHECK = """
from django.db.models import Count
from micro.events.models import Registration
rows = Registration.objects.filter(event__slug="bench")
dupes = rows.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
print(rows.count(), rows.filter(status="confirmed").count(), rows.filter(status="confirmed", category="press").count(),
      rows.filter(status="waitlisted").count(), dupes)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def admin_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def in_parallel(count: int, work: Any, timeout: float) -> tuple[list[Any], float]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    started = [0.0]

    def run(index: int) -> None:
        try:
            if barrier.wait(timeout=30) == 0:
                started[0] = time.perf_counter()
            results[index] = work(index)
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    elapsed = time.perf_counter() - (started[0] or time.perf_counter())
    return results, elapsed


def health_round(base: str, count: int, per_thread: int, timeout: float) -> tuple[int, int, float]:
    def work(_index: int) -> int:
        ok = 0
        for _ in range(per_thread):
            with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # noqa: S310 - loopback only
                ok += response.status == 200
        return ok

    results, elapsed = in_parallel(count, work, timeout)
    ok = sum(r for r in results if isinstance(r, int))
    return ok, count * per_thread - ok, elapsed


def register_one(base: str, index: int, slug: str = "bench") -> dict[str, Any]:
    """GET the form (CSRF cookie + token), POST it; the answer must be the redirect to the personal page."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form_url = f"{base}/en/events/{slug}/register/"
    t0 = time.perf_counter()
    with opener.open(form_url, timeout=30) as response:
        html = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    t1 = time.perf_counter()
    token = CSRF_INPUT.search(html)
    # The production CSRF cookie is Secure; over plain HTTP on loopback we hand it back ourselves.
    cookie = next((c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken=")), "")
    if not token or not cookie:
        raise RuntimeError("no CSRF token in the form")
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "full_name": f"Bench Person {index}",
            "email": f"bench{index}@example.org",
            "organisation_name": "Bench Org",
            "category": "press" if index % 3 == 0 else "stakeholder",
            "interpretation_language": "en" if index % 2 else "",
            "needs": "",
            "privacy": "on",
            "list_consent": "on",
        }
    ).encode()
    request = urllib.request.Request(form_url, data=data, headers={"Cookie": cookie, "Referer": form_url})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    t2 = time.perf_counter()
    if status != 302 or "/events/r/" not in location:
        raise RuntimeError(f"registration {index}: HTTP {status} {location}")
    return {"get": t1 - t0, "post": t2 - t1}


def page_weight(base: str) -> dict[str, int]:
    weights: dict[str, int] = {}
    request = urllib.request.Request(f"{base}/it/events/bench/", headers={"Accept-Encoding": "br, gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        html = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    weights["html_bytes"] = len(html)
    weights["html_gzip_bytes"] = len(gzip.compress(html)) if not encoding else len(html)
    css = re.search(rb'href="(/static/[^"]+\.css)"', html)
    scripts = re.findall(rb'<script[^>]+src="([^"]+)"', html)
    weights["scripts"] = len(scripts)
    if css:
        request = urllib.request.Request(base + css.group(1).decode(), headers={"Accept-Encoding": "br, gzip"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            weights["css_transferred_bytes"] = len(response.read())
            weights["css_encoding"] = 1 if response.headers.get("Content-Encoding") else 0
    weights["total_transferred_bytes"] = weights["html_gzip_bytes"] + weights.get("css_transferred_bytes", 0)
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrants", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--timeout", type=float, default=120.0, help="overall limit for the load phases, seconds")
    args = parser.parse_args()
    if not 1 <= args.registrants <= 500:
        raise SystemExit("--registrants must be between 1 and 500")
    database = f"micro_bench_events_{os.getpid()}"
    admin_url = args.admin_url
    if urllib.parse.urlsplit(admin_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The benchmark only talks to a PostgreSQL on this machine (127.0.0.1).")
    database_url = admin_url.rsplit("/", 1)[0] + "/" + database
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SITE_URL": base,
        "PYTHONPATH": str(ROOT),
    }
    with admin_connect(admin_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"scratch database {database}; migrating and collecting static files…", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        seed = SEED.replace("{capacity}", str(args.capacity)).replace("{press}", str(max(args.capacity // 4, 1)))
        manage(env, "shell", "-c", seed)
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to loopback
            [str(GUNICORN), "config.wsgi", "-b", f"{HOST}:{port}", "-w", str(args.workers), "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + args.timeout
        wait_until_up(base, min(deadline, time.monotonic() + 30))
        health_round(base, 10, 5, 30)  # warm every worker: imports, templates, catalogues, connections
        warm, _elapsed = in_parallel(16, lambda i: register_one(base, 1000 + i, "bench-warmup"), 60)
        if any(not isinstance(r, dict) for r in warm):
            raise SystemExit(f"warm-up registrations failed: {warm}")
        ok, errors, elapsed = health_round(base, args.registrants, 20, args.timeout / 4)
        health_rps = ok / elapsed if elapsed else 0.0
        print(
            f"/healthz baseline: {ok} requests, {errors} errors, {health_rps:.0f} requests/s at {args.registrants} threads"
        )

        results, elapsed = in_parallel(
            args.registrants, lambda i: register_one(base, i), max(deadline - time.monotonic(), 10)
        )
        failures = [r for r in results if not isinstance(r, dict)]
        timings = [r for r in results if isinstance(r, dict)]
        total_requests = 2 * len(timings)
        posts = sorted(t["post"] for t in timings)
        print(
            f"registrations: {len(timings)} of {args.registrants} succeeded, {len(failures)} errors, "
            f"{elapsed:.2f} s wall time"
        )
        if timings:
            print(
                f"  throughput: {len(timings) / elapsed:.1f} registrations/s, {total_requests / elapsed:.1f} requests/s "
                f"(GET form + POST), {100 * (total_requests / elapsed) / health_rps:.0f} % of the /healthz rate"
                if health_rps
                else ""
            )
            print(
                f"  POST latency: median {statistics.median(posts) * 1000:.0f} ms, "
                f"p95 {posts[max(int(len(posts) * 0.95) - 1, 0)] * 1000:.0f} ms, max {posts[-1] * 1000:.0f} ms"
            )
        for failure in failures[:5]:
            print(f"  error: {failure}")
        alone = [register_one(base, 2000 + i, "bench-warmup") for i in range(10)]
        print(
            "  one registrant at a time (same server): GET form median "
            f"{statistics.median(a['get'] for a in alone) * 1000:.0f} ms, POST median "
            f"{statistics.median(a['post'] for a in alone) * 1000:.0f} ms"
        )
        total, confirmed, press, waitlisted, dupes = (
            int(n) for n in manage(env, "shell", "-v0", "-c", CHECK).strip().splitlines()[-1].split()
        )
        print(
            f"database: {total} registrations, {confirmed} confirmed (capacity {args.capacity}), "
            f"{press} press (limit {max(args.capacity // 4, 1)}), {waitlisted} waiting, {dupes} duplicate addresses"
        )
        weight = page_weight(base)
        print(
            "public conference page: HTML {html_bytes} B ({html_gzip_bytes} B gzip), stylesheet {css} B as served "
            "(whitenoise, compressed), {scripts} scripts, about {total} B transferred".format(
                html_bytes=weight["html_bytes"],
                html_gzip_bytes=weight["html_gzip_bytes"],
                css=weight.get("css_transferred_bytes", 0),
                scripts=weight["scripts"],
                total=weight["total_transferred_bytes"],
            )
        )
        problems = []
        if failures or errors:
            problems.append("requests failed")
        if confirmed > args.capacity or press > max(args.capacity // 4, 1):
            problems.append("OVERBOOKED")
        if dupes or total != len(timings):
            problems.append("registrations missing or duplicated")
        print("result: " + ("OK" if not problems else ", ".join(problems)))
        if problems:
            sys.exit(1)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with admin_connect(admin_url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
