"""xAPI learning records: statements built for every learning event, validated, stored once after
the commit, exported for a cohort's trainers, and forwarded to a real local record store over HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from ralph.models.xapi.base.statements import BaseXapiStatement

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import member
from micro.core.models import AuditEvent
from micro.learning import services, xapi
from micro.learning.models import Cohort, ReviewDecision
from micro.learning.models.certificates import Certificate
from micro.learning.models.xapi import XapiStatement
from micro.learning.services import xapi as xapi_services
from micro.learning.tasks_xapi import xapi_forward_pending
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import RIGHT_RESPONSES, World

pytestmark = pytest.mark.django_db

SITE = "https://learn.micro.example"
HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE learning_xapistatement; --", "{{ 7*7 }}", "\u202e\u0000"]


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.XAPI_LRS_ENDPOINT = ""
    settings.XAPI_LRS_USERNAME = "lrs-user"
    settings.XAPI_LRS_PASSWORD = "lrs-secret"
    settings.XAPI_LRS_TIMEOUT = 5


def make_cohort(world: World, name: str, trainer: User | None, learners: list[tuple[User, Organisation]]) -> Cohort:
    cohort = Cohort.objects.create(
        course=world.course, name=name, starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 3, 10)
    )
    if trainer is not None:
        cohort.trainers.add(trainer)
    for learner, organisation in learners:
        services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
    return cohort


@pytest.fixture
def cohort(world: World, trainer: User, operator: User, organisation: Organisation) -> Cohort:
    return make_cohort(world, "Pilot 2026", trainer, [(operator, organisation)])


@pytest.fixture
def other_cohort(world: World, far_trainer: User, far_operator: User, other_organisation: Organisation) -> Cohort:
    return make_cohort(world, "Madrid cohort", far_trainer, [(far_operator, other_organisation)])


@pytest.fixture
def record(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a block and then its on-commit callbacks, as a committed request would."""

    def run(action: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def statements(**filters: Any) -> list[dict[str, Any]]:
    return list(XapiStatement.objects.filter(**filters).order_by("pk").values_list("statement", flat=True))


def by_verb(verb: xapi.Verb) -> list[dict[str, Any]]:
    return statements(verb=verb.iri)


def play_scenario(world: World, learner: User, choices: list[str]) -> Any:
    run = services.scenario_run_start(activity=world.scenario, learner=learner)
    for step, key in enumerate(choices):
        run, _moved = services.scenario_run_choose(run=run, choice_key=key, step=step)
    return run


def review(world: World, submission: Any, reviewer: User, decision: str) -> Any:
    levels = {
        c.pk: c.levels.order_by("-points").values_list("pk", flat=True)[0] for c in world.assignment.criteria.all()
    }
    return services.submission_review(submission=submission, reviewer=reviewer, levels=levels, decision=decision)


# --- building and validating ---------------------------------------------------------------------


def test_every_learning_event_gives_a_valid_statement(
    world: World, operator: User, trainer: User, cohort: Cohort, record: Any
) -> None:
    with translation.override("it"):
        record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
        attempt = record(lambda: services.attempt_start(activity=world.quiz, learner=operator))
        record(lambda: services.attempt_submit(attempt=attempt, responses=quiz_responses(world), language="it"))
        record(lambda: play_scenario(world, operator, ["kind", "explain"]))
        submission = record(
            lambda: services.submission_submit(activity=world.assignment, learner=operator, text="Analysis")
        )
        record(lambda: review(world, submission, trainer, ReviewDecision.PASSED))
    verbs = [(s["verb"]["id"], s["object"]["id"].rsplit("/", 1)[-1]) for s in statements()]
    assert verbs == [
        (xapi.EXPERIENCED.iri, "loans"),  # the lesson was read
        (xapi.COMPLETED.iri, "loans"),  # passing its quiz completed the lesson
        (xapi.PASSED.iri, "quiz"),  # the quiz attempt
        (xapi.COMPLETED.iri, "talk"),  # the scenario run
        (xapi.SUBMITTED.iri, "essay"),
        (xapi.PASSED.iri, "essay"),  # the trainer accepted it
    ]
    registration = str(xapi.registration_id(cohort.pk))
    for statement in statements():
        BaseXapiStatement.model_validate(statement)
        assert statement["version"] == "1.0.3"
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": SITE, "name": xapi.pseudonym(operator.pk)},
        }
        assert operator.email not in json.dumps(statement)
        assert statement["object"]["id"].startswith(f"{SITE}/xapi/activities/courses/test-course/")
        assert statement["context"]["registration"] == registration
        assert statement["context"]["language"] == "it"
        grouping = [activity["id"] for activity in statement["context"]["contextActivities"]["grouping"]]
        assert grouping == [
            f"{SITE}/xapi/activities/courses/test-course",
            f"{SITE}/xapi/activities/cohorts/{cohort.pk}",
        ]
        assert uuid.UUID(statement["id"])
    assert XapiStatement.objects.filter(cohort=cohort).count() == len(verbs)


