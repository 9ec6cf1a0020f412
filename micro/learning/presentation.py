"""Shapes what the selectors return into what the templates show (texts in the reader's language,
Markdown rendered safely, answers written out). No rules and no writes live here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from micro.core import content_cache
from micro.core.content_i18n import Localized
from micro.learning import grading, scoring, selectors
from micro.learning.forms import QuizForm, choice_label
from micro.learning.models import (
    Activity,
    AnswerStatus,
    Attempt,
    Competence,
    Course,
    Lesson,
    Question,
    QuestionKind,
    RubricCriterion,
    ScenarioNode,
    ScenarioRun,
    Submission,
)
from micro.learning.rendering import lesson_body_html, markdown_html


def markdown(text: str) -> SafeString:
    return markdown_html(text)


def lesson_url(lesson: Lesson, course: Course | None = None) -> str:
    course = course or lesson.module.course
    return reverse("learning:lesson", args=[course.slug, lesson.module.slug, lesson.slug])


def tries_left(activity: Activity, used: int) -> int | None:
    """How many more tries the learner has (None: no limit)."""
    if activity.max_attempts is None:
        return None
    return max(activity.max_attempts - used, 0)


def seed_from(text: str | None) -> int:
    try:
        return max(0, min(int(text or 1), 2**48))
    except ValueError:
        return 1


# --- lessons ---------------------------------------------------------------------------------


def language_variants(translations: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(code, name, status, is a UI language) for every language a content item is written in."""
    names = dict(settings.LANGUAGES)
    return [
        (code, str(names.get(code, code)), str((texts or {}).get("status", "draft")), code in names)
        for code, texts in sorted(translations.items())
    ]


@dataclass(frozen=True)
class LessonContentHtml:
    """The parts of a lesson page that are the same for every learner, rendered once."""

    top: SafeString  # breadcrumb and title
    main: SafeString  # translation notice, languages, competences, body, figures, video, resources
    activities: dict[int, SafeString]  # activity id -> its link and kind (the learner's badges follow)
    step_nav: SafeString  # links to the previous and the next lesson


def _lesson_content_html(
    lesson: Lesson, language: str, preview: bool, neighbours: tuple[Lesson | None, Lesson | None]
) -> LessonContentHtml:
    loc = lesson.localized(language)
    images = list(lesson.images.all())
    referenced = {image.key for image in images if f"image:{image.key}" in loc.get("body", "")}
    context = {
        "lesson": lesson,
        "course": lesson.module.course,
        "module": lesson.module,
        "loc": loc,
        "body": lesson_body_html(lesson, loc.get("body", ""), images, language),
        "figures": [(image, image.localized(language)) for image in images if image.key not in referenced],
        "resources": [(resource, resource.localized(language)) for resource in lesson.resources.all()],
        "competences": list(lesson.competences.all()),
        "variants": language_variants(lesson.translations),
        "preview": preview,
    }
    previous, following = neighbours
    course = lesson.module.course
    context["previous_url"] = lesson_url(previous, course) if previous else ""
    context["following_url"] = lesson_url(following, course) if following else ""
    return LessonContentHtml(
        top=_html("learning/_lesson_top.html", context),
        main=_html("learning/_lesson_main.html", context),
        activities={
            activity.pk: _html("learning/_lesson_activity.html", {"activity": activity, "preview": preview})
            for activity in lesson.activities.all()
        },
        step_nav=_html("learning/_lesson_step_nav.html", context),
    )


def _activity_link(content: LessonContentHtml, activity: Activity, preview: bool) -> SafeString:
    # An activity added in the second before this worker saw the new content revision is not in
    # the cached HTML yet: render it now rather than fail.
    cached = content.activities.get(activity.pk)
    if cached is not None:
        return cached
    return _html("learning/_lesson_activity.html", {"activity": activity, "preview": preview})


def _html(template: str, context: dict[str, Any]) -> SafeString:
    return mark_safe(render_to_string(template, context))  # noqa: S308 - our template's output, escaped there


