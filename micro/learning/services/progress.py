"""Writes of learners' progress: lessons read and completed, activity summaries, competence scores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from micro.learning.models import (
    Activity,
    ActivityProgress,
    Competence,
    CompetenceScore,
    Lesson,
    LessonProgress,
)
from micro.learning.scoring import Tally
from micro.learning.services.xapi import xapi_lesson_completed, xapi_lesson_read


def _lesson_refresh(*, lesson: Lesson, learner: Any, now: datetime) -> LessonProgress | None:
    """Mark the lesson complete once it is read and every live activity of it is completed."""
    progress = LessonProgress.objects.select_for_update().filter(learner=learner, lesson=lesson).first()
    if progress is None or progress.read_at is None or progress.completed_at is not None:
        return progress
    activity_ids = set(lesson.activities.filter(is_retired=False).values_list("pk", flat=True))
    done = set(
        ActivityProgress.objects.filter(
            learner=learner, activity_id__in=activity_ids, completed_at__isnull=False
        ).values_list("activity_id", flat=True)
    )
    if activity_ids <= done:
        progress.completed_at = now
        progress.full_clean()
        progress.save(update_fields=["completed_at"])
        xapi_lesson_completed(progress=progress, lesson=lesson)
    return progress


@transaction.atomic
def lesson_mark_read(*, lesson: Lesson, learner: Any, now: datetime | None = None) -> LessonProgress:
    """The learner has read the lesson. Doing it twice changes nothing."""
    now = now or timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(learner=learner, lesson=lesson)
    if progress.read_at is None:
        progress.read_at = now
        progress.full_clean()
        progress.save(update_fields=["read_at"])
        xapi_lesson_read(progress=progress, lesson=lesson)
    return _lesson_refresh(lesson=lesson, learner=learner, now=now) or progress


def activity_progress_lock(*, activity: Activity, learner: Any) -> ActivityProgress:
    """The learner's summary row for ``activity``, locked: serialises starts and submissions."""
    ActivityProgress.objects.get_or_create(activity=activity, learner=learner)
    return ActivityProgress.objects.select_for_update().get(activity=activity, learner=learner)


def activity_result_record(
    *,
    activity: Activity,
    learner: Any,
    result_percent: Decimal,
    completed: bool,
    tally: Tally | None,
    counts_as_try: bool = True,
    replace_scores: str = "best",
    now: datetime | None = None,
) -> ActivityProgress:
    """Record one finished try: best score, completion, and the competence scores that count.

    ``replace_scores`` = ``"best"`` keeps the competence scores of the best try (quizzes,
    scenarios); ``"latest"`` always takes the newest (assignment reviews: the trainer's latest
    judgement stands).
    """
    now = now or timezone.now()
    progress = activity_progress_lock(activity=activity, learner=learner)
    previous_best = progress.best_percent
    if counts_as_try:
        progress.tries += 1
    is_best = previous_best is None or result_percent >= previous_best
    if previous_best is None or result_percent > previous_best:
        progress.best_percent = result_percent
    if completed and progress.completed_at is None:
        progress.completed_at = now
    progress.full_clean()
    progress.save()
    if tally is not None and (replace_scores == "latest" or is_best):
        competence_scores_replace(activity=activity, learner=learner, tally=tally)
    if progress.completed_at is not None:
        _lesson_refresh(lesson=activity.lesson, learner=learner, now=now)
    return progress


def competence_scores_replace(*, activity: Activity, learner: Any, tally: Tally) -> None:
    """The competence scores of ``activity`` for ``learner`` become those of ``tally``."""
    competences = {c.code: c for c in Competence.objects.filter(code__in=list(tally.max_points))}
    CompetenceScore.objects.filter(learner=learner, activity=activity).delete()
    rows = []
    for code, maximum in tally.max_points.items():
        competence = competences.get(code)
        if competence is None or maximum <= 0:
            continue
        row = CompetenceScore(
            learner=learner,
            competence=competence,
            activity=activity,
            points=tally.points.get(code, Decimal(0)),
            max_points=maximum,
        )
        row.full_clean(validate_constraints=False)
        rows.append(row)
    CompetenceScore.objects.bulk_create(rows)
