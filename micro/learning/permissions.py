"""Who may do what in the e-learning platform. Pure functions of (user, object).

* Every signed-in person with an active staff role (coordinator, partner admin, trainer,
  operator) is a learner and sees the published courses.
* Authors (admin users, coordinators) also see unpublished courses and preview them as a learner.
* A learner's records (answers, runs, submissions) are seen by the learner, by trainers of an
  organisation the learner belongs to, by the trainers of a cohort the learner is enrolled in (the
  pilot cohort mixes operators of four organisations) and by coordinators. Reviewing is for those
  trainers and coordinators, never for the learner themself.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from micro.accounts.models import Role
from micro.accounts.permissions import active_roles, has_staff_role, is_coordinator
from micro.core import revisions
from micro.core.rawsql import select_instances


def is_learner(user: Any) -> bool:
    return has_staff_role(user)


def can_author(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff) or is_coordinator(user)


def can_view_course(user: Any, course: Any) -> bool:
    if not is_learner(user) and not can_author(user):
        return False
    return bool(course.is_published) or can_author(user)


def trainer_organisation_ids(user: Any) -> set[int]:
    """Organisations in which ``user`` is an active trainer."""
    return {org_id for org_id, role in active_roles(user).items() if role == Role.TRAINER}


def cohort_learner_ids(user: Any) -> set[int]:
    """The learners enrolled in the cohorts ``user`` trains.

    The one rule here that needs the database; read once per request and kept on the user object.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_micro_cohort_learner_ids", None)
    if cached is None:
        from micro.learning.models import Enrolment

        cached = set(Enrolment.objects.filter(cohort__trainers=user).values_list("learner_id", flat=True))
        user._micro_cohort_learner_ids = cached
    return cached


def can_review_learner(user: Any, learner: Any) -> bool:
    """Coordinators, trainers who share an organisation with ``learner`` and the trainers of a cohort
    ``learner`` is enrolled in; never oneself."""
    if learner is None or not getattr(user, "is_authenticated", False) or user.pk == learner.pk:
        return False
    if is_coordinator(user):
        return True
    trainer_in = trainer_organisation_ids(user)
    if trainer_in and trainer_in & set(active_roles(learner)):
        return True
    return learner.pk in cohort_learner_ids(user)


def can_view_learner_record(user: Any, learner: Any) -> bool:
    """The learner themself, or someone who may review them."""
    if getattr(user, "is_authenticated", False) and learner is not None and user.pk == learner.pk:
        return is_learner(user)
    return can_review_learner(user, learner)


def can_view_attempt(user: Any, attempt: Any) -> bool:
    return can_view_learner_record(user, attempt.learner)


def can_answer_attempt(user: Any, attempt: Any) -> bool:
    """Only the learner writes into their own attempt."""
    return getattr(user, "is_authenticated", False) and attempt.learner_id == user.pk and is_learner(user)


def can_view_submission(user: Any, submission: Any) -> bool:
    return can_view_learner_record(user, submission.learner)


def can_review_submission(user: Any, submission: Any) -> bool:
    return can_review_learner(user, submission.learner)


# Who learns or trains in which cohort changes a few times a year and is read by every e-learning
# page (the navigation, the lesson's discussions), so each user's list is kept in Django's cache,
# tagged with the "cohorts" revision (micro.core.revisions). Any save or delete of a cohort or an
# enrolment and any change of a cohort's trainers writes a new revision (cohorts_changed, connected
# in apps.py): this worker sees it at once, the others within a second. COHORTS_CACHE_SECONDS bounds
# what a write that bypasses the signals (QuerySet.update(), raw SQL) can leave behind. The list only
# decides which links a page shows: every view behind those links checks access on its own.
COHORTS_CACHE_SECONDS = 300


def cohorts_cache_key(user_pk: object) -> str:
    return f"learning:cohorts:{user_pk}"


def cohort_memberships(user: Any) -> list[Any]:
    """The cohorts ``user`` learns or trains in (newest first), each annotated with ``is_trainer``
    and ``has_learners``; from the cache while the "cohorts" revision holds, else one query; kept on
    the user object for the rest of the request.

    The query is written in SQL because through the ORM (two ``Exists`` and two subqueries) it took
    longer to build in Python than to run, and read with a plain cursor (micro.core.rawsql), which
    costs half as much in Python as ``Model.objects.raw``.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_micro_cohorts", None)
    if cached is None and revisions.pending(revisions.COHORTS):
        cached = _read_cohort_memberships(user)  # a change of this transaction: not for the cache
    elif cached is None:
        revision = revisions.current(revisions.COHORTS)
        stored = cache.get(cohorts_cache_key(user.pk))
        if stored is not None and stored[0] == revision:
            cached = stored[1]
        else:
            cached = _read_cohort_memberships(user)
            cache.set(cohorts_cache_key(user.pk), (revision, cached), COHORTS_CACHE_SECONDS)
        user._micro_cohorts = cached
    return cached


def _read_cohort_memberships(user: Any) -> list[Any]:
    from micro.learning.models import Cohort, Enrolment

    # Table names from the models; the user's id goes in as a parameter.
    trainers = Cohort.trainers.through._meta.db_table
    enrolments = Enrolment._meta.db_table
    cohorts = select_instances(
        Cohort,
        alias="c",
        extra=[
            ("is_trainer", f"EXISTS (SELECT 1 FROM {trainers} t WHERE t.cohort_id = c.id AND t.user_id = %s)"),  # noqa: S608
            ("has_learners", f"EXISTS (SELECT 1 FROM {enrolments} e WHERE e.cohort_id = c.id)"),  # noqa: S608
        ],
        where=(
            f"c.id IN (SELECT cohort_id FROM {enrolments} WHERE learner_id = %s)"  # noqa: S608
            f" OR c.id IN (SELECT cohort_id FROM {trainers} WHERE user_id = %s)"
        ),
        params=[user.pk, user.pk, user.pk],
        order_by="c.starts_on DESC, c.name",
    )
    for cohort in cohorts:  # SQLite answers EXISTS with 0 or 1
        cohort.is_trainer, cohort.has_learners = bool(cohort.is_trainer), bool(cohort.has_learners)
    return cohorts


def cohorts_changed(sender: Any, **kwargs: Any) -> None:
    """post_save, post_delete and m2m_changed receiver for cohorts, enrolments and trainers."""
    # m2m_changed also sends pre_add, pre_remove and pre_clear: the change is not made yet.
    if str(kwargs.get("action", "post_")).startswith("post_"):
        revisions.bump(revisions.COHORTS)


def can_review_anyone(user: Any) -> bool:
    """Shows the review queue in the navigation."""
    if is_coordinator(user) or trainer_organisation_ids(user):
        return True
    return any(cohort.is_trainer and cohort.has_learners for cohort in cohort_memberships(user))


# --- cohorts -----------------------------------------------------------------------------------
# ``trainer_ids`` and ``learner_ids`` are the cohort's trainers and enrolled learners, read once by
# the selector, so these stay pure and cost no query.


def can_view_cohort(user: Any, *, trainer_ids: set[int], learner_ids: set[int]) -> bool:
    """Coordinators, the cohort's trainers and its enrolled learners."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.pk in trainer_ids or user.pk in learner_ids or is_coordinator(user)


def can_manage_cohort(user: Any, *, trainer_ids: set[int]) -> bool:
    """Take attendance and see every learner of the cohort: its trainers and coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.pk in trainer_ids or is_coordinator(user)
