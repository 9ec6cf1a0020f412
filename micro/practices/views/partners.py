"""Contribution targets and reuse stories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from micro.core.permissions import ensure
from micro.practices import forms, permissions, selectors, services
from micro.practices.views._common import _language, _posted


@login_required
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest) -> HttpResponse:
    ensure(permissions.can_view_board(request.user))
    can_set = permissions.can_set_targets(request.user)
    form = forms.TargetForm(_posted(request) if can_set else None, organisations=selectors.partner_organisations())
    if request.method == "POST":
        ensure(can_set)
        if form.is_valid():
            try:
                services.target_set(
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    target=form.cleaned_data["target"],
                    due_on=form.cleaned_data["due_on"],
                    request=request,
                )
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("Target saved."))
                return redirect("practices:board")
    context = {"rows": selectors.board_rows(), "form": form if can_set else None}
    return render(request, "practices/board.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reuse_record(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_get_public(slug)
    ensure(permissions.can_record_reuse(request.user, practice))
    organisations = selectors.organisations_for_author(request.user).exclude(pk=practice.organisation_id)
    form = forms.ReuseForm(_posted(request), organisations=organisations, initial={"token": forms.new_token()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reuse_record(
                user=request.user,
                practice=practice,
                organisation=form.cleaned_data["organisation"],
                language=_language(),
                adopted_on=form.cleaned_data["adopted_on"],
                adaptation=form.cleaned_data["adaptation"],
                outcome=form.cleaned_data["outcome"],
                people_reached=form.cleaned_data["people_reached"],
                token=form.cleaned_data.get("token"),
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your adoption of this practice is recorded."))
            return redirect(reverse("practices:detail", args=[practice.slug]) + "#reuse")
    return render(request, "practices/reuse_form.html", {"practice": practice, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reuse_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reuse = selectors.reuse_get_for_edit(request.user, pk)
    texts = reuse.translations.get(reuse.original_language, {})
    initial = {
        "adopted_on": reuse.adopted_on,
        "adaptation": texts.get("adaptation", ""),
        "outcome": texts.get("outcome", ""),
        "people_reached": reuse.people_reached,
    }
    form = forms.ReuseForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reuse_update(
                user=request.user,
                reuse=reuse,
                adopted_on=form.cleaned_data["adopted_on"],
                adaptation=form.cleaned_data["adaptation"],
                outcome=form.cleaned_data["outcome"],
                people_reached=form.cleaned_data["people_reached"],
                request=request,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("practices:detail", args=[reuse.practice.slug]) + "#reuse")
    return render(request, "practices/reuse_form.html", {"practice": reuse.practice, "form": form, "reuse": reuse})
