"""The competence framework: European reference competences and the operator competences."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from micro.core.content_i18n import TranslatableContent


class Framework(models.TextChoices):
    ENTRECOMP = "entrecomp", _("EntreComp (European Commission)")
    RFCDC = "rfcdc", _("Competences for Democratic Culture (Council of Europe)")


class ReferenceCompetence(TranslatableContent):
    """A competence of a European framework (EntreComp ``EC-2.4``, RFCDC ``RFCDC-S6``…).

    Texts: ``name``, ``group`` (the EntreComp area or the RFCDC cluster).
    """

    framework = models.CharField(_("framework"), max_length=12, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    unverified = models.BooleanField(
        _("still to be verified"),
        default=False,
        help_text=_("The name or the grouping has not yet been checked against the official text."),
    )

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("reference competence")
        verbose_name_plural = _("reference competences")

    def __str__(self) -> str:
        return self.code


class CompetenceArea(TranslatableContent):
    """One of the two areas of the operator competences (economic/financial; intercultural).

    Texts: ``title``, ``description``.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self) -> str:
        return self.slug


class Competence(TranslatableContent):
    """An operator competence (``EF-1`` loan costing…), mapped to EntreComp and RFCDC codes.

    Texts: ``title``, ``description``.
    """

    area = models.ForeignKey(
        CompetenceArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="competences"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    references = models.ManyToManyField(
        ReferenceCompetence, verbose_name=_("European framework codes"), blank=True, related_name="competences"
    )

    class Meta:
        ordering = ["area__order", "order", "code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return self.code


class CompetenceLevel(TranslatableContent):
    """A level of one competence (1 foundation … 4 expert, after the EntreComp bands).

    Texts: ``name``, ``descriptor`` (what someone at this level can do).
    """

    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(8)])

    class Meta:
        ordering = ["competence", "level"]
        verbose_name = _("competence level")
        verbose_name_plural = _("competence levels")
        constraints = [models.UniqueConstraint(fields=["competence", "level"], name="learning_level_unique")]

    def __str__(self) -> str:
        return f"{self.competence.code} L{self.level}"
