"""The best-practice repository: practices, their review workflow, contribution targets and reuse.

Texts live in ``translations`` (the one content-translation mechanism of ``micro.core.content_i18n``);
everything here is fields, constraints and small properties. The rules are in services.py and
permissions.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorExact
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from micro.accounts.models import Country, Organisation
from micro.core.content_i18n import STATUS_DRAFT, Localized, TranslatableContent, fallback_chain
from micro.core.models import TimeStampedModel

# The texts of a practice, in the order of the template. Each is kept per language in ``translations``.
TEXT_FIELDS = (
    "title",
    "summary",
    "objectives",
    "activities",
    "resources",
    "results",
    "evidence",
    "success_factors",
    "transferability",
    "lessons",
)
# The longest text each may hold (characters).
TEXT_LIMITS = {"title": 200, "summary": 1000}
LONG_TEXT_LIMIT = 10_000
REQUIRED_TO_SUBMIT = ("title", "summary", "objectives", "activities", "results", "transferability")
FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "objectives": _("Objectives"),
    "activities": _("Activities"),
    "resources": _("Resources and costs"),
    "results": _("Results"),
    "evidence": _("Evidence"),
    "success_factors": _("What made it work"),
    "transferability": _("Transferability and conditions"),
    "lessons": _("Lessons learned"),
    "target_groups": _("Target groups"),
    "legal_statuses": _("Legal status of the people reached"),
}
FIELD_HELP = {
    "title": _("A short name that says what was done, for example: Loan mentoring by former borrowers."),
    "summary": _("Two or three sentences: what, for whom, with what result."),
    "objectives": _("What the practice set out to change."),
    "activities": _("What was done, step by step, by whom and for how long."),
    "resources": _("Staff, partners, money and material it needed, with the costs if you know them."),
    "results": _("What changed, with numbers and dates. Add the figures as indicators below."),
    "evidence": _("How you know: monitoring data, evaluations, testimonies, reports."),
    "success_factors": _("The conditions and choices without which it would not have worked."),
    "transferability": _("What another organisation in another country would need to do it, and what to adapt."),
    "lessons": _("What you would do differently next time."),
}


class Theme(models.TextChoices):
    CREDIT_ACCESS = "credit_access", _("Access to credit")
    MIGRANT_TRAINING = "migrant_training", _("Training for migrants")
    SOCIAL_INCLUSION = "social_inclusion", _("Social inclusion")
    OPERATOR_TRAINING = "operator_training", _("Training for operators")
    OTHER = "other", pgettext_lazy("practice theme", "Other")


class TargetGroup(models.TextChoices):
    ASPIRING_ENTREPRENEURS = "aspiring_entrepreneurs", _("Migrants who want to start a business")
    MIGRANT_ENTREPRENEURS = "migrant_entrepreneurs", _("Migrant entrepreneurs already in business")
    WOMEN = "women", _("Migrant women")
    YOUNG_PEOPLE = "young_people", _("Young migrants (under 30)")
    JOB_SEEKERS = "job_seekers", _("Unemployed or job-seeking migrants")
    OPERATORS = "operators", _("Microcredit and support staff")
    TRAINERS = "trainers", _("Trainers and mentors")
    COMMUNITIES = "communities", _("Diaspora and community organisations")


class LegalStatus(models.TextChoices):
    """The legal situation of the people a practice reached (after SprINg's legal-status filter)."""

    ASYLUM_SEEKERS = "asylum_seekers", _("Asylum seekers")
    INTERNATIONAL_PROTECTION = "international_protection", _("Refugees and beneficiaries of international protection")
    TEMPORARY_PROTECTION = "temporary_protection", _("People under temporary protection")
    PERMIT_HOLDERS = "permit_holders", _("Non-EU nationals with a residence or work permit")
    LONG_TERM_RESIDENTS = "long_term_residents", _("Long-term residents")
    EU_CITIZENS = "eu_citizens", _("EU citizens living in another EU country")
    NATURALISED = "naturalised", _("Naturalised citizens and second generation")
    UNDOCUMENTED = "undocumented", _("Undocumented migrants")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")


PIPELINE = (Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED)


class SearchVectorColumn(models.Field):  # type: ignore[type-arg]
    """A ``tsvector`` on PostgreSQL (searched with ``@@`` like SearchVectorField), unused text elsewhere.

    Django's SearchVectorField insists on ``django.contrib.postgres`` in INSTALLED_APPS; the
    repository needs only the column type and the ``@@`` lookup, on a project that also runs on SQLite.
    """

    description = "PostgreSQL full-text search vector"

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


SearchVectorColumn.register_lookup(SearchVectorExact)


def _localized_with_original(obj: Any, language: str | None) -> Localized:
    """The platform's fallback chain, then the language the text was written in, then any, field by field.

    The language found first gives ``language`` and ``status``; a field missing there (a translation
    of the title and summary only) comes from the next language that has it, and
    ``data["field_languages"]`` says where each field came from, so a page can mark it.
    """
    chain = fallback_chain(language)
    order = list(dict.fromkeys([*chain, obj.original_language, *sorted(obj.translations)]))
    primary: str | None = None
    data: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for code in order:
        texts = obj.translations.get(code)
        if not texts:
            continue
        primary = primary or code
        for key, value in texts.items():
            if key != "status" and value and key not in data:
                data[key] = value
                sources[key] = code
    if primary is None:
        return Localized(data={}, language=chain[0], requested=chain[0], status=STATUS_DRAFT)
    data["field_languages"] = sources
    status = obj.translations[primary].get("status", STATUS_DRAFT)
    return Localized(data=data, language=primary, requested=chain[0], status=status)


class Practice(TimeStampedModel, TranslatableContent):
    """A best practice, following the structured template of the repository.

    Texts per language in ``translations``: see ``TEXT_FIELDS``. ``search_title`` and
    ``search_document`` are the normalised, accent-folded words of every language (written by the
    services); ``search_vector`` is their PostgreSQL full-text form (left empty on SQLite).
    """

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="practices"
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    legal_statuses = models.JSONField(_("legal status of the people reached"), default=list, blank=True)
    original_language = models.CharField(_("original language"), max_length=10, choices=settings.LANGUAGES)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    total_cost = models.DecimalField(_("total cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    competence_codes = models.JSONField(_("e-learning competences"), default=list, blank=True)
    lesson_links = models.JSONField(_("e-learning lessons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo content written to show the repository, not a real practice.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    search_title = models.TextField(blank=True, default="", editable=False)
    search_document = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorColumn(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # Newest first with the same tie-break as every list (-published_at, -pk): read in order, stop at the page.
            models.Index(fields=["status", "-published_at", "-id"], name="practice_status_newest_idx"),
            models.Index(fields=["organisation", "status"], name="practice_org_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.localized().get("title") or self.slug)

    def localized(self, language: str | None = None) -> Localized:
        return _localized_with_original(self, language)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels[value]) for value in self.target_groups if value in labels]

    def legal_status_labels(self) -> list[str]:
        labels = dict(LegalStatus.choices)
        return [str(labels[value]) for value in self.legal_statuses if value in labels]


class Indicator(TranslatableContent):
    """A measured result: what (``label`` per language), how much, in what unit, measured when."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicators")
    original_language = models.CharField(_("original language"), max_length=10, choices=settings.LANGUAGES)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    measured_on = models.DateField(_("measured on"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.localized().get('label', '')}: {self.value} {self.unit}".strip()

    def localized(self, language: str | None = None) -> Localized:
        return _localized_with_original(self, language)


class Attachment(models.Model):
    """A file that documents a practice (checked by content: PDF, DOCX, ODT, PNG or JPEG; at most 10 MB)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="practices/%Y/%m/", max_length=200)
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "sha256"], name="attachment_unique_content_per_practice")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind in ("png", "jpeg")


class PracticeTransition(models.Model):
    """One step of the workflow: who moved the practice from which status to which, and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.from_status} → {self.to_status}"


class ReviewerAssignment(TimeStampedModel):
    """An expert whom a coordinator named to review one practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["practice", "reviewer"], name="assignment_unique_reviewer_per_practice")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.practice_id}"


