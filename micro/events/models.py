"""Conferences of the partners: programme, speakers, registrations without an account, check-in, results.

Texts that readers see in their language (title, description, session titles, bios, extra
questions, the results summary) live in ``translations`` (micro.core.content_i18n), so adding a
language needs no migration. No business rule lives here: see services.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from micro.accounts.models import Organisation
from micro.core.content_i18n import TranslatableContent
from micro.core.models import TimeStampedModel


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("conference", "Cancelled")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise (keep counts, remove names and contacts)")
    DELETE = "delete", _("Delete the registrations")


class Category(models.TextChoices):
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    LOCAL_DECISION_MAKER = "local_decision_maker", _("Local decision maker")
    PRESS = "press", _("Press")
    MICROCREDIT_OPERATOR = "microcredit_operator", _("Microcredit operator")
    NGO = "ngo", _("NGO")
    MIGRANT_ENTREPRENEUR = "migrant_entrepreneur", _("Migrant entrepreneur")
    OTHER = "other", pgettext_lazy("participant category", "Other")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short answer")
    TEXTAREA = "textarea", _("Long answer")
    CHOICE = "choice", _("One choice from a list")
    YES_NO = "yes_no", _("Yes or no")


class Event(TimeStampedModel, TranslatableContent):
    """A conference run by a partner organisation. ``translations``: title, description, summary."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="events"
    )
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    city = models.CharField(_("city"), max_length=100)
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("address"), max_length=300)
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Rome")
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation offered"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    category_capacity = models.JSONField(
        _("places per category"), default=dict, blank=True, help_text=_("Leave empty for no limit per category.")
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    retention_days = models.PositiveIntegerField(
        _("keep registrations for (days after the end)"),
        default=180,
        help_text=_("After this many days the registrations are anonymised or deleted automatically."),
    )
    retention_action = models.CharField(
        _("after the retention period"),
        max_length=12,
        choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )
    reminder_days_before = models.PositiveSmallIntegerField(_("send the reminder (days before)"), default=2)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("named organisers"), blank=True, related_name="organised_events"
    )
    purged_at = models.DateTimeField(_("registrations purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(TimeStampedModel, TranslatableContent):
    """A speaker of one conference. ``translations``: bio."""

    event = models.ForeignKey(Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Session(TimeStampedModel, TranslatableContent):
    """A slot of the programme. ``translations``: title, abstract."""

    event = models.ForeignKey(Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    speakers = models.ManyToManyField(Speaker, verbose_name=_("speakers"), blank=True, related_name="sessions")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.starts_at:%Y-%m-%d %H:%M} {self.room}"


class Question(TimeStampedModel, TranslatableContent):
    """An organiser's extra registration question. ``translations``: label, help, options (list, same order)."""

    event = models.ForeignKey(Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    option_count = models.PositiveSmallIntegerField(_("number of options"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"question {self.pk}"

    @property
    def field_name(self) -> str:
        return f"q_{self.pk}"


class Registration(TimeStampedModel):
    """One person's registration. No account needed; a personal link (only its hash stored) opens it.

    After the event's retention period the personal fields are emptied (``anonymised_at``) or the
    row is deleted, as the organiser chose.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="registrations"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    category = models.CharField(_("participant category"), max_length=24, choices=Category.choices)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    interpretation_language = models.CharField(_("interpretation into"), max_length=10, blank=True)
    needs = models.TextField(_("accessibility or interpretation needs"), max_length=2000, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    list_consent_at = models.DateTimeField(_("agreed to the participant list"), null=True, blank=True)
    followup_consent_at = models.DateTimeField(_("agreed to follow-up"), null=True, blank=True)
    link_nonce = models.CharField(max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    checkin_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # SHA-256 of the form's one-time key: a resent form finds its registration, a leaked database opens none.
    idempotency_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per address and conference; cancelled or anonymised ones do not count.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(anonymised_at__isnull=True) & ~Q(status="cancelled"),
                name="registration_one_live_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "category"], name="registration_event_status_idx")]

    def __str__(self) -> str:
        # Never a name or an address: this string ends up in the audit log.
        return f"registration {self.pk}"


class CheckIn(models.Model):
    """Someone arrived. One per registration (the unique constraint refuses a second one)."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="checkin"
    )
    event = models.ForeignKey(Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="checkins")
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-pk"]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class Material(TimeStampedModel):
    """Slides or a document from the conference, checked for size and type on upload."""

    event = models.ForeignKey(Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/materials/%Y/", max_length=200)
    file_name = models.CharField(_("file name"), max_length=120)
    file_type = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class PracticeLink(TimeStampedModel):
    """A best practice presented at the conference, linked by its address in the practices repository."""

    event = models.ForeignKey(
        Event, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="practice_links"
    )
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("practice presented")
        verbose_name_plural = _("practices presented")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title
