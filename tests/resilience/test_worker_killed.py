"""A gunicorn worker SIGKILLed in the middle of a write, and again after the commit, then the same request retried.

Each flow is sent three times with the very same body: first the worker dies right after the
first INSERT/UPDATE (nothing may be committed), then it dies after the commit but before the
answer (the user saw nothing and presses again), then it goes through. The database must hold
exactly one attempt, one plan and one registration.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.resilience.servers import Browser, Gunicorn, ScratchPostgres, django_env, hidden_value, run_django

pytestmark = pytest.mark.resilience

DURING = "during-write:{table}"
AFTER = "after-commit"

SEED = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from micro.accounts.models import Role
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.events.tests.factories import EventFactory, form_data
from micro.learning import services
from micro.learning.tests.factories import build_world, right_post_data

world = build_world()
organisation = OrganisationFactory.create(slug="kill-partner")
operator = member(organisation, Role.OPERATOR, email="killed-worker@example.org")
attempt = services.attempt_start(activity=world.quiz, learner=operator)
event = EventFactory.create(organisation=organisation, slug="kill-conference")
session = SessionStore()
session[SESSION_KEY] = str(operator.pk)
session[BACKEND_SESSION_KEY] = "micro.accounts.backends.UserBackend"
session[HASH_SESSION_KEY] = operator.get_session_auth_hash()
session.create()
print(json.dumps({
    "attempt": attempt.pk, "learner": operator.pk, "questions": len(attempt.question_ids),
    "session": session.session_key, "quiz_post": right_post_data(world), "event": event.slug,
    "registration": form_data(email="once@example.org"),
}))
"""

COUNT = """
import json
from micro.events.models import Registration
from micro.learning.models import Answer, Attempt
from micro.plans.models import BusinessPlan
from micro.pathway.models import Journey
learner = {learner}
print(json.dumps({{
    "attempts": list(Attempt.objects.filter(learner_id=learner).values_list("status", flat=True)),
    "answers": Answer.objects.filter(attempt__learner_id=learner).count(),
    "plans": list(BusinessPlan.objects.filter(title="{title}").values_list("version", flat=True)),
    "journeys_with_plan": Journey.objects.filter(plan__title="{title}").count(),
    "registrations": Registration.objects.filter(email="once@example.org").count(),
}}))
"""


@pytest.fixture(scope="module")
def killable(scratch_postgres: ScratchPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    env = django_env(scratch_postgres.url, RESILIENCE_KILL_HOOKS="1")
    server = Gunicorn(
        env,
        tmp_path_factory.mktemp("gunicorn-kill") / "gunicorn.log",
        workers=2,
        wsgi_app="tests.resilience.killable_wsgi:application",
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def seeded(killable: Gunicorn) -> dict[str, Any]:
    return json.loads(run_django(killable.env, SEED))


def _send_three_times(server: Gunicorn, browser: Browser, path: str, fields: dict[str, Any], table: str) -> list[int]:
    """The same POST with the worker killed during the write, then after the commit, then normally."""
    return [status for status, _headers in _answers_of_three_sends(server, browser, path, fields, table)]


def _answers_of_three_sends(
    server: Gunicorn, browser: Browser, path: str, fields: dict[str, Any], table: str
) -> list[tuple[int, dict[str, str]]]:
    """Status and headers of each of the three sends (0 and no headers when the worker died)."""
    answers: list[tuple[int, dict[str, str]]] = []
    for kill in (DURING.format(table=table), AFTER, None):
        workers_before = set(server.worker_pids())
        headers = {"X-Resilience-Kill": kill} if kill else {}
        try:
            status, response_headers, _body = browser.post_form(path, fields, headers=headers, timeout=20)
        except (ConnectionError, OSError):
            status, response_headers = 0, {}
        answers.append((status, response_headers))
        if kill:
            _wait_for_replacement(server, workers_before)
    return answers


def _wait_for_replacement(server: Gunicorn, before: set[int]) -> None:
    """The arbiter replaced the killed worker (so the retry is served by a fresh process)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = set(server.worker_pids())
        if len(now) == server.workers and now != before:
            return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not replace the killed worker")


def _counts(server: Gunicorn, learner: int, title: str) -> dict[str, Any]:
    return json.loads(run_django(server.env, COUNT.format(learner=learner, title=title)))


def test_quiz_submission_is_recorded_once(killable: Gunicorn, seeded: dict[str, Any]) -> None:
    browser = Browser(killable.port)
    browser.cookies["sessionid"] = seeded["session"]
    path = f"/en/learn/attempts/{seeded['attempt']}/"
    browser.get(path)
    fields = {**seeded["quiz_post"], "submit": "1"}
    statuses = _send_three_times(killable, browser, path, fields, table="learning_answer")
    assert statuses[:2] == [0, 0]  # both killed requests got no answer
    assert statuses[2] == 302  # the retry lands on the result
    counts = _counts(killable, seeded["learner"], title="-")
    assert counts["attempts"] == ["submitted"]
    assert counts["answers"] == seeded["questions"]


def test_first_plan_save_makes_one_plan(killable: Gunicorn, seeded: dict[str, Any]) -> None:
    browser = Browser(killable.port)
    status, _headers, page = browser.get("/en/start/plan/sections/")
    assert status == 200
    save_key = hidden_value(page, "save_key")
    assert save_key
    fields = {"title": "Kiosk of Amina", "version": "1", "save_key": save_key, "summary": "Phone repairs."}
    statuses = _send_three_times(killable, browser, "/en/start/plan/sections/", fields, table="plans_businessplan")
    assert statuses == [0, 0, 302]
    counts = _counts(killable, seeded["learner"], title="Kiosk of Amina")
    assert counts["plans"] == [2]  # created (version 1), saved once (version 2)
    assert counts["journeys_with_plan"] == 1
    # The retried session holds the plan: its page shows the saved title.
    assert b"Kiosk of Amina" in browser.get("/en/start/plan/sections/")[2]


def test_registration_is_made_once(killable: Gunicorn, seeded: dict[str, Any]) -> None:
    browser = Browser(killable.port)
    path = f"/en/events/{seeded['event']}/register/"
    status, _headers, page = browser.get(path)
    assert status == 200
    key = hidden_value(page, "idempotency_key")
    assert key
    fields = {**seeded["registration"], "idempotency_key": key}
    answers = _answers_of_three_sends(killable, browser, path, fields, table="events_registration")
    assert [status for status, _headers in answers] == [0, 0, 302]
    # The retry after the committed attempt (same form, same key) gets the success answer: the personal link.
    location = answers[2][1]["location"]
    assert location.startswith("/en/events/r/")
    status, _headers, personal = browser.get(location)
    assert status == 200
    assert b"You are registered." in personal and b"Your place is confirmed." in personal
    assert b"once@example.org" in personal
    counts = _counts(killable, seeded["learner"], title="-")
    assert counts["registrations"] == 1