def lesson_context(page: selectors.LessonPage, language: str, *, preview: bool) -> dict[str, Any]:
    """The lesson page: its shared parts (activity links and the links to the neighbouring lessons
    included) come rendered from the worker's content cache, keyed by lesson, language, preview and
    day, since cited figures warn when out of date; the learner's progress badges, the discussions
    and the form are rendered on each request."""
    lesson = page.lesson
    content = content_cache.cached(
        ("learning.lesson_html", lesson.pk, language, preview, timezone.localdate()),
        lambda: _lesson_content_html(lesson, language, preview, (page.previous, page.following)),
    )
    return {
        "page": page,
        "lesson": lesson,
        "course": lesson.module.course,
        "module": lesson.module,
        "loc": lesson.localized(language),
        "content": content,
        "activities": [(state, _activity_link(content, state.activity, preview)) for state in page.state.activities],
        "state": page.state,
        "preview": preview,
    }


# --- quizzes ---------------------------------------------------------------------------------


@dataclass
class QuizItem:
    number: int
    question: Question
    prompt: SafeString
    fields: list[Any]
    kind: str


def quiz_items(form: QuizForm, language: str) -> list[QuizItem]:
    return [
        QuizItem(
            number=index,
            question=question,
            prompt=markdown(question.localized(language).get("prompt", "")),
            fields=bound_fields,
            kind=question.kind,
        )
        for index, (question, bound_fields) in enumerate(form.question_fields(), start=1)
    ]


@dataclass
class ResultItem:
    number: int
    question: Question
    loc: Localized
    prompt: SafeString
    status: str
    status_display: str
    points: Decimal
    max_points: Decimal
    given: list[str]
    correct: list[str]
    feedback: list[str]
    explanation: SafeString | str = ""
    competences: list[Competence] = field(default_factory=list)


def _choice_texts(question: Question, keys: list[str], language: str) -> list[str]:
    by_key = {choice.key: choice for choice in question.choices.all()}
    return [choice_label(by_key[key], language, question.kind) for key in keys if key in by_key]


def written_answer(question: Question, response: Any, language: str) -> list[str]:
    """The learner's answer as lines of text."""
    if response in (None, "", [], {}):
        return []
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return _choice_texts(question, [str(response)], language)
    if kind == QuestionKind.MULTIPLE and isinstance(response, list):
        return _choice_texts(question, [str(key) for key in response], language)
    if kind == QuestionKind.ORDERING and isinstance(response, list):
        return [
            f"{index}. {text}"
            for index, text in enumerate(_choice_texts(question, [str(k) for k in response], language), 1)
        ]
    if kind == QuestionKind.MATCHING and isinstance(response, dict):
        by_key = {choice.key: choice for choice in question.choices.all()}
        lines = []
        for left, right in response.items():
            if left in by_key:
                target = by_key[right].localized(language).get("match", "") if right in by_key else "—"
                lines.append(f"{choice_label(by_key[left], language, question.kind)} → {target}")
        return lines
    return [str(response)]


def correct_answer(question: Question, language: str) -> list[str]:
    choices = list(question.choices.all())
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE):
        return [choice_label(choice, language, kind) for choice in choices if choice.is_correct]
    if kind == QuestionKind.ORDERING:
        return [f"{index}. {choice_label(choice, language, kind)}" for index, choice in enumerate(choices, 1)]
    if kind == QuestionKind.MATCHING:
        return [f"{choice_label(c, language, kind)} → {c.localized(language).get('match', '')}" for c in choices]
    if kind == QuestionKind.NUMERIC:
        unit = question.localized(language).get("unit_label", "") or question.unit
        value = Decimal(question.numeric_answer or 0).normalize()
        bound = scoring.tolerance_bound(
            Decimal(question.numeric_answer or 0),
            Decimal(question.numeric_tolerance),
            relative=question.tolerance_mode == "percent",
        ).normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 2
        shown = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
        tolerance = number_format(bound, use_l10n=True)
        text = f"{shown} {unit}".strip()
        return [f"{text} (± {tolerance})" if bound else text]
    if kind == QuestionKind.SHORT_TEXT:
        accepted = question.localized(language).get("accepted") or grading.accepted_variants(question)
        return [str(variant) for variant in accepted[:3]]
    return []


