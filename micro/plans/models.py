"""A migrant's business plan: the written sections and the inputs of the financial model.

Results (budget, P&L, cash flow, break-even, loan) are never stored: they are computed by
``micro.finance`` from the inputs every time, so they cannot drift from the numbers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from micro.core.models import TimeStampedModel


class BusinessPlan(TimeStampedModel):
    journey = models.OneToOneField("pathway.Journey", on_delete=models.CASCADE, related_name="plan")
    title = models.CharField(_("business name or idea"), max_length=150, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    inputs = models.JSONField(_("financial inputs"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    # SHA-256 of the one-time key of the form whose save created this plan: a retried first save
    # (the answer was lost, e.g. a worker died) finds this plan again instead of starting a second one.
    first_save_key_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    # Not stored: set on the instance a service saved when it merged changes made meanwhile on
    # another device (so the page can say so).
    merged_save = False

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")

    def __str__(self) -> str:
        return self.title or f"plan {self.pk}"
