"""Certificates of completion: one per learner and course (or per learner and cohort), each with
the signed Open Badges 3.0 credential it was issued as, and its revocation if a coordinator
withdrew it. The public random ``public_id`` is the only identifier that appears in URLs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from micro.learning.models.cohorts import Cohort
from micro.learning.models.courses import Course


class Certificate(models.Model):
    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates")
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    language = models.CharField(_("language"), max_length=10)
    holder_name = models.CharField(_("holder's name"), max_length=150)
    minutes = models.PositiveIntegerField(_("estimated minutes of study"), default=0)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    credential = models.JSONField(_("signed credential"))
    revoked_at = models.DateTimeField(pgettext_lazy("certificate", "revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(cohort__isnull=True),
                name="learning_certificate_one_per_course",
            ),
            models.UniqueConstraint(
                fields=["learner", "cohort"],
                condition=Q(cohort__isnull=False),
                name="learning_certificate_one_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="learning_certificate_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
