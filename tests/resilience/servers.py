"""Real processes for the resilience tests: a private PostgreSQL cluster and gunicorn serving the platform.

Everything binds to 127.0.0.1 on a free port and lives in a temporary folder, so stopping the
database or killing a worker disturbs nothing else on the machine (not the CI PostgreSQL on 5432,
not the other test runs).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the ``postgres`` account when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class ScratchPostgres:
    """A throw-away PostgreSQL cluster: own data folder, own port, fsync off."""

    # Directly under the system temporary folder: pytest's own folders are private to root (0700),
    # and the server runs as the ``postgres`` account when the tests run as root.
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="micro-resilience-pg-")))
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/micro"

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
        subprocess.run(
            _as_postgres_user(
                [
                    str(shutil.which("initdb")),
                    *("-D", str(self.data), "-U", "postgres", "--auth=trust"),
                    *("-E", "UTF8", "--no-sync", "--locale=C.UTF-8"),
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()
        self.psql("postgres", "CREATE DATABASE micro")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        subprocess.run(
            _as_postgres_user(
                [
                    str(shutil.which("pg_ctl")),
                    *("-D", str(self.data), "-o", options, "-l", str(self.root / "pg.log")),
                    *("-w", "-t", "30", "start"),
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres_user([str(shutil.which("pg_ctl")), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            [
                *("psql", "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", str(self.port)),
                *("-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


def django_env(database_url: str | None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(REPO), **extra})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_django(env: dict[str, str], code: str, timeout: float = 120) -> str:
    """Run ``code`` in a fresh Django process on the server's database; returns what it prints."""
    script = "import django\ndjango.setup()\n" + code
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode:
        raise RuntimeError(f"Django snippet failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


@dataclass
class Gunicorn:
    """gunicorn serving ``wsgi_app`` with ``workers`` sync workers on a free port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 2
    wsgi_app: str = "config.wsgi:application"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                *(GUNICORN, self.wsgi_app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
                *("--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"),
            ],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                status, _headers, _body = request("GET", self.port, "/en/about/", timeout=5)
                if status < 500:
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early, see {self.log_path}")
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in time, see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def worker_pids(self) -> list[int]:
        """The current worker processes (children of the arbiter)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def request(
    method: str,
    port: int,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class Browser:
    """A minimal cookie-keeping HTTP client for one simulated device (its own session and CSRF cookie)."""

    def __init__(self, port: int, *, language_header: str = "en") -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.language_header = language_header

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": self.language_header}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, headers: dict[str, str], raw: list[str]) -> None:
        for line in raw:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value

    def send(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=self._headers(headers))
            response = connection.getresponse()
            raw_cookies = response.msg.get_all("Set-Cookie") or []
            result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            self._keep_cookies(result[1], raw_cookies)
            return result
        finally:
            connection.close()

    def get(
        self, path: str, *, headers: dict[str, str] | None = None, timeout: float = 10
    ) -> tuple[int, dict[str, str], bytes]:
        return self.send("GET", path, headers=headers, timeout=timeout)

    def post_form(
        self, path: str, fields: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 10
    ) -> tuple[int, dict[str, str], bytes]:
        """POST ``fields`` with this device's CSRF token (taken from the cookie)."""
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        extra = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
            "Origin": f"http://127.0.0.1:{self.port}",
            **(headers or {}),
        }
        return self.send("POST", path, body=body, headers=extra, timeout=timeout)


def hidden_value(html: bytes, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"'.encode(), html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"'.encode(), html
    )
    return match.group(1).decode() if match else None


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextlib.contextmanager
def running(server: Gunicorn) -> Iterator[Gunicorn]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
