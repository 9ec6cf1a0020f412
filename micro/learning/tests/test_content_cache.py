"""The lesson page keeps its content in the worker's memory: every change must show at once in
this worker and within a second in the others (micro.core.content_cache)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from micro.accounts.models import User
from micro.core import content_cache, revisions
from micro.core.models import Revision
from micro.learning.models import Activity, Competence, LessonResource
from micro.learning.tests.factories import World


def lesson_url(world: World) -> str:
    return reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug])


def revision_in_database() -> int:
    """The row may be gone after a transactional test (its tables are emptied): bump() recreates it."""
    return Revision.objects.filter(name=revisions.CONTENT).values_list("number", flat=True).first() or 0


@pytest.mark.django_db
def test_an_edited_lesson_shows_its_new_text_on_the_next_request(operator_client: Client, world: World) -> None:
    url = lesson_url(world)
    operator_client.get(url)

    world.lesson.translations["en"]["title"] = "Loans, revised"
    world.lesson.translations["en"]["body"] = "A **new** paragraph about instalments."
    world.lesson.save()

    page = operator_client.get(url).content.decode()
    assert "Loans, revised" in page and "<strong>new</strong> paragraph" in page


@pytest.mark.django_db
def test_linked_competences_resources_and_activities_change_the_cached_page(
    operator_client: Client, world: World
) -> None:
    url = lesson_url(world)
    operator_client.get(url)

    world.lesson.competences.add(world.competences["IC-1"])  # m2m_changed
    LessonResource.objects.create(lesson=world.lesson, key="rates", kind="link", url="https://example.org/rates")
    world.quiz.translations["en"]["title"] = "Quiz with a new name"
    world.quiz.save()
    page = operator_client.get(url).content.decode()
    assert "IC-1" in page and "https://example.org/rates" in page and "Quiz with a new name" in page

    Activity.objects.filter(pk=world.quiz.pk).get().delete()  # post_delete
    assert "Quiz with a new name" not in operator_client.get(url).content.decode()


@pytest.mark.django_db
def test_unpublishing_a_course_closes_its_cached_lessons(operator_client: Client, world: World) -> None:
    url = lesson_url(world)
    assert operator_client.get(url).status_code == 200

    world.course.is_published = False
    world.course.save()

    assert operator_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_lesson_content_costs_no_query_once_cached(operator_client: Client, world: World) -> None:
    url = lesson_url(world)
    operator_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        operator_client.get(url)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for content_table in ('learning_lesson"', "learning_lessonimage", "learning_lessonresource", "learning_competence"):
        assert f'FROM "{content_table.strip(chr(34))}"' not in tables


@pytest.mark.django_db(transaction=True)
def test_another_worker_sees_a_change_at_its_next_revision_check(world: World) -> None:
    """A change made elsewhere (another worker, `manage.py course_import`) is noticed by reading
    the revision row, not by a signal in this process."""
    built: list[int] = []

    def build() -> str:
        built.append(1)
        return str(Competence.objects.count())

    assert content_cache.cached(("test", "count"), build) == "2"
    assert content_cache.cached(("test", "count"), build) == "2" and len(built) == 1

    Revision.objects.filter(name=revisions.CONTENT).update(number=revision_in_database() + 7)  # another worker
    assert content_cache.cached(("test", "count"), build) == "2" and len(built) == 1  # not yet checked again
    revisions.forget(revisions.CONTENT)  # the check interval has passed
    assert content_cache.cached(("test", "count"), build) == "2" and len(built) == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_bumps_the_revision_once_and_a_rollback_leaves_no_stale_entry(world: World) -> None:
    before = revision_in_database()
    world.lesson.save()  # outside a transaction: one bump per save
    after_save = revision_in_database()
    assert after_save != before
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for code in ("X-1", "X-2", "X-3"):
            Competence.objects.create(area=world.competences["EF-1"].area, code=code)
    bumps = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "core_revision"')]
    assert len(bumps) == 1 and revision_in_database() != after_save  # once per transaction
    committed = revision_in_database()

    with pytest.raises(RuntimeError), transaction.atomic():
        world.lesson.translations["en"]["title"] = "Never saved"
        world.lesson.save()
        content_cache.cached(("test", "title"), lambda: "Never saved")
        raise RuntimeError
    assert revision_in_database() == committed
    revisions.forget(revisions.CONTENT)  # the next check: the rolled-back number is gone
    assert content_cache.cached(("test", "title"), lambda: "fresh") == "fresh"


@pytest.mark.django_db(transaction=True)
def test_per_person_records_do_not_touch_the_revision(operator: User, world: World) -> None:
    from micro.learning.services.progress import lesson_mark_read

    before = revision_in_database()
    lesson_mark_read(lesson=world.lesson, learner=operator)
    assert revision_in_database() == before


@pytest.mark.django_db
def test_a_lesson_removed_from_the_pack_disappears_after_the_next_import(
    operator_client: Client, tmp_path: object, settings: object
) -> None:
    """The importer retires lessons with QuerySet.update() (no signal): it must bump the revision itself."""
    import shutil
    from pathlib import Path

    from micro.learning.content import course_import
    from micro.learning.tests.conftest import SAMPLE_ROOT

    root = Path(str(tmp_path)) / "courses"
    shutil.copytree(SAMPLE_ROOT / "_framework", root / "_framework")
    shutil.copytree(SAMPLE_ROOT / "micro-sample", root / "micro-sample")
    assert not course_import(root=root, only="micro-sample").errors
    url = reverse("learning:lesson", args=["micro-sample", "intercultural", "explaining-a-refusal"])
    assert operator_client.get(url).status_code == 200  # now in this worker's memory

    for path in (root / "micro-sample" / "02-intercultural").glob("03-explaining-a-refusal.*.md"):
        path.unlink()
    report = course_import(root=root, only="micro-sample")

    assert report.retired >= 1 and not report.errors
    assert operator_client.get(url).status_code == 404


@pytest.mark.django_db
def test_learner_links_and_preview_links_are_cached_apart(
    operator_client: Client, coordinator: User, world: World
) -> None:
    learner_page = operator_client.get(lesson_url(world)).content.decode()
    author = Client()
    author.force_login(coordinator)
    preview_page = author.get(reverse("learning:preview_lesson", args=[world.lesson.pk])).content.decode()

    assert reverse("learning:activity", args=[world.quiz.pk]) in learner_page
    assert reverse("learning:preview_activity", args=[world.quiz.pk]) not in learner_page
    assert reverse("learning:preview_activity", args=[world.quiz.pk]) in preview_page
    assert reverse("learning:activity", args=[world.quiz.pk]) not in preview_page
    # The step links are learners' only; the preview shows none.
    assert "Next lesson" in learner_page and "Next lesson" not in preview_page


@pytest.mark.django_db
def test_an_activity_the_cached_page_does_not_know_yet_is_still_shown(coordinator: User, world: World) -> None:
    author = Client()
    author.force_login(coordinator)
    url = reverse("learning:preview_lesson", args=[world.lesson.pk])
    author.get(url)
    # bulk_create sends no signal: as in the second before a worker sees the new content revision.
    [added] = Activity.objects.bulk_create(
        [Activity(lesson=world.lesson, slug="late", kind="quiz", order=99, translations={"en": {"title": "Late quiz"}})]
    )

    response = author.get(url)

    assert response.status_code == 200
    assert reverse("learning:preview_activity", args=[added.pk]) in response.content.decode()