def _status_display(status: str) -> str:
    return str(dict(AnswerStatus.choices).get(status, status))


def grade_items(
    questions: list[Question],
    responses: dict[int, Any],
    language: str,
    *,
    reveal: bool,
    stored: dict[int, Any] | None = None,
) -> list[ResultItem]:
    items = []
    for index, question in enumerate(questions, start=1):
        answer = (stored or {}).get(question.pk)
        response = answer.response if answer is not None else responses.get(question.pk)
        if answer is not None and answer.status:
            status, points, max_points = answer.status, answer.points, answer.max_points
        else:
            score = grading.grade(question, response, language)
            status, points, max_points = score.status, score.points, score.max_points
        loc = question.localized(language)
        feedback = grading.chosen_feedback(question, response, language)
        general = loc.get("feedback_correct" if status == scoring.CORRECT else "feedback_incorrect", "")
        if general and status != scoring.UNANSWERED:
            feedback.append(general)
        items.append(
            ResultItem(
                number=index,
                question=question,
                loc=loc,
                prompt=markdown(loc.get("prompt", "")),
                status=status,
                status_display=_status_display(status),
                points=points,
                max_points=max_points,
                given=written_answer(question, response, language),
                correct=correct_answer(question, language) if reveal else [],
                feedback=feedback,
                explanation=markdown(loc.get("explanation", "")) if reveal and loc.get("explanation") else "",
                competences=list(question.competences.all()),
            )
        )
    return items


def attempt_results(attempt: Attempt, language: str, *, reveal: bool) -> list[ResultItem]:
    questions = selectors.questions_by_id(list(attempt.question_ids))
    return grade_items(questions, {}, language, reveal=reveal, stored=selectors.answers_by_question(attempt))


def quiz_preview(activity: Activity, seed: int, data: Any, language: str) -> dict[str, Any]:
    ids = scoring.draw_questions(selectors.question_pools(activity), seed)
    questions = selectors.questions_by_id(ids)
    form = QuizForm(data, questions=questions, seed=seed, language=language)
    results = (
        grade_items(questions, form.responses(), language, reveal=True) if data is not None and form.is_valid() else []
    )
    return {"form": form, "items": quiz_items(form, language), "results": results}


# --- scenarios -------------------------------------------------------------------------------


@dataclass
class ScenarioStep:
    node_title: str
    choice_text: str
    feedback: str
    scores: list[tuple[str, str, str]]  # competence code, points, max


def _competence_names(codes: set[str], language: str) -> dict[str, str]:
    return {c.code: c.localized(language).get("title", c.code) for c in Competence.objects.filter(code__in=codes)}


def scenario_context(run: ScenarioRun, nodes: dict[str, ScenarioNode], language: str) -> dict[str, Any]:
    steps = []
    for entry in run.path:
        node = nodes.get(str(entry.get("node")))
        choice = next((c for c in node.choices.all() if c.key == entry.get("choice")), None) if node else None
        steps.append(
            ScenarioStep(
                node_title=node.localized(language).get("title", node.key) if node else str(entry.get("node")),
                choice_text=choice.localized(language).get("text", "") if choice else str(entry.get("choice")),
                feedback=choice.localized(language).get("feedback", "") if choice else "",
                scores=[(code, str(pair[0]), str(pair[1])) for code, pair in (entry.get("scores") or {}).items()],
            )
        )
    names = _competence_names(set(run.scores or {}), language) if run.finished_at else {}
    totals = [
        {
            "code": code,
            "name": names.get(code, code),
            "points": Decimal(pair[0]).normalize(),
            "max": Decimal(pair[1]).normalize(),
            "percent": scoring.percent(Decimal(pair[0]), Decimal(pair[1])),
        }
        for code, pair in sorted((run.scores or {}).items())
    ]
    end = nodes.get(run.current_node.key) if run.current_node is not None else None
    end_loc = end.localized(language) if end is not None and run.finished_at else None
    return {
        "run": run,
        "activity": run.activity,
        "loc": run.activity.localized(language),
        "steps": steps,
        "last_feedback": steps[-1].feedback if steps else "",
        "finished": run.finished_at is not None,
        "totals": totals,
        "end_title": end_loc.get("title", "") if end_loc else "",
        "end_text": markdown(end_loc.get("text", "")) if end_loc else "",
        "end_debrief": markdown(end_loc.get("debrief", "")) if end_loc else "",
        "debrief": markdown(run.activity.localized(language).get("debrief", "")) if run.finished_at else "",
    }


