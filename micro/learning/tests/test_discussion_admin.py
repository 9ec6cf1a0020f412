"""Lesson discussions in the admin: coordinators read every cohort's threads and messages, filter
and search them, and moderate (hide with a reason, lock, unlock) through the discussion services,
so each decision is audited; nobody adds, edits or deletes messages there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import Organisation, User
from micro.core.models import AuditEvent
from micro.learning.models import Cohort, Enrolment
from micro.learning.models.discussions import DiscussionPost, DiscussionThread
from micro.learning.services import discussions as discussion_services
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE learning_discussionpost; --", "{{ 7*7 }}"]
THREADS = reverse("admin:learning_discussionthread_changelist")
POSTS = reverse("admin:learning_discussionpost_changelist")


def make_cohort(world: World, trainer: User, learner: User, organisation: Organisation, name: str) -> Cohort:
    cohort = Cohort.objects.create(
        course=world.course, name=name, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 1)
    )
    cohort.trainers.add(trainer)
    Enrolment.objects.create(cohort=cohort, learner=learner, organisation=organisation)
    return cohort


@pytest.fixture
def cohort(world: World, trainer: User, operator: User, organisation: Organisation) -> Cohort:
    return make_cohort(world, trainer, operator, organisation, "Pilot")


@pytest.fixture
def other_cohort(world: World, far_trainer: User, far_operator: User, other_organisation: Organisation) -> Cohort:
    return make_cohort(world, far_trainer, far_operator, other_organisation, "Madrid group")


@pytest.fixture
def staff_coordinator(coordinator: User) -> User:
    coordinator.is_staff = True
    coordinator.save()
    return coordinator


def start(cohort: Cohort, world: World, author: User, title: str, body: str = "Which one?") -> DiscussionThread:
    thread, _created = discussion_services.thread_start(
        cohort=cohort, lesson=world.lesson, author=author, title=title, body=body, now=timezone.now()
    )
    return thread


def action(client: Client, url: str, name: str, objects: list[Any], **extra: Any) -> Any:
    return client.post(url, {"action": name, "_selected_action": [obj.pk for obj in objects], **extra}, follow=True)


def test_a_coordinator_reads_filters_and_searches_every_cohorts_discussions(
    world: World, operator: User, far_operator: User, cohort: Cohort, other_cohort: Cohort, staff_coordinator: User
) -> None:
    pilot = start(cohort, world, operator, "Annuity or flat rate?")
    madrid = start(other_cohort, world, far_operator, "Break-even in Madrid")
    client = signed_in(staff_coordinator)

    listing = client.get(THREADS)
    assert listing.status_code == 200
    assert "Annuity or flat rate?" in listing.text and "Break-even in Madrid" in listing.text
    only_pilot = client.get(THREADS, {"cohort__id__exact": cohort.pk})
    assert "Annuity or flat rate?" in only_pilot.text and "Break-even in Madrid" not in only_pilot.text
    assert "Break-even" in client.get(THREADS, {"q": "break-even"}).text
    assert "Annuity" not in client.get(THREADS, {"q": "break-even"}).text
    for query in (
        {"lesson": world.lesson.pk},
        {"lesson": "1 OR 1=1"},
        {"is_locked__exact": "1"},
        {"q": HOSTILE[0]},
        {"q": HOSTILE[1]},
        {"q": "x" * 5000},
    ):
        assert client.get(THREADS, query).status_code == 200
    assert "Annuity" not in client.get(THREADS, {"is_locked__exact": "1"}).text
    assert "Annuity" in client.get(THREADS, {"lesson": world.lesson.pk}).text
    assert "Annuity" not in client.get(THREADS, {"lesson": world.scenario_lesson.pk}).text
    assert "Annuity" not in client.get(THREADS, {"lesson": "<script>"}).text

    change = client.get(reverse("admin:learning_discussionthread_change", args=[pilot.pk]))
    assert change.status_code == 200 and f"thread__id__exact={pilot.pk}" in change.text
    assert "See its 1 message" in change.text
    messages = client.get(POSTS, {"thread__id__exact": madrid.pk})
    assert messages.status_code == 200 and "Break-even in Madrid" in messages.text
    for query in (
        {"thread__cohort__id__exact": cohort.pk},
        {"lesson": world.lesson.pk},
        {"lesson": HOSTILE[1]},
        {"is_hidden__exact": "0"},
        {"thread__is_locked__exact": "0"},
        {"q": "which one"},
    ):
        assert client.get(POSTS, query).status_code == 200
    assert client.get(reverse("admin:learning_discussionread_changelist")).status_code == 200


def test_nothing_is_added_edited_or_deleted_in_the_admin(
    world: World, operator: User, cohort: Cohort, staff_coordinator: User
) -> None:
    thread = start(cohort, world, operator, "Annuity or flat rate?")
    post = thread.posts.get()
    client = signed_in(staff_coordinator)
    assert client.get(reverse("admin:learning_discussionthread_add")).status_code == 403
    assert client.get(reverse("admin:learning_discussionpost_add")).status_code == 403
    assert client.get(reverse("admin:learning_discussionpost_delete", args=[post.pk])).status_code == 403
    edit = client.post(
        reverse("admin:learning_discussionpost_change", args=[post.pk]), {"body": HOSTILE[0], "is_hidden": "on"}
    )
    assert edit.status_code == 403
    assert "delete_selected" not in client.get(POSTS).text
    deleted = action(client, POSTS, "delete_selected", [post], post="yes")
    assert deleted.status_code == 200
    stored = DiscussionPost.objects.get()
    assert (stored.body, stored.is_hidden) == ("Which one?", False)


def test_hiding_asks_for_a_reason_goes_through_the_service_and_is_audited_once(
    world: World, operator: User, far_operator: User, cohort: Cohort, other_cohort: Cohort, staff_coordinator: User
) -> None:
    first = start(cohort, world, operator, "Annuity or flat rate?").posts.get()
    second = start(other_cohort, world, far_operator, "Break-even in Madrid").posts.get()
    client = signed_in(staff_coordinator)

    asked = action(client, POSTS, "hide_selected", [first, second])
    assert asked.status_code == 200 and "Reason for hiding" in asked.text
    assert "Annuity or flat rate?" in asked.text
    for bad in ("", "   ", "x" * 5000, "\x00"):
        refused = action(client, POSTS, "hide_selected", [first, second], apply="1", reason=bad)
        assert refused.status_code == 200
    assert not DiscussionPost.objects.filter(is_hidden=True).exists()
    assert not AuditEvent.objects.filter(action="learning.discussion.hide").exists()

    reason = HOSTILE[0] + " off topic"
    done = action(client, POSTS, "hide_selected", [first, second], apply="1", reason=reason)
    assert "2 messages hidden." in done.text
    assert "<script>alert(1)</script>" not in done.text
    again = action(client, POSTS, "hide_selected", [first, second], apply="1", reason="again")
    assert "0 messages hidden." in again.text
    hidden = DiscussionPost.objects.filter(is_hidden=True)
    assert hidden.count() == 2
    assert {(p.hidden_reason, p.hidden_by) for p in hidden} == {(reason, staff_coordinator)}
    assert AuditEvent.objects.filter(action="learning.discussion.hide").count() == 2


def test_locking_and_unlocking_go_through_the_service_and_block_replies(
    world: World, operator: User, cohort: Cohort, staff_coordinator: User
) -> None:
    thread = start(cohort, world, operator, "Annuity or flat rate?")
    client = signed_in(staff_coordinator)
    assert "1 thread locked." in action(client, THREADS, "lock_selected", [thread]).text
    assert "0 threads locked." in action(client, THREADS, "lock_selected", [thread]).text  # doubled
    thread.refresh_from_db()
    assert thread.is_locked and thread.locked_by == staff_coordinator
    with pytest.raises(Exception, match="locked"):
        discussion_services.post_reply(thread=thread, author=operator, body="One more?", notify=False)
    assert "1 thread unlocked." in action(client, THREADS, "unlock_selected", [thread]).text
    thread.refresh_from_db()
    assert not thread.is_locked and thread.locked_by is None
    assert AuditEvent.objects.filter(action="learning.discussion.lock").count() == 1
    assert AuditEvent.objects.filter(action="learning.discussion.unlock").count() == 1


def test_only_coordinators_and_superusers_see_and_moderate_discussions_in_the_admin(
    world: World, operator: User, trainer: User, cohort: Cohort
) -> None:
    thread = start(cohort, world, operator, "Annuity or flat rate?")
    post = thread.posts.get()
    trainer.is_staff = True
    trainer.save()
    operator.is_staff = True
    operator.save()
    for user in (trainer, operator):
        client = signed_in(user)
        assert client.get(THREADS).status_code == 403
        assert client.get(POSTS).status_code == 403
        assert client.get(reverse("admin:learning_discussionpost_change", args=[post.pk])).status_code == 403
        action(client, POSTS, "hide_selected", [post], apply="1", reason="no")
        action(client, THREADS, "lock_selected", [thread])
        assert "Discussion threads" not in client.get(reverse("admin:index")).text
    assert not DiscussionPost.objects.filter(is_hidden=True).exists()
    assert not DiscussionThread.objects.filter(is_locked=True).exists()
    assert Client().get(THREADS).status_code == 302  # the admin login


def test_discussion_admin_lists_cost_a_fixed_number_of_queries(
    world: World,
    operator: User,
    cohort: Cohort,
    staff_coordinator: User,
    django_assert_max_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start(cohort, world, operator, "First thread")
    client = signed_in(staff_coordinator)
    counts = {}
    for url in (THREADS, POSTS):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    now = timezone.now()
    lessons = [world.lesson, world.scenario_lesson, world.assignment_lesson]
    for index in range(12):
        thread = DiscussionThread.objects.create(
            cohort=cohort, lesson=lessons[index % 3], author=operator, title=f"Thread {index}", last_posted_at=now
        )
        DiscussionPost.objects.create(thread=thread, author=operator, body=f"Body {index}", fingerprint=str(index))
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
