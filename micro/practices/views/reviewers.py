"""Reviewers' pages: the rubric and the experts a coordinator names."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from micro.core.permissions import ensure
from micro.practices import forms, permissions, selectors, services
from micro.practices.models import CRITERIA
from micro.practices.views._common import _posted
from micro.practices.views.public import _detail_context


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_by_id_for_user(request.user, pk)
    try:
        services.practice_start_review(user=request.user, practice=practice, request=request)
    except services.TransitionError:
        messages.info(request, _("The review of this practice has already started."))
    return redirect("practices:review", pk=practice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_by_id_for_user(request.user, pk)
    if not permissions.can_review_practice(request.user, practice):
        if permissions.is_eligible_reviewer(request.user, practice):
            messages.info(request, _("This practice is not waiting for a review."))
            return redirect("practices:detail", slug=practice.slug)
        raise PermissionDenied
    form = forms.ReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(
                user=request.user,
                practice=practice,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                decision=form.cleaned_data["decision"],
                request=request,
            )
        except services.TransitionError:
            messages.info(request, _("This practice is not waiting for a review."))
            return redirect("practices:detail", slug=practice.slug)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("practices:detail", slug=practice.slug)
    context = _detail_context(request, practice)
    context.update(form=form, criteria=CRITERIA)
    return render(request, "practices/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_by_id_for_user(request.user, pk)
    ensure(permissions.can_assign_reviewers(request.user, practice))
    form = forms.AssignReviewerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_assign(
                user=request.user, practice=practice, reviewer=form.cleaned_data["email"], request=request
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Expert named. They can now review this practice."))
            return redirect("practices:reviewers", pk=practice.pk)
    context = {"practice": practice, "form": form, "assignments": list(practice.assignments.all())}
    return render(request, "practices/reviewers.html", context)


@login_required
@require_POST
def reviewer_remove(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    practice = selectors.practice_get_by_id_for_user(request.user, pk)
    services.reviewer_unassign(user=request.user, practice=practice, assignment_id=assignment_id, request=request)
    return redirect("practices:reviewers", pk=practice.pk)
