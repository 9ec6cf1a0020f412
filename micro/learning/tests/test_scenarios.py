"""Scenario role-plays: branching, feedback at every step, scores per competence, the debrief,
doubled and hostile choices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from micro.accounts.models import User
from micro.learning.models import ActivityProgress, CompetenceScore, LessonProgress, ScenarioRun
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db


def play(client: Client, world: World) -> ScenarioRun:
    response = client.post(reverse("learning:scenario_start", args=[world.scenario.pk]))
    assert response.status_code == 302, response
    return ScenarioRun.objects.latest("pk")


def choose(client: Client, run: ScenarioRun, choice: str, step: int | None = None) -> object:
    run.refresh_from_db()
    return client.post(
        reverse("learning:scenario_run", args=[run.pk]),
        {"choice": choice, "step": len(run.path) if step is None else step},
    )


def test_the_best_path_scores_full_marks_and_shows_the_debrief(operator: User, world: World) -> None:
    client = signed_in(operator)
    run = play(client, world)
    page = client.get(reverse("learning:scenario_run", args=[run.pk])).text
    assert "Hello." in page and "Be kind" in page and "Be rude" in page
    choose(client, run, "kind")
    page = client.get(reverse("learning:scenario_run", args=[run.pk])).text
    assert "Nice." in page  # the feedback of the choice just made
    choose(client, run, "explain")
    run.refresh_from_db()
    assert run.finished_at is not None and run.percent == Decimal("100.00")
    assert run.scores == {"IC-1": ["5", "5"], "EF-1": ["3", "3"]}
    debrief = client.get(reverse("learning:scenario_run", args=[run.pk])).text
    assert "Debrief" in debrief and "You did well." in debrief and "Well played." in debrief
    assert "Clear." in debrief and "Nice." in debrief
    progress = ActivityProgress.objects.get(learner=operator, activity=world.scenario)
    assert progress.completed_at is not None
    scores = {
        row.competence.code: (row.points, row.max_points) for row in CompetenceScore.objects.filter(learner=operator)
    }
    assert scores == {"IC-1": (Decimal("5.00"), Decimal("5.00")), "EF-1": (Decimal("3.00"), Decimal("3.00"))}


def test_a_weaker_path_scores_against_the_best_choice_at_each_step(operator: User, world: World) -> None:
    client = signed_in(operator)
    run = play(client, world)
    choose(client, run, "kind")
    choose(client, run, "mumble")
    run.refresh_from_db()
    # IC-1: 3 + 1 of 3 + 2; EF-1: 0 of 3 → 4 of 8
    assert run.percent == Decimal("50.00")
    assert run.scores == {"IC-1": ["4", "5"], "EF-1": ["0", "3"]}


def test_a_branch_can_end_early(operator: User, world: World) -> None:
    client = signed_in(operator)
    run = play(client, world)
    choose(client, run, "rude")
    run.refresh_from_db()
    assert run.finished_at is not None and run.percent == Decimal("0.00")
    assert not ActivityProgress.objects.get(learner=operator, activity=world.scenario).completed_at
    # the learner may play again; the best run counts
    second = play(client, world)
    assert second.number == 2
    choose(client, second, "kind")
    choose(client, second, "explain")
    assert ActivityProgress.objects.get(learner=operator, activity=world.scenario).best_percent == Decimal("100.00")


def test_a_doubled_choice_moves_the_run_once(operator: User, world: World) -> None:
    client = signed_in(operator)
    run = play(client, world)
    choose(client, run, "kind", step=0)
    response = choose(client, run, "rude", step=0)  # the same form, sent again with another choice
    assert getattr(response, "status_code", None) == 302
    run.refresh_from_db()
    assert [step["choice"] for step in run.path] == ["kind"]
    assert run.current_node is not None and run.current_node.key == "middle"


@pytest.mark.parametrize("choice", ["", "explain", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000])
def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(operator: User, world: World, choice: str) -> None:
    client = signed_in(operator)
    run = play(client, world)
    response = choose(client, run, choice)
    assert getattr(response, "status_code", None) == 400
    assert "<script>alert(1)</script>" not in getattr(response, "text", "")
    run.refresh_from_db()
    assert run.path == [] and run.current_node is not None and run.current_node.key == "start"


@pytest.mark.parametrize("step", ["-1", "abc", "99999999999999999999"])
def test_a_broken_step_counter_is_refused(operator: User, world: World, step: str) -> None:
    client = signed_in(operator)
    run = play(client, world)
    response = client.post(reverse("learning:scenario_run", args=[run.pk]), {"choice": "kind", "step": step})
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.path == []


def test_another_learner_cannot_play_or_read_my_run(operator: User, other_operator: User, world: World) -> None:
    run = play(signed_in(operator), world)
    other = signed_in(other_operator)
    assert other.get(reverse("learning:scenario_run", args=[run.pk])).status_code == 404
    assert other.post(reverse("learning:scenario_run", args=[run.pk]), {"choice": "kind", "step": 0}).status_code == 404
    run.refresh_from_db()
    assert run.path == []


def test_the_play_limit_and_prerequisites(operator: User, world: World) -> None:
    world.scenario.max_attempts = 1
    world.scenario.save()
    client = signed_in(operator)
    run = play(client, world)
    choose(client, run, "rude")
    response = client.post(reverse("learning:scenario_start", args=[world.scenario.pk]), follow=True)
    assert "all 1 times" in response.text or "the 1 time" in response.text
    assert ScenarioRun.objects.filter(learner=operator).count() == 1
    world.scenario_lesson.prerequisites.add(world.lesson)
    world.scenario.max_attempts = None
    world.scenario.save()
    response = client.post(reverse("learning:scenario_start", args=[world.scenario.pk]), follow=True)
    assert "Complete the lessons this one builds on first." in response.text
    assert not LessonProgress.objects.exists()
