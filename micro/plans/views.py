"""The migrant's business-plan builder: overview, written sections, budget, sales and costs, loan, results, PDF.

Thin views: parse with a form, call a service or a selector, render. Every page works without
JavaScript; with htmx, a change on an input page posts the form here and gets back only the
summary partial (``template#summary``) computed from the typed values, without saving.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from micro.plans import forms, selectors, services
from micro.plans import pdf as plan_pdf
from micro.plans.models import BusinessPlan

INPUT_PAGES: dict[str, tuple[type[forms.PlanInputForm], str]] = {
    "budget": (forms.BudgetForm, "plans/budget.html"),
    "sales": (forms.SalesForm, "plans/sales.html"),
    "loan": (forms.LoanForm, "plans/loan.html"),
}


def _language() -> str:
    return translation.get_language() or "en"


def _plan_for_writing(request: HttpRequest, form: forms.VersionedForm) -> BusinessPlan:
    return services.plan_for_first_save(
        request=request, language=_language(), save_key=form.cleaned_data.get("save_key") or ""
    )


def _apply_service_error(form: forms.VersionedForm, error: ValidationError) -> None:
    """Show a service refusal on the form; after a stale refusal the next save is a deliberate overwrite."""
    if isinstance(error, services.StalePlanError):
        if isinstance(form.data, QueryDict):
            data = form.data.copy()
            data["version"] = str(error.current_version)
            form.data = data
        form.add_error(None, error)
        for field in error.fields:
            if field in form.fields:
                form.add_error(field, _("This was also changed on the other device: check it before you save."))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _saved_message(request: HttpRequest, plan: BusinessPlan) -> None:
    if plan.merged_save:
        messages.success(
            request,
            _("Your plan is saved. It had been changed on another device meanwhile: those changes are kept too."),
        )
    else:
        messages.success(request, _("Your plan is saved."))


@never_cache
@require_GET
def builder(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_for_request(request)
    context = {
        "plan": plan,
        "progress": selectors.plan_progress(plan),
        "results": selectors.plan_results(plan) if plan else None,
        "active": "builder",
    }
    return render(request, "plans/builder.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def sections(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_for_request(request)
    initial = forms.SectionsForm.initial_for(
        title=plan.title if plan else "",
        sections=plan.sections if plan else {},
        version=plan.version if plan else 1,
        loaded=services.field_digests(services.section_values(plan)),
    )
    form = forms.SectionsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = plan or _plan_for_writing(request, form)
        try:
            services.plan_save_sections(
                plan=target,
                title=form.cleaned_data["title"],
                sections=form.sections(),
                expected_version=form.cleaned_data.get("version") or 0,
                loaded=form.cleaned_data.get("loaded"),
            )
        except ValidationError as error:
            _apply_service_error(form, error)
        else:
            _saved_message(request, target)
            return redirect("plans:sections")
    return render(request, "plans/sections.html", {"form": form, "plan": plan, "active": "sections"})


def _input_page(request: HttpRequest, part: str) -> HttpResponse:
    form_class, template_name = INPUT_PAGES[part]
    plan = selectors.plan_for_request(request)
    inputs = dict(plan.inputs) if plan else {}
    version = plan.version if plan else 1
    posted = request.POST if request.method == "POST" else None
    loaded = services.field_digests(services.input_part_values(plan, part))
    form = form_class(posted, inputs=inputs, version=version, loaded=loaded)
    valid = posted is not None and form.is_valid()
    # What the numbers would be with the typed values (the stored ones while the form has errors).
    typed = form.to_inputs() if valid else {}
    candidate = {**inputs, **typed}
    if posted is not None and getattr(request, "htmx", False):
        # Live recalculation: computed from the typed values, never saved.
        results = selectors.results_from_inputs(candidate)
        context = {"form": form, "results": results, "part": part, "preview": True}
        return render(request, f"{template_name}#summary", context)
    if valid:
        target = plan or _plan_for_writing(request, form)
        part_loaded = form.cleaned_data.get("loaded")
        try:
            services.plan_save_inputs(
                plan=target,
                data=typed,
                expected_version=form.cleaned_data.get("version") or 0,
                loaded=None if part_loaded is None else {part: part_loaded},
            )
        except ValidationError as error:
            _apply_service_error(form, error)
        else:
            _saved_message(request, target)
            return redirect(f"plans:{part}")
    results = selectors.results_from_inputs(candidate)
    context = {"form": form, "plan": plan, "results": results, "part": part, "active": part}
    return render(request, template_name, context)


@never_cache
@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest) -> HttpResponse:
    return _input_page(request, "budget")


@never_cache
@require_http_methods(["GET", "POST"])
def sales(request: HttpRequest) -> HttpResponse:
    return _input_page(request, "sales")


@never_cache
@require_http_methods(["GET", "POST"])
def loan(request: HttpRequest) -> HttpResponse:
    return _input_page(request, "loan")


@never_cache
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_for_request(request)
    context = {
        "plan": plan,
        "results": selectors.plan_results(plan) if plan else selectors.results_from_inputs({}),
        "active": "results",
    }
    return render(request, "plans/results.html", context)


@never_cache
@require_GET
def pdf(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_for_request(request)
    if plan is None:
        messages.info(request, _("Save at least one page of your plan before you download it."))
        return redirect("plans:builder")
    document = plan_pdf.render_plan_pdf(plan=plan, results=selectors.plan_results(plan), language=_language())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="business-plan.pdf"'
    return response