def quiz_responses(world: World) -> dict[int, Any]:
    return {question.pk: RIGHT_RESPONSES[key] for key, question in world.questions.items()}


def test_lesson_read_and_completed(world: World, operator: User, record: Any) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.scenario_lesson, learner=operator))
    (read,) = by_verb(xapi.EXPERIENCED)
    assert read["object"]["id"] == f"{SITE}/xapi/activities/courses/test-course/modules/basics/lessons/talking"
    assert read["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert read["context"]["contextActivities"]["parent"][0]["id"].endswith("/modules/basics")
    assert "registration" not in read["context"]  # not enrolled in any cohort
    assert by_verb(xapi.COMPLETED) == []
    record(lambda: play_scenario(world, operator, ["kind", "explain"]))
    completed = [s for s in by_verb(xapi.COMPLETED) if s["object"]["id"] == read["object"]["id"]]
    assert len(completed) == 1
    assert completed[0]["result"] == {"completion": True}


def test_quiz_attempt_has_score_success_and_duration(world: World, operator: User, record: Any) -> None:
    attempt = record(lambda: services.attempt_start(activity=world.quiz, learner=operator))
    record(lambda: services.attempt_submit(attempt=attempt, responses={}, language="en"))
    (failed,) = by_verb(xapi.FAILED)
    assert failed["object"]["id"].endswith("/lessons/loans/activities/quiz")
    assert failed["object"]["definition"] == {
        "type": "http://adlnet.gov/expapi/activities/assessment",
        "name": {"en": "The quiz"},
    }
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0.0, "raw": 0.0, "min": 0.0, "max": 8.0}
    assert failed["result"]["duration"].startswith("PT")
    second = record(lambda: services.attempt_start(activity=world.quiz, learner=operator))
    record(lambda: services.attempt_submit(attempt=second, responses=quiz_responses(world), language="en"))
    (passed,) = by_verb(xapi.PASSED)
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 8.0, "min": 0.0, "max": 8.0}
    assert passed["result"]["success"] is True
    assert passed["result"]["extensions"][f"{SITE}/xapi/extensions/attempt-number"] == 2


