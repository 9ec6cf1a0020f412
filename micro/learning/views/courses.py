"""E-learning pages: thin views that check access, call a selector or a service, and render.

Every page needs a signed-in person with a staff role (operators learn here); others get 403.
Records of one learner are reached only through selectors that scope them (404 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from micro.core.services import audit_record
from micro.learning import forms, permissions, presentation, selectors, services
from micro.learning.models import (
    ActivityKind,
    AttemptStatus,
    AttendanceStatus,
    LessonImage,
    LessonResource,
    Phase,
    SubmissionStatus,
)
from micro.learning.uploads import CONTENT_TYPES

View = Callable[..., HttpResponseBase]


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def learner_required(view: View) -> View:
    """Signed in, with an active staff role (or an author); otherwise 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (permissions.is_learner(request.user) or permissions.can_author(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _private_file(file: Any, content_type: str, download_name: str, *, attachment: bool) -> FileResponse:
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=attachment, filename=download_name
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- courses and lessons ---------------------------------------------------------------------


@require_GET
@learner_required
def course_list(request: HttpRequest) -> HttpResponse:
    outlines = selectors.course_outlines_for_learner(request.user)
    return render(request, "learning/course_list.html", {"outlines": outlines})


@require_GET
@learner_required
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    outline = selectors.course_outline_for_learner(request.user, course_slug)
    return render(request, "learning/course_detail.html", {"outline": outline, "loc": outline.course.loc})


@require_http_methods(["GET", "POST"])
@learner_required
def lesson_detail(request: HttpRequest, course_slug: str, module_slug: str, lesson_slug: str) -> HttpResponse:
    page = selectors.lesson_get_for_learner(request.user, course_slug, module_slug, lesson_slug)
    if request.method == "POST":
        services.lesson_mark_read(lesson=page.lesson, learner=request.user)
        messages.success(request, _("Marked as read."))
        if page.following is not None:
            return redirect(presentation.lesson_url(page.following, page.lesson.module.course))
        return redirect("learning:course", course_slug=course_slug)
    return render(request, "learning/lesson.html", presentation.lesson_context(page, _language(), preview=False))


@require_GET
@learner_required
def lesson_image(request: HttpRequest, pk: int) -> FileResponse:
    image = selectors.lesson_file_for_learner(request.user, LessonImage, pk)
    return _private_file(image.file, image.content_type, f"{image.key}", attachment=False)


@require_GET
@learner_required
def resource_download(request: HttpRequest, pk: int) -> FileResponse:
    resource = selectors.lesson_file_for_learner(request.user, LessonResource, pk)
    name = resource.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return _private_file(resource.file, resource.content_type or "application/octet-stream", name, attachment=True)


# --- activities ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@learner_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_learner(request.user, activity_id)
    context: dict[str, Any] = {
        "activity": activity,
        "loc": activity.loc,
        "instructions": presentation.markdown(activity.loc.get("instructions", "")),
        "missing": selectors.lesson_prerequisites_missing(request.user, activity.lesson),
        "progress": selectors.activity_progress_for(request.user, activity),
        "lesson_url": presentation.lesson_url(activity.lesson),
    }
    if activity.kind == ActivityKind.QUIZ:
        if request.method == "POST":
            raise PermissionDenied
        attempts = selectors.attempts_for(request.user, activity)
        context["attempts"] = attempts
        context["open_attempt"] = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        context["attempts_left"] = presentation.tries_left(activity, len(attempts))
        return render(request, "learning/activity_quiz.html", context)
    if activity.kind == ActivityKind.SCENARIO:
        if request.method == "POST":
            raise PermissionDenied
        runs = selectors.scenario_runs_for(request.user, activity)
        context["runs"] = runs
        context["open_run"] = next((run for run in runs if run.finished_at is None), None)
        context["attempts_left"] = presentation.tries_left(activity, len(runs))
        return render(request, "learning/activity_scenario.html", context)
    return _assignment(request, activity, context)


def _assignment(request: HttpRequest, activity: Any, context: dict[str, Any]) -> HttpResponse:
    submissions = selectors.submissions_for(request.user, activity)
    latest = submissions[0] if submissions else None
    can_submit = (latest is None or latest.status == SubmissionStatus.RETURNED) and presentation.tries_left(
        activity, len(submissions)
    ) != 0
    form = forms.SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        mode=activity.submission_mode,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_submit(
                activity=activity,
                learner=request.user,
                text=form.cleaned_data.get("text", ""),
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your work is handed in. Your trainer will review it."))
            return redirect("learning:activity", activity_id=activity.pk)
    context.update(
        {
            "form": form,
            "submissions": [presentation.submission_view(s, _language()) for s in submissions],
            "can_submit": can_submit,
            "criteria": presentation.rubric_view(selectors.rubric_for(activity), _language()),
        }
    )
    return render(request, "learning/activity_assignment.html", context, status=400 if form.errors else 200)


@require_POST
@learner_required
def quiz_start(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_learner(request.user, activity_id, ActivityKind.QUIZ)
    try:
        attempt = services.attempt_start(activity=activity, learner=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("learning:activity", activity_id=activity.pk)
    return redirect("learning:attempt", attempt_id=attempt.pk)


@require_http_methods(["GET", "POST"])
@learner_required
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_learner(request.user, attempt_id)
    attempt = services.attempt_close_if_expired(attempt=attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        if request.method == "POST":
            messages.info(request, _("This attempt is already finished; your answers were not changed."))
        return redirect("learning:attempt_result", attempt_id=attempt.pk)
    language = _language()
    questions = selectors.questions_by_id(list(attempt.question_ids))
    answers = selectors.answers_by_question(attempt)
    form = forms.QuizForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        seed=attempt.seed,
        language=language,
        initial=forms.QuizForm.initial_from(questions, answers),
    )
    if request.method == "POST" and form.is_valid():
        if "submit" in request.POST:
            attempt, _applied = services.attempt_submit(attempt=attempt, responses=form.responses(), language=language)
            if attempt.status == AttemptStatus.TIMED_OUT:
                messages.warning(request, _("The time was over: the answers saved before the deadline were marked."))
            return redirect("learning:attempt_result", attempt_id=attempt.pk)
        attempt = services.attempt_answers_save(attempt=attempt, responses=form.responses(), language=language)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            messages.warning(
                request, _("The time for this attempt is over. It was closed with the answers saved before.")
            )
            return redirect("learning:attempt_result", attempt_id=attempt.pk)
        messages.success(request, _("Your answers are saved. You can come back and submit later."))
        return redirect("learning:attempt", attempt_id=attempt.pk)
    context = {
        "attempt": attempt,
        "activity": attempt.activity,
        "form": form,
        "items": presentation.quiz_items(form, language),
        "now": timezone.now(),
    }
    return render(request, "learning/attempt.html", context, status=400 if form.errors else 200)


@require_GET
@learner_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = selectors.attempt_get_viewable(request.user, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        if attempt.learner_id == request.user.pk:
            return redirect("learning:attempt", attempt_id=attempt.pk)
        raise Http404  # a trainer sees results once the learner has finished
    if attempt.learner_id != request.user.pk:
        audit_record(action="learning.attempt.view", obj=attempt, request=request)
    used = len(selectors.attempts_for(attempt.learner, attempt.activity))
    reveal = (
        attempt.passed or presentation.tries_left(attempt.activity, used) == 0 or attempt.learner_id != request.user.pk
    )
    context = {
        "attempt": attempt,
        "activity": attempt.activity,
        "results": presentation.attempt_results(attempt, _language(), reveal=reveal),
        "reveal": reveal,
        "own": attempt.learner_id == request.user.pk,
    }
    return render(request, "learning/attempt_result.html", context)


@require_POST
@learner_required
def scenario_start(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_learner(request.user, activity_id, ActivityKind.SCENARIO)
    try:
        run = services.scenario_run_start(activity=activity, learner=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("learning:activity", activity_id=activity.pk)
    return redirect("learning:scenario_run", run_id=run.pk)


@require_http_methods(["GET", "POST"])
@learner_required
def scenario_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.scenario_run_get_viewable(request.user, run_id)
    language = _language()
    own = run.learner_id == request.user.pk
    nodes = selectors.scenario_nodes(run.activity)
    if run.finished_at is None and own and run.current_node is not None:
        posted_step = request.POST.get("step", "") if request.method == "POST" else ""
        if posted_step.isdigit() and int(posted_step) < len(run.path):
            # A form from an earlier step (double click, back button): that step was already taken.
            messages.info(request, _("That step was already answered; here is where the conversation is now."))
            return redirect("learning:scenario_run", run_id=run.pk)
        node = nodes.get(run.current_node.key, run.current_node)
        form = forms.ScenarioChoiceForm(
            request.POST if request.method == "POST" else None,
            node=node,
            language=language,
            initial={"step": len(run.path)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.scenario_run_choose(
                    run=run, choice_key=form.cleaned_data["choice"], step=form.cleaned_data["step"]
                )
            except ValidationError as error:
                form.add_error("choice", error)
            else:
                return redirect("learning:scenario_run", run_id=run.pk)
        context = presentation.scenario_context(run, nodes, language)
        context.update({"form": form, "node": node, "node_loc": node.localized(language)})
        context["node_text"] = presentation.markdown(context["node_loc"].get("text", ""))
        return render(request, "learning/scenario_run.html", context, status=400 if form.errors else 200)
    if request.method == "POST":
        return redirect("learning:scenario_run", run_id=run.pk)
    if not own:
        audit_record(action="learning.scenario_run.view", obj=run, request=request)
    return render(request, "learning/scenario_run.html", presentation.scenario_context(run, nodes, language))


@require_GET
@learner_required
def submission_file(request: HttpRequest, submission_id: int) -> FileResponse:
    submission = selectors.submission_get_viewable(request.user, submission_id)
    if not submission.file:
        raise PermissionDenied
    if submission.learner_id != request.user.pk:
        audit_record(action="learning.submission.download", obj=submission, request=request)
    return _private_file(
        submission.file,
        CONTENT_TYPES.get(submission.file_type, "application/octet-stream"),
        submission.file_name,
        attachment=True,
    )


# --- reviews ---------------------------------------------------------------------------------


@require_GET
@learner_required
def review_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_anyone(request.user):
        raise PermissionDenied
    submissions = list(selectors.submission_list_for_reviewer(request.user)[:200])
    return render(request, "learning/review_list.html", {"submissions": submissions})


@require_http_methods(["GET", "POST"])
@learner_required
def review_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_get_for_reviewer(request.user, submission_id)
    language = _language()
    criteria = selectors.rubric_for(submission.activity)
    form = forms.ReviewForm(request.POST if request.method == "POST" else None, criteria=criteria, language=language)
    already = submission.status != SubmissionStatus.SUBMITTED
    if request.method == "POST" and already:
        messages.info(request, _("This submission has already been reviewed."))
        return redirect("learning:review", submission_id=submission.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_review(
                submission=submission,
                reviewer=request.user,
                levels=form.levels(),
                comments=form.criterion_comments(),
                overall=form.cleaned_data["comments"],
                decision=form.cleaned_data["decision"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your review is saved and the learner can see it."))
            return redirect("learning:reviews")
    if request.method == "GET":
        audit_record(action="learning.submission.view", obj=submission, request=request)
    context = {
        "submission": presentation.submission_view(submission, language),
        "raw": submission,
        "activity": submission.activity,
        "form": form,
        "already": already,
        "history": [
            presentation.submission_view(s, language)
            for s in selectors.submissions_for(submission.learner, submission.activity)
            if s.pk != submission.pk
        ],
        "rubric": presentation.rubric_view(criteria, language),
    }
    return render(request, "learning/review.html", context, status=400 if form.errors else 200)


# --- cohorts ---------------------------------------------------------------------------------


@require_GET
@learner_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = list(selectors.cohort_list_for(request.user)[:200])
    return render(request, "learning/cohort_list.html", {"cohorts": cohorts})


@require_GET
@learner_required
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    view = selectors.cohort_get_for(request.user, cohort_id)
    labels = dict(AttendanceStatus.choices)
    sessions = [(s, labels.get(view.my_attendance.get(s.pk, ""), "")) for s in view.sessions]
    context: dict[str, Any] = {"view": view, "sessions": sessions}
    if view.can_manage:
        context["report"] = selectors.cohort_gain_report(view)
        context["survey_labels"] = forms.survey_item_labels()
    return render(request, "learning/cohort_detail.html", context)


@require_http_methods(["GET", "POST"])
@learner_required
def self_assessment(request: HttpRequest, cohort_id: int, phase: str) -> HttpResponse:
    enrolment = selectors.enrolment_get_for_learner(request.user, cohort_id)
    if phase not in Phase.values:
        raise Http404
    competences = selectors.cohort_competences(enrolment.cohort)
    levels = selectors.self_assessment_for(enrolment.cohort, request.user, phase)
    form = forms.SelfAssessmentForm(
        request.POST if request.method == "POST" else None, competences=competences, levels=levels
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(enrolment=enrolment, phase=phase, levels=form.levels())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("learning:cohort", cohort_id=cohort_id)
    context = {"cohort": enrolment.cohort, "form": form, "phase_label": Phase(phase).label}
    return render(request, "learning/self_assessment.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@learner_required
def survey(request: HttpRequest, cohort_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get_for_learner(request.user, cohort_id)
    form = forms.SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(enrolment=enrolment, answers=form.answers(), comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you."))
            return redirect("learning:cohort", cohort_id=cohort_id)
    context = {"cohort": enrolment.cohort, "form": form}
    return render(request, "learning/survey.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@learner_required
def attendance(request: HttpRequest, cohort_id: int, session_id: int) -> HttpResponse:
    sheet = selectors.attendance_sheet_for(request.user, cohort_id, session_id)
    form = forms.AttendanceForm(
        request.POST if request.method == "POST" else None, enrolments=sheet.enrolments, statuses=sheet.statuses
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(session=sheet.session, by=request.user, statuses=form.statuses())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("learning:cohort", cohort_id=sheet.cohort.pk)
    context = {"sheet": sheet, "form": form}
    return render(request, "learning/attendance.html", context, status=400 if form.errors else 200)


# --- progress --------------------------------------------------------------------------------


@require_GET
@learner_required
def my_progress(request: HttpRequest) -> HttpResponse:
    outlines = selectors.course_outlines_for_learner(request.user)
    areas = selectors.competence_progress_for_learner(request.user)
    context = {
        "outlines": outlines,
        "areas": areas,
        "suggestions": selectors.next_steps_for_learner(outlines, areas),
    }
    return render(request, "learning/progress.html", context)


# --- author's preview ------------------------------------------------------------------------


@require_GET
@learner_required
def preview_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    page = selectors.lesson_get_for_author(request.user, lesson_id)
    return render(request, "learning/lesson.html", presentation.lesson_context(page, _language(), preview=True))


@require_http_methods(["GET", "POST"])
@learner_required
def preview_activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The activity as a learner meets it, without recording anything."""
    activity = selectors.activity_get_for_author(request.user, activity_id)
    language = _language()
    context: dict[str, Any] = {
        "activity": activity,
        "loc": activity.localized(language),
        "instructions": presentation.markdown(activity.localized(language).get("instructions", "")),
    }
    if activity.kind == ActivityKind.QUIZ:
        seed = presentation.seed_from(request.GET.get("seed"))
        context.update(
            presentation.quiz_preview(activity, seed, request.POST if request.method == "POST" else None, language)
        )
        context["seed"] = seed
        return render(request, "learning/preview_quiz.html", context)
    if activity.kind == ActivityKind.SCENARIO:
        context.update(presentation.scenario_preview(activity, request.GET.get("path", ""), language))
        return render(request, "learning/preview_scenario.html", context)
    context["criteria"] = presentation.rubric_view(selectors.rubric_for(activity), language)
    context["form"] = forms.SubmissionForm(mode=activity.submission_mode)
    return render(request, "learning/preview_assignment.html", context)