def scenario_preview(activity: Activity, path: str, language: str) -> dict[str, Any]:
    """Play a scenario through links (``?path=choice.choice``) without recording anything."""
    nodes = selectors.scenario_nodes(activity)
    node = next((n for n in nodes.values() if n.is_start), None) or next(iter(nodes.values()), None)
    taken: list[str] = []
    steps = []
    for key in [part for part in path.split(".") if part][:60]:
        if node is None:
            break
        choice = next((c for c in node.choices.all() if c.key == key), None)
        if choice is None:
            break
        taken.append(key)
        tally = scoring.scenario_step(choice.scores or {}, [c.scores or {} for c in node.choices.all()])
        steps.append(
            ScenarioStep(
                node_title=node.localized(language).get("title", node.key),
                choice_text=choice.localized(language).get("text", ""),
                feedback=choice.localized(language).get("feedback", ""),
                scores=[(code, str(tally.points[code]), str(tally.max_points[code])) for code in tally.points],
            )
        )
        node = nodes.get(choice.next_node.key) if choice.next_node else None
    prefix = ".".join(taken)
    options = []
    if node is not None:
        options = [
            (choice.localized(language).get("text", ""), f"{prefix}.{choice.key}" if prefix else choice.key)
            for choice in node.choices.all()
        ]
    loc = node.localized(language) if node is not None else None
    return {
        "steps": steps,
        "node": node,
        "node_title": loc.get("title", "") if loc else "",
        "node_text": markdown(loc.get("text", "")) if loc else "",
        "node_debrief": markdown(loc.get("debrief", "")) if loc else "",
        "options": options,
    }


# --- assignments -----------------------------------------------------------------------------


@dataclass
class LevelView:
    title: str
    description: str
    points: Decimal


@dataclass
class CriterionView:
    title: str
    description: str
    levels: list[LevelView]


def rubric_view(criteria: list[RubricCriterion], language: str) -> list[CriterionView]:
    return [
        CriterionView(
            title=criterion.localized(language).get("title", criterion.key),
            description=criterion.localized(language).get("description", ""),
            levels=[
                LevelView(
                    title=level.localized(language).get("title", level.key),
                    description=level.localized(language).get("description", ""),
                    points=level.points.normalize(),
                )
                for level in criterion.levels.all()
            ],
        )
        for criterion in criteria
    ]


@dataclass
class SubmissionView:
    submission: Submission
    file_url: str
    review: Any
    scores: list[dict[str, Any]]


def submission_view(submission: Submission, language: str) -> SubmissionView:
    review = getattr(submission, "review", None) if hasattr(submission, "review") else None
    scores = []
    if review is not None:
        for score in review.scores.all():
            scores.append(
                {
                    "criterion": score.criterion.localized(language).get("title", score.criterion.key),
                    "level": score.level.localized(language).get("title", score.level.key),
                    "points": score.points.normalize(),
                    "comment": score.comment,
                }
            )
    return SubmissionView(
        submission=submission,
        file_url=reverse("learning:submission_file", args=[submission.pk]) if submission.file else "",
        review=review,
        scores=scores,
    )
