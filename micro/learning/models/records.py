"""Learners' records: progress, quiz attempts and answers, scenario runs, submissions and reviews."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from micro.core.models import TimeStampedModel
from micro.learning.models.activities import Activity, Question, RubricCriterion, RubricLevel, ScenarioNode
from micro.learning.models.courses import Lesson
from micro.learning.models.framework import Competence


class LessonProgress(models.Model):
    """A learner and a lesson: when they read it, and when the lesson was complete (read and every
    activity completed). Prerequisites ask for ``completed_at``."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress")
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson"], name="learning_lesson_progress_unique")]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.lesson_id}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    TIMED_OUT = "timed_out", _("Closed at the time limit")


class Attempt(TimeStampedModel):
    """One try at a quiz. The questions are drawn once, with ``seed``, and kept in ``question_ids``."""

    activity = models.ForeignKey(Activity, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="attempts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    seed = models.BigIntegerField(_("draw seed"))
    question_ids = models.JSONField(_("questions drawn"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=Decimal(0))
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, default=Decimal(0))
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, default=Decimal(0))
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        ordering = ["activity", "learner", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["activity", "learner", "number"], name="learning_attempt_unique_number"),
            models.UniqueConstraint(
                fields=["activity", "learner"],
                condition=Q(status="in_progress"),
                name="learning_attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.learner_id} on {self.activity_id}"


class AnswerStatus(models.TextChoices):
    CORRECT = "correct", _("Correct")
    PARTIAL = "partial", _("Partly correct")
    INCORRECT = "incorrect", _("Not correct")
    UNANSWERED = "unanswered", _("Not answered")
    INVALID = "invalid", _("Could not be read")


class Answer(models.Model):
    """The learner's answer to one question of an attempt, as typed (``response``) and as scored."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(_("response"), default=None, null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("result"), max_length=12, choices=AnswerStatus.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(0))
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2, default=Decimal(0))
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="learning_answer_unique")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class ScenarioRun(TimeStampedModel):
    """One play of a scenario: the path taken (``path``: node, choice, points) and the scores."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="scenario_runs"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("run number"))
    current_node = models.ForeignKey(
        ScenarioNode, verbose_name=_("current node"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.JSONField(_("path taken"), default=list, blank=True)
    scores = models.JSONField(_("scores per competence"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["activity", "learner", "number"]
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")
        constraints = [
            models.UniqueConstraint(fields=["activity", "learner", "number"], name="learning_run_unique_number"),
            models.UniqueConstraint(
                fields=["activity", "learner"], condition=Q(finished_at__isnull=True), name="learning_run_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.number} of {self.learner_id} on {self.activity_id}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for resubmission")
    PASSED = "passed", _("Accepted")


class Submission(TimeStampedModel):
    """One version of a learner's work for an assignment (resubmissions get the next ``number``)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="submissions"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="learning/submissions/%Y/%m/", max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    file_type = models.CharField(_("file type"), max_length=8, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )

    class Meta:
        ordering = ["activity", "learner", "number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["activity", "learner", "number"], name="learning_submission_unique_number"),
            models.UniqueConstraint(
                fields=["activity", "learner"], condition=Q(status="submitted"), name="learning_submission_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.number} of {self.learner_id} on {self.activity_id}"


class ReviewDecision(models.TextChoices):
    PASSED = "passed", _("Accept")
    RETURNED = "returned", _("Return for resubmission")


class Review(TimeStampedModel):
    """A trainer's review of one submission against the assignment's rubric."""

    submission = models.OneToOneField(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    comments = models.TextField(_("comments"), blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=Decimal(0))
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, default=Decimal(0))
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"review of {self.submission_id}"


class ReviewScore(models.Model):
    """The level chosen for one criterion, with an optional comment."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(RubricLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(0))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="learning_review_score_unique")]

    def __str__(self) -> str:
        return f"{self.review_id}:{self.criterion_id}"


class ActivityProgress(models.Model):
    """A learner's summary for one activity, kept up to date by the services (pages read only this)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="progress"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    best_percent = models.DecimalField(_("best score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [models.UniqueConstraint(fields=["activity", "learner"], name="learning_progress_unique")]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.activity_id}"


class CompetenceScore(models.Model):
    """Points a learner earned on one competence in one activity (the counting result of that activity)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="scores"
    )
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=Decimal(0))
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, default=Decimal(0))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("competence score")
        verbose_name_plural = _("competence scores")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "competence", "activity"], name="learning_competence_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.competence_id}:{self.activity_id}"