def test_scenario_run_carries_its_score_and_path(world: World, operator: User, record: Any) -> None:
    record(lambda: play_scenario(world, operator, ["kind", "mumble"]))
    (run,) = [s for s in by_verb(xapi.COMPLETED) if s["object"]["id"].endswith("/activities/talk")]
    assert run["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    # kind: IC 3/3; mumble: IC 1/2, EF 0/3 → 4 of 8 = 50 %.
    assert run["result"]["score"] == {"scaled": 0.5, "raw": 4.0, "min": 0.0, "max": 8.0}
    assert run["result"]["success"] is True
    extensions = run["result"]["extensions"]
    assert extensions[f"{SITE}/xapi/extensions/path"] == ["start:kind", "middle:mumble"]
    assert extensions[f"{SITE}/xapi/extensions/competence-scores"] == {
        "EF-1": {"raw": 0.0, "max": 3.0},
        "IC-1": {"raw": 4.0, "max": 5.0},
    }


def test_assignment_submitted_then_returned_then_passed(
    world: World, operator: User, trainer: User, record: Any
) -> None:
    first = record(lambda: services.submission_submit(activity=world.assignment, learner=operator, text="v1"))
    record(lambda: review(world, first, trainer, ReviewDecision.RETURNED))
    second = record(lambda: services.submission_submit(activity=world.assignment, learner=operator, text="v2"))
    record(lambda: review(world, second, trainer, ReviewDecision.PASSED))
    submitted = by_verb(xapi.SUBMITTED)
    assert [s["result"]["extensions"][f"{SITE}/xapi/extensions/version"] for s in submitted] == [1, 2]
    assert "v1" not in json.dumps(submitted)  # the work stays on the platform
    (returned,) = by_verb(xapi.FAILED)
    assert returned["result"]["success"] is False
    assert returned["result"]["extensions"][f"{SITE}/xapi/extensions/decision"] == "returned"
    (accepted,) = by_verb(xapi.PASSED)
    assert accepted["result"]["score"]["scaled"] == 1.0
    assert accepted["context"]["instructor"]["account"]["name"] == xapi.pseudonym(trainer.pk)
    assert trainer.email not in json.dumps(accepted)


def test_certificate_earned_for_the_certificate_service(
    world: World, operator: User, cohort: Cohort, record: Any
) -> None:
    certificate = Certificate.objects.create(
        learner=operator,
        course=world.course,
        cohort=cohort,
        language="it",
        holder_name="Operator",
        issued_at=timezone.now(),
        credential={"proof": "x"},
    )
    record(lambda: xapi_services.xapi_certificate_earned(certificate=certificate))
    record(lambda: xapi_services.xapi_certificate_earned(certificate=certificate))
    (earned,) = by_verb(xapi.EARNED)
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert earned["object"]["id"] == f"{SITE}/xapi/activities/courses/test-course/certificate"
    assert earned["result"] == {"success": True, "completion": True}
    assert earned["context"]["registration"] == str(xapi.registration_id(cohort.pk))
    # Nothing in it leads to the holder's name: not the name, not the certificate's public number
    # (its verification page shows the name, which would unmask the pseudonym).
    assert "Operator" not in json.dumps(earned)
    assert str(certificate.public_id) not in json.dumps(earned)


def test_pseudonyms_are_stable_opaque_and_keyed(operator: User, other_operator: User, settings: Any) -> None:
    name = xapi.pseudonym(operator.pk)
    assert name == xapi.pseudonym(operator.pk)
    assert name != xapi.pseudonym(other_operator.pk)
    assert len(name) == 32 and int(name, 16) >= 0
    assert operator.email not in name
    settings.XAPI_PSEUDONYM_KEY = "another key"
    assert xapi.pseudonym(operator.pk) != name


def test_statement_ids_are_derived_from_the_event_and_the_installation(settings: Any) -> None:
    first = xapi.statement_id("attempt:1")
    assert first == xapi.statement_id("attempt:1") != xapi.statement_id("attempt:2")
    settings.SITE_URL = "https://another.micro.example"
    assert xapi.statement_id("attempt:1") != first


def valid_arguments(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "event_key": "test:1",
        "learner_id": 1,
        "verb": xapi.COMPLETED,
        "target": xapi.ActivityRef(xapi.activity_iri("courses", "c"), "course", {"en": "C"}),
        "timestamp": dt.datetime(2026, 5, 1, 8, 30, tzinfo=dt.UTC),
        "language": "en",
    }
    return {**arguments, **overrides}


def test_statements_are_checked_against_the_xapi_model() -> None:
    statement = xapi.build_statement(**valid_arguments())
    assert statement["timestamp"] == "2026-05-01T08:30:00.000Z"
    assert statement["id"] == str(xapi.statement_id("test:1"))
    with pytest.raises(xapi.StatementInvalid):
        xapi.build_statement(**valid_arguments(language="not a language tag!"))
    with pytest.raises(xapi.StatementInvalid):
        xapi.build_statement(**valid_arguments(result={"score": {"scaled": 2.0}}))
    with pytest.raises(xapi.StatementInvalid):
        xapi.build_statement(**valid_arguments(result={"score": {"raw": 9.0, "min": 0.0, "max": 8.0}}))
    with pytest.raises(xapi.StatementInvalid):
        xapi.build_statement(**valid_arguments(result={"response": ""}))
    with pytest.raises(xapi.StatementInvalid):
        xapi.validate({**statement, "actor": {"objectType": "Agent"}})


@pytest.mark.parametrize("title", [*HOSTILE, "", "   ", "x" * 5000, 42, None])
def test_hostile_empty_and_odd_titles_still_give_valid_statements(
    world: World, organisation: Organisation, record: Any, title: Any
) -> None:
    if isinstance(title, str) and connection.vendor == "postgresql":
        # PostgreSQL's jsonb cannot hold U+0000 at all (forms and the pack import refuse it first);
        # the rest of the hostile title still goes through.
        title = title.replace("\x00", "")
    world.lesson.translations = {"en": {"title": title, "status": "reviewed"}, "not a tag!": {"title": "y"}, "it": "?"}
    world.lesson.save()
    learner = member(organisation, Role.OPERATOR)
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=learner))
    (statement,) = statements()
    BaseXapiStatement.model_validate(statement)
    names = statement["object"]["definition"].get("name", {})
    assert set(names) <= {"en"}
    assert all(0 < len(name) <= 250 for name in names.values())


def test_an_invalid_statement_is_logged_and_never_blocks_the_learner(
    world: World, operator: User, record: Any, caplog: Any, settings: Any
) -> None:
    settings.SITE_URL = "no scheme, not an IRI"
    progress = record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    assert progress.read_at is not None
    assert XapiStatement.objects.count() == 0
    assert "invalid" in caplog.text


# --- stored once, after the commit ---------------------------------------------------------------


