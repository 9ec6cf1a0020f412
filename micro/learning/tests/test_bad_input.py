"""Bad input on the quiz form: empty, huge, wrong type, hostile, somebody else's ids, unknown ids.
Each gets a clear message (or is ignored) and changes nothing it should not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from micro.accounts.models import User
from micro.learning.models import Answer, Attempt, AttemptStatus
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE learning_attempt; --",
    '" onmouseover="alert(1)',
    "{{ 7*7 }}{% debug %}",
    "\u202e\u0000null",
]


@pytest.fixture
def attempt(operator: User, world: World) -> Attempt:
    client = signed_in(operator)
    client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))
    return Attempt.objects.get(learner=operator)


def post(client: Client, attempt: Attempt, data: dict[str, Any]) -> Any:
    return client.post(reverse("learning:attempt", args=[attempt.pk]), data)


def test_an_empty_submission_is_marked_as_unanswered(operator: User, attempt: Attempt) -> None:
    response = post(signed_in(operator), attempt, {"submit": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.points == 0
    assert set(Answer.objects.filter(attempt=attempt).values_list("status", flat=True)) == {"unanswered"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("single", "zzz", "Select a valid choice"),
        ("single", ["a", "b"], None),  # a list where one value is expected: the last one is taken
        ("multiple", ["a", "nope"], "Select a valid choice"),
        ("tf", "maybe", "Select a valid choice"),
        ("numeric", "two hundred", "Enter a number"),
        ("numeric", "1" * 41, "at most 40 characters"),
        ("numeric", "239; DROP TABLE", "Enter a number"),
        ("short", "x" * 201, "at most 200 characters"),
    ],
)
def test_wrong_values_get_a_message_and_save_nothing(
    operator: User, attempt: Attempt, world: World, key: str, value: Any, message: str | None
) -> None:
    response = post(signed_in(operator), attempt, {f"q{world.questions[key].pk}": value, "save": "1"})
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.text
    assert "Nothing was saved" in response.text
    assert not Answer.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_an_ordering_must_use_each_position_once(operator: User, attempt: Attempt, world: World) -> None:
    ordering = world.questions["ordering"].pk
    data = {f"q{ordering}_one": "1", f"q{ordering}_two": "1", f"q{ordering}_three": "3", "submit": "1"}
    response = post(signed_in(operator), attempt, data)
    assert response.status_code == 400 and "different position" in response.text
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    data[f"q{ordering}_two"] = "7"
    assert post(signed_in(operator), attempt, data).status_code == 400


def test_unknown_fields_and_questions_of_other_quizzes_are_ignored(
    operator: User, attempt: Attempt, world: World
) -> None:
    data = {"q999999": "a", "q-1": "x", "question": "<script>", "attempt": "1", "submit": "1"}
    data[f"q{world.questions['matching'].pk}_x"] = "x"
    data[f"q{world.questions['matching'].pk}_evil"] = "y"
    response = post(signed_in(operator), attempt, data)
    assert response.status_code == 302
    assert set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == set(
        attempt.question_ids
    )
    matching = Answer.objects.get(attempt=attempt, question=world.questions["matching"])
    assert matching.response == {"x": "x", "y": ""} and matching.status == "partial"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_typed_and_shown_escaped(
    operator: User, attempt: Attempt, world: World, text: str
) -> None:
    client = signed_in(operator)
    short = world.questions["short"]
    response = post(client, attempt, {f"q{short.pk}": text, "submit": "1"})
    if "\x00" in text:
        assert response.status_code == 400  # Django refuses null characters in text fields
        return
    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt, question=short)
    assert answer.response == text.strip() and answer.status == "incorrect"
    html = client.get(reverse("learning:attempt_result", args=[attempt.pk])).text
    assert "<script>alert(1)</script>" not in html
    assert 'onmouseover="alert' not in html
    assert "{{ 7*7 }}" in html or "{{ 7*7 }}" not in text  # shown literally, never evaluated


@pytest.mark.parametrize("attempt_id", ["0", "999999", "99999999999999999999999"])
def test_unknown_attempt_ids_are_404(operator: User, attempt_id: str) -> None:
    client = signed_in(operator)
    assert client.get(f"/en/learn/attempts/{attempt_id}/").status_code == 404
    assert client.post(f"/en/learn/attempts/{attempt_id}/", {"submit": "1"}).status_code == 404
    assert client.get(f"/en/learn/attempts/{attempt_id}/results/").status_code == 404
    assert client.get(f"/en/learn/runs/{attempt_id}/").status_code == 404
    assert client.get(f"/en/learn/activities/{attempt_id}/").status_code == 404
    assert client.get(f"/en/learn/submissions/{attempt_id}/file/").status_code == 404


@pytest.mark.parametrize("path", ["/en/learn/attempts/abc/", "/en/learn/attempts/-1/", "/en/learn/activities/1.5/"])
def test_non_numeric_ids_are_404(operator: User, path: str) -> None:
    assert signed_in(operator).get(path).status_code == 404


def test_starting_needs_post_and_a_csrf_token(operator: User, world: World) -> None:
    client = signed_in(operator)
    assert client.get(reverse("learning:quiz_start", args=[world.quiz.pk])).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)
    assert strict.post(reverse("learning:quiz_start", args=[world.quiz.pk])).status_code == 403
    assert not Attempt.objects.exists()


def test_starting_a_quiz_through_another_kind_of_activity_is_404(operator: User, world: World) -> None:
    client = signed_in(operator)
    assert client.post(reverse("learning:quiz_start", args=[world.scenario.pk])).status_code == 404
    assert client.post(reverse("learning:scenario_start", args=[world.quiz.pk])).status_code == 404
    assert client.post(reverse("learning:activity", args=[world.quiz.pk])).status_code == 403
