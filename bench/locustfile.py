"""Locust users of `make bench`: one class per measured endpoint, so that each runs on its own.

bench/run.py starts ``locust --headless`` once per endpoint and load level, naming the class. Users
wait for nothing between requests (closed loop): the rate they reach is the server's throughput at
that concurrency. With BENCH_PACE=p each user pauses about p seconds between requests instead, like
people who read between clicks: the latency then shows the service time more than the queue. Signed-in users take ready sessions (BENCH_SESSIONS_FILE, written by
bench/generate.py) instead of signing in. Production cookies are Secure, so over plain HTTP on
127.0.0.1 the users hand the session and CSRF cookies back themselves, in a Cookie header; like
browsers, they keep the CSRF cookie from the first page that sets it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import urllib.parse
import uuid
from typing import Any

from locust import FastHttpUser, between, constant, task

from bench.common import CEILING_ENDPOINT, CEILING_PATH, ENDPOINTS, LESSON_PATH
from bench.forms import quiz_answers

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;,\s]+)")
SEARCH_WORDS = ("microcredit", "women", "mentoring", "kitchen transport", "loan", "training", "refugees")
STAGES = ("01-idea", "02-market", "03-rules", "04-plan", "05-microcredit", "06-launch")
REGISTRATION_EVENT = os.environ.get("BENCH_EVENT_SLUG", "bench-open")
QUIZ_ACTIVITY_ID = os.environ.get("BENCH_QUIZ_ACTIVITY_ID", "1")
# 0: closed loop (no pause: throughput). p > 0: each user pauses 0.5 p to 1.5 p seconds between requests, at
# random so that the users do not fire together (latency of people who read between clicks).
PACE = float(os.environ.get("BENCH_PACE", "0") or 0)


def _sessions() -> list[str]:
    path = os.environ.get("BENCH_SESSIONS_FILE", "")
    return json.loads(open(path).read()) if path else []


SESSION_KEYS = _sessions()
_next_session = itertools.count()
_next_page = itertools.count()


def form_body(fields: dict[str, Any]) -> str:
    """URL-encoded form body (lists become repeated fields), as a browser sends it."""
    return urllib.parse.urlencode(fields, doseq=True)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def set_cookie_values(response: Any) -> str:
    """Every Set-Cookie header of a response, joined (geventhttpclient keeps repeated headers apart)."""
    headers = response.headers or {}
    return " ".join(str(value) for key, value in headers.items() if str(key).lower() == "set-cookie")


class BenchUser(FastHttpUser):
    """Closed loop, no redirects followed: each measured request is exactly one HTTP exchange."""

    abstract = True
    wait_time = between(PACE / 2, PACE * 1.5) if PACE > 0 else constant(0)
    session_key = ""
    csrf_cookie = ""
    csrf_token = ""

    def cookie_header(self) -> dict[str, str]:
        cookies = []
        if self.session_key:
            cookies.append(f"sessionid={self.session_key}")
        if self.csrf_cookie:
            cookies.append(f"csrftoken={self.csrf_cookie}")
        return {"Cookie": "; ".join(cookies)} if cookies else {}

    def take_session(self) -> None:
        if not SESSION_KEYS:
            raise RuntimeError("BENCH_SESSIONS_FILE lists no sessions for the signed-in users")
        self.session_key = SESSION_KEYS[next(_next_session) % len(SESSION_KEYS)]

    def fetch_csrf(self, path: str) -> None:
        """GET a form once: its token and the CSRF cookie serve every later POST of this user."""
        with self.client.get(
            path, headers=self.cookie_header(), name="(setup: form)", catch_response=True, allow_redirects=False
        ) as response:
            cookie = CSRF_COOKIE.search(set_cookie_values(response))
            token = CSRF_INPUT.search(response.text or "")
            if cookie:
                self.csrf_cookie = cookie.group(1)
            if token is None or not self.csrf_cookie:
                response.failure(f"no CSRF token or cookie on {path} (HTTP {response.status_code})")
                return
            self.csrf_token = token.group(1)
            response.success()

    def expect(self, response: Any, status: int, location_part: str = "") -> None:
        # Like a browser, keep the CSRF cookie a page sets and send it back from then on (Django
        # sends it with every page that shows a form, every page has the language form: the same
        # secret, with its expiry renewed; without the cookie, each page makes a new secret).
        cookie = CSRF_COOKIE.search(set_cookie_values(response))
        if cookie:
            self.csrf_cookie = cookie.group(1)
        location = response.headers.get("Location", "") or ""
        if response.status_code != status or location_part not in location:
            response.failure(f"HTTP {response.status_code} {location[:80]}")
        else:
            response.success()


class CeilingUser(BenchUser):
    """ARCHITECTURE.md's reference: every middleware, a tiny template, one query; no cookies."""

    @task
    def ceiling(self) -> None:
        self.client.get(CEILING_PATH, name=CEILING_ENDPOINT)


