"""`make bench`: the platform in production mode on PostgreSQL, measured, then stopped.

1. Creates ``micro_bench`` on the local PostgreSQL, migrates it, imports the content and the
   course, loads the demo data (dev settings: the demo loader needs DEBUG) and measures the main
   pages in-process ("small"); adds the large data set (bench/generate.py) and measures them again.
2. Times the heavy jobs (bench/work.py).
3. Starts gunicorn (production settings, 4 workers, 127.0.0.1, a free port, fresh secrets) and
   waits for /healthz.
4. Weighs the main pages in Chromium (bench/pages.py).
5. Runs locust headless, one endpoint at a time, at 10, 50 and 200 users, sampling CPU and memory
   of every gunicorn worker meanwhile.
6. Stops gunicorn and drops the database, also on failure or Ctrl-C, and writes
   bench/results/<date>.json and .md.

    .venv/bin/python -m bench.run [--duration 20] [--workers 4] [--keep-db]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.common import (
    CEILING_ENDPOINT,
    CEILING_PATH,
    ENDPOINTS,
    PACED_ENDPOINTS,
    PACED_LEVEL,
    QUIZ_ACTIVITY_SLUG,
    RATIO_ROUND_SECONDS,
    RATIO_ROUNDS,
    USER_LEVELS,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"
HOST = "127.0.0.1"
DATABASE = "micro_bench"
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def run_step(env: dict[str, str], args: list[str], timeout: int = 600) -> tuple[float, str]:
    """Runs one of our own commands; returns its wall time and output, or stops the run on failure."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our interpreter and our scripts
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise StepFailed(f"{' '.join(args[1:4])} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started, result.stdout


class StepFailed(RuntimeError):
    pass


def manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    return run_step(env, [str(PYTHON), "manage.py", *args])


def module(env: dict[str, str], name: str, *args: str) -> tuple[float, str]:
    return run_step(env, [str(PYTHON), "-m", name, *args], timeout=900)


class WorkerSampler(threading.Thread):
    """CPU % and resident memory of each gunicorn worker, every half second, while a load runs."""

    def __init__(self, master_pid: int) -> None:
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.cpu: dict[int, list[float]] = {}
        self.rss: dict[int, list[float]] = {}
        self.machine: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        import psutil

        processes: dict[int, Any] = {}
        psutil.cpu_percent(None)
        while not self.halt.is_set():
            try:
                children = psutil.Process(self.master_pid).children()
            except psutil.Error:
                return
            for child in children:
                if child.pid not in processes:
                    processes[child.pid] = child
                    child.cpu_percent(None)  # the first reading only starts the clock
                    continue
                known = processes[child.pid]  # cpu_percent() compares with this object's last reading
                try:
                    self.cpu.setdefault(child.pid, []).append(known.cpu_percent(None))
                    self.rss.setdefault(child.pid, []).append(known.memory_info().rss / 1_048_576)
                except psutil.Error:
                    continue
            self.halt.wait(0.5)
            # The whole machine (100 % = all cores): shows how much others took while we measured.
            self.machine.append(psutil.cpu_percent(None))

    def summary(self) -> dict[str, Any]:
        workers = {
            str(pid): {
                "cpu_mean": round(statistics.fmean(self.cpu[pid]), 1),
                "rss_max_mb": round(max(self.rss[pid]), 1),
            }
            for pid in self.cpu
            if self.cpu[pid] and self.rss.get(pid)
        }
        return {
            "workers": workers,
            "worker_cpu_mean": round(statistics.fmean(w["cpu_mean"] for w in workers.values()), 1) if workers else None,
            "worker_rss_max_mb": max((w["rss_max_mb"] for w in workers.values()), default=None),
            "machine_cpu_mean": round(statistics.fmean(self.machine), 1) if self.machine else None,
        }


def read_locust_stats(prefix: Path, endpoint: str) -> dict[str, Any]:
    """The row of ``endpoint`` in locust's CSV, plus the failures of every other request of the run."""
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    row = next((r for r in rows if r["Name"] == endpoint), None)
    others = sum(int(r["Failure Count"]) for r in rows if r["Name"] not in (endpoint, "Aggregated"))
    if row is None:
        return {"requests": 0, "failures": others, "note": "no request of this endpoint completed in the window"}
    failures_file = prefix.parent / f"{prefix.name}_failures.csv"
    messages = [f"{r['Name']}: {r['Error']} ×{r['Occurrences']}" for r in csv.DictReader(failures_file.open())][:3]
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]) + others,
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": round(float(row["Average Response Time"]), 1),
        **({"failure_messages": messages} if messages else {}),
    }


