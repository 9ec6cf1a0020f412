"""Quizzes, scenario runs and assignments: the learner's own records and the reviewers' scope."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from micro.accounts.models import Membership
from micro.accounts.permissions import is_coordinator
from micro.core import content_cache
from micro.learning import permissions
from micro.learning.models import (
    Activity,
    ActivityProgress,
    Attempt,
    Question,
    QuizPart,
    RubricCriterion,
    RubricLevel,
    ScenarioChoice,
    ScenarioNode,
    ScenarioRun,
    Submission,
    SubmissionStatus,
)
from micro.learning.selectors.courses import course_queryset_for

# --- activities ------------------------------------------------------------------------------


def activity_get_for_learner(user: Any, activity_id: int, kind: str | None = None) -> Activity:
    queryset = Activity.objects.filter(
        pk=activity_id,
        is_retired=False,
        lesson__is_retired=False,
        lesson__module__is_retired=False,
        lesson__module__course__in=course_queryset_for(user),
    ).select_related("lesson__module__course")
    if kind:
        queryset = queryset.filter(kind=kind)
    activity = queryset.first()
    if activity is None:
        raise Http404
    return activity


def activity_get_for_author(user: Any, activity_id: int) -> Activity:
    if not permissions.can_author(user):
        raise Http404
    activity = Activity.objects.filter(pk=activity_id).select_related("lesson__module__course").first()
    if activity is None:
        raise Http404
    return activity


def activity_progress_for(learner: Any, activity: Activity) -> ActivityProgress | None:
    return ActivityProgress.objects.filter(learner=learner, activity=activity).first()


def question_pools(activity: Activity) -> list[tuple[list[int], int]]:
    """(question ids, how many to draw) for each part of a quiz, retired questions left out."""
    parts = list(QuizPart.objects.filter(activity=activity).order_by("order", "pk"))
    ids_by_bank: dict[int, list[int]] = defaultdict(list)
    for bank_id, question_id in Question.objects.filter(
        bank_id__in=[part.bank_id for part in parts], is_retired=False
    ).values_list("bank_id", "pk"):
        ids_by_bank[bank_id].append(question_id)
    return [(ids_by_bank[part.bank_id], part.draw_count) for part in parts]


def questions_by_id(ids: list[int]) -> list[Question]:
    """Questions (with their choices and competences) in the order of ``ids``.

    Each question is kept in the worker's content cache (micro.core.content_cache): every attempt
    page, submission and result page reads the same questions, which change only with an edit or
    an import. Callers treat them as read-only.
    """
    found = content_cache.cached_many("learning.question", ids, _questions_from_database)
    return [found[qid] for qid in ids if qid in found]


def _questions_from_database(ids: list[int]) -> dict[int, Question]:
    return {
        question.pk: question
        for question in Question.objects.filter(pk__in=ids).prefetch_related("choices", "competences")
    }


def attempts_for(learner: Any, activity: Activity) -> list[Attempt]:
    return list(Attempt.objects.filter(learner=learner, activity=activity).order_by("number"))


def attempt_open_for(learner: Any, activity: Activity) -> Attempt | None:
    return Attempt.objects.filter(learner=learner, activity=activity, status="in_progress").first()


def attempt_get_for_learner(user: Any, attempt_id: int) -> Attempt:
    """The user's own attempt; any other id - someone else's or none - is a 404."""
    attempt = (
        Attempt.objects.filter(pk=attempt_id, learner_id=getattr(user, "pk", None))
        .select_related("activity__lesson__module__course", "learner")
        .first()
    )
    if attempt is None or not permissions.can_answer_attempt(user, attempt):
        raise Http404
    return attempt


def attempt_get_viewable(user: Any, attempt_id: int) -> Attempt:
    """An attempt the user may read: their own, or a learner's they may review."""
    attempt = (
        Attempt.objects.filter(pk=attempt_id).select_related("activity__lesson__module__course", "learner").first()
    )
    if attempt is None or not permissions.can_view_attempt(user, attempt):
        raise Http404
    return attempt


