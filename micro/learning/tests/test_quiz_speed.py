"""What makes a quiz submission cheaper must not change what it records: questions come from the
worker's content cache and follow every edit, and each answer is written once, with its grade."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from micro.accounts.models import User
from micro.learning import selectors, services
from micro.learning.models import Answer, Attempt, AttemptStatus, Choice
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import RIGHT_RESPONSES, World, right_post_data

pytestmark = pytest.mark.django_db


def test_questions_are_read_once_per_worker_and_follow_an_edit(world: World) -> None:
    ids = [question.pk for question in world.questions.values()]
    assert [q.pk for q in selectors.questions_by_id(ids)] == ids

    with CaptureQueriesContext(connection) as queries:
        again = selectors.questions_by_id(list(reversed(ids)))
    assert len(queries) == 0 and [q.pk for q in again] == list(reversed(ids))

    single = world.questions["single"]
    choice = Choice.objects.get(question=single, key="b")
    choice.translations["en"]["text"] = "Wrong, edited"
    choice.save()
    [fresh] = selectors.questions_by_id([single.pk])
    assert "Wrong, edited" in [c.translations["en"]["text"] for c in fresh.choices.all()]


def test_unknown_ids_are_left_out_and_not_remembered(world: World) -> None:
    assert selectors.questions_by_id([987654]) == []
    with CaptureQueriesContext(connection) as queries:
        assert selectors.questions_by_id([987654]) == []
    assert len(queries) == 1


def test_each_answer_is_written_once_with_its_response_and_grade(operator: User, world: World) -> None:
    client = signed_in(operator)
    client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))
    attempt = Attempt.objects.latest("pk")
    client.get(reverse("learning:attempt", args=[attempt.pk]))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world))

    assert response.status_code == 302
    answer_writes = [
        q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE")) and '"learning_answer"' in q["sql"]
    ]
    assert len(answer_writes) == len(world.questions)
    answers = Answer.objects.filter(attempt=attempt)
    assert answers.count() == len(world.questions)
    assert all(answer.status == "correct" and answer.response is not None for answer in answers)


def test_answers_saved_before_the_submission_keep_their_responses(operator: User, world: World) -> None:
    attempt = services.attempt_start(activity=world.quiz, learner=operator)
    single = world.questions["single"]
    services.attempt_answers_save(attempt=attempt, responses={single.pk: RIGHT_RESPONSES["single"]}, language="en")

    finished, done = services.attempt_submit(attempt=attempt, responses={}, language="en")

    assert done and finished.status == AttemptStatus.SUBMITTED
    saved = Answer.objects.get(attempt=attempt, question=single)
    assert saved.response == RIGHT_RESPONSES["single"] and saved.status == "correct"
    assert saved.points == Decimal(saved.max_points) and saved.points > 0
