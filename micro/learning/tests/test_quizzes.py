"""Quiz attempts end to end: start, save, submit, results; limits, the server-side deadline, doubled
submissions and who may see what."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import User
from micro.learning import services
from micro.learning.models import (
    ActivityProgress,
    Answer,
    Attempt,
    AttemptStatus,
    CompetenceScore,
    LessonProgress,
)
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import RIGHT_RESPONSES, World, build_world, right_post_data

pytestmark = pytest.mark.django_db


def start(client: Client, world: World) -> Attempt:
    response = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def test_a_full_attempt_scores_every_question_and_records_progress(operator: User, world: World) -> None:
    client = signed_in(operator)
    attempt = start(client, world)
    assert response_ok(client.get(reverse("learning:attempt", args=[attempt.pk])))
    response = client.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.points, attempt.max_points, attempt.percent, attempt.passed) == (
        Decimal("8.00"),
        Decimal("8.00"),
        Decimal("100.00"),
        True,
    )
    assert Answer.objects.filter(attempt=attempt, status="correct").count() == 7
    progress = ActivityProgress.objects.get(learner=operator, activity=world.quiz)
    assert progress.completed_at is not None and progress.best_percent == Decimal("100.00") and progress.tries == 1
    scores = {s.competence.code: (s.points, s.max_points) for s in CompetenceScore.objects.filter(learner=operator)}
    assert scores == {"EF-1": (Decimal("5.00"), Decimal("5.00")), "IC-1": (Decimal("3.00"), Decimal("3.00"))}
    page = client.get(reverse("learning:attempt_result", args=[attempt.pk]))
    assert page.status_code == 200
    assert page.text.count('class="result card result-correct"') == 7
    assert "Feedback for a" in page.text and "Well done." in page.text


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", re.sub(r"\(\d+ minutes? left\)", "", html))


def response_ok(response: object) -> bool:
    return getattr(response, "status_code", None) == 200


def test_results_show_question_by_question_with_feedback_and_hide_answers_until_passed(
    operator: User, world: World
) -> None:
    client = signed_in(operator)
    attempt = start(client, world)
    data = right_post_data(world)
    data[f"q{world.questions['single'].pk}"] = "b"
    data[f"q{world.questions['numeric'].pk}"] = "1.000"
    for key in ("ordering", "matching", "multiple", "tf", "short"):
        data = {k: v for k, v in data.items() if not k.startswith(f"q{world.questions[key].pk}")}
    client.post(reverse("learning:attempt", args=[attempt.pk]), data)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal(0) and not attempt.passed
    page = client.get(reverse("learning:attempt_result", args=[attempt.pk])).text
    assert "Feedback for b" in page and "Not quite." in page
    assert page.count("result-unanswered") == 5
    assert "Right answer:" not in page
    assert "once you pass or have used all your attempts" in page


def test_a_reload_shows_the_same_draw_and_order(operator: User, db: None) -> None:
    world = build_world()
    world.quiz.parts.update(draw_count=3)
    client = signed_in(operator)
    attempt = start(client, world)
    first = without_tokens(client.get(reverse("learning:attempt", args=[attempt.pk])).text)
    second = without_tokens(client.get(reverse("learning:attempt", args=[attempt.pk])).text)
    assert first == second
    assert len(attempt.question_ids) == 3
    assert start(client, world).pk == attempt.pk  # starting again resumes the open attempt


def test_saving_keeps_answers_and_shows_them_again(operator: User, world: World) -> None:
    client = signed_in(operator)
    attempt = start(client, world)
    numeric = world.questions["numeric"]
    response = client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {f"q{numeric.pk}": "1.234,56", "save": "1"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt, question=numeric)
    assert answer.response == "1.234,56" and answer.language == "en"
    assert 'value="1.234,56"' in client.get(reverse("learning:attempt", args=[attempt.pk])).text
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_numbers_are_read_in_the_language_of_the_page(operator: User, world: World) -> None:
    client = signed_in(operator)
    response = client.post(f"/it/learn/activities/{world.quiz.pk}/start/")
    attempt = Attempt.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    numeric = world.questions["numeric"]
    client.post(f"/it/learn/attempts/{attempt.pk}/", {f"q{numeric.pk}": "239,2", "submit": "1"})
    answer = Answer.objects.get(attempt=attempt, question=numeric)
    assert (answer.language, answer.status, answer.points) == ("it", "correct", Decimal("2.00"))


def test_a_doubled_submission_is_applied_once(operator: User, world: World) -> None:
    client = signed_in(operator)
    attempt = start(client, world)
    url = reverse("learning:attempt", args=[attempt.pk])
    client.post(url, right_post_data(world))
    wrong = right_post_data(world)
    wrong[f"q{world.questions['single'].pk}"] = "b"
    second = client.post(url, wrong)
    assert second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")
    assert Answer.objects.get(attempt=attempt, question=world.questions["single"]).response == "a"
    assert ActivityProgress.objects.get(learner=operator, activity=world.quiz).tries == 1
    # the service itself is idempotent too
    again, applied = services.attempt_submit(attempt=attempt, responses={}, language="en")
    assert not applied and again.percent == Decimal("100.00")


def test_the_attempt_limit_is_enforced(operator: User, db: None) -> None:
    world = build_world(max_attempts=2)
    client = signed_in(operator)
    for _ in range(2):
        attempt = start(client, world)
        client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1"})
    response = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]), follow=True)
    assert "You have used all 2 attempts this quiz allows." in response.text
    assert Attempt.objects.filter(learner=operator).count() == 2
    # with no attempts left, the right answers are shown
    last = Attempt.objects.filter(learner=operator).latest("number")
    assert "Right answer:" in client.get(reverse("learning:attempt_result", args=[last.pk])).text


def test_the_time_limit_is_kept_on_the_server(operator: User, db: None) -> None:
    world = build_world(time_limit=10)
    client = signed_in(operator)
    attempt = start(client, world)
    assert attempt.deadline is not None
    single = world.questions["single"]
    client.post(reverse("learning:attempt", args=[attempt.pk]), {f"q{single.pk}": "a", "save": "1"})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - services.SUBMIT_GRACE - timedelta(seconds=1))
    response = client.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.TIMED_OUT
    # only the answer saved in time counts: 1 point of 8
    assert attempt.points == Decimal("1.00")
    assert Answer.objects.get(attempt=attempt, question=world.questions["numeric"]).status == "unanswered"


def test_a_late_form_within_the_grace_period_still_counts(operator: User, db: None) -> None:
    world = build_world(time_limit=10)
    client = signed_in(operator)
    attempt = start(client, world)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    client.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.percent == Decimal("100.00")


def test_an_expired_attempt_is_closed_when_the_learner_comes_back(operator: User, db: None) -> None:
    world = build_world(time_limit=5)
    client = signed_in(operator)
    attempt = start(client, world)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("learning:attempt", args=[attempt.pk]))
    assert response["Location"] == reverse("learning:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.TIMED_OUT
    # and a new start is a new attempt, not the expired one
    assert start(client, world).number == 2


def test_prerequisites_close_the_quiz(operator: User, world: World) -> None:
    world.lesson.prerequisites.add(world.scenario_lesson)
    client = signed_in(operator)
    response = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]), follow=True)
    assert "Complete the lessons this one builds on first." in response.text
    assert not Attempt.objects.exists()
    LessonProgress.objects.create(
        learner=operator, lesson=world.scenario_lesson, read_at=timezone.now(), completed_at=timezone.now()
    )
    assert start(client, world).number == 1


def test_an_operator_cannot_see_or_answer_another_learners_attempt(
    operator: User, other_operator: User, world: World
) -> None:
    mine = signed_in(operator)
    attempt = start(mine, world)
    mine.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world, action="save"))
    theirs = signed_in(other_operator)
    assert theirs.get(reverse("learning:attempt", args=[attempt.pk])).status_code == 404
    assert theirs.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world)).status_code == 404
    assert theirs.get(reverse("learning:attempt_result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_trainer_of_the_learner_may_read_the_results_others_may_not(
    operator: User, trainer: User, far_trainer: User, world: World
) -> None:
    client = signed_in(operator)
    attempt = start(client, world)
    client.post(reverse("learning:attempt", args=[attempt.pk]), right_post_data(world))
    assert signed_in(trainer).get(reverse("learning:attempt_result", args=[attempt.pk])).status_code == 200
    assert signed_in(far_trainer).get(reverse("learning:attempt_result", args=[attempt.pk])).status_code == 404
    # a trainer cannot answer in the learner's place
    assert signed_in(trainer).post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1"}).status_code == 404


def test_responses_right_answers_cover_every_kind(world: World) -> None:
    assert set(RIGHT_RESPONSES) == set(world.questions)
