"""Lesson discussions of a cohort: who sees them, sanitised Markdown, bad input, doubled posts and
the rate limit, moderation (hide with a reason, lock) with its audit, notifications, unread counts
and bounded SQL queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import Organisation, User
from micro.core.models import AuditEvent
from micro.learning.models import Cohort, CohortSession, Enrolment, SessionKind
from micro.learning.models.discussions import DiscussionPost, DiscussionRead, DiscussionThread
from micro.learning.services import discussions as services
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import CourseFactory, LessonFactory, ModuleFactory, World

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE learning_discussionpost; --",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
]


def make_cohort(world: World, trainer: User, learners: list[tuple[User, Organisation]], name: str) -> Cohort:
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        course=world.course, name=name, starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=50)
    )
    cohort.trainers.add(trainer)
    for learner, organisation in learners:
        Enrolment.objects.create(cohort=cohort, learner=learner, organisation=organisation)
    CohortSession.objects.create(cohort=cohort, kind=SessionKind.ONLINE, module=world.module, starts_at=timezone.now())
    return cohort


@pytest.fixture
def cohort(world: World, trainer: User, operator: User, other_operator: User, organisation: Organisation) -> Cohort:
    return make_cohort(world, trainer, [(operator, organisation), (other_operator, organisation)], "Pilot")


@pytest.fixture
def other_cohort(world: World, far_trainer: User, far_operator: User, other_organisation: Organisation) -> Cohort:
    return make_cohort(world, far_trainer, [(far_operator, other_organisation)], "Madrid group")


def list_url(cohort: Cohort, world: World) -> str:
    return reverse("learning:discussion_list", args=[cohort.pk, world.lesson.pk])


def thread_url(thread: DiscussionThread) -> str:
    return reverse("learning:discussion_thread", args=[thread.cohort_id, thread.pk])


def start(
    cohort: Cohort, world: World, author: User, title: str = "Annuity or flat rate?", body: str = "Which?"
) -> DiscussionThread:
    thread, created = services.thread_start(cohort=cohort, lesson=world.lesson, author=author, title=title, body=body)
    assert created
    return thread


# --- visibility --------------------------------------------------------------------------------


def test_members_start_and_read_threads_others_get_404(
    world: World,
    cohort: Cohort,
    other_cohort: Cohort,
    operator: User,
    other_operator: User,
    far_operator: User,
    trainer: User,
    far_trainer: User,
    coordinator: User,
) -> None:
    response = signed_in(operator).post(
        list_url(cohort, world), {"title": "Break-even?", "body": "How do I *explain* it?"}
    )
    thread = DiscussionThread.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(thread_url(thread))
    page = signed_in(other_operator).get(list_url(cohort, world))
    assert page.status_code == 200 and "Break-even?" in page.content.decode()
    assert "<em>explain</em>" in signed_in(trainer).get(thread_url(thread)).content.decode()
    assert signed_in(coordinator).get(thread_url(thread)).status_code == 200
    # Another cohort's operator and trainer: not even the list of this cohort.
    for outsider in (far_operator, far_trainer):
        client = signed_in(outsider)
        assert client.get(list_url(cohort, world)).status_code == 404
        assert client.get(thread_url(thread)).status_code == 404
        assert client.post(thread_url(thread), {"body": "Let me in"}).status_code == 404
        assert client.post(list_url(cohort, world), {"title": "x", "body": "y"}).status_code == 404
    # The thread id under the other cohort's address is not found either.
    wrong = reverse("learning:discussion_thread", args=[other_cohort.pk, thread.pk])
    assert signed_in(far_operator).get(wrong).status_code == 404
    assert signed_in(far_operator).get(list_url(other_cohort, world)).content.decode().count("Break-even?") == 0
    assert Client().get(list_url(cohort, world)).status_code == 302
    assert DiscussionPost.objects.count() == 1


def test_a_lesson_of_another_course_is_not_found(world: World, cohort: Cohort, operator: User) -> None:
    elsewhere = LessonFactory.create(module=ModuleFactory.create(course=CourseFactory.create()))
    assert (
        signed_in(operator).get(reverse("learning:discussion_list", args=[cohort.pk, elsewhere.pk])).status_code == 404
    )
    assert signed_in(operator).get(reverse("learning:discussion_list", args=[cohort.pk, 999999])).status_code == 404


# --- input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", HOSTILE)
def test_markdown_is_sanitised(world: World, cohort: Cohort, operator: User, trainer: User, body: str) -> None:
    thread = start(cohort, world, operator, title=body, body=body + "\n\n**bold**")
    html = signed_in(trainer).get(thread_url(thread)).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and 'href="javascript:' not in html and "<img" not in html
    assert "&lt;script&gt;" in html or "<script>" not in body  # the title is escaped


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"title": "", "body": ""}, "This field is required."),
        ({"title": "   ", "body": "   "}, "This field is required."),
        ({"title": "x" * 161, "body": "Fine"}, "at most 160 characters"),
        ({"title": "Fine", "body": "x" * 5001}, "at most 5000 characters"),
        ({"title": "Nul\x00", "body": "Fine"}, "Null characters are not allowed."),
        ({"title": ["a", "b"], "body": {"not": "text"}}, ""),
    ],
)
def test_bad_thread_input_changes_nothing(
    world: World, cohort: Cohort, operator: User, data: dict[str, Any], message: str
) -> None:
    response = signed_in(operator).post(list_url(cohort, world), data)
    if data.get("title") == ["a", "b"]:
        # A list keeps its last value, a dict arrives as its key: a valid (odd) post, stored once.
        assert response.status_code in {302, 400}
        assert DiscussionThread.objects.count() <= 1
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DiscussionThread.objects.count() == 0 and DiscussionPost.objects.count() == 0


def test_bad_reply_input_changes_nothing(world: World, cohort: Cohort, operator: User) -> None:
    thread = start(cohort, world, operator)
    client = signed_in(operator)
    for data in ({}, {"body": ""}, {"body": " \n "}, {"body": "y" * 5001}, {"body": "a\x00b"}):
        assert client.post(thread_url(thread), data).status_code == 400
    assert DiscussionPost.objects.count() == 1
    assert client.get(reverse("learning:discussion_thread", args=[cohort.pk, 0])).status_code == 404


def test_a_doubled_submission_is_posted_once(world: World, cohort: Cohort, operator: User) -> None:
    client = signed_in(operator)
    data = {"title": "Same", "body": "Same text"}
    first = client.post(list_url(cohort, world), data)
    second = client.post(list_url(cohort, world), {"title": " same ", "body": "Same   text"})
    assert first["Location"].split("?")[0] == second["Location"].split("?")[0]
    assert DiscussionThread.objects.count() == 1
    thread = DiscussionThread.objects.get()
    client.post(thread_url(thread), {"body": "A reply"})
    follow = client.post(thread_url(thread), {"body": "A reply"}, follow=True)
    assert "already posted" in follow.content.decode()
    assert DiscussionPost.objects.count() == 2
    thread.refresh_from_db()
    assert thread.post_count == 2


def test_posting_too_fast_is_refused(world: World, cohort: Cohort, operator: User) -> None:
    thread = start(cohort, world, operator)
    client = signed_in(operator)
    for n in range(services.RATE_LIMIT - 1):
        assert client.post(thread_url(thread), {"body": f"Reply {n}"}).status_code == 302
    response = client.post(thread_url(thread), {"body": "One more"})
    assert response.status_code == 400
    assert "wait a minute" in response.content.decode()
    assert DiscussionPost.objects.count() == services.RATE_LIMIT


# --- moderation ----------------------------------------------------------------------------------


def hide_url(post: DiscussionPost) -> str:
    return reverse("learning:discussion_hide", args=[post.thread.cohort_id, post.pk])


def lock_url(thread: DiscussionThread) -> str:
    return reverse("learning:discussion_lock", args=[thread.cohort_id, thread.pk])


def test_trainer_hides_a_post_with_a_reason_once(
    world: World,
    cohort: Cohort,
    other_cohort: Cohort,
    operator: User,
    other_operator: User,
    trainer: User,
    far_trainer: User,
) -> None:
    thread = start(cohort, world, operator, body="Call me on +39 333 1234567")
    post = thread.posts.get()
    assert signed_in(other_operator).post(hide_url(post), {"reason": "Mine"}).status_code == 404
    assert signed_in(far_trainer).post(hide_url(post), {"reason": "Not mine"}).status_code == 404
    # Through the address of the cohort they do moderate: still not found.
    smuggled = reverse("learning:discussion_hide", args=[other_cohort.pk, post.pk])
    assert signed_in(far_trainer).post(smuggled, {"reason": "Not mine"}).status_code == 404
    smuggled_lock = reverse("learning:discussion_lock", args=[other_cohort.pk, thread.pk])
    assert signed_in(far_trainer).post(smuggled_lock, {"locked": "1"}).status_code == 404
    assert signed_in(trainer).get(hide_url(post)).status_code == 405
    for bad in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "r" * 301}):
        signed_in(trainer).post(hide_url(post), bad)
        post.refresh_from_db()
        assert not post.is_hidden
    client = signed_in(trainer)
    assert client.post(hide_url(post), {"reason": "Personal phone number <b>removed</b>"}).status_code == 302
    client.post(hide_url(post), {"reason": "Again"})
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Personal phone number <b>removed</b>" and post.hidden_by == trainer
    events = AuditEvent.objects.filter(action="learning.discussion.hide")
    assert events.count() == 1 and events.get().actor == trainer
    html = signed_in(other_operator).get(thread_url(thread)).content.decode()
    assert "333 1234567" not in html
    assert "Personal phone number &lt;b&gt;removed&lt;/b&gt;" in html
    assert "333 1234567" in client.get(thread_url(thread)).content.decode()  # trainers can still read it


def test_a_locked_thread_takes_no_reply(
    world: World, cohort: Cohort, operator: User, trainer: User, other_operator: User
) -> None:
    thread = start(cohort, world, operator)
    assert signed_in(operator).post(lock_url(thread), {"locked": "1"}).status_code == 404
    client = signed_in(trainer)
    for bad in ({}, {"locked": "maybe"}, {"locked": ["1", "2"]}):
        client.post(lock_url(thread), bad)
        thread.refresh_from_db()
        assert not thread.is_locked
    client.post(lock_url(thread), {"locked": "1"})
    client.post(lock_url(thread), {"locked": "1"})
    thread.refresh_from_db()
    assert thread.is_locked and thread.locked_by == trainer
    assert AuditEvent.objects.filter(action="learning.discussion.lock").count() == 1
    response = signed_in(other_operator).post(thread_url(thread), {"body": "Too late"})
    assert response.status_code == 400 and "locked" in response.content.decode()
    assert DiscussionPost.objects.count() == 1
    assert 'name="body"' not in signed_in(other_operator).get(thread_url(thread)).content.decode()
    client.post(lock_url(thread), {"locked": "0"})
    assert signed_in(other_operator).post(thread_url(thread), {"body": "Now it works"}).status_code == 302
    assert AuditEvent.objects.filter(action="learning.discussion.unlock").count() == 1


# --- notifications and unread counts -------------------------------------------------------------


def test_a_reply_emails_participants_and_trainers_after_commit(
    world: World,
    cohort: Cohort,
    operator: User,
    other_operator: User,
    trainer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    trainer.preferred_language = "it"
    trainer.save()
    thread = start(cohort, world, operator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert signed_in(other_operator).post(thread_url(thread), {"body": "Use the annuity."}).status_code == 302
    assert len(callbacks) == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([operator.email, trainer.email])  # never the author of the reply
    to_trainer = next(m for m in mail.outbox if m.to == [trainer.email])
    assert f"/it/learn/cohorts/{cohort.pk}/discussion/{thread.pk}/" in to_trainer.body
    assert "Use the annuity." in to_trainer.body
    assert "Annuity or flat rate?" in to_trainer.subject


def test_no_email_for_a_post_hidden_before_the_task_ran(
    world: World, cohort: Cohort, operator: User, other_operator: User, trainer: User
) -> None:
    thread = start(cohort, world, operator)
    post, _created = services.post_reply(thread=thread, author=other_operator, body="Spam")
    services.post_hide(post=post, by=trainer, reason="Spam")
    assert services.reply_notify(post_id=post.pk) == 0
    assert services.reply_notify(post_id=999999) == 0
    assert mail.outbox == []


def test_lesson_page_shows_unread_messages_until_read(
    world: World, cohort: Cohort, other_cohort: Cohort, operator: User, other_operator: User, far_operator: User
) -> None:
    lesson_url = reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug])
    thread = start(cohort, world, other_operator)
    services.post_reply(thread=thread, author=other_operator, body="And another thing")
    start(other_cohort, world, far_operator, title="Secret of Madrid")
    client = signed_in(operator)
    html = client.get(lesson_url).content.decode()
    assert "2 unread messages" in html and "1 thread in Pilot" in html
    assert "Madrid group" not in html  # not their cohort
    assert client.get(list_url(cohort, world)).content.decode().count("2 new") == 1
    client.get(thread_url(thread))
    assert DiscussionRead.objects.filter(thread=thread, user=operator).exists()
    assert "unread" not in client.get(lesson_url).content.decode()
    # The author's own messages never count as unread.
    assert "unread" not in signed_in(other_operator).get(lesson_url).content.decode()


# --- SQL queries ---------------------------------------------------------------------------------


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_discussion_pages_do_not_grow_with_threads_or_posts(
    world: World, cohort: Cohort, operator: User, trainer: User, organisation: Organisation
) -> None:
    thread = start(cohort, world, operator)
    client = signed_in(trainer)
    client.get(thread_url(thread))
    few_thread, few_list = count(client, thread_url(thread)), count(client, list_url(cohort, world))
    now = timezone.now()
    DiscussionThread.objects.bulk_create(
        [
            DiscussionThread(cohort=cohort, lesson=world.lesson, author=operator, title=f"T{n}", last_posted_at=now)
            for n in range(60)
        ]
    )
    DiscussionPost.objects.bulk_create(
        [DiscussionPost(thread=thread, author=operator, body=f"P{n}", body_html=f"<p>P{n}</p>") for n in range(120)]
    )
    assert count(client, thread_url(thread)) == few_thread
    assert count(client, list_url(cohort, world)) == few_list
    assert few_thread <= 16 and few_list <= 14


def test_discussion_writes_stay_under_the_bound(
    world: World, cohort: Cohort, operator: User, trainer: User, django_assert_max_num_queries: Any
) -> None:
    thread = start(cohort, world, operator)
    post = thread.posts.get()
    client = signed_in(trainer)
    client.get(thread_url(thread))
    with django_assert_max_num_queries(30):
        assert client.post(thread_url(thread), {"body": "A reply"}).status_code == 302
    with django_assert_max_num_queries(20):
        assert client.post(hide_url(post), {"reason": "Off topic"}).status_code == 302
    with django_assert_max_num_queries(20):
        assert client.post(lock_url(thread), {"locked": "1"}).status_code == 302
    with django_assert_max_num_queries(30):
        assert client.post(list_url(cohort, world), {"title": "New", "body": "Thread"}).status_code == 302
