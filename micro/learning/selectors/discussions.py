"""Reads of the lesson discussions, always scoped to one cohort.

Members of a cohort (its enrolled learners and trainers) and coordinators see its discussions;
anyone else gets a 404, so an operator cannot even learn that another cohort's thread exists.
The cohort's trainers and coordinators moderate. Each read costs a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from micro.learning import permissions
from micro.learning.models import Cohort, Enrolment, Lesson
from micro.learning.models.discussions import DiscussionPost, DiscussionRead, DiscussionThread

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50


@dataclass
class DiscussionScope:
    cohort: Cohort
    can_moderate: bool
    is_member: bool


def can_moderate(user: Any, *, trainer_ids: set[int]) -> bool:
    """The cohort's trainers and coordinators (those who manage the cohort)."""
    return permissions.can_manage_cohort(user, trainer_ids=trainer_ids)


def discussion_scope_for(user: Any, cohort_id: int) -> DiscussionScope:
    """The cohort, if ``user`` may read its discussions (404 otherwise)."""
    cohort = Cohort.objects.select_related("course").filter(pk=cohort_id).first()
    if cohort is None or not getattr(user, "is_authenticated", False):
        raise Http404
    trainer_ids = set(cohort.trainers.values_list("pk", flat=True))
    enrolled = Enrolment.objects.filter(cohort=cohort, learner_id=user.pk).exists()
    learner_ids = {user.pk} if enrolled else set()
    if not permissions.can_view_cohort(user, trainer_ids=trainer_ids, learner_ids=learner_ids):
        raise Http404
    return DiscussionScope(
        cohort=cohort,
        can_moderate=can_moderate(user, trainer_ids=trainer_ids),
        is_member=enrolled or user.pk in trainer_ids,
    )


def discussion_lesson_get(scope: DiscussionScope, lesson_id: int) -> Lesson:
    """A live lesson of the cohort's course (404 for a lesson of another course)."""
    lesson = (
        Lesson.objects.filter(
            pk=lesson_id, module__course_id=scope.cohort.course_id, is_retired=False, module__is_retired=False
        )
        .select_related("module__course")
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def _read_mark(user: Any, thread_ref: str) -> Subquery:
    return Subquery(
        DiscussionRead.objects.filter(thread_id=OuterRef(thread_ref), user_id=user.pk).values("last_read_at")[:1]
    )


def _unread_filter(user: Any, prefix: str = "") -> Q:
    """Visible posts by someone else, newer than the member's read mark (or never read)."""
    return (
        Q(**{f"{prefix}is_hidden": False})
        & ~Q(**{f"{prefix}author_id": user.pk})
        & (Q(my_read__isnull=True) | Q(**{f"{prefix}created_at__gt": F("my_read")}))
    )


def thread_page_for(user: Any, scope: DiscussionScope, lesson: Lesson, page_number: Any) -> Page[DiscussionThread]:
    """The lesson's threads in the cohort, newest activity first, each with ``unread`` for ``user``."""
    threads: QuerySet[DiscussionThread] = (
        DiscussionThread.objects.filter(cohort=scope.cohort, lesson=lesson)
        .select_related("author")
        .annotate(my_read=_read_mark(user, "pk"))
        .annotate(unread=Count("posts", filter=_unread_filter(user, "posts__")))
        .order_by("-last_posted_at", "-pk")
    )
    return Paginator(threads, THREADS_PER_PAGE).get_page(page_number)


def thread_get_for(user: Any, cohort_id: int, thread_id: int) -> tuple[DiscussionScope, DiscussionThread]:
    scope = discussion_scope_for(user, cohort_id)
    thread = (
        DiscussionThread.objects.filter(pk=thread_id, cohort=scope.cohort)
        .select_related("lesson__module__course", "author", "locked_by")
        .first()
    )
    if thread is None:
        raise Http404
    return scope, thread


def post_page_for(thread: DiscussionThread, page_number: Any) -> Page[DiscussionPost]:
    posts = (
        DiscussionPost.objects.filter(thread=thread).select_related("author", "hidden_by").order_by("created_at", "pk")
    )
    return Paginator(posts, POSTS_PER_PAGE).get_page(page_number)


def post_get_for_moderator(user: Any, cohort_id: int, post_id: int) -> tuple[DiscussionScope, DiscussionPost]:
    """A post of the cohort, for its moderators only (404 for everyone else)."""
    scope = discussion_scope_for(user, cohort_id)
    if not scope.can_moderate:
        raise Http404
    post = DiscussionPost.objects.filter(pk=post_id, thread__cohort=scope.cohort).select_related("thread").first()
    if post is None:
        raise Http404
    return scope, post


@dataclass
class CohortDiscussion:
    cohort: Cohort
    threads: int
    unread: int


def lesson_discussions_for(user: Any, lesson: Lesson) -> list[CohortDiscussion]:
    """For the lesson page: the cohorts of this course that ``user`` belongs to (as learner or
    trainer), each with its number of threads on the lesson and of messages ``user`` has not read.
    Three queries at most (two when the lesson has no thread yet), whatever the number of learners, threads or posts."""
    if not getattr(user, "is_authenticated", False):
        return []
    # The reader's cohorts are read once per request (the navigation needs them too).
    cohorts = [c for c in permissions.cohort_memberships(user) if c.course_id == lesson.module.course_id]
    if not cohorts:
        return []
    ids = [cohort.pk for cohort in cohorts]
    # Counted in Python: a lesson has a handful of threads per cohort, and the grouped query
    # cost more to build than these rows cost to read.
    threads = Counter(
        DiscussionThread.objects.filter(cohort_id__in=ids, lesson_id=lesson.pk).values_list("cohort_id", flat=True)
    )
    if not threads:  # no thread on this lesson yet: nothing to be unread
        return [CohortDiscussion(cohort=c, threads=0, unread=0) for c in cohorts]
    unread = dict(
        DiscussionPost.objects.filter(thread__cohort_id__in=ids, thread__lesson=lesson)
        .annotate(my_read=_read_mark(user, "thread_id"))
        .filter(_unread_filter(user))
        .values("thread__cohort_id")
        .annotate(n=Count("pk"))
        .values_list("thread__cohort_id", "n")
    )
    return [CohortDiscussion(cohort=c, threads=threads.get(c.pk, 0), unread=unread.get(c.pk, 0)) for c in cohorts]
