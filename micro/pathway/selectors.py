"""Reads of the migrant path with their rules: country filtering, progress, shares, access."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString

from micro.core import content_cache
from micro.pathway.models import ContentData, GlossaryTerm, Journey, JourneyShare, Rule, Stage, Step
from micro.pathway.rendering import RULE_REF, rule_html
from micro.pathway.services import SESSION_KEY


def journey_from_request(request: HttpRequest) -> Journey | None:
    """The journey bound to this browser session, if any (no journey is created by reading)."""
    journey_id = request.session.get(SESSION_KEY)
    if journey_id:
        return Journey.objects.filter(pk=journey_id).first()
    if request.user.is_authenticated:
        # A signed-in migrant finds the journey kept with their account, without the code.
        return Journey.objects.filter(user=request.user).order_by("-updated_at").first()
    return None


def _visible_steps(country: str) -> QuerySet[Step]:
    steps = Step.objects.order_by("order")
    if country:
        return steps.filter(country__in=["", country])
    return steps.filter(country="")


def _stages_with_steps(country: str) -> QuerySet[Stage]:
    return Stage.objects.prefetch_related(Prefetch("steps", queryset=_visible_steps(country))).order_by("order")


def stage_list(country: str = "") -> list[Stage]:
    """All stages with the steps this visitor should see.

    Built once per worker and content revision (micro.core.content_cache): read-only for callers.
    """
    return content_cache.cached(("pathway.stages", country), lambda: list(_stages_with_steps(country)))


def stage_get(slug: str, country: str = "") -> Stage:
    stage = content_cache.cached(
        ("pathway.stage", slug, country), lambda: _stages_with_steps(country).filter(slug=slug).first()
    )
    if stage is None:
        raise Http404
    return stage


def step_get(stage: Stage, slug: str) -> Step:
    for step in stage.steps.all():
        if step.slug == slug:
            return step
    raise Http404


def steps_in_order(stages: list[Stage]) -> list[Step]:
    return [step for stage in stages for step in stage.steps.all()]


def rules_by_key(keys: list[str] | None = None) -> dict[str, Rule]:
    rules = Rule.objects.all() if keys is None else Rule.objects.filter(key__in=keys)
    return {rule.key: rule for rule in rules}


# Other apps (the operators' lessons) cite the same dated figures; this is their public face.
RULE_REFERENCE = RULE_REF


def rule_reference_html(rule: Rule | None, key: str) -> SafeString:
    """A dated figure as the path shows it: value, source and the day it was recorded."""
    return rule_html(rule, key)


def rule_list_for_country_or_404(country: str) -> list[Rule]:
    """A country's figures plus the EU-wide ones; 404 for a country we have no figures for."""
    rules = list(Rule.objects.filter(country__in=[country.upper(), "EU"]).order_by("country", "key"))
    if not any(rule.country == country.upper() for rule in rules):
        raise Http404
    return rules


def glossary_slugs() -> set[str]:
    return set(GlossaryTerm.objects.values_list("slug", flat=True))


def glossary_slugs_among(slugs: list[str]) -> set[str]:
    """Which of these slugs are glossary terms (no query for a text without glossary links)."""
    if not slugs:
        return set()
    return set(GlossaryTerm.objects.filter(slug__in=slugs).values_list("slug", flat=True))


def glossary_list() -> list[GlossaryTerm]:
    return sorted(GlossaryTerm.objects.all(), key=lambda term: str(term.loc.get("term", term.slug)).lower())


def glossary_get(slug: str) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(slug=slug).first()
    if term is None:
        raise Http404
    return term


def content_data(key: str) -> ContentData | None:
    return ContentData.objects.filter(key=key).first()


def share_list_for_journey(journey: Journey) -> QuerySet[JourneyShare]:
    return journey.shares.select_related("claimed_by").order_by("-created_at")


def share_list_for_user(user: Any) -> QuerySet[JourneyShare]:
    return JourneyShare.objects.filter(claimed_by=user).select_related("journey").order_by("-claimed_at")


def share_get_for_user(user: Any, share_id: int) -> JourneyShare:
    """A share the user claimed and that is still active; 404 for anything else (expired, withdrawn, others')."""
    share = JourneyShare.objects.select_related("journey").filter(pk=share_id, claimed_by=user).first()
    if share is None or not share.is_active:
        raise Http404
    return share
