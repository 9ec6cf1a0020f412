"""Question banks and questions, and the activities: quizzes, scenarios, assignments with rubrics."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from micro.core.content_i18n import TranslatableContent
from micro.core.models import TimeStampedModel
from micro.learning.models.courses import Course, Lesson
from micro.learning.models.framework import Competence


class QuestionBank(TranslatableContent):
    """A pool of questions of one course; quizzes draw from it. Texts: ``title``."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="question_banks"
    )
    slug = models.SlugField(_("slug"), max_length=80)

    class Meta:
        ordering = ["course", "slug"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="learning_bank_unique_slug")]

    def __str__(self) -> str:
        return f"{self.course.slug}/{self.slug}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    NUMERIC = "numeric", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    ORDERING = "ordering", _("Put in order")
    MATCHING = "matching", _("Matching")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE})


class MultipleScoring(models.TextChoices):
    PARTIAL = "partial", _("Partial credit: right choices minus wrong choices")
    ALL_OR_NOTHING = "all", _("All or nothing")


class ToleranceMode(models.TextChoices):
    ABSOLUTE = "absolute", _("Plus or minus this amount")
    PERCENT = "percent", _("Plus or minus this percentage of the answer")


class Question(TimeStampedModel, TranslatableContent):
    """One question of a bank.

    Texts: ``prompt`` (Markdown), ``explanation`` (shown with the results), ``feedback_correct``,
    ``feedback_incorrect``, ``accepted`` (short text: list of accepted answers), ``unit_label``.

    Numeric questions keep their answer in ``numeric_answer``; when ``numeric_compute`` names a
    calculation of ``micro.finance`` the answer is always recomputed from it, never typed.
    """

    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="questions"
    )
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    multiple_scoring = models.CharField(
        _("multiple choice scoring"), max_length=8, choices=MultipleScoring.choices, default=MultipleScoring.PARTIAL
    )
    numeric_answer = models.DecimalField(_("numeric answer"), max_digits=20, decimal_places=6, null=True, blank=True)
    numeric_tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=6, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    tolerance_mode = models.CharField(
        _("tolerance mode"), max_length=8, choices=ToleranceMode.choices, default=ToleranceMode.ABSOLUTE
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("For example EUR, %, months."))
    numeric_compute = models.JSONField(
        _("computed by the finance core"),
        default=dict,
        blank=True,
        help_text=_('For example {"function": "annuity_installment", "args": {"principal": "10000", …}}.'),
    )
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["bank", "order", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="learning_question_unique_key"),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False), name="learning_numeric_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank.slug}/{self.key}"


class Choice(TranslatableContent):
    """An option of a choice question, an item to order, or a pair to match.

    Texts: ``text``, ``match`` (matching: the right-hand side that belongs to ``text``),
    ``feedback`` (shown when the learner picked this option).
    Ordering questions: the correct order is ``order``.
    """

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "order", "key"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="learning_choice_unique_key")]

    def __str__(self) -> str:
        return self.key


class ActivityKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    SCENARIO = "scenario", _("Scenario role-play")
    ASSIGNMENT = "assignment", _("Assignment")


class SubmissionMode(models.TextChoices):
    TEXT = "text", _("Text")
    FILE = "file", _("File")
    TEXT_OR_FILE = "either", _("Text, a file or both")


class Activity(TimeStampedModel, TranslatableContent):
    """Something a learner does at the end of a lesson: a quiz, a scenario or an assignment.

    Texts: ``title``, ``instructions`` (Markdown), ``debrief`` (scenario: shown at the end).
    """

    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="activities")
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="activities"
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty: as many as the learner wants.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit in minutes"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    submission_mode = models.CharField(
        _("submission"), max_length=8, choices=SubmissionMode.choices, default=SubmissionMode.TEXT_OR_FILE
    )
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["lesson", "order", "slug"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [models.UniqueConstraint(fields=["lesson", "slug"], name="learning_activity_unique_slug")]

    def __str__(self) -> str:
        return f"{self.lesson}/{self.slug}"


class QuizPart(models.Model):
    """A quiz draws ``draw_count`` questions from ``bank`` (0 = every question of the bank)."""

    activity = models.ForeignKey(Activity, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="parts")
    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="+")
    draw_count = models.PositiveSmallIntegerField(_("questions drawn"), default=0, help_text=_("0 draws them all."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["activity", "order"]
        verbose_name = _("quiz part")
        verbose_name_plural = _("quiz parts")

    def __str__(self) -> str:
        return f"{self.activity.slug}: {self.draw_count or '*'} × {self.bank.slug}"


class ScenarioNode(TranslatableContent):
    """A moment of a branching dialogue. Texts: ``title``, ``text`` (Markdown), ``debrief`` (end nodes).

    A node without choices ends the scenario.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="scenario_nodes"
    )
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_start = models.BooleanField(_("start here"), default=False)

    class Meta:
        ordering = ["activity", "order", "key"]
        verbose_name = _("scenario node")
        verbose_name_plural = _("scenario nodes")
        constraints = [
            models.UniqueConstraint(fields=["activity", "key"], name="learning_node_unique_key"),
            models.UniqueConstraint(fields=["activity"], condition=Q(is_start=True), name="learning_node_one_start"),
        ]

    def __str__(self) -> str:
        return self.key


class ScenarioChoice(TranslatableContent):
    """What the learner may say or do at a node. Texts: ``text``, ``feedback``.

    ``scores`` maps competence codes to points (0–3) earned on that dimension by this choice.
    """

    node = models.ForeignKey(ScenarioNode, verbose_name=_("node"), on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    next_node = models.ForeignKey(
        ScenarioNode,
        verbose_name=_("next node"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reached_by",
    )
    scores = models.JSONField(_("scores per competence"), default=dict, blank=True)

    class Meta:
        ordering = ["node", "order", "key"]
        verbose_name = _("scenario choice")
        verbose_name_plural = _("scenario choices")
        constraints = [models.UniqueConstraint(fields=["node", "key"], name="learning_scenario_choice_unique_key")]

    def __str__(self) -> str:
        return f"{self.node.key}→{self.key}"


class RubricCriterion(TranslatableContent):
    """A criterion of an assignment's rubric. Texts: ``title``, ``description``."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    competences = models.ManyToManyField(Competence, verbose_name=_("competences"), blank=True, related_name="+")

    class Meta:
        ordering = ["activity", "order", "key"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [models.UniqueConstraint(fields=["activity", "key"], name="learning_criterion_unique_key")]

    def __str__(self) -> str:
        return self.key


class RubricLevel(TranslatableContent):
    """A level of a criterion with its points. Texts: ``title``, ``description``."""

    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="levels"
    )
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["criterion", "order", "key"]
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        constraints = [models.UniqueConstraint(fields=["criterion", "key"], name="learning_rubric_level_unique_key")]

    def __str__(self) -> str:
        return f"{self.criterion.key}:{self.key}"
