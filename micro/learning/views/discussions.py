"""Lesson discussions of a cohort: the threads of a lesson, one thread with its replies, and the
moderation actions of the cohort's trainers (hide a message with a reason, lock a thread).

Every page goes through ``selectors.discussions``, which answers 404 outside the cohort.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from micro.learning import forms_discussions as forms
from micro.learning.selectors import discussions as selectors
from micro.learning.services import discussions as services
from micro.learning.views.courses import learner_required


def _thread_url(cohort_id: int, thread_id: int, page: int | None = None) -> str:
    url = reverse("learning:discussion_thread", kwargs={"cohort_id": cohort_id, "thread_id": thread_id})
    return f"{url}?page={page}#latest" if page else url


@require_http_methods(["GET", "POST"])
@learner_required
def discussion_list(request: HttpRequest, cohort_id: int, lesson_id: int) -> HttpResponse:
    scope = selectors.discussion_scope_for(request.user, cohort_id)
    lesson = selectors.discussion_lesson_get(scope, lesson_id)
    form = forms.ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread, created = services.thread_start(
                cohort=scope.cohort,
                lesson=lesson,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Your thread is open."))
            else:
                messages.info(request, _("This thread was already posted; it was not posted twice."))
            return redirect(_thread_url(scope.cohort.pk, thread.pk))
    context = {
        "scope": scope,
        "cohort": scope.cohort,
        "lesson": lesson,
        "threads": selectors.thread_page_for(request.user, scope, lesson, request.GET.get("page")),
        "form": form,
    }
    return render(request, "learning/discussion_list.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@learner_required
def discussion_thread(request: HttpRequest, cohort_id: int, thread_id: int) -> HttpResponse:
    scope, thread = selectors.thread_get_for(request.user, cohort_id, thread_id)
    form = forms.ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _post, created = services.post_reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Your reply is posted."))
            else:
                messages.info(request, _("This reply was already posted; it was not posted twice."))
            last_page = selectors.post_page_for(thread, "last").number
            return redirect(_thread_url(scope.cohort.pk, thread.pk, last_page))
    posts = selectors.post_page_for(thread, request.GET.get("page"))
    if request.method == "GET":
        services.thread_mark_read(thread=thread, user=request.user)
    context = {
        "scope": scope,
        "cohort": scope.cohort,
        "thread": thread,
        "lesson": thread.lesson,
        "posts": posts,
        "form": form,
    }
    return render(request, "learning/discussion_thread.html", context, status=400 if form.errors else 200)


@require_POST
@learner_required
def discussion_hide(request: HttpRequest, cohort_id: int, post_id: int) -> HttpResponse:
    scope, post = selectors.post_get_for_moderator(request.user, cohort_id, post_id)
    form = forms.HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why the message is hidden, in at most 300 characters."))
        return redirect(_thread_url(scope.cohort.pk, post.thread_id))
    try:
        _post, changed = services.post_hide(
            post=post, by=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The message is hidden.") if changed else _("The message was already hidden."))
    return redirect(_thread_url(scope.cohort.pk, post.thread_id))


@require_POST
@learner_required
def discussion_lock(request: HttpRequest, cohort_id: int, thread_id: int) -> HttpResponse:
    scope, thread = selectors.thread_get_for(request.user, cohort_id, thread_id)
    if not scope.can_moderate:
        raise Http404
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to lock or unlock the thread."))
        return redirect(_thread_url(scope.cohort.pk, thread.pk))
    locked = form.cleaned_data["locked"]
    _thread, changed = services.thread_lock(thread=thread, by=request.user, locked=locked, request=request)
    if not changed:
        messages.info(request, _("Nothing changed."))
    else:
        messages.success(request, _("The thread is locked.") if locked else _("The thread is open again."))
    return redirect(_thread_url(scope.cohort.pk, thread.pk))


routes: list[URLPattern] = [
    path("cohorts/<int:cohort_id>/lessons/<int:lesson_id>/discussion/", discussion_list, name="discussion_list"),
    path("cohorts/<int:cohort_id>/discussion/<int:thread_id>/", discussion_thread, name="discussion_thread"),
    path("cohorts/<int:cohort_id>/discussion/<int:thread_id>/lock/", discussion_lock, name="discussion_lock"),
    path("cohorts/<int:cohort_id>/discussion/messages/<int:post_id>/hide/", discussion_hide, name="discussion_hide"),
]
