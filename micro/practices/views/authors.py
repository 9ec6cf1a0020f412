"""Authors' pages: workspace, drafting, translations, indicators, files, submission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from micro.core.permissions import ensure
from micro.practices import forms, permissions, selectors, services
from micro.practices.models import FIELD_LABELS, Practice
from micro.practices.views._common import _language, _posted


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    ensure(permissions.can_view_board(request.user))
    context = {
        "practices": list(selectors.practice_list_for_organisations(request.user)),
        "to_review": selectors.practice_list_to_review(request.user),
        "can_create": permissions.can_create_practice(request.user),
    }
    return render(request, "practices/workspace.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request: HttpRequest) -> HttpResponse:
    ensure(permissions.can_create_practice(request.user))
    organisations = selectors.organisations_for_author(request.user)
    initial = {"language": _language(), "token": forms.new_token()}
    first = organisations.first()
    if first is not None:
        initial["country"] = first.country
    form = forms.PracticeForm(_posted(request), organisations=organisations, creating=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_create(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                language=form.cleaned_data["language"],
                texts=form.texts(),
                fields=form.structured(),
                token=form.cleaned_data.get("token"),
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Add indicators and files, then submit it for review."))
            return redirect("practices:edit", pk=practice.pk)
    return render(request, "practices/form.html", {"form": form, "creating": True})


def _edit_context(request: HttpRequest, practice: Practice, **forms_in_use: Any) -> dict[str, Any]:
    context = {
        "practice": practice,
        "loc": practice.localized(practice.original_language),
        "form": forms_in_use.get("form") or forms.PracticeForm(initial=forms.PracticeForm.initial_for(practice)),
        "indicator_form": forms_in_use.get("indicator_form")
        or forms.IndicatorForm(initial={"token": forms.new_token()}),
        "attachment_form": forms_in_use.get("attachment_form") or forms.AttachmentForm(),
        "indicators": [
            (indicator, indicator.localized(practice.original_language)) for indicator in practice.indicators.all()
        ],
        "attachments": list(practice.attachments.all()),
        "missing": [FIELD_LABELS.get(name, name) for name in services.missing_for_submission(practice)],
        "reviews": selectors.review_list_for_practice(practice),
        "translation_languages": [
            (code, name, code in practice.translations)
            for code, name in _languages()
            if code != practice.original_language
        ],
    }
    return context


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return list(settings.LANGUAGES)


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    form = forms.PracticeForm(_posted(request), initial=forms.PracticeForm.initial_for(practice))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(
                user=request.user, practice=practice, texts=form.texts(), fields=form.structured(), request=request
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("practices:edit", pk=practice.pk)
    return render(request, "practices/edit.html", _edit_context(request, practice, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def practice_translate(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    names = dict(_languages())
    if language not in names or language == practice.original_language:
        raise Http404
    form = forms.TranslationForm(_posted(request), practice=practice, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_translate(
                user=request.user,
                practice=practice,
                language=language,
                texts=form.texts(),
                checked=form.cleaned_data["checked"],
                indicator_labels=form.indicator_labels(),
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Translation saved."))
            return redirect("practices:edit", pk=practice.pk)
    context = {
        "practice": practice,
        "form": form,
        "language": language,
        "language_name": names[language],
        "original": practice.translations.get(practice.original_language, {}),
    }
    return render(request, "practices/translate.html", context)


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    form = forms.IndicatorForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_add(
                user=request.user,
                practice=practice,
                label=form.cleaned_data["label"],
                value=form.cleaned_data["value"],
                unit=form.cleaned_data["unit"],
                measured_on=form.cleaned_data["measured_on"],
                token=form.cleaned_data.get("token"),
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Indicator added."))
            return redirect(reverse("practices:edit", args=[practice.pk]) + "#indicators")
    return render(request, "practices/edit.html", _edit_context(request, practice, indicator_form=form), status=400)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    services.indicator_delete(user=request.user, practice=practice, indicator_id=indicator_id, request=request)
    return redirect(reverse("practices:edit", args=[practice.pk]) + "#indicators")


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                user=request.user,
                practice=practice,
                checked=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect(reverse("practices:edit", args=[practice.pk]) + "#files")
    return render(request, "practices/edit.html", _edit_context(request, practice, attachment_form=form), status=400)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    practice = selectors.practice_get_for_edit(request.user, pk)
    services.attachment_delete(user=request.user, practice=practice, attachment_id=attachment_id, request=request)
    return redirect(reverse("practices:edit", args=[practice.pk]) + "#files")


@login_required
@require_POST
def practice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_by_id_for_user(request.user, pk)
    try:
        services.practice_submit(user=request.user, practice=practice, request=request)
    except services.TransitionError:
        messages.info(request, _("This practice was already submitted."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("practices:edit", pk=practice.pk)
    else:
        messages.success(request, _("Submitted for review. You will see the reviewers' comments here."))
    return redirect("practices:detail", slug=practice.slug)
