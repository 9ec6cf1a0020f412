"""SQL queries per page are bounded and do not grow with the number of lessons or learners."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import member
from micro.learning import services
from micro.learning.models import Activity, ActivityKind, LessonImage, LessonProgress, LessonResource
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import LessonFactory, World, texts

pytestmark = pytest.mark.django_db

# Session, user with roles, marks, cohorts (when not cached), threads, unread posts, and the
# once-a-second revision read that may fall into the counted request.
LESSON_PAGE_BOUND = 7
OTHER_PAGE_BOUND = 19


def lesson_url(world: World) -> str:
    return reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug])


def grow(world: World, organisation: Organisation, lessons: int, learners: int) -> None:
    """More lessons (each with an image, a resource, an activity and a prerequisite) and more learners with records."""
    for _ in range(learners):
        learner = member(organisation, Role.OPERATOR)
        services.lesson_mark_read(lesson=world.lesson, learner=learner)
        attempt = services.attempt_start(activity=world.quiz, learner=learner)
        services.attempt_submit(attempt=attempt, responses={}, language="en")
    first = world.module.lessons.count()
    for index in range(first, first + lessons):
        lesson = LessonFactory.create(module=world.module, slug=f"extra-{index}", order=100 + index)
        lesson.competences.set(list(world.competences.values()))
        lesson.prerequisites.add(world.lesson)
        LessonImage.objects.create(
            lesson=lesson,
            key="img",
            file="learning/images/x.png",
            content_type="image/png",
            translations=texts(alt="x"),
        )
        LessonResource.objects.create(
            lesson=lesson, key="link", kind="link", url="https://example.org", translations=texts(title="x")
        )
        Activity.objects.create(lesson=lesson, slug="q", kind=ActivityKind.QUIZ, translations=texts(title="q"))
        LessonProgress.objects.create(learner=learner, lesson=lesson, read_at=timezone.now())
    world.lesson.prerequisites.add(world.scenario_lesson)


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_lesson_page_stays_under_the_bound(operator: User, world: World, django_assert_max_num_queries) -> None:
    client = signed_in(operator)
    client.get(lesson_url(world))  # warm the session and the rendering cache
    with django_assert_max_num_queries(LESSON_PAGE_BOUND):
        assert client.get(lesson_url(world)).status_code == 200


def test_lesson_page_queries_do_not_grow_with_lessons_or_learners(
    operator: User, organisation: Organisation, world: World, django_assert_max_num_queries
) -> None:
    client = signed_in(operator)
    client.get(lesson_url(world))
    few = count(client, lesson_url(world))
    grow(world, organisation, lessons=12, learners=8)
    client.get(lesson_url(world))
    with django_assert_max_num_queries(few):
        assert client.get(lesson_url(world)).status_code == 200


@pytest.mark.parametrize("name", ["courses", "progress", "course"])
def test_course_pages_do_not_grow_with_the_data(
    operator: User, organisation: Organisation, world: World, django_assert_max_num_queries, name: str
) -> None:
    url = reverse(f"learning:{name}", args=[world.course.slug] if name == "course" else [])
    client = signed_in(operator)
    client.get(url)
    few = count(client, url)
    assert few <= OTHER_PAGE_BOUND
    grow(world, organisation, lessons=10, learners=5)
    # The content changed: the first view rebuilds the course structure (a fixed number of queries
    # too, plus one read of the content revision), the next ones read it from the worker's memory.
    assert count(client, url) <= OTHER_PAGE_BOUND + 1
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_review_list_does_not_grow_with_submissions(
    trainer: User, organisation: Organisation, world: World, django_assert_max_num_queries
) -> None:
    client = signed_in(trainer)
    few = count(client, reverse("learning:reviews"))
    for _ in range(6):
        learner = member(organisation, Role.OPERATOR)
        services.submission_submit(activity=world.assignment, learner=learner, text="Work")
    with django_assert_max_num_queries(few + 2):
        assert len(client.get(reverse("learning:reviews")).context["submissions"]) == 6