class HealthzUser(BenchUser):
    """The technical floor: one query, no template, no session."""

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")


class PathStageUser(BenchUser):
    @task
    def stage(self) -> None:
        stage = STAGES[next(_next_page) % len(STAGES)]
        with self.client.get(
            f"/it/start/{stage}/", headers=self.cookie_header(), name="path stage page", catch_response=True
        ) as response:
            self.expect(response, 200)


class PlanCalculatorUser(BenchUser):
    """The loan calculator as htmx posts it on every change: results only, nothing saved."""

    def on_start(self) -> None:
        self.fetch_csrf("/en/start/plan/loan/")

    @task
    def recalculate(self) -> None:
        data = {
            "csrfmiddlewaretoken": self.csrf_token,
            "version": "1",
            "principal": "10000",
            "annual_rate": "6.9",
            "months": "48",
            "method": "french",
            "grace_months": "0",
            "grace_mode": "interest_only",
            "fees": "150",
        }
        headers = {**self.cookie_header(), **FORM, "HX-Request": "true", "HX-Target": "summary"}
        with self.client.post(
            "/en/start/plan/loan/",
            data=form_body(data),
            headers=headers,
            name="plan calculator (htmx POST)",
            catch_response=True,
        ) as response:
            self.expect(response, 200)


class LessonUser(BenchUser):
    """A signed-in operator reading a lesson of the sample course."""

    def on_start(self) -> None:
        self.take_session()

    @task
    def lesson(self) -> None:
        with self.client.get(
            LESSON_PATH, headers=self.cookie_header(), name="lesson page", catch_response=True, allow_redirects=False
        ) as response:
            self.expect(response, 200)


class QuizUser(BenchUser):
    """Start (or resume) an attempt, read its questions, submit answers: the submission is the measured POST."""

    def on_start(self) -> None:
        self.take_session()
        self.fetch_csrf(f"/en/learn/activities/{QUIZ_ACTIVITY_ID}/")

    @task
    def submit(self) -> None:
        headers = self.cookie_header()
        with self.client.post(
            f"/en/learn/activities/{QUIZ_ACTIVITY_ID}/start/",
            data=form_body({"csrfmiddlewaretoken": self.csrf_token}),
            headers={**headers, **FORM},
            name="quiz: start attempt",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self.expect(response, 302, "/attempts/")
            attempt_path = response.headers.get("Location", "") or ""
        if "/attempts/" not in attempt_path:
            return
        with self.client.get(
            attempt_path, headers=headers, name="quiz: attempt page", catch_response=True, allow_redirects=False
        ) as response:
            self.expect(response, 200)
            answers = quiz_answers(response.text or "")
        if not answers:
            return
        with self.client.post(
            attempt_path,
            data=form_body({**answers, "csrfmiddlewaretoken": [self.csrf_token], "submit": ["1"]}),
            headers={**headers, **FORM},
            name="quiz submission (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self.expect(response, 302, "/results/")


class PracticeSearchUser(BenchUser):
    @task
    def search(self) -> None:
        words = SEARCH_WORDS[next(_next_page) % len(SEARCH_WORDS)]
        query = urllib.parse.urlencode({"q": words})
        with self.client.get(f"/en/practices/?{query}", name="practice search", catch_response=True) as response:
            self.expect(response, 200)


class RegistrationUser(BenchUser):
    """A stakeholder registering for the open bench conference (new address each time)."""

    def on_start(self) -> None:
        self.fetch_csrf(f"/en/events/{REGISTRATION_EVENT}/register/")

    @task
    def register(self) -> None:
        path = f"/en/events/{REGISTRATION_EVENT}/register/"
        data = {
            "csrfmiddlewaretoken": self.csrf_token,
            "full_name": "Bench Person",
            "email": f"{uuid.uuid4().hex}@load.bench.example",
            "organisation_name": "Bench Org",
            "category": "stakeholder",
            "interpretation_language": "",
            "needs": "",
            "privacy": "on",
            "list_consent": "on",
        }
        with self.client.post(
            path,
            data=form_body(data),
            headers={**self.cookie_header(), **FORM},
            name="event registration (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self.expect(response, 302, "/events/r/")


USER_CLASSES = {endpoint: globals()[class_name] for endpoint, class_name in ENDPOINTS.items()}
