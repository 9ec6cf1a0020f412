"""Quiz attempts: start (seeded draw), save answers, submit once, close at the time limit.

Rules:

* one open attempt per learner and quiz; starting again while one is open resumes it;
* ``max_attempts`` counts every attempt, open or finished;
* lesson prerequisites must be complete before the first start;
* the deadline is kept on the server (``deadline``); answers that arrive more than
  :data:`SUBMIT_GRACE` after it are not taken, and the attempt is closed with what was saved;
* submitting an attempt that is already finished returns it unchanged (a doubled click or a
  resent form is applied once).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.learning import grading, selectors
from micro.learning.computed import ComputeError, compute_answer
from micro.learning.models import (
    Activity,
    ActivityKind,
    Answer,
    Attempt,
    AttemptStatus,
    Question,
    QuestionKind,
)
from micro.learning.scoring import Tally, draw_questions, passed, percent
from micro.learning.services.progress import activity_progress_lock, activity_result_record
from micro.learning.services.xapi import xapi_attempt_finished

SUBMIT_GRACE = timedelta(seconds=30)
"""Network and reading slack after the deadline: a form sent at the last second still counts."""


def _deadline_passed(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + SUBMIT_GRACE


@transaction.atomic
def attempt_start(*, activity: Activity, learner: Any, now: datetime | None = None) -> Attempt:
    """The learner's open attempt at ``activity``, or a new one with its questions drawn."""
    now = now or timezone.now()
    if activity.kind != ActivityKind.QUIZ:
        raise ValidationError(_("This activity is not a quiz."))
    activity_progress_lock(activity=activity, learner=learner)
    open_attempt = selectors.attempt_open_for(learner, activity)
    if open_attempt is not None:
        if not _deadline_passed(open_attempt, now):
            return open_attempt
        _finish(open_attempt, status=AttemptStatus.TIMED_OUT, now=now)
    missing = selectors.lesson_prerequisites_missing(learner, activity.lesson)
    if missing:
        raise ValidationError(_("Complete the lessons this one builds on first."))
    used = Attempt.objects.filter(activity=activity, learner=learner).count()
    if activity.max_attempts is not None and used >= activity.max_attempts:
        raise ValidationError(
            ngettext(
                "You have used the %(count)d attempt this quiz allows.",
                "You have used all %(count)d attempts this quiz allows.",
                activity.max_attempts,
            )
            % {"count": activity.max_attempts}
        )
    seed = secrets.randbits(48)
    question_ids = draw_questions(selectors.question_pools(activity), seed)
    if not question_ids:
        raise ValidationError(_("This quiz has no questions yet."))
    deadline = now + timedelta(minutes=activity.time_limit_minutes) if activity.time_limit_minutes else None
    attempt = Attempt(
        activity=activity,
        learner=learner,
        number=used + 1,
        seed=seed,
        question_ids=question_ids,
        deadline=deadline,
    )
    attempt.full_clean()
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # Another request started one at the same moment: resume that one.
        existing = selectors.attempt_open_for(learner, activity)
        if existing is None:
            raise
        return existing
    return attempt


def _with_responses(
    attempt: Attempt, responses: dict[int, Any], language: str
) -> tuple[dict[int, Answer], list[Answer]]:
    """The attempt's answers by question with ``responses`` written in (not saved yet), and the
    answers that changed. Responses to questions outside the attempt are ignored."""
    allowed = set(attempt.question_ids)
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    changed = []
    for question_id, response in responses.items():
        if question_id not in allowed:
            continue
        answer = answers.get(question_id) or Answer(attempt=attempt, question_id=question_id)
        answer.response = response
        answer.language = (language or "en")[:10]
        answers[question_id] = answer
        changed.append(answer)
    return answers, changed


def _store_responses(attempt: Attempt, responses: dict[int, Any], language: str) -> None:
    for answer in _with_responses(attempt, responses, language)[1]:
        answer.full_clean(validate_constraints=False, exclude=["question", "attempt"])
        answer.save()


