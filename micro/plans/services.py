"""Every write of a business plan: create it for a journey, save its sections, save its inputs.

Saves are atomic, validated (``full_clean`` and the finance core), idempotent (the same data
twice changes nothing and keeps the version) and guarded by the version the page was loaded
with: a plan changed elsewhere in the meantime is not overwritten silently.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from micro.pathway.models import Journey
from micro.plans import structure as s
from micro.plans.models import BusinessPlan
from micro.plans.selectors import GENERAL, results_from_inputs

INPUT_PARTS = ("budget", "sales", "loan")
# Form fields that belong to each input part, so finance refusals are reported only for the part saved.
_PART_PREFIXES = {
    "budget": ("use_", *s.SOURCE_FIELDS),
    "sales": ("price", "variable_cost", "units", "growth", "fixed_", "owner_drawings", "opening_cash"),
    "loan": ("principal", "annual_rate", "months", "method", "grace_", "fees"),
}


class StalePlanError(ValidationError):
    """The plan was saved elsewhere (another device or tab) after this page was loaded."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "This plan was changed on another device or in another tab after you opened this page, "
                "so your changes were not saved. Your values are still in the form: check them and save "
                "again to replace the other version, or open the page again to see it."
            ),
            code="stale",
        )
        self.current_version = current_version


def plan_get_or_create(*, journey: Journey) -> BusinessPlan:
    """The journey's plan, created empty (version 1) on first use."""
    plan, _created = BusinessPlan.objects.get_or_create(journey=journey)
    return plan


def _lock(plan: BusinessPlan) -> BusinessPlan:
    return BusinessPlan.objects.select_for_update().get(pk=plan.pk)


def _refresh(plan: BusinessPlan, saved: BusinessPlan) -> BusinessPlan:
    plan.title, plan.sections, plan.inputs = saved.title, saved.sections, saved.inputs
    plan.version, plan.updated_at = saved.version, saved.updated_at
    return plan


def plan_save_sections(
    *, plan: BusinessPlan, title: str, sections: dict[str, str], expected_version: int
) -> BusinessPlan:
    """Save the name and the written sections. Unknown keys are dropped; each text is at most 3,000 characters."""
    clean = {key: str(sections.get(key) or "").strip() for key in s.SECTION_KEYS}
    too_long = {key: text for key, text in clean.items() if len(text) > s.MAX_SECTION_LENGTH}
    if too_long:
        raise ValidationError(
            {key: _("Write at most %(count)s characters.") % {"count": s.MAX_SECTION_LENGTH} for key in too_long}
        )
    title = (title or "").strip()
    with transaction.atomic():
        locked = _lock(plan)
        stored = {key: str((locked.sections or {}).get(key) or "") for key in s.SECTION_KEYS}
        if locked.title == title and stored == clean:
            return _refresh(plan, locked)  # a doubled or unchanged submit: nothing to do
        if locked.version != expected_version:
            raise StalePlanError(locked.version)
        locked.title = title
        locked.sections = clean
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["title", "sections", "version", "updated_at"])
    return _refresh(plan, locked)


def _finance_errors(inputs: dict[str, Any], parts: set[str]) -> dict[str, list[str]]:
    """The finance core's refusals for the fields of the parts being saved."""
    errors = results_from_inputs(inputs).errors
    prefixes = tuple(prefix for part in parts for prefix in _PART_PREFIXES[part])
    return {field: messages for field, messages in errors.items() if field == GENERAL or field.startswith(prefixes)}


def plan_save_inputs(*, plan: BusinessPlan, data: dict[str, Any], expected_version: int) -> BusinessPlan:
    """Save one or more input parts (``budget``, ``sales``, ``loan``) after the finance core accepts them.

    Raises ``ValidationError`` keyed by form field when the core refuses a combination (nothing is
    saved), and :class:`StalePlanError` when the plan changed since ``expected_version``.
    """
    unknown = set(data) - set(INPUT_PARTS)
    if unknown:
        raise ValidationError(_("This value is not valid."), code="unknown_part")
    with transaction.atomic():
        locked = _lock(plan)
        current = dict(locked.inputs or {})
        merged = {**current, **data}
        if merged == current:
            return _refresh(plan, locked)  # a doubled or unchanged submit: nothing to do
        errors = _finance_errors(merged, set(data))
        if errors:
            raise ValidationError({field: list(messages) for field, messages in errors.items()})
        if locked.version != expected_version:
            raise StalePlanError(locked.version)
        locked.inputs = merged
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["inputs", "version", "updated_at"])
    return _refresh(plan, locked)