def locust_run(
    env: dict[str, str], base: str, endpoint: str, users: int, duration: int, master: int, out: Path, pace: float = 0
) -> dict[str, Any]:
    class_name = ENDPOINTS[endpoint]
    prefix = out / f"{class_name}-{users}{'-paced' if pace else ''}"
    env = {**env, "BENCH_PACE": str(pace)}
    spawn_rate = max(users // 5, 1) if pace else users  # paced users arrive over five seconds, not at once
    sampler = WorkerSampler(master)
    sampler.start()
    try:
        subprocess.run(  # noqa: S603 - our locust, loopback only
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "-t",
                f"{duration}s",
                "--reset-stats",
                "--stop-timeout",
                "5",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--loglevel",
                "ERROR",
                class_name,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=duration + 90,
            check=False,
        )
    finally:
        sampler.halt.set()
        sampler.join(timeout=5)
    return {**read_locust_stats(prefix, endpoint if endpoint != "healthz" else "/healthz"), **sampler.summary()}


def wait_until_up(base: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise StepFailed("gunicorn did not answer /healthz in time")


def warm_up(base: str, paths: list[str]) -> None:
    """A few requests per worker: imports, templates, translation catalogues, database connections."""
    for _ in range(8):
        for path in paths:
            with contextlib.suppress(urllib.error.URLError), urllib.request.urlopen(base + path, timeout=10) as answer:  # noqa: S310 - loopback
                answer.read()


def drain(base: str, seconds: float = 15) -> None:
    """Waits until the requests queued by the last load are served, so that they do not slow the next one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with (
            contextlib.suppress(urllib.error.URLError, TimeoutError),
            urllib.request.urlopen(f"{base}/healthz", timeout=5),  # noqa: S310 - loopback
        ):
            if time.perf_counter() - started < 0.1:
                return
        time.sleep(0.5)


def stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", "20")),
        help="seconds per endpoint and load level (default 20)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep-db", action="store_true", help="leave micro_bench in place for a look afterwards")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--keep-work", action="store_true", help="keep the locust CSVs and the gunicorn log")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help="where <date>.json and .md go")
    parser.add_argument("--endpoints", default="", help="comma-separated subset of the load endpoints")
    args = parser.parse_args(argv)
    if not 5 <= args.duration <= 120:
        parser.error("--duration must be between 5 and 120 seconds")
    if urllib.parse.urlsplit(args.admin_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the benchmark only uses the PostgreSQL on this machine")
    endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()] or list(ENDPOINTS)
    unknown = set(endpoints) - set(ENDPOINTS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")

    # SIGTERM (a killed make) goes through the same clean-up as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    started = time.monotonic()
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    port = free_port()
    base = f"http://{HOST}:{port}"
    work_dir = Path(tempfile.mkdtemp(prefix="micro-bench-"))
    sessions_file = work_dir / "sessions.json"
    database_url = args.admin_url.rsplit("/", 1)[0] + "/" + DATABASE
    production = {
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
        "BENCH_SESSIONS_FILE": str(sessions_file),
        "BENCH_CEILING_VIEW": "true",  # ARCHITECTURE.md's reference page, for the throughput ratio
    }
    production.pop("REDIS_URL", None)
    development = {**production, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    results: dict[str, Any] = {
        "meta": {
            "date": day,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": "make bench",
            "cpus": os.cpu_count(),
            "workers": args.workers,
            "duration_per_run_s": args.duration,
            "load_start": load_average(),
            "database": "PostgreSQL " + DATABASE,
        },
        "steps_s": {},
        "notes": [],
        "load": {},
        "growth": {},
    }
    steps = results["steps_s"]
    server: subprocess.Popen[bytes] | None = None
    exit_code = 0
    try:
        log(f"database {DATABASE}: drop, create, migrate (load average {results['meta']['load_start']})")
        admin(args.admin_url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"')
        steps["migrate"], _ = manage(production, "migrate", "--no-input", "-v0")
        steps["collectstatic"], _ = manage(production, "collectstatic", "--no-input", "-v0")
        steps["content_import"], _ = manage(production, "content_import")
        try:
            steps["course_import"], _ = manage(production, "course_import")
        except StepFailed as error:
            # Courses being written by someone else right now: the complete ones are in, say so.
            results["notes"].append("course_import reported errors: " + str(error).strip().splitlines()[-1][:200])
        steps["demo_load"], _ = manage(development, "demo_load")
        log("growth: main pages with the demo data")
        steps["growth_small"], _ = module(
            production, "bench.growth", "--label", "small", "--out", str(work_dir / "small.json")
        )
        log("generating the large data set")
        steps["generate"], output = module(
            production,
            "bench.generate",
            "--sessions",
            "200",
            "--sessions-file",
            str(sessions_file),
            "--out",
            str(work_dir / "generated.json"),
        )
        results["generated"] = json.loads((work_dir / "generated.json").read_text())
        log(output.strip().splitlines()[0] if output.strip() else "generated")
        steps["growth_large"], _ = module(
            production, "bench.growth", "--label", "large", "--out", str(work_dir / "large.json")
        )
        results["growth"] = {
            label: json.loads((work_dir / f"{label}.json").read_text()) for label in ("small", "large")
        }
        log("work: PDFs and content import")
        steps["work"], _ = module(production, "bench.work", "--out", str(work_dir / "work.json"))
        results["work"] = {
            "content import (first, with process start)": {"ms": round(steps["content_import"] * 1000)},
            **(
                {"course import (first, with process start)": {"ms": round(steps["course_import"] * 1000)}}
                if "course_import" in steps
                else {}
            ),
            **json.loads((work_dir / "work.json").read_text()),
        }
        _, quiz_id = manage(
            production,
            "shell",
            "-v0",
            "-c",
            "from micro.learning.models import Activity;"
            f"print(Activity.objects.filter(slug='{QUIZ_ACTIVITY_SLUG}', kind='quiz')"
            ".order_by('pk').values_list('pk', flat=True).first())",
        )
        production["BENCH_QUIZ_ACTIVITY_ID"] = quiz_id.strip().splitlines()[-1]

        log(f"gunicorn on {base} with {args.workers} workers")
        server = subprocess.Popen(  # noqa: S603 - our gunicorn, bound to loopback
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "-b",
                f"{HOST}:{port}",
                "-w",
                str(args.workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=production,
            stdout=subprocess.DEVNULL,
            stderr=(work_dir / "gunicorn.log").open("wb"),
            start_new_session=True,
        )
        wait_until_up(base, 30)
        warm_up(
            base,
            [
                "/healthz",
                CEILING_PATH,
                "/it/start/01-idea/",
                "/en/practices/?q=loan",
                "/en/events/bench-open/register/",
            ],
        )
        if not args.skip_pages:
            log("pages in Chromium (cold, warm, slow 3G)")
            steps["pages"], _ = module(
                production,
                "bench.pages",
                "--base",
                base,
                "--out",
                str(work_dir / "pages.json"),
                "--sessions-file",
                str(sessions_file),
            )
            results["pages"] = json.loads((work_dir / "pages.json").read_text())
        for endpoint in endpoints:
            for users in USER_LEVELS:
                log(f"load: {endpoint} at {users} users for {args.duration} s (load average {load_average()})")
                drain(base)
                row = locust_run(production, base, endpoint, users, args.duration, server.pid, work_dir)
                results["load"].setdefault(endpoint, {})[str(users)] = row
                log(f"  {row.get('rps')} req/s, p95 {row.get('p95_ms')} ms, {row.get('failures')} errors")
            if endpoint in PACED_ENDPOINTS:
                log(f"load: {endpoint}, {PACED_LEVEL}, for {args.duration} s (load average {load_average()})")
                drain(base)
                row = locust_run(production, base, endpoint, 50, args.duration, server.pid, work_dir, pace=1.0)
                results["load"][endpoint][PACED_LEVEL] = row
                log(f"  {row.get('rps')} req/s, p95 {row.get('p95_ms')} ms, {row.get('failures')} errors")
        budgeted = [name for name in report.BUDGETED_ENDPOINTS if name in endpoints]
        if CEILING_ENDPOINT in endpoints and budgeted:
            results["ratio_rounds"] = []
            for number in range(1, RATIO_ROUNDS + 1):
                measured = {}
                for endpoint in [CEILING_ENDPOINT, *budgeted]:
                    log(f"ratio round {number}: {endpoint} at 50 users for {RATIO_ROUND_SECONDS} s")
                    drain(base)
                    measured[endpoint] = locust_run(
                        production, base, endpoint, 50, RATIO_ROUND_SECONDS, server.pid, work_dir
                    )
                results["ratio_rounds"].append(measured)
                log("  " + ", ".join(f"{name} {row.get('rps')} req/s" for name, row in measured.items()))
        errors = (work_dir / "gunicorn.log").read_text(errors="replace").count("Traceback")
        if errors:
            results["notes"].append(f"gunicorn logged {errors} tracebacks during the run")
    except (StepFailed, KeyboardInterrupt, Exception) as error:  # the report says how far it got
        exit_code = 1
        results["notes"].append(f"run stopped early: {type(error).__name__}: {str(error)[:1500]}")
        log(f"stopped early: {error}")
    finally:
        stop(server)
        if not args.keep_db:
            try:
                admin(args.admin_url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            except Exception as error:
                results["notes"].append(f"could not drop {DATABASE}: {error}")
        results["meta"]["load_end"] = load_average()
        results["meta"]["total_s"] = round(time.monotonic() - started)
        json_path, markdown_path = report.write(results, args.results_dir, day)
        if args.keep_work:
            log(f"locust CSVs and gunicorn log kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
        log(f"results: {json_path} and {markdown_path} ({results['meta']['total_s']} s)")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
