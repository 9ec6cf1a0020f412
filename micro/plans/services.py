"""Every write of a business plan: create it for a journey, save its sections, save its inputs.

Saves are atomic, validated (``full_clean`` and the finance core), idempotent (the same data
twice changes nothing and keeps the version) and guarded by the version the page was loaded
with: a plan changed elsewhere in the meantime is not overwritten silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from micro.pathway.models import Journey
from micro.pathway.services import SESSION_KEY as JOURNEY_SESSION_KEY
from micro.pathway.services import journey_for_writing
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
    """The plan was saved elsewhere (another device or tab) after this page was loaded, and the two
    saves changed the same field differently (``fields``; empty when the page sent no digests)."""

    def __init__(self, current_version: int, fields: tuple[str, ...] = ()) -> None:
        super().__init__(
            _(
                "This plan was changed on another device or in another tab after you opened this page, "
                "so your changes were not saved. Your values are still in the form: check them and save "
                "again to replace the other version, or open the page again to see it."
            ),
            code="stale",
        )
        self.current_version = current_version
        self.fields = fields


def _digest(value: Any) -> str:
    """A short fingerprint of a stored value; blank values (None, "", [], {}) share one."""
    normalised = None if value in (None, "", [], {}) else value
    return hashlib.sha256(json.dumps(normalised, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def field_digests(values: Mapping[str, Any]) -> dict[str, str]:
    """Fingerprints of the values a page shows, so a later save can tell what changed since."""
    return {key: _digest(value) for key, value in values.items()}


def section_values(plan: BusinessPlan | None) -> dict[str, str]:
    """The name and the written sections as one flat mapping (what the sections page edits)."""
    sections = (plan.sections if plan else None) or {}
    return {"title": plan.title if plan else "", **{key: str(sections.get(key) or "") for key in s.SECTION_KEYS}}


def input_part_values(plan: BusinessPlan | None, part: str) -> dict[str, Any]:
    """One input part (what one input page edits)."""
    return dict(((plan.inputs if plan else None) or {}).get(part) or {})


def _merge(
    *, stored: Mapping[str, Any], mine: Mapping[str, Any], loaded: Mapping[str, str] | None, current_version: int
) -> dict[str, Any]:
    """``stored`` with the fields this save changed since its page was loaded.

    Fields changed only on the other device are kept, fields changed only here are taken; a field
    changed on both sides to different values is a conflict and nothing is saved.
    """
    if loaded is None:
        raise StalePlanError(current_version)
    merged = dict(stored)
    conflicts = []
    for key in sorted(set(mine) | set(stored)):
        base = loaded.get(key, _digest(None))
        mine_changed = _digest(mine.get(key)) != base
        theirs_changed = _digest(stored.get(key)) != base
        if mine_changed and theirs_changed and _digest(mine.get(key)) != _digest(stored.get(key)):
            conflicts.append(key)
        elif mine_changed:
            merged[key] = mine.get(key)
    if conflicts:
        raise StalePlanError(current_version, fields=tuple(conflicts))
    return merged


FIRST_SAVE_RETRY_WINDOW = timedelta(minutes=30)


def _key_hash(save_key: str) -> str:
    return hashlib.sha256(save_key.encode()).hexdigest() if save_key else ""


def plan_get_or_create(*, journey: Journey, save_key: str = "") -> BusinessPlan:
    """The journey's plan, created empty (version 1) on first use, remembering the form's save key."""
    plan, _created = BusinessPlan.objects.get_or_create(
        journey=journey, defaults={"first_save_key_hash": _key_hash(save_key)}
    )
    return plan


def plan_for_first_save(*, request: HttpRequest, language: str, save_key: str) -> BusinessPlan:
    """The plan a save without a plan in the session writes to.

    Usually a new journey and plan. But when the same form (same one-time ``save_key``) already
    created a plan a moment ago - the visitor pressed Save, the server committed, the answer never
    arrived (a worker killed, a dropped connection) and the browser sent the form again - that plan
    is bound to this session again, so one save makes one plan.
    """
    if save_key:
        earlier = (
            BusinessPlan.objects.select_related("journey")
            .filter(
                first_save_key_hash=_key_hash(save_key),
                created_at__gte=timezone.now() - FIRST_SAVE_RETRY_WINDOW,
            )
            .first()
        )
        if earlier is not None:
            request.session[JOURNEY_SESSION_KEY] = earlier.journey_id
            return earlier
    journey = journey_for_writing(request=request, language=language)
    return plan_get_or_create(journey=journey, save_key=save_key)


def _lock(plan: BusinessPlan) -> BusinessPlan:
    return BusinessPlan.objects.select_for_update().get(pk=plan.pk)


def _refresh(plan: BusinessPlan, saved: BusinessPlan) -> BusinessPlan:
    plan.title, plan.sections, plan.inputs = saved.title, saved.sections, saved.inputs
    plan.version, plan.updated_at = saved.version, saved.updated_at
    return plan


def plan_save_sections(
    *,
    plan: BusinessPlan,
    title: str,
    sections: dict[str, str],
    expected_version: int,
    loaded: Mapping[str, str] | None = None,
) -> BusinessPlan:
    """Save the name and the written sections. Unknown keys are dropped; each text is at most 3,000 characters.

    When the plan changed since ``expected_version``, the save is merged field by field using the
    digests of the values the page showed (``loaded``); without them, or when both sides changed
    the same field, :class:`StalePlanError` is raised and nothing is saved.
    """
    clean = {key: str(sections.get(key) or "").strip() for key in s.SECTION_KEYS}
    too_long = {key: text for key, text in clean.items() if len(text) > s.MAX_SECTION_LENGTH}
    if too_long:
        raise ValidationError(
            {key: _("Write at most %(count)s characters.") % {"count": s.MAX_SECTION_LENGTH} for key in too_long}
        )
    mine = {"title": (title or "").strip(), **clean}
    with transaction.atomic():
        locked = _lock(plan)
        stored = section_values(locked)
        if stored == mine:
            return _refresh(plan, locked)  # a doubled or unchanged submit: nothing to do
        if locked.version != expected_version:
            mine = _merge(stored=stored, mine=mine, loaded=loaded, current_version=locked.version)
            plan.merged_save = True
        locked.title = mine["title"]
        locked.sections = {key: mine[key] for key in s.SECTION_KEYS}
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["title", "sections", "version", "updated_at"])
    return _refresh(plan, locked)


def _finance_errors(inputs: dict[str, Any], parts: set[str]) -> dict[str, list[str]]:
    """The finance core's refusals for the fields of the parts being saved."""
    errors = results_from_inputs(inputs).errors
    prefixes = tuple(prefix for part in parts for prefix in _PART_PREFIXES[part])
    return {field: messages for field, messages in errors.items() if field == GENERAL or field.startswith(prefixes)}


