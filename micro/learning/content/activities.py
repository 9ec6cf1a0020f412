"""Question banks, quizzes, scenarios and assignment rubrics."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from micro.learning.computed import ComputeError, compute_answer
from micro.learning.content.pack import (
    CHOICE_TEXTS,
    QUESTION_TEXTS,
    ImportReport,
    PackError,
    competences_of,
    decimal_of,
    int_of,
    keyed_items,
    read_yaml,
    set_m2m,
    slug_of,
    source_language,
    status_of,
    texts_of,
    upsert,
)
from micro.learning.models import (
    Activity,
    ActivityKind,
    Choice,
    Course,
    Lesson,
    MultipleScoring,
    Question,
    QuestionBank,
    QuestionKind,
    QuizPart,
    RubricCriterion,
    RubricLevel,
    ScenarioChoice,
    ScenarioNode,
    SubmissionMode,
    ToleranceMode,
)
from micro.learning.services.authoring import scenario_scores_clean


def bank_import(course: Course, name: str, languages: dict[str, Path], report: ImportReport) -> QuestionBank:
    documents = {lang: read_yaml(path) for lang, path in languages.items()}
    source = documents[source_language(documents)]
    where = f"{course.slug}/banks/{name}"
    slug = slug_of(source.get("slug"), where)
    bank = upsert(
        QuestionBank,
        {"course": course, "slug": slug},
        {
            "translations": {
                lang: texts_of(document, ("title",), status_of(document.get("status")))
                for lang, document in documents.items()
            }
        },
    )
    translated: dict[str, dict[str, dict[str, Any]]] = {
        lang: keyed_items(document.get("questions"), f"{where}.{lang}") for lang, document in documents.items()
    }
    keys = []
    for order, (key, item) in enumerate(keyed_items(source.get("questions"), where).items()):
        at = f"{where}/{key}"
        kind = str(item.get("kind", ""))
        if kind not in QuestionKind.values:
            raise PackError(f"{at}: unknown kind {kind!r}")
        translations = {}
        for lang, questions in translated.items():
            if key in questions:
                status = status_of(documents[lang].get("status"))
                translations[lang] = texts_of(questions[key], (*QUESTION_TEXTS, "accepted"), status)
        if not str(item.get("prompt", "")).strip():
            raise PackError(f"{at}: prompt is missing")
        values: dict[str, Any] = {
            "order": order,
            "kind": kind,
            "points": decimal_of(item.get("points", 1), at + " points"),
            "shuffle_choices": bool(item.get("shuffle", kind not in (QuestionKind.TRUE_FALSE,))),
            "multiple_scoring": str(item.get("scoring", MultipleScoring.PARTIAL)),
            "numeric_answer": None,
            "numeric_tolerance": Decimal(0),
            "tolerance_mode": ToleranceMode.ABSOLUTE,
            "unit": "",
            "numeric_compute": {},
            "is_retired": False,
            "translations": translations,
        }
        if values["multiple_scoring"] not in MultipleScoring.values:
            raise PackError(f"{at}: scoring must be partial or all")
        if kind == QuestionKind.NUMERIC:
            compute = item.get("compute") or {}
            if compute:
                try:
                    answer = compute_answer(compute)
                except ComputeError as error:
                    raise PackError(f"{at}: {error}") from None
                if item.get("answer") not in (None, "") and decimal_of(item["answer"], at) != answer:
                    raise PackError(f"{at}: answer {item['answer']} differs from the finance core's {answer}")
                values["numeric_compute"] = compute
            elif item.get("answer") not in (None, ""):
                answer = decimal_of(item["answer"], at + " answer")
            else:
                raise PackError(f"{at}: a numeric question needs compute (or, for non-financial facts, answer)")
            values["numeric_answer"] = answer
            values["numeric_tolerance"] = decimal_of(item.get("tolerance", 0), at + " tolerance")
            values["tolerance_mode"] = str(item.get("tolerance_mode", ToleranceMode.ABSOLUTE))
            values["unit"] = str(item.get("unit", ""))[:20]
            if values["numeric_tolerance"] < 0 or values["tolerance_mode"] not in ToleranceMode.values:
                raise PackError(f"{at}: tolerance must be >= 0 and tolerance_mode absolute or percent")
        if kind == QuestionKind.SHORT_TEXT and not [v for v in item.get("accepted") or [] if str(v).strip()]:
            raise PackError(f"{at}: a short text question needs accepted answers")
        question = upsert(Question, {"bank": bank, "key": key}, values)
        set_m2m(question.competences, competences_of(item.get("competences"), at))
        if not item.get("competences"):
            raise PackError(f"{at}: tag the question with at least one competence")
        _import_choices(question, item, {lang: qs.get(key, {}) for lang, qs in translated.items()}, documents, at)
        keys.append(key)
        report.questions += 1
    report.retired += bank.questions.exclude(key__in=keys).filter(is_retired=False).update(is_retired=True)
    return bank


def _import_choices(
    question: Question, item: dict[str, Any], translated: dict[str, dict[str, Any]], documents: dict[str, Any], at: str
) -> None:
    kind = question.kind
    choices = keyed_items(item.get("choices"), at + " choices")
    if kind in (QuestionKind.NUMERIC, QuestionKind.SHORT_TEXT):
        if choices:
            raise PackError(f"{at}: {kind} questions have no choices")
        question.choices.all().delete()
        return
    correct = [key for key, choice in choices.items() if choice.get("correct")]
    if kind == QuestionKind.TRUE_FALSE and (set(choices) != {"true", "false"} or len(correct) != 1):
        raise PackError(f"{at}: a true/false question has the choices true and false, one of them correct")
    if kind == QuestionKind.SINGLE and (len(choices) < 2 or len(correct) != 1):
        raise PackError(f"{at}: a single choice question needs two or more choices and exactly one correct")
    if kind == QuestionKind.MULTIPLE and (len(choices) < 2 or not correct):
        raise PackError(f"{at}: a multiple choice question needs two or more choices, at least one correct")
    if kind in (QuestionKind.ORDERING, QuestionKind.MATCHING) and len(choices) < 2:
        raise PackError(f"{at}: {kind} needs two or more items")
    for order, (key, choice) in enumerate(choices.items()):
        if kind != QuestionKind.TRUE_FALSE and not str(choice.get("text", "")).strip():
            raise PackError(f"{at}: choice {key!r} has no text")
        if kind == QuestionKind.MATCHING and not str(choice.get("match", "")).strip():
            raise PackError(f"{at}: pair {key!r} has no match")
        translations = {}
        for lang, texts in translated.items():
            localized = keyed_items(texts.get("choices"), f"{at}.{lang} choices").get(key)
            if localized:
                translations[lang] = texts_of(localized, CHOICE_TEXTS, status_of(documents[lang].get("status")))
        upsert(
            Choice,
            {"question": question, "key": key},
            {"order": order, "is_correct": bool(choice.get("correct", False)), "translations": translations},
        )
    question.choices.exclude(key__in=list(choices)).delete()


def activity_import(course: Course, name: str, languages: dict[str, Path]) -> Activity:
    documents = {lang: read_yaml(path) for lang, path in languages.items()}
    source = documents[source_language(documents)]
    where = f"{course.slug}/activities/{name}"
    slug = slug_of(source.get("slug"), where)
    kind = str(source.get("kind", ""))
    if kind not in ActivityKind.values:
        raise PackError(f"{where}: kind must be quiz, scenario or assignment")
    module_slug, _sep, lesson_slug = str(source.get("lesson", "")).partition("/")
    lesson = Lesson.objects.filter(module__course=course, module__slug=module_slug, slug=lesson_slug).first()
    if lesson is None:
        raise PackError(f"{where}: lesson {source.get('lesson')!r} not found (write module-slug/lesson-slug)")
    mode = str(source.get("submission", SubmissionMode.TEXT_OR_FILE))
    if mode not in SubmissionMode.values:
        raise PackError(f"{where}: submission must be text, file or either")
    activity = upsert(
        Activity,
        {"lesson": lesson, "slug": slug},
        {
            "kind": kind,
            "order": int_of(source.get("order"), where, 0),
            "max_attempts": int_of(source.get("max_attempts"), where + " max_attempts", None, 1, 100),
            "time_limit_minutes": int_of(source.get("time_limit_minutes"), where + " time_limit_minutes", None, 1, 600),
            "pass_percent": int_of(source.get("pass_percent"), where + " pass_percent", 60, 0, 100),
            "submission_mode": mode,
            "is_retired": False,
            "translations": {
                lang: texts_of(document, ("title", "instructions", "debrief"), status_of(document.get("status")))
                for lang, document in documents.items()
            },
        },
    )
    set_m2m(activity.competences, competences_of(source.get("competences"), where))
    if kind == ActivityKind.QUIZ:
        _import_parts(course, activity, source, where)
    if kind == ActivityKind.SCENARIO:
        _import_scenario(activity, source, documents, where)
    if kind == ActivityKind.ASSIGNMENT:
        _import_rubric(activity, source, documents, where)
    return activity


def _import_parts(course: Course, activity: Activity, source: dict[str, Any], where: str) -> None:
    parts = source.get("parts") or []
    if not parts:
        raise PackError(f"{where}: a quiz needs parts (bank and draw)")
    for order, part in enumerate(parts):
        bank = QuestionBank.objects.filter(course=course, slug=str(part.get("bank", ""))).first()
        if bank is None:
            raise PackError(f"{where}: bank {part.get('bank')!r} not found in this course")
        draw = int_of(part.get("draw"), where + " draw", 0, 0, 200)
        available = bank.questions.filter(is_retired=False).count()
        if draw and draw > available:
            raise PackError(f"{where}: draws {draw} questions from {bank.slug}, which has {available}")
        upsert(QuizPart, {"activity": activity, "order": order}, {"bank": bank, "draw_count": draw or 0})
    activity.parts.filter(order__gte=len(parts)).delete()


def _import_scenario(activity: Activity, source: dict[str, Any], documents: dict[str, Any], where: str) -> None:
    nodes = keyed_items(source.get("nodes"), where + " nodes")
    if len(nodes) < 2:
        raise PackError(f"{where}: a scenario needs two or more nodes")
    translated = {
        lang: keyed_items(document.get("nodes"), f"{where}.{lang} nodes") for lang, document in documents.items()
    }
    start = [key for key, node in nodes.items() if node.get("start")] or [next(iter(nodes))]
    if len(start) != 1:
        raise PackError(f"{where}: exactly one node has start: true")
    ScenarioNode.objects.filter(activity=activity, is_start=True).exclude(key=start[0]).update(is_start=False)
    objects: dict[str, ScenarioNode] = {}
    for order, (key, node) in enumerate(nodes.items()):
        if not str(node.get("text", "")).strip():
            raise PackError(f"{where}/{key}: text is missing")
        translations = {
            lang: texts_of(items[key], ("title", "text", "debrief"), status_of(documents[lang].get("status")))
            for lang, items in translated.items()
            if key in items
        }
        objects[key] = upsert(
            ScenarioNode,
            {"activity": activity, "key": key},
            {"order": order, "is_start": key == start[0], "translations": translations},
        )
    activity.scenario_nodes.exclude(key__in=list(nodes)).delete()
    endings = 0
    for key, node in nodes.items():
        choices = keyed_items(node.get("choices"), f"{where}/{key} choices")
        if not choices:
            endings += 1
        for order, (choice_key, choice) in enumerate(choices.items()):
            target = choice.get("next")
            if target not in (None, "") and target not in objects:
                raise PackError(f"{where}/{key}/{choice_key}: next node {target!r} does not exist")
            try:
                scores = scenario_scores_clean(choice.get("scores"))
            except ValidationError as error:
                raise PackError(f"{where}/{key}/{choice_key}: {'; '.join(error.messages)}") from None
            translations = {}
            for lang, items in translated.items():
                localized = keyed_items((items.get(key) or {}).get("choices"), f"{where}.{lang}/{key}").get(choice_key)
                if localized:
                    translations[lang] = texts_of(
                        localized, ("text", "feedback"), status_of(documents[lang].get("status"))
                    )
            if not str(choice.get("text", "")).strip():
                raise PackError(f"{where}/{key}/{choice_key}: text is missing")
            upsert(
                ScenarioChoice,
                {"node": objects[key], "key": choice_key},
                {
                    "order": order,
                    "next_node": objects.get(str(target)) if target else None,
                    "scores": scores,
                    "translations": translations,
                },
            )
        objects[key].choices.exclude(key__in=list(choices)).delete()
    if not endings:
        raise PackError(f"{where}: no node ends the scenario (a node without choices)")


def _import_rubric(activity: Activity, source: dict[str, Any], documents: dict[str, Any], where: str) -> None:
    criteria = keyed_items(source.get("criteria"), where + " criteria")
    if not criteria:
        raise PackError(f"{where}: an assignment needs rubric criteria")
    translated = {
        lang: keyed_items(document.get("criteria"), f"{where}.{lang}") for lang, document in documents.items()
    }
    for order, (key, criterion) in enumerate(criteria.items()):
        translations = {
            lang: texts_of(items[key], ("title", "description"), status_of(documents[lang].get("status")))
            for lang, items in translated.items()
            if key in items
        }
        obj = upsert(
            RubricCriterion, {"activity": activity, "key": key}, {"order": order, "translations": translations}
        )
        set_m2m(obj.competences, competences_of(criterion.get("competences"), f"{where}/{key}"))
        levels = keyed_items(criterion.get("levels"), f"{where}/{key} levels")
        if len(levels) < 2:
            raise PackError(f"{where}/{key}: a criterion needs two or more levels")
        for level_order, (level_key, level) in enumerate(levels.items()):
            level_translations = {}
            for lang, items in translated.items():
                localized = keyed_items((items.get(key) or {}).get("levels"), f"{where}.{lang}/{key}").get(level_key)
                if localized:
                    level_translations[lang] = texts_of(
                        localized, ("title", "description"), status_of(documents[lang].get("status"))
                    )
            upsert(
                RubricLevel,
                {"criterion": obj, "key": level_key},
                {
                    "order": level_order,
                    "points": decimal_of(level.get("points", 0), f"{where}/{key}/{level_key}"),
                    "translations": level_translations,
                },
            )
        stale = obj.levels.exclude(key__in=list(levels))
        stale.filter(pk__in=_unused_levels(stale)).delete()
    stale_criteria = activity.criteria.exclude(key__in=list(criteria))
    stale_criteria.filter(pk__in=_unused_criteria(stale_criteria)).delete()


def _unused_levels(levels: Any) -> list[int]:
    from micro.learning.models import ReviewScore

    used = set(ReviewScore.objects.filter(level__in=levels).values_list("level_id", flat=True))
    return [pk for pk in levels.values_list("pk", flat=True) if pk not in used]


def _unused_criteria(criteria: Any) -> list[int]:
    from micro.learning.models import ReviewScore

    used = set(ReviewScore.objects.filter(criterion__in=criteria).values_list("criterion_id", flat=True))
    return [pk for pk in criteria.values_list("pk", flat=True) if pk not in used]