class Decision(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    RETURN = "return", _("Return to the authors with comments")


# The fixed rubric: (field prefix, name, what the reviewer judges).
CRITERIA = (
    (
        "relevance",
        _("Relevance"),
        _("Does it answer a real need of migrant entrepreneurs or of the people who support them?"),
    ),
    ("evidence", _("Evidence of results"), _("Are the results measured, dated and backed by evidence?")),
    (
        "transferability",
        _("Transferability"),
        _("Could another organisation in another country do it, and is it said how?"),
    ),
    ("clarity", _("Clarity"), _("Is it complete and easy to understand for a reader who was not there?")),
)


class Review(models.Model):
    """A reviewer's scores (1–5 per criterion, with a comment each) and decision for one review round."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"))
    relevance = models.PositiveSmallIntegerField(_("relevance"))
    relevance_comment = models.TextField(_("comment on relevance"), blank=True)
    evidence = models.PositiveSmallIntegerField(_("evidence of results"))
    evidence_comment = models.TextField(_("comment on evidence"), blank=True)
    transferability = models.PositiveSmallIntegerField(_("transferability"))
    transferability_comment = models.TextField(_("comment on transferability"), blank=True)
    clarity = models.PositiveSmallIntegerField(_("clarity"))
    clarity_comment = models.TextField(_("comment on clarity"), blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["round", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "reviewer", "round"], name="review_once_per_round"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"review_{name}_between_1_and_5"
                )
                for name, _label, _help in CRITERIA
            ],
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of practice {self.practice_id} (round {self.round})"

    def scores(self) -> list[dict[str, Any]]:
        return [
            {"name": label, "score": getattr(self, key), "comment": getattr(self, f"{key}_comment")}
            for key, label, _help in CRITERIA
        ]

    @property
    def average(self) -> float:
        return sum(getattr(self, key) for key, _label, _help in CRITERIA) / len(CRITERIA)


class ContributionTarget(TimeStampedModel):
    """How many practices a partner organisation should contribute, by when (set by a coordinator)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="practice_target"
    )
    target = models.PositiveSmallIntegerField(_("practices to contribute"))
    due_on = models.DateField(_("by"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("contribution target")
        verbose_name_plural = _("contribution targets")
        ordering = ["organisation__name"]
        constraints = [models.CheckConstraint(condition=Q(target__gte=1), name="target_at_least_one")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.target} by {self.due_on}"


class Reuse(TimeStampedModel, TranslatableContent):
    """A partner adopted a practice: how it adapted it and what came of it (``adaptation``, ``outcome``)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reuses")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="practice_reuses"
    )
    original_language = models.CharField(_("original language"), max_length=10, choices=settings.LANGUAGES)
    adopted_on = models.DateField(_("adopted on"))
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("reuse")
        verbose_name_plural = _("reuses")
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} adopted {self.practice_id} on {self.adopted_on}"

    def localized(self, language: str | None = None) -> Localized:
        return _localized_with_original(self, language)
