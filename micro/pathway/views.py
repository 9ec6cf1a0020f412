"""The migrant path: thin views that read content, call services and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from micro.accounts.permissions import has_staff_role
from micro.core import content_cache
from micro.core.permissions import ensure
from micro.pathway import forms, guidance, selectors, services
from micro.pathway.entrecomp import competence_labels
from micro.pathway.models import Journey, Stage, Step, StepKind
from micro.pathway.rendering import glossary_slugs_in, render_content_cached, rule_keys_in, rule_value
from micro.plans import selectors as plan_selectors


def _language() -> str:
    return translation.get_language() or "en"


def _posted(request: HttpRequest) -> dict[str, Any] | None:
    return request.POST if request.method == "POST" else None


def _content_html(text: str, *, with_rules: bool = True) -> SafeString:
    """Path Markdown with its linked terms and cited figures, built once per worker, content revision and day."""
    return content_cache.cached(
        ("pathway.html", text, with_rules, _language(), timezone.localdate()),  # figures warn when out of date
        lambda: render_content_cached(
            text,
            rules=selectors.rules_by_key(rule_keys_in(text)) if with_rules else {},
            glossary=selectors.glossary_slugs_among(glossary_slugs_in(text)),
        ),
    )


def _progress(journey: Journey | None, steps: list[Step]) -> dict[str, Any]:
    done = set(journey.completed_steps) if journey else set()
    total = len(steps)
    count = sum(1 for step in steps if step.key in done)
    return {"done": done, "count": count, "total": total, "percent": round(100 * count / total) if total else 0}


@require_http_methods(["GET", "POST"])
def path_home(request: HttpRequest) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    stages = selectors.stage_list(journey.country if journey else "")
    form = forms.ResumeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            resumed = services.journey_resume(request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if resumed is not None:
                messages.success(request, _("Welcome back! Your progress is loaded."))
                return redirect("pathway:home")
            form.add_error("code", _("We found no journey with this code. Check the letters and try again."))
    steps = selectors.steps_in_order(stages)
    context = {
        "stages": stages,
        "journey": journey,
        "progress": _progress(journey, steps),
        "resume_form": form,
        "next_step": next((s for s in steps if not journey or s.key not in journey.completed_steps), None),
    }
    return render(request, "pathway/home.html", context)


def stage_detail(request: HttpRequest, stage_slug: str) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    stage = selectors.stage_get(stage_slug, journey.country if journey else "")
    steps = list(stage.steps.all())
    loc = stage.localized()
    context = {
        "stage": stage,
        "loc": loc,
        "intro": _content_html(loc.get("body", "")),
        "steps": steps,
        "progress": _progress(journey, steps),
        "journey": journey,
    }
    return render(request, "pathway/stage.html", context)


def _neighbours(stages: list[Stage], step: Step) -> tuple[Step | None, Step | None]:
    ordered = selectors.steps_in_order(stages)
    keys = [s.key for s in ordered]
    index = keys.index(step.key) if step.key in keys else -1
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if 0 <= index < len(ordered) - 1 else None
    return previous, following


def _go_next(following: Step | None) -> HttpResponse:
    if following is None:
        return redirect("pathway:journey")
    return redirect("pathway:step", stage_slug=following.stage.slug, step_slug=following.slug)


@require_http_methods(["GET", "POST"])
def step_detail(request: HttpRequest, stage_slug: str, step_slug: str) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    country = journey.country if journey else ""
    stages = selectors.stage_list(country)
    stage = next((s for s in stages if s.slug == stage_slug), None)
    if stage is None:
        stage = selectors.stage_get(stage_slug, country)
    step = selectors.step_get(stage, step_slug)
    previous, following = _neighbours(stages, step)
    loc = step.localized()
    language = _language()
    context: dict[str, Any] = {
        "stage": stage,
        "step": step,
        "loc": loc,
        "body": _content_html(loc.get("body", "")),
        "previous": previous,
        "following": following,
        "journey": journey,
        "done": bool(journey and step.key in journey.completed_steps),
        "competence_labels": competence_labels(step.competences),
    }
    handler = KIND_HANDLERS.get(step.kind, _text_step)
    response = handler(request, step, journey, context, language)
    if response is not None:
        return response
    return render(request, "pathway/step.html", context)


StepHandler = Callable[[HttpRequest, Step, Journey | None, dict[str, Any], str], HttpResponse | None]


def _text_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    if request.method == "POST":
        journey = services.journey_for_writing(request=request, language=language)
        services.journey_complete_step(journey=journey, step_key=step.key)
        return _go_next(context["following"])
    return None


def _worksheet_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    saved = (journey.answers.get(step.key, {}) if journey else {}) or {}
    form = forms.WorksheetForm(
        _posted(request), initial=saved, fields=context["loc"].get("fields", []), language=language
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        journey = services.journey_for_writing(request=request, language=language)
        services.journey_save_answers(journey=journey, step_key=step.key, answers=form.cleaned_data)
        messages.success(request, _("Saved."))
        return _go_next(context["following"])
    return None


def _readiness_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    data_record = selectors.content_data("assessments:readiness")
    data = data_record.localized().data if data_record else {}
    previous = (journey.readiness or {}) if journey else {}
    form = forms.ReadinessForm(
        _posted(request), initial=previous.get("answers", {}), questions=data.get("questions", [])
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        journey = services.journey_for_writing(request=request, language=language)
        result = guidance.readiness_result(data, form.cleaned_data)
        services.journey_save_readiness(journey=journey, result=result, step_key=step.key)
        return redirect("pathway:step", stage_slug=step.stage.slug, step_slug=step.slug)
    if previous.get("dimensions"):
        # Results are recomputed in the current language from the saved answers.
        readiness = guidance.readiness_result(data, previous.get("answers", {}))
        for dimension in readiness["dimensions"]:
            dimension["competence_labels"] = competence_labels(dimension["competences"])
        context["readiness"] = readiness
    return None


def _country_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    form = forms.CountryForm(_posted(request), initial={"country": journey.country if journey else ""})
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        journey = services.journey_for_writing(request=request, language=language)
        services.journey_set_country(journey=journey, country=form.cleaned_data["country"])
        services.journey_complete_step(journey=journey, step_key=step.key)
        stages = selectors.stage_list(journey.country)
        _prev, following = _neighbours(stages, step)
        return _go_next(following)
    return None


def _needs_country(context: dict[str, Any]) -> bool:
    journey = context.get("journey")
    context["needs_country"] = not (journey and journey.country)
    return context["needs_country"]


def _legal_form_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    if _needs_country(context) or journey is None:
        return None
    record = selectors.content_data(f"legal-forms:{journey.country}")
    data = record.localized().data if record else {}
    form = forms.LegalFormForm(_posted(request), initial=journey.answers.get(step.key, {}))
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        services.journey_save_answers(journey=journey, step_key=step.key, answers=form.cleaned_data)
        return redirect("pathway:step", stage_slug=step.stage.slug, step_slug=step.slug)
    answers = journey.answers.get(step.key)
    if answers:
        context["ranking"] = guidance.legal_form_ranking(
            data, owners=answers.get("owners", "single"), protect_assets=answers.get("protect_assets") == "yes"
        )
        context["rules"] = selectors.rules_by_key(
            [f["min_capital_rule"] for f in data.get("forms", []) if f.get("min_capital_rule")]
        )
    return None


def _eligibility_step(
    request: HttpRequest, step: Step, journey: Journey | None, context: dict[str, Any], language: str
) -> HttpResponse | None:
    if _needs_country(context) or journey is None:
        return None
    record = selectors.content_data(f"microcredit:{journey.country}")
    data = record.localized().data if record else {}
    form = forms.EligibilityForm(
        _posted(request), initial=journey.answers.get(step.key, {}), questions=data.get("eligibility", [])
    )
    context["form"] = form
    providers = data.get("providers", [])
    rules = selectors.rules_by_key([p["max_amount_rule"] for p in providers if p.get("max_amount_rule")])
    context["providers"] = [
        {**p, "cap": rule_value(rules[p["max_amount_rule"]]) if p.get("max_amount_rule") in rules else ""}
        for p in providers
    ]
    if request.method == "POST" and form.is_valid():
        services.journey_save_answers(journey=journey, step_key=step.key, answers=form.cleaned_data)
        return redirect("pathway:step", stage_slug=step.stage.slug, step_slug=step.slug)
    if journey.answers.get(step.key):
        context["eligibility"] = guidance.eligibility_result(data, journey.answers[step.key])
    return None


KIND_HANDLERS: dict[str, StepHandler] = {
    StepKind.TEXT: _text_step,
    StepKind.PLAN: _text_step,
    StepKind.WORKSHEET: _worksheet_step,
    StepKind.READINESS: _readiness_step,
    StepKind.COUNTRY: _country_step,
    StepKind.LEGAL_FORM_CHOOSER: _legal_form_step,
    StepKind.ELIGIBILITY: _eligibility_step,
}


@require_http_methods(["GET", "POST"])
def journey_detail(request: HttpRequest) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    new_code = request.session.pop("micro_new_code", None)
    share_form = forms.ShareForm(_posted(request))
    new_share_code = None
    if journey is not None and request.method == "POST" and share_form.is_valid():
        try:
            _share, new_share_code = services.share_create(
                journey=journey, purpose=share_form.cleaned_data["purpose"], days=share_form.cleaned_data["days"]
            )
        except ValidationError as error:
            share_form.add_error(None, error)
        else:
            share_form = forms.ShareForm()
    stages = selectors.stage_list(journey.country if journey else "")
    context = {
        "journey": journey,
        "new_code": new_code,
        "new_share_code": new_share_code,
        "share_form": share_form,
        "shares": selectors.share_list_for_journey(journey) if journey else [],
        "progress": _progress(journey, selectors.steps_in_order(stages)),
    }
    return render(request, "pathway/journey.html", context)


@require_POST
def journey_new_code(request: HttpRequest) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    if journey is not None:
        services.journey_new_code(request=request, journey=journey)
    return redirect("pathway:journey")


@login_required
@require_POST
def journey_keep(request: HttpRequest) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    if journey is not None:
        try:
            services.journey_attach_user(request=request, journey=journey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[services.SESSION_KEY] = journey.pk
            messages.success(request, _("Your journey is now kept with your account."))
    return redirect("pathway:journey")


@require_POST
def share_withdraw(request: HttpRequest, share_id: int) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    if journey is not None:
        services.share_withdraw(journey=journey, share_id=share_id)
        messages.success(request, _("Access withdrawn. The code no longer works."))
    return redirect("pathway:journey")


@require_http_methods(["GET", "POST"])
def journey_delete(request: HttpRequest) -> HttpResponse:
    journey = selectors.journey_from_request(request)
    if journey is None:
        return redirect("pathway:home")
    if request.method == "POST":
        services.journey_delete(request=request, journey=journey)
        messages.success(request, _("Your journey and everything in it are deleted."))
        return redirect("pathway:home")
    return render(request, "pathway/journey_delete.html", {"journey": journey})


def glossary_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pathway/glossary_list.html", {"terms": selectors.glossary_list()})


def glossary_term(request: HttpRequest, slug: str) -> HttpResponse:
    term = selectors.glossary_get(slug)
    loc = term.localized()
    body = _content_html(loc.get("body", ""), with_rules=False)
    return render(request, "pathway/glossary_term.html", {"term": term, "loc": loc, "body": body})


def rules_list(request: HttpRequest, country: str) -> HttpResponse:
    rules = selectors.rule_list_for_country_or_404(country)
    rows = [
        {"rule": rule, "label": rule.localized().get("label", rule.key), "value": rule_value(rule)} for rule in rules
    ]
    return render(request, "pathway/rules.html", {"rows": rows, "country": country.upper()})


@login_required
@require_http_methods(["GET", "POST"])
def shared_list(request: HttpRequest) -> HttpResponse:
    ensure(has_staff_role(request.user))
    form = forms.ClaimShareForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        share = services.share_claim(request=request, code=form.cleaned_data["code"])
        if share is not None:
            return redirect("pathway:shared_detail", share_id=share.pk)
        form.add_error("code", _("This code does not work: it is wrong, expired or withdrawn."))
    return render(
        request, "pathway/shared_list.html", {"form": form, "shares": selectors.share_list_for_user(request.user)}
    )


@login_required
def shared_detail(request: HttpRequest, share_id: int) -> HttpResponse:
    ensure(has_staff_role(request.user))
    share = selectors.share_get_for_user(request.user, share_id)
    services.share_record_access(request=request, share=share)
    journey = share.journey
    stages = selectors.stage_list(journey.country)
    answered = [
        {"step": step, "answers": journey.answers[step.key], "fields": step.localized().get("fields", [])}
        for step in selectors.steps_in_order(stages)
        if step.key in journey.answers
    ]
    plan = plan_selectors.plan_for_journey(journey)
    context = {
        "share": share,
        "journey": journey,
        "answered": answered,
        "plan": plan,
        "plan_sections": plan_selectors.plan_sections_for_display(plan) if plan else [],
        "results": plan_selectors.plan_results(plan) if plan else None,
    }
    return render(request, "pathway/shared_detail.html", context)