def answers_by_question(attempt: Attempt) -> dict[int, Any]:
    return {answer.question_id: answer for answer in attempt.answers.all()}


# --- scenarios -------------------------------------------------------------------------------


def scenario_nodes(activity: Activity) -> dict[str, ScenarioNode]:
    """Every node of a scenario by key, with its choices (and their next nodes) prefetched."""
    nodes = ScenarioNode.objects.filter(activity=activity).prefetch_related(
        Prefetch("choices", queryset=ScenarioChoice.objects.select_related("next_node").order_by("order", "key"))
    )
    return {node.key: node for node in nodes}


def scenario_start_node(activity: Activity) -> ScenarioNode | None:
    nodes = ScenarioNode.objects.filter(activity=activity)
    return nodes.filter(is_start=True).first() or nodes.order_by("order", "key").first()


def scenario_run_open_for(learner: Any, activity: Activity) -> ScenarioRun | None:
    return (
        ScenarioRun.objects.filter(learner=learner, activity=activity, finished_at__isnull=True)
        .select_related("current_node")
        .first()
    )


def scenario_runs_for(learner: Any, activity: Activity) -> list[ScenarioRun]:
    return list(ScenarioRun.objects.filter(learner=learner, activity=activity).order_by("number"))


def scenario_run_get_viewable(user: Any, run_id: int) -> ScenarioRun:
    run = ScenarioRun.objects.filter(pk=run_id).select_related("activity__lesson__module__course", "learner").first()
    if run is None or not permissions.can_view_learner_record(user, run.learner):
        raise Http404
    return run


# --- assignments -----------------------------------------------------------------------------


def rubric_for(activity: Activity) -> list[RubricCriterion]:
    return list(
        RubricCriterion.objects.filter(activity=activity)
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "key")), "competences")
        .order_by("order", "key")
    )


def submissions_for(learner: Any, activity: Activity) -> list[Submission]:
    return list(
        Submission.objects.filter(learner=learner, activity=activity)
        .select_related("review__reviewer")
        .prefetch_related("review__scores__criterion", "review__scores__level")
        .order_by("-number")
    )


def _reviewable_learner_filter(user: Any) -> Q | None:
    """A filter on ``learner`` for the learners ``user`` may review; None = nobody."""
    if is_coordinator(user):
        return Q()
    organisations = permissions.trainer_organisation_ids(user)
    in_cohorts = permissions.cohort_learner_ids(user)
    if not organisations and not in_cohorts:
        return None
    learners = Membership.objects.filter(organisation_id__in=organisations, is_active=True).values("user_id")
    return Q(learner_id__in=learners) | Q(learner_id__in=in_cohorts)


def submission_list_for_reviewer(user: Any, *, waiting_only: bool = True) -> QuerySet[Submission]:
    scope = _reviewable_learner_filter(user)
    if scope is None:
        return Submission.objects.none()
    submissions = (
        Submission.objects.filter(scope)
        .exclude(learner_id=user.pk)
        .select_related("learner", "activity__lesson__module__course")
        .order_by("created_at", "pk")
    )
    if waiting_only:
        submissions = submissions.filter(status=SubmissionStatus.SUBMITTED)
    return submissions


def submission_get_for_reviewer(user: Any, submission_id: int) -> Submission:
    submission = submission_list_for_reviewer(user, waiting_only=False).filter(pk=submission_id).first()
    if submission is None or not permissions.can_review_submission(user, submission):
        raise Http404
    return submission


def submission_get_viewable(user: Any, submission_id: int) -> Submission:
    submission = Submission.objects.filter(pk=submission_id).select_related("learner", "activity").first()
    if submission is None or not permissions.can_view_submission(user, submission):
        raise Http404
    return submission