def _finish(attempt: Attempt, *, status: str, now: datetime, answers: dict[int, Answer] | None = None) -> Attempt:
    """Grade every question of the attempt and record the result (the attempt row is locked).

    ``answers``: the attempt's answers with the submitted responses already written in, so that
    each answer is validated and saved once, with its response and its grade together.
    """
    questions = selectors.questions_by_id(list(attempt.question_ids))
    if answers is None:
        answers = {answer.question_id: answer for answer in attempt.answers.all()}
    tally = Tally()
    total = Decimal(0)
    maximum = Decimal(0)
    for question in questions:
        answer = answers.get(question.pk) or Answer(attempt=attempt, question=question, response=None)
        score = grading.grade(question, answer.response, answer.language)
        answer.status = score.status
        answer.points = score.points
        answer.max_points = score.max_points
        answer.full_clean(validate_constraints=False, exclude=["question", "attempt"])
        answer.save()
        total += score.points
        maximum += score.max_points
        for competence in question.competences.all():
            tally.add(competence.code, score.points, score.max_points)
    attempt.points = total
    attempt.max_points = maximum
    attempt.percent = percent(total, maximum)
    attempt.passed = passed(attempt.percent, attempt.activity.pass_percent)
    attempt.status = status
    attempt.finished_at = now
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    activity_result_record(
        activity=attempt.activity,
        learner=attempt.learner,
        result_percent=attempt.percent,
        completed=attempt.passed,
        tally=tally,
        now=now,
    )
    xapi_attempt_finished(attempt=attempt)
    return attempt


def _locked(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",)).select_related("activity__lesson", "learner").get(pk=attempt.pk)
    )


@transaction.atomic
def attempt_answers_save(
    *, attempt: Attempt, responses: dict[int, Any], language: str, now: datetime | None = None
) -> Attempt:
    """Keep the learner's answers so far.

    Nothing is saved once the attempt is finished, or when its time is over (the attempt is then
    closed with the answers saved before): the returned attempt's status tells the caller.
    """
    now = now or timezone.now()
    locked = _locked(attempt)
    if locked.status != AttemptStatus.IN_PROGRESS:
        return locked
    if _deadline_passed(locked, now):
        return _finish(locked, status=AttemptStatus.TIMED_OUT, now=now)
    _store_responses(locked, responses, language)
    return locked


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, responses: dict[int, Any] | None, language: str, now: datetime | None = None
) -> tuple[Attempt, bool]:
    """Submit the attempt once. Returns the attempt and whether this call finished it.

    A second submission (double click, resent form, back button) finds the attempt finished
    and returns it unchanged. After the deadline the submitted answers are not taken.
    """
    now = now or timezone.now()
    locked = _locked(attempt)
    if locked.status != AttemptStatus.IN_PROGRESS:
        return locked, False
    if _deadline_passed(locked, now):
        return _finish(locked, status=AttemptStatus.TIMED_OUT, now=now), True
    answers = _with_responses(locked, responses, language)[0] if responses else None
    return _finish(locked, status=AttemptStatus.SUBMITTED, now=now, answers=answers), True


@transaction.atomic
def attempt_close_if_expired(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close an open attempt whose time is over (called when the learner comes back to it)."""
    now = now or timezone.now()
    if attempt.status != AttemptStatus.IN_PROGRESS or not _deadline_passed(attempt, now):
        return attempt
    locked = _locked(attempt)
    if locked.status != AttemptStatus.IN_PROGRESS:
        return locked
    return _finish(locked, status=AttemptStatus.TIMED_OUT, now=now)


def question_answer_compute(*, question: Question) -> Question:
    """Set a numeric question's answer from its finance-core calculation (and save it)."""
    if question.kind != QuestionKind.NUMERIC or not question.numeric_compute:
        return question
    try:
        question.numeric_answer = compute_answer(question.numeric_compute)
    except ComputeError as error:
        raise ValidationError({"numeric_compute": str(error)}) from None
    question.full_clean()
    question.save()
    return question
