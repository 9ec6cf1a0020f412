"""xAPI statements of learning events, kept here and forwarded to an external record store."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from micro.learning.models.cohorts import Cohort


class XapiStatement(models.Model):
    """One validated xAPI statement (``statement``), with what the platform needs around it.

    ``statement_id`` is derived from the event, so a doubled event is stored once. ``learner`` and
    ``cohort`` scope exports and erasure (a learner's statements go with their account);
    ``forwarded_at`` is empty while the statement waits for the external record store, and a
    forwarding run *claims* rows (``claim_token`` until ``claimed_until``) so two runs never send
    the same statement.
    """

    statement_id = models.UUIDField(_("statement id"), unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("verb"), max_length=200)
    statement = models.JSONField(_("statement"))
    timestamp = models.DateTimeField(_("happened"))
    stored_at = models.DateTimeField(_("stored"), auto_now_add=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    forward_attempts = models.PositiveIntegerField(_("forwarding attempts"), default=0)
    last_error = models.CharField(_("last forwarding error"), max_length=500, blank=True)
    claim_token = models.CharField(_("claimed by"), max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["timestamp", "pk"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["cohort", "timestamp"], name="learning_xapi_cohort_time"),
            models.Index(fields=["id"], condition=Q(forwarded_at__isnull=True), name="learning_xapi_pending"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)
