"""Cohorts: a course run for a group of learners from several organisations, with trainers, a
schedule of online modules and live sessions, and the attendance trainers take at live sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from micro.core.models import TimeStampedModel
from micro.learning.models.activities import Activity
from micro.learning.models.courses import Course, Module
from micro.learning.models.framework import Competence


class Cohort(TimeStampedModel):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="trained_cohorts"
    )
    pre_test = models.ForeignKey(
        Activity,
        verbose_name=_("pre-test"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "quiz"},
    )
    post_test = models.ForeignKey(
        Activity,
        verbose_name=_("post-test"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "quiz"},
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="learning_cohort_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A learner in a cohort, with the organisation they come from."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrolments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "learner__email"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["cohort", "learner"], name="learning_enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.learner_id}"


class SessionKind(models.TextChoices):
    ONLINE = "online", _("Online module")
    LIVE = "live", _("Live session")


class CohortSession(models.Model):
    """One step of a cohort's schedule: an online module to work through, or a live session
    (at a place or behind a link) where the trainer takes attendance."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=8, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=160, blank=True)
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["cohort", "starts_at", "pk"]
        verbose_name = _("cohort session")
        verbose_name_plural = _("cohort sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="live") | Q(module__isnull=False), name="learning_session_online_has_module"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="learning_session_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.kind}:{self.starts_at:%Y-%m-%d}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(
        CohortSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "learner"], name="learning_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.learner_id}:{self.status}"


class Phase(models.TextChoices):
    BEFORE = "before", _("Before the course")
    AFTER = "after", _("After the course")


class SelfAssessment(models.Model):
    """A learner's own rating (1-5) of one competence, before or after the cohort."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    competence = models.ForeignKey(Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner", "phase", "competence"], name="learning_self_assessment_unique"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="learning_self_assessment_range"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.learner_id}:{self.phase}:{self.competence_id}={self.level}"


SURVEY_ITEMS = ("clear", "useful", "pace", "materials", "trainers")


class SurveyResponse(models.Model):
    """The end-of-course satisfaction survey: five Likert items (1-5) and a comment; one per learner."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="survey")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [models.UniqueConstraint(fields=["cohort", "learner"], name="learning_survey_once")]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.learner_id}"