def plan_save_inputs(
    *,
    plan: BusinessPlan,
    data: dict[str, Any],
    expected_version: int,
    loaded: Mapping[str, Mapping[str, str]] | None = None,
) -> BusinessPlan:
    """Save one or more input parts (``budget``, ``sales``, ``loan``) after the finance core accepts them.

    Raises ``ValidationError`` keyed by form field when the core refuses a combination (nothing is
    saved). When the plan changed since ``expected_version``, each part is merged key by key with
    the digests of what the page showed (``loaded``, per part); :class:`StalePlanError` when that is
    impossible (no digests, or the same value changed on both sides).
    """
    unknown = set(data) - set(INPUT_PARTS)
    if unknown:
        raise ValidationError(_("This value is not valid."), code="unknown_part")
    with transaction.atomic():
        locked = _lock(plan)
        current = dict(locked.inputs or {})
        wanted = dict(data)
        if {**current, **wanted} == current:
            return _refresh(plan, locked)  # a doubled or unchanged submit: nothing to do
        if locked.version != expected_version:
            for part, values in data.items():
                part_loaded = None if loaded is None else loaded.get(part)
                wanted[part] = _merge(
                    stored=input_part_values(locked, part),
                    mine=values,
                    loaded=part_loaded,
                    current_version=locked.version,
                )
            plan.merged_save = True
        merged = {**current, **wanted}
        errors = _finance_errors(merged, set(data))
        if errors:
            raise ValidationError({field: list(messages) for field, messages in errors.items()})
        locked.inputs = merged
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["inputs", "version", "updated_at"])
    return _refresh(plan, locked)
