"""The learner's marks on a lesson page come from one SQL statement (selectors.courses._progress_maps):
they must say the same as the rows, for this learner only, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from micro.accounts.models import User
from micro.learning import selectors
from micro.learning.models import ActivityProgress, LessonProgress
from micro.learning.selectors.courses import _progress_maps
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db


def page_for(user: User, world: World) -> selectors.LessonPage:
    return selectors.lesson_get_for_learner(user, world.course.slug, world.module.slug, world.lesson.slug)


def test_marks_say_what_the_rows_say(world: World, operator: User) -> None:
    LessonProgress.objects.create(learner=operator, lesson=world.lesson, read_at=timezone.now())
    ActivityProgress.objects.create(learner=operator, activity=world.quiz, tries=2, best_percent=Decimal("66.67"))

    state = page_for(operator, world).state

    assert state.read and not state.completed
    quiz = next(item for item in state.activities if item.activity.pk == world.quiz.pk)
    assert quiz.tries == 2 and not quiz.completed
    assert quiz.best_percent == Decimal("66.67") and isinstance(quiz.best_percent, Decimal)


def test_completed_marks_and_a_whole_score(world: World, operator: User) -> None:
    now = timezone.now()
    LessonProgress.objects.create(learner=operator, lesson=world.lesson, read_at=now, completed_at=now)
    ActivityProgress.objects.create(
        learner=operator, activity=world.quiz, tries=1, best_percent=Decimal(100), completed_at=now
    )

    state = page_for(operator, world).state

    quiz = next(item for item in state.activities if item.activity.pk == world.quiz.pk)
    assert state.read and state.completed and quiz.completed
    assert quiz.best_percent == Decimal("100.00") and str(quiz.best_percent) == "100.00"


def test_another_learners_marks_are_not_mine(world: World, operator: User, other_operator: User) -> None:
    now = timezone.now()
    LessonProgress.objects.create(learner=other_operator, lesson=world.lesson, read_at=now, completed_at=now)
    ActivityProgress.objects.create(learner=other_operator, activity=world.quiz, tries=3, completed_at=now)

    state = page_for(operator, world).state

    assert not state.read and not state.completed
    assert all(item.tries == 0 and item.best_percent is None and not item.completed for item in state.activities)


def test_both_tables_are_read_in_one_query_and_none_when_nothing_is_asked(world: World, operator: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        lessons, activities = _progress_maps(operator, {world.lesson.pk}, {world.quiz.pk})
    assert len(queries) == 1 and lessons == {} and activities == {}

    with CaptureQueriesContext(connection) as queries:
        assert _progress_maps(operator, set(), set()) == ({}, {})
    assert len(queries) == 0


def test_lessons_without_activities_and_activities_alone(world: World, operator: User) -> None:
    LessonProgress.objects.create(learner=operator, lesson=world.lesson, read_at=timezone.now())
    ActivityProgress.objects.create(learner=operator, activity=world.quiz, tries=1)

    lessons, activities = _progress_maps(operator, {world.lesson.pk}, set())
    assert set(lessons) == {world.lesson.pk} and activities == {}

    lessons, activities = _progress_maps(operator, set(), {world.quiz.pk})
    assert lessons == {} and set(activities) == {world.quiz.pk}
