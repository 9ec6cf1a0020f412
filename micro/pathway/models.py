"""The migrant's info-training path: stages and steps (content), dated rules, glossary, journeys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from micro.core.content_i18n import TranslatableContent
from micro.core.models import TimeStampedModel


class StepKind(models.TextChoices):
    TEXT = "text", _("Reading")
    READINESS = "readiness", _("Self-assessment")
    WORKSHEET = "worksheet", _("Worksheet")
    COUNTRY = "country", _("Choose your country")
    LEGAL_FORM_CHOOSER = "legal_form_chooser", _("Legal form chooser")
    PLAN = "plan", _("Business plan")
    ELIGIBILITY = "eligibility", _("Eligibility check")


class PathCountry(models.TextChoices):
    ITALY = "IT", _("Italy")
    BELGIUM = "BE", _("Belgium")
    SPAIN = "ES", _("Spain")
    GERMANY = "DE", _("Germany")


class Stage(TranslatableContent):
    """A stage of the path (welcome, idea, market, rules, plan, microcredit, launch)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.slug


class Step(TranslatableContent):
    """A step of 2–5 minutes inside a stage. Country-specific steps show only for that country."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="steps", verbose_name=_("stage"))
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=24, choices=StepKind.choices, default=StepKind.TEXT)
    country = models.CharField(_("country"), max_length=2, choices=PathCountry.choices, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=3)
    competences = models.JSONField(_("competences"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        ordering = ["stage__order", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [models.UniqueConstraint(fields=["stage", "slug"], name="step_unique_slug_in_stage")]

    def __str__(self) -> str:
        return f"{self.stage.slug}/{self.slug}"

    @property
    def key(self) -> str:
        return f"{self.stage.slug}/{self.slug}"


class Rule(TranslatableContent):
    """A dated legal or money fact (cap, fee, rate, deadline) with its source. Never a constant in code."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=2)
    value = models.CharField(_("value"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["country", "key"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.key


class GlossaryTerm(TranslatableContent):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return self.slug


class ContentData(TranslatableContent):
    """Structured content packs (readiness questionnaire, legal forms, microcredit providers) per language."""

    key = models.CharField(_("key"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("content data")
        verbose_name_plural = _("content data")

    def __str__(self) -> str:
        return self.key


class Journey(TimeStampedModel):
    """One migrant's progress and answers, found again with a resume code; no personal data required.

    Only a hash of the resume code is stored: a database leak does not open anyone's journey.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    country = models.CharField(_("country"), max_length=2, choices=PathCountry.choices, blank=True)
    readiness = models.JSONField(_("self-assessment"), default=dict, blank=True)
    answers = models.JSONField(_("worksheet answers"), default=dict, blank=True)
    completed_steps = models.JSONField(_("completed steps"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="journeys"
    )
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")

    def __str__(self) -> str:
        return f"journey {self.pk}"


class JourneyShare(TimeStampedModel):
    """Read access to a journey and its plan that the migrant grants with a share code, for a purpose, until a date."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="shares")
    code_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_organisation_name = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_accessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")

    def __str__(self) -> str:
        return f"share {self.pk} of journey {self.journey_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
