"""Names of the 15 EntreComp competences (European Commission JRC, 2016) used to tag path steps and results."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ENTRECOMP: dict[str, tuple[str, Promise]] = {
    "spotting_opportunities": ("1.1", _("Spotting opportunities")),
    "creativity": ("1.2", _("Creativity")),
    "vision": ("1.3", _("Vision")),
    "valuing_ideas": ("1.4", _("Valuing ideas")),
    "ethical_sustainable_thinking": ("1.5", _("Ethical and sustainable thinking")),
    "self_awareness_self_efficacy": ("2.1", _("Self-awareness and self-efficacy")),
    "motivation_perseverance": ("2.2", _("Motivation and perseverance")),
    "mobilising_resources": ("2.3", _("Mobilising resources")),
    "financial_economic_literacy": ("2.4", _("Financial and economic literacy")),
    "mobilising_others": ("2.5", _("Mobilising others")),
    "taking_the_initiative": ("3.1", _("Taking the initiative")),
    "planning_management": ("3.2", _("Planning and management")),
    "coping_with_uncertainty": ("3.3", _("Coping with uncertainty, ambiguity and risk")),
    "working_with_others": ("3.4", _("Working with others")),
    "learning_through_experience": ("3.5", _("Learning through experience")),
}


def competence_labels(keys: list[str]) -> list[str]:
    """'EntreComp 2.4 Financial and economic literacy' for each known key, in the active language."""
    return [f"{ENTRECOMP[key][0]} {ENTRECOMP[key][1]}" for key in keys if key in ENTRECOMP]
