"""Fuzzing: the API against its own OpenAPI schema, every form with arbitrary input, hostile payloads in pages.

Bounded: a fixed number of examples per API operation and per form, so the run stays in seconds.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django import forms
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from config.wsgi import application
from micro.accounts.models import Role
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.events.tests.factories import EventFactory, form_data
from micro.learning.tests.factories import build_world
from micro.pathway.content import content_import
from micro.pathway.tests.conftest import build_pack
from micro.plans.tests.factories import bind, make_journey
from tests.resilience.world import make_cohort

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

API_EXAMPLES = 15
FORM_EXAMPLES = 20
APPS = ("accounts", "core", "events", "learning", "pathway", "plans", "practices")
# Forms that need objects to be built (an event, questions, a practice...). They are fuzzed through
# their pages by the hostile-payload tests below and by each app's own bad-input tests.
NEEDS_CONTEXT = {
    "accounts.InvitationAcceptForm",
    "accounts.InvitationForm",
    "accounts.MembershipForm",
    "events.EventForm",
    "events.MaterialForm",
    "events.RegistrationForm",
    "events.SessionForm",
    "learning.AttendanceForm",
    "learning.QuizForm",
    "learning.ReviewForm",
    "learning.ScenarioChoiceForm",
    "learning.SelfAssessmentForm",
    "learning.SubmissionForm",
    "pathway.EligibilityForm",
    "pathway.ReadinessForm",
    "pathway.WorksheetForm",
    "plans.PlanInputForm",
    "practices.TargetForm",
    "practices.TranslationForm",
}
HOSTILE = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1--",
    "../../etc/passwd",
    "x" * 1_000_000,
    "nul\x00byte",
    "\u202eevil\u202c",
    "{{ 7*7 }}{% debug %}",
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """Serve the WSGI app like Django's test client does: without closing the test's connection after
    each request (on PostgreSQL that would close it mid-transaction; the test client disconnects it too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=API_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_without_500_and_as_its_schema_says(case: Any, keep_the_test_connection: None) -> None:
    """No 500, every answer's status is documented, and every answer matches its schema.

    Every check runs, with one exception: ``positive_data_acceptance`` (data the schema allows gets a
    2xx) is skipped for the finance calculators. Their inputs are numbers written in the caller's
    locale (``1.234,56``, ``1,234.56``), so the schema gives their format as a pattern but cannot give
    their bounds (a principal of at most 10,000,000), nor the rules between fields (grace shorter than
    the loan, fees below the principal, price above the variable cost). The endpoint refuses those
    with the same 422 ``ErrorOut`` that a schema refusal gets; micro/plans/tests/test_finance_api.py
    checks each rule.
    """
    cache.clear()  # else the calculators' rate limit answers 429 to most examples and hides the endpoint
    excluded = [positive_data_acceptance] if case.operation.path.startswith("/api/finance/") else []
    case.call_and_validate(excluded_checks=excluded)


def _forms_modules(app: str) -> Iterator[Any]:
    """``forms.py`` and every sibling whose name says it holds forms (``forms_discussions.py``...)."""
    package = importlib.import_module(f"micro.{app}")
    for info in pkgutil.iter_modules(package.__path__):
        if "forms" in info.name:
            module = importlib.import_module(f"micro.{app}.{info.name}")
            yield module
            if info.ispkg:
                for sub in pkgutil.iter_modules(module.__path__):
                    yield importlib.import_module(f"{module.__name__}.{sub.name}")


def public_form_classes() -> dict[str, type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in APPS:
        for module in _forms_modules(app):
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and not name.startswith("_"):
                    found[f"{app}.{name}"] = cls
    return found


def test_every_form_is_fuzzed_or_listed_with_a_reason() -> None:
    classes = public_form_classes()
    assert set(classes) >= NEEDS_CONTEXT, sorted(NEEDS_CONTEXT - set(classes))
    assert len(set(classes) - NEEDS_CONTEXT) >= 20


FIELD_VALUE = st.one_of(
    st.text(max_size=300),
    st.sampled_from([h[:5000] for h in HOSTILE]),
    st.integers().map(str),
    st.lists(st.text(max_size=20), max_size=3),
)


@pytest.mark.parametrize("name", sorted(set(public_form_classes()) - NEEDS_CONTEXT))
def test_form_validates_any_input_without_crashing(name: str) -> None:
    form_class = public_form_classes()[name]
    try:
        field_names = list(form_class().fields) or ["anything"]
    except TypeError as error:
        pytest.fail(f"{name} needs objects to be built ({error}): add it to NEEDS_CONTEXT with the page that covers it")

    @settings(max_examples=FORM_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(field_names, FIELD_VALUE)))
    def validate(values: dict[str, Any]) -> None:
        data: dict[str, Any] = {}
        for key, value in values.items():
            data[key] = value if isinstance(value, str) else (value[0] if value else "")
        form = form_class(data=data)
        form.is_valid()  # any exception other than a validation error fails the test
        assert isinstance(form.errors, dict)

    validate()


def _too_big_for_one_request(status: int, payload: str) -> bool:
    """Three 1 MB fields pass DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses the body with 400 (fine)."""
    assert status in (200, 302) or (status == 400 and len(payload) >= 1_000_000), status
    return status == 400


def _assert_shown_escaped(client: Client, response: Any, payload: str) -> None:
    """A form post with a hostile payload: refused as too big, or saved (then followed) and shown escaped."""
    if _too_big_for_one_request(response.status_code, payload):
        return
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200
    _assert_escaped(response.content, payload)


def _assert_escaped(body: bytes, payload: str) -> None:
    text = body.decode("utf-8", errors="replace")
    assert "<script>alert('xss')</script>" not in text
    assert "<img src=x onerror=alert(1)>" not in text
    if payload.startswith("<script>"):
        assert "&lt;script&gt;" in text or payload not in text


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_the_plan_sections_is_escaped_or_refused(client: Client, payload: str) -> None:
    bind(client, make_journey())
    response = client.post("/en/start/plan/sections/", {"title": payload[:150], "summary": payload, "version": "1"})
    assert response.status_code in (200, 302)
    page = client.get("/en/start/plan/sections/")
    assert page.status_code == 200
    _assert_escaped(page.content, payload)


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_the_event_registration_is_escaped_or_refused(client: Client, payload: str) -> None:
    event = EventFactory.create()
    data = form_data(full_name=payload, organisation_name=payload, needs=payload, email="x@example.org")
    _assert_shown_escaped(client, client.post(f"/en/events/{event.slug}/register/", data), payload)


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_practice_submission_is_escaped_or_refused(client: Client, payload: str) -> None:
    organisation = OrganisationFactory.create()
    client.force_login(member(organisation, Role.PARTNER_ADMIN))
    fields = {"title": payload, "summary": payload, "objectives": payload, "country": "IT", "theme": "credit_access"}
    _assert_shown_escaped(client, client.post("/en/practices/new/", fields), payload)


@pytest.mark.parametrize(
    "path", ["/en/start/plan/sections/", "/en/events/{slug}/register/", "/en/practices/", "/en/start/"]
)
def test_invalid_utf8_and_nul_bytes_in_the_body_are_answered_without_500(client: Client, path: str) -> None:
    event = EventFactory.create()
    bind(client, make_journey())
    body = b"title=%FF%FE%00bad&idea=\xff\xfe\x00&full_name=\xc3\x28&q=\xed\xa0\x80"
    response = client.generic("POST", path.format(slug=event.slug), body, "application/x-www-form-urlencoded")
    assert response.status_code < 500
    response = client.get(path.format(slug=event.slug) + "?q=%FF%00%3Cscript%3E")
    assert response.status_code < 500
    assert b"<script>" not in response.content.split(b"</head>")[-1] or b"nonce" in response.content


@pytest.mark.parametrize(
    "path", ["/api/events/%00", "/api/practices/%00", "/en/start/rules/%00/", "/en/practices/a%00b/"]
)
def test_nul_in_a_url_path_segment_is_refused_not_a_500(path: str) -> None:
    """PostgreSQL refuses NUL in text parameters; micro.core.middleware answers 400 before any query."""
    assert Client(raise_request_exception=False).get(path).status_code == 400


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_path_worksheet_is_escaped_or_refused(client: Client, tmp_path: Path, payload: str) -> None:
    report = content_import(root=build_pack(tmp_path / "content"))
    assert not report.errors
    step = "/en/start/01-idea/01-describe/"
    response = client.post(step, {"idea_summary": payload, "price": payload[:50]})
    if _too_big_for_one_request(response.status_code, payload):
        return
    page = client.get(step)
    assert page.status_code == 200
    _assert_escaped(page.content, payload)


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_discussion_thread_is_escaped_or_refused(client: Client, payload: str) -> None:
    learning = build_world()
    organisation = OrganisationFactory.create()
    learner = member(organisation, Role.OPERATOR)
    trainer = member(organisation, Role.TRAINER)
    cohort, _session = make_cohort(learning, trainer, learner, organisation)
    client.force_login(learner)
    path = f"/en/learn/cohorts/{cohort.pk}/lessons/{learning.lesson.pk}/discussion/"
    response = client.post(path, {"title": payload[:200], "body": payload})
    if response.status_code == 400:  # refused with a message on the form: the list shows nothing of it
        response = client.get(path)
        assert response.status_code == 200
        _assert_escaped(response.content, payload)
    else:
        _assert_shown_escaped(client, response, payload)