def test_a_rolled_back_write_records_nothing(
    world: World, operator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.lesson_mark_read(lesson=world.lesson, learner=operator)
        raise RuntimeError("the request failed")
    assert XapiStatement.objects.count() == 0


def test_nothing_is_stored_before_the_commit(world: World, operator: User) -> None:
    services.lesson_mark_read(lesson=world.lesson, learner=operator)  # the test transaction never commits
    assert XapiStatement.objects.count() == 0


def test_a_doubled_event_gives_one_statement(world: World, operator: User, record: Any) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    attempt = record(lambda: services.attempt_start(activity=world.quiz, learner=operator))
    record(lambda: services.attempt_submit(attempt=attempt, responses={}, language="en"))
    record(lambda: services.attempt_submit(attempt=attempt, responses={}, language="en"))
    attempt.refresh_from_db()
    # The hook itself called twice for the same attempt (e.g. a retried job): still one row.
    record(lambda: xapi_services.xapi_attempt_finished(attempt=attempt))
    assert len(by_verb(xapi.EXPERIENCED)) == 1
    assert len(by_verb(xapi.FAILED)) == 1
    assert XapiStatement.objects.count() == 2


# --- export ------------------------------------------------------------------------------------


def exported_json(response: Any) -> Any:
    return json.loads(b"".join(response.streaming_content))


def export_url(cohort_id: int) -> str:
    return reverse("learning:xapi_export", args=[cohort_id])


def fill(world: World, cohort: Cohort, organisation: Organisation, learners: int, record: Any) -> None:
    for _ in range(learners):
        learner = member(organisation, Role.OPERATOR)
        services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
        record(lambda learner=learner: services.lesson_mark_read(lesson=world.lesson, learner=learner))


def test_trainers_and_coordinators_export_their_cohort(
    world: World,
    trainer: User,
    coordinator: User,
    operator: User,
    far_operator: User,
    cohort: Cohort,
    other_cohort: Cohort,
    organisation: Organisation,
    record: Any,
) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=far_operator))
    response = signed_in(trainer).get(export_url(cohort.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    exported = exported_json(response)
    assert isinstance(exported, list) and len(exported) == 1
    assert exported[0]["actor"]["account"]["name"] == xapi.pseudonym(operator.pk)
    assert AuditEvent.objects.filter(action="learning.xapi.export", object_id=str(cohort.pk)).count() == 1
    both = [exported_json(signed_in(coordinator).get(export_url(c.pk))) for c in (cohort, other_cohort)]
    assert [len(rows) for rows in both] == [1, 1]
    assert both[1][0]["actor"]["account"]["name"] == xapi.pseudonym(far_operator.pk)


def test_nobody_else_exports_a_cohort(
    world: World, trainer: User, far_trainer: User, operator: User, cohort: Cohort, other_cohort: Cohort, client: Any
) -> None:
    assert signed_in(operator).get(export_url(cohort.pk)).status_code == 404  # a learner of the cohort
    assert signed_in(far_trainer).get(export_url(cohort.pk)).status_code == 404  # another cohort's trainer
    assert signed_in(trainer).get(export_url(other_cohort.pk)).status_code == 404
    assert client.get(export_url(cohort.pk)).status_code == 302  # signed out: to the sign-in page
    trainer.is_active = False
    trainer.save()
    assert signed_in(trainer).get(export_url(cohort.pk)).status_code in (302, 404)


@pytest.mark.parametrize("suffix", ["0/xapi/", "99999999999999999999999/xapi/", "abc/xapi/", "-1/xapi/", "1.5/xapi/"])
def test_malformed_and_huge_cohort_ids(trainer: User, cohort: Cohort, suffix: str) -> None:
    assert signed_in(trainer).get(f"/en/learn/cohorts/{suffix}").status_code == 404


def test_the_export_takes_no_input(trainer: User, cohort: Cohort) -> None:
    client = signed_in(trainer)
    for hostile in HOSTILE:
        response = client.get(export_url(cohort.pk), {"cohort": hostile, "q": hostile})
        assert response.status_code == 200 and exported_json(response) == []
    assert client.post(export_url(cohort.pk), {"x": HOSTILE[0]}).status_code == 405
    assert client.post(export_url(cohort.pk), {"x": HOSTILE[0]}).status_code == 405  # doubled: still nothing


def test_hostile_content_is_exported_as_inert_json(
    world: World, trainer: User, operator: User, cohort: Cohort, record: Any
) -> None:
    world.lesson.translations = {"en": {"title": HOSTILE[0], "status": "reviewed"}}
    world.lesson.save()
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    response = signed_in(trainer).get(export_url(cohort.pk))
    assert response["Content-Type"] == "application/json"
    assert exported_json(response)[0]["object"]["definition"]["name"] == {"en": HOSTILE[0]}


def test_export_queries_do_not_grow_with_the_statements(
    world: World,
    trainer: User,
    cohort: Cohort,
    organisation: Organisation,
    record: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(trainer)
    fill(world, cohort, organisation, 2, record)
    client.get(export_url(cohort.pk))
    with CaptureQueriesContext(connection) as few:
        assert len(exported_json(client.get(export_url(cohort.pk)))) == 2
    fill(world, cohort, organisation, 40, record)
    with django_assert_max_num_queries(len(few)):
        assert len(exported_json(client.get(export_url(cohort.pk)))) == 42
    assert len(few) <= 10


def test_export_command_writes_a_json_array(
    world: World, operator: User, cohort: Cohort, record: Any, tmp_path: Path
) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    target = tmp_path / "cohort.json"
    target.write_text("old content")
    call_command("xapi_export", "--cohort", str(cohort.pk), "--output", str(target))
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [s["verb"]["id"] for s in exported] == [xapi.EXPERIENCED.iri]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.json"]  # no temporary file left


def test_export_command_to_the_standard_output_and_for_an_empty_cohort(
    world: World, operator: User, cohort: Cohort, other_cohort: Cohort, record: Any, capsys: Any, tmp_path: Path
) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    call_command("xapi_export", "--cohort", str(cohort.pk), "--output", "-")
    exported = json.loads(capsys.readouterr().out)
    assert [s["actor"]["account"]["name"] for s in exported] == [xapi.pseudonym(operator.pk)]
    call_command("xapi_export", "--cohort", str(other_cohort.pk), "--output", str(tmp_path / "empty.json"))
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["--cohort", "999999", "--output", "{dir}/x.json"],
        ["--cohort", "abc", "--output", "{dir}/x.json"],
        ["--cohort", "", "--output", "{dir}/x.json"],
        ["--cohort", "{cohort}", "--output", "{dir}/missing/x.json"],
        ["--output", "{dir}/x.json"],
        ["--cohort", "{cohort}"],
    ],
)
def test_export_command_refuses_bad_input(cohort: Cohort, tmp_path: Path, arguments: list[str]) -> None:
    filled = [a.format(dir=tmp_path, cohort=cohort.pk) for a in arguments]
    with pytest.raises(CommandError):
        call_command("xapi_export", *filled)
    assert list(tmp_path.iterdir()) == []


# --- forwarding to a real record store on 127.0.0.1 --------------------------------------------


class RecordStore:
    """A tiny LRS: checks the xAPI headers and basic auth, records each batch, or fails on demand."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.refused: list[str] = []
        self.fail_with: int | None = None
        self.refuse_ids: set[str] = set()  # a batch holding one of these is answered 400
        self.known_ids: set[str] = set()  # ... and one of these 409 (the store has it already)
        self.posts = 0
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                expected_auth = "Basic " + base64.b64encode(b"lrs-user:lrs-secret").decode()
                problems = []
                if self.path != "/xapi/statements":
                    problems.append(f"path {self.path}")
                if self.headers.get("X-Experience-API-Version") != "1.0.3":
                    problems.append("version header")
                if self.headers.get("Authorization") != expected_auth:
                    problems.append("auth")
                if not self.headers.get("Content-Type", "").startswith("application/json"):
                    problems.append("content type")
                if problems:
                    store.refused.extend(problems)
                    self._answer(400, b'{"error": "bad request"}')
                    return
                if store.fail_with is not None:
                    self._answer(store.fail_with, b"the store is down")
                    return
                batch = json.loads(body)
                store.posts += 1
                ids = {statement["id"] for statement in batch}
                if ids & store.refuse_ids:
                    self._answer(400, b'{"error": "invalid statement"}')
                    return
                if ids & store.known_ids:
                    self._answer(409, b'{"error": "conflict"}')
                    return
                store.batches.append(batch)
                self._answer(200, json.dumps([s["id"] for s in batch]).encode())

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received_ids(self) -> list[str]:
        return [statement["id"] for batch in self.batches for statement in batch]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs(settings: Any) -> Iterator[RecordStore]:
    store = RecordStore()
    settings.XAPI_LRS_ENDPOINT = store.url
    yield store
    store.close()


def test_recorded_statements_are_forwarded_once(world: World, operator: User, lrs: RecordStore, record: Any) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))  # the task runs after commit
    assert lrs.refused == []
    assert len(lrs.received_ids()) == 1
    row = XapiStatement.objects.get()
    assert row.forwarded_at is not None and row.forward_attempts == 1 and row.last_error == ""
    assert lrs.batches[0][0] == row.statement
    report = xapi_services.statements_forward()
    assert (report.sent, report.pending) == (0, 0)
    assert len(lrs.received_ids()) == 1


def test_forwarding_goes_in_batches(
    world: World, cohort: Cohort, organisation: Organisation, lrs: RecordStore, record: Any, settings: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""  # record first, forward afterwards
    fill(world, cohort, organisation, 5, record)
    settings.XAPI_LRS_ENDPOINT = lrs.url
    report = xapi_services.statements_forward(batch_size=2)
    assert (report.sent, report.failed, report.pending) == (5, 0, 0)
    assert [len(batch) for batch in lrs.batches] == [2, 2, 1]
    assert sorted(lrs.received_ids()) == sorted(
        str(s) for s in XapiStatement.objects.values_list("statement_id", flat=True)
    )


def test_a_failing_store_keeps_statements_pending_until_it_recovers(
    world: World, cohort: Cohort, organisation: Organisation, lrs: RecordStore, record: Any
) -> None:
    lrs.fail_with = 500
    fill(world, cohort, organisation, 3, record)  # each recording tries to forward and fails
    assert lrs.batches == []
    rows = list(XapiStatement.objects.all())
    assert len(rows) == 3
    assert all(row.forwarded_at is None and "500" in row.last_error and row.claim_token == "" for row in rows)
    report = xapi_services.statements_forward(batch_size=2)
    assert (report.sent, report.failed, report.pending) == (0, 2, 3)  # stops at the first failed batch
    assert "HTTP 500" in report.error
    lrs.fail_with = None
    report = xapi_services.statements_forward(batch_size=2)
    assert (report.sent, report.pending, report.error) == (3, 0, "")
    assert len(lrs.received_ids()) == len(set(lrs.received_ids())) == 3
    assert not XapiStatement.objects.exclude(last_error="").exists()


def test_an_unreachable_store_is_an_error_not_a_crash(world: World, operator: User, record: Any, settings: Any) -> None:
    closed = RecordStore()
    closed.close()  # nothing listens on that port any more
    settings.XAPI_LRS_ENDPOINT = closed.url
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    row = XapiStatement.objects.get()
    assert row.forwarded_at is None and "could not be reached" in row.last_error


def test_statements_claimed_by_another_run_are_not_sent_twice(
    world: World, operator: User, lrs: RecordStore, record: Any, settings: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    settings.XAPI_LRS_ENDPOINT = lrs.url
    XapiStatement.objects.update(claim_token="other-run", claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert xapi_services.statements_forward().sent == 0
    assert lrs.batches == []
    # The other run died: once its claim expires, the statement goes (once).
    later = timezone.now() + dt.timedelta(minutes=6)
    assert xapi_services.statements_forward(now=later).sent == 1
    assert xapi_services.statements_forward(now=later).sent == 0
    assert len(lrs.received_ids()) == 1


def test_without_a_store_nothing_is_forwarded(world: World, operator: User, record: Any) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    report = xapi_services.statements_forward()
    assert (report.sent, report.failed) == (0, 0)
    assert XapiStatement.objects.get().forwarded_at is None


def test_a_bad_endpoint_scheme_is_refused(world: World, operator: User, record: Any, settings: Any) -> None:
    settings.XAPI_LRS_ENDPOINT = "file:///etc/passwd"
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    assert "must start with http" in XapiStatement.objects.get().last_error


def test_the_task_and_the_command_forward(
    world: World, operator: User, lrs: RecordStore, record: Any, settings: Any, capsys: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    with pytest.raises(CommandError, match="XAPI_LRS_ENDPOINT"):
        call_command("xapi_forward")
    settings.XAPI_LRS_ENDPOINT = lrs.url
    assert xapi_forward_pending.enqueue().return_value == 1
    settings.XAPI_LRS_ENDPOINT = ""
    record(lambda: services.lesson_mark_read(lesson=world.scenario_lesson, learner=operator))
    settings.XAPI_LRS_ENDPOINT = lrs.url
    lrs.fail_with = 503
    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("xapi_forward")
    lrs.fail_with = None
    with pytest.raises(CommandError):
        call_command("xapi_forward", "--batch-size", "0")
    call_command("xapi_forward", "--batch-size", "1")
    assert "Forwarded: 1. Still pending: 0." in capsys.readouterr().out
    assert len(lrs.received_ids()) == len(set(lrs.received_ids())) == 2


# --- review: vocabulary, refused statements, concurrent runs, the timer, the admin ----------------


def test_verbs_and_activity_types_are_the_registry_iris() -> None:
    """Exactly the IRIs of the ADL vocabulary, Activity Streams and the Tin Can registry (as ralph
    spells them where it models them), so an LRS's reports group our statements with everyone's."""
    from ralph.models.xapi.concepts.activity_types.scorm_profile import (
        CourseActivityDefinition,
        ModuleActivityDefinition,
    )
    from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

    assert {verb.iri: verb.display for verb in (xapi.EXPERIENCED, xapi.PASSED, xapi.FAILED)} == {
        "http://adlnet.gov/expapi/verbs/experienced": "experienced",
        "http://adlnet.gov/expapi/verbs/passed": "passed",
        "http://adlnet.gov/expapi/verbs/failed": "failed",
    }
    assert xapi.COMPLETED.iri == CompletedVerb().id
    assert (xapi.SUBMITTED.iri, xapi.EARNED.iri) == (
        "http://activitystrea.ms/schema/1.0/submit",
        "http://id.tincanapi.com/verb/earned",
    )
    assert xapi.ACTIVITY_TYPES["course"] == CourseActivityDefinition().type
    assert xapi.ACTIVITY_TYPES["module"] == ModuleActivityDefinition().type
    assert xapi.ACTIVITY_TYPES["cohort"] == "http://activitystrea.ms/schema/1.0/group"
    assert all(iri.startswith("http") and " " not in iri for iri in xapi.ACTIVITY_TYPES.values())


def _record_learners(world: World, cohort: Cohort, organisation: Organisation, count: int, record: Any) -> list[str]:
    fill(world, cohort, organisation, count, record)
    return [str(s) for s in XapiStatement.objects.order_by("pk").values_list("statement_id", flat=True)]


def test_a_statement_the_store_refuses_does_not_block_the_others_and_is_parked(
    world: World, cohort: Cohort, organisation: Organisation, lrs: RecordStore, record: Any, settings: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    ids = _record_learners(world, cohort, organisation, 5, record)
    settings.XAPI_LRS_ENDPOINT = lrs.url
    settings.XAPI_LRS_MAX_ATTEMPTS = 2
    lrs.refuse_ids = {ids[1]}

    report = xapi_services.statements_forward(batch_size=3)
    assert (report.sent, report.failed, report.pending, report.parked) == (4, 1, 1, 0)
    assert sorted(lrs.received_ids()) == sorted(set(ids) - {ids[1]})
    refused = XapiStatement.objects.get(statement_id=ids[1])
    assert refused.forwarded_at is None and refused.forward_attempts == 1 and "HTTP 400" in refused.last_error
    assert refused.claim_token == ""

    report = xapi_services.statements_forward(batch_size=3)  # tried once more, then parked
    assert (report.sent, report.failed, report.parked) == (0, 1, 1)
    posts = lrs.posts
    report = xapi_services.statements_forward(batch_size=3)  # parked: never sent again
    assert (report.sent, report.failed, report.pending, report.parked) == (0, 0, 1, 1)
    assert lrs.posts == posts
    assert len(lrs.received_ids()) == len(set(lrs.received_ids())) == 4


def test_a_statement_the_store_already_has_counts_as_sent(
    world: World, cohort: Cohort, organisation: Organisation, lrs: RecordStore, record: Any, settings: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    ids = _record_learners(world, cohort, organisation, 3, record)
    settings.XAPI_LRS_ENDPOINT = lrs.url
    lrs.known_ids = {ids[0]}
    report = xapi_services.statements_forward(batch_size=10)
    assert (report.sent, report.failed, report.pending) == (3, 0, 0)
    assert sorted(lrs.received_ids()) == sorted(ids[1:])
    assert "409" in XapiStatement.objects.get(statement_id=ids[0]).last_error


def test_a_store_that_goes_down_while_sending_one_by_one_stops_the_run_and_releases_the_rest(
    world: World,
    cohort: Cohort,
    organisation: Organisation,
    lrs: RecordStore,
    record: Any,
    settings: Any,
    monkeypatch: Any,
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    ids = _record_learners(world, cohort, organisation, 3, record)
    settings.XAPI_LRS_ENDPOINT = lrs.url
    lrs.refuse_ids = {ids[0]}
    real_post = xapi_services._post

    def post_then_fail(url: str, body: bytes) -> None:
        try:
            real_post(url, body)  # the batch (refused), then the first alone (refused) ...
        finally:
            if lrs.posts == 2:
                lrs.fail_with = 503  # ... and the store falls over

    monkeypatch.setattr(xapi_services, "_post", post_then_fail)
    report = xapi_services.statements_forward(batch_size=3)
    assert report.sent == 0 and "HTTP 503" in report.error
    rows = XapiStatement.objects.order_by("pk")
    assert [row.forward_attempts for row in rows] == [1, 1, 0]  # the third was never tried
    assert not rows.exclude(claim_token="").exists()
    lrs.fail_with = None
    lrs.refuse_ids = set()
    assert xapi_services.statements_forward(batch_size=3).sent == 3
    assert sorted(lrs.received_ids()) == sorted(ids)


def test_two_runs_at_the_same_time_never_send_a_statement_twice(
    world: World,
    cohort: Cohort,
    organisation: Organisation,
    lrs: RecordStore,
    record: Any,
    settings: Any,
    monkeypatch: Any,
) -> None:
    """The second run starts while the first is sending its batch (the first has claimed it)."""
    settings.XAPI_LRS_ENDPOINT = ""
    ids = _record_learners(world, cohort, organisation, 5, record)
    settings.XAPI_LRS_ENDPOINT = lrs.url
    real_post = xapi_services._post
    second: list[xapi_services.ForwardReport] = []
    started: list[bool] = []

    def post_while_another_run_starts(url: str, body: bytes) -> None:
        if not started:
            started.append(True)
            second.append(xapi_services.statements_forward(batch_size=2))
        real_post(url, body)

    monkeypatch.setattr(xapi_services, "_post", post_while_another_run_starts)
    first = xapi_services.statements_forward(batch_size=2)
    assert first.sent + second[0].sent == 5
    assert first.sent >= 2 and second[0].sent == 3  # the second run took only what was not claimed
    assert sorted(lrs.received_ids()) == sorted(ids)
    assert len(lrs.received_ids()) == len(set(lrs.received_ids())) == 5
    assert not XapiStatement.objects.filter(forwarded_at__isnull=True).exists()


def test_the_timer_command_is_quiet_without_a_store(capsys: Any) -> None:
    call_command("xapi_forward", "--if-configured")
    assert "nothing to do" in capsys.readouterr().out
    with pytest.raises(CommandError, match="XAPI_LRS_ENDPOINT"):
        call_command("xapi_forward")


def test_the_command_tells_how_many_statements_are_parked(
    world: World, operator: User, lrs: RecordStore, record: Any, settings: Any, capsys: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    settings.XAPI_LRS_ENDPOINT = lrs.url
    settings.XAPI_LRS_MAX_ATTEMPTS = 1
    lrs.refuse_ids = {str(XapiStatement.objects.get().statement_id)}
    with pytest.raises(CommandError, match="HTTP 400"):
        call_command("xapi_forward", "--if-configured")
    out = capsys.readouterr().out
    assert "Forwarded: 0. Still pending: 1." in out and "no longer sent: 1" in out


def test_the_systemd_timer_runs_the_forwarding_command() -> None:
    from django.conf import settings as django_settings

    systemd = Path(django_settings.BASE_DIR) / "deploy" / "systemd"
    service = (systemd / "micro-xapi-forward.service").read_text()
    timer = (systemd / "micro-xapi-forward.timer").read_text()
    assert "ExecStart=/srv/micro/.venv/bin/python manage.py xapi_forward --if-configured" in service
    assert "Type=oneshot" in service and "User=micro" in service
    assert "OnUnitInactiveSec=5min" in timer and "WantedBy=timers.target" in timer


@pytest.fixture
def staff_coordinator(coordinator: User) -> User:
    coordinator.is_staff = True
    coordinator.save()
    return coordinator


def test_coordinators_read_statements_in_the_admin_and_nobody_edits_them(
    world: World,
    operator: User,
    trainer: User,
    staff_coordinator: User,
    cohort: Cohort,
    organisation: Organisation,
    record: Any,
    django_assert_max_num_queries: Any,
) -> None:
    record(lambda: services.lesson_mark_read(lesson=world.lesson, learner=operator))
    row = XapiStatement.objects.get()
    client = signed_in(staff_coordinator)
    changelist = reverse("admin:learning_xapistatement_changelist")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(changelist).status_code == 200
    few = len(captured)  # read now: each request empties the query log
    change = client.get(reverse("admin:learning_xapistatement_change", args=[row.pk]))
    assert change.status_code == 200
    assert html_escaped(row.statement["actor"]["account"]["name"]) in change.text
    assert 'name="_save"' not in change.text
    assert client.post(reverse("admin:learning_xapistatement_change", args=[row.pk]), {"verb": "x"}).status_code == 403
    assert client.get(reverse("admin:learning_xapistatement_add")).status_code == 403
    assert (
        client.post(reverse("admin:learning_xapistatement_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    )
    for forwarding in ("sent", "waiting", "parked"):
        assert client.get(changelist, {"forwarding": forwarding}).status_code == 200
    assert XapiStatement.objects.get().statement == row.statement

    fill(world, cohort, organisation, 30, record)
    with django_assert_max_num_queries(few):
        assert client.get(changelist).status_code == 200

    trainer.is_staff = True
    trainer.save()
    assert signed_in(trainer).get(changelist).status_code in {302, 403}


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)
