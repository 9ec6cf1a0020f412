"""The export: the database written back in the pack format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from micro.learning.content.framework import framework_export
from micro.learning.content.pack import (
    CHOICE_TEXTS,
    QUESTION_TEXTS,
    copy_media,
    dump_yaml,
    number_text,
    text_fields,
    write_md,
)
from micro.learning.models import (
    Activity,
    ActivityKind,
    Course,
    Lesson,
    Question,
    QuestionKind,
    ResourceKind,
    ToleranceMode,
)


def _export_lesson(folder: Path, course_dir: Path, lesson: Lesson) -> int:
    written = 0
    images = list(lesson.images.all())
    resources = list(lesson.resources.all())
    image_files = {image.key: copy_media(course_dir, str(image.file.name)) for image in images}
    resource_files = {
        r.key: copy_media(course_dir, str(r.file.name)) for r in resources if r.kind == ResourceKind.FILE and r.file
    }
    for lang, texts in lesson.translations.items():
        header: dict[str, Any] = {
            "slug": lesson.slug,
            "order": lesson.order,
            "minutes": lesson.minutes,
            "title": texts.get("title", ""),
        }
        if texts.get("summary"):
            header["summary"] = texts["summary"]
        header["status"] = texts.get("status", "draft")
        header["competences"] = [c.code for c in lesson.competences.all()]
        prerequisites = [f"{p.module.slug}/{p.slug}" for p in lesson.prerequisites.all()]
        if prerequisites:
            header["prerequisites"] = prerequisites
        if lesson.video_url:
            header["video"] = {
                "url": lesson.video_url,
                **({"title": texts["video_title"]} if texts.get("video_title") else {}),
            }
        if images:
            header["images"] = [
                {
                    "key": image.key,
                    "file": image_files[image.key],
                    **text_fields(image.translations, lang, ("alt", "caption")),
                }
                for image in images
            ]
        if resources:
            header["resources"] = [
                {
                    "key": r.key,
                    "kind": r.kind,
                    **({"file": resource_files[r.key]} if r.key in resource_files else {"url": r.url}),
                    **text_fields(r.translations, lang, ("title", "description")),
                }
                for r in resources
            ]
        write_md(folder / f"{lesson.order:02d}-{lesson.slug}.{lang}.md", header, texts.get("body", ""))
        written += 1
    return written


def _question_dict(question: Question, lang: str) -> dict[str, Any]:
    item: dict[str, Any] = {"key": question.key, "kind": question.kind, "points": number_text(question.points)}
    item["competences"] = [c.code for c in question.competences.all()]
    if question.kind == QuestionKind.MULTIPLE:
        item["scoring"] = question.multiple_scoring
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        item["shuffle"] = question.shuffle_choices
    if question.kind == QuestionKind.NUMERIC:
        if question.numeric_compute:
            item["compute"] = question.numeric_compute
        item["answer"] = number_text(question.numeric_answer)
        item["tolerance"] = number_text(question.numeric_tolerance)
        if question.tolerance_mode != ToleranceMode.ABSOLUTE:
            item["tolerance_mode"] = question.tolerance_mode
        if question.unit:
            item["unit"] = question.unit
    item.update(text_fields(question.translations, lang, (*QUESTION_TEXTS, "accepted")))
    choices = list(question.choices.all())
    if choices:
        item["choices"] = [
            {
                "key": c.key,
                **({"correct": True} if c.is_correct else {}),
                **text_fields(c.translations, lang, CHOICE_TEXTS),
            }
            for c in choices
        ]
    return item


def _export_activity(activity: Activity, lang: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "slug": activity.slug,
        "kind": activity.kind,
        "lesson": f"{activity.lesson.module.slug}/{activity.lesson.slug}",
        "order": activity.order,
        "status": (activity.translations.get(lang) or {}).get("status", "draft"),
        "pass_percent": activity.pass_percent,
    }
    if activity.max_attempts is not None:
        document["max_attempts"] = activity.max_attempts
    if activity.time_limit_minutes is not None:
        document["time_limit_minutes"] = activity.time_limit_minutes
    if activity.kind == ActivityKind.ASSIGNMENT:
        document["submission"] = activity.submission_mode
    document["competences"] = [c.code for c in activity.competences.all()]
    document.update(text_fields(activity.translations, lang, ("title", "instructions", "debrief")))
    if activity.kind == ActivityKind.QUIZ:
        document["parts"] = [
            {"bank": part.bank.slug, "draw": part.draw_count} for part in activity.parts.select_related("bank")
        ]
    if activity.kind == ActivityKind.SCENARIO:
        document["nodes"] = []
        for node in activity.scenario_nodes.prefetch_related("choices__next_node"):
            entry: dict[str, Any] = {"key": node.key}
            if node.is_start:
                entry["start"] = True
            entry.update(text_fields(node.translations, lang, ("title", "text", "debrief")))
            entry["choices"] = [
                {
                    "key": choice.key,
                    **({"next": choice.next_node.key} if choice.next_node else {}),
                    "scores": dict(choice.scores or {}),
                    **text_fields(choice.translations, lang, ("text", "feedback")),
                }
                for choice in node.choices.all()
            ]
            if not entry["choices"]:
                del entry["choices"]
            document["nodes"].append(entry)
    if activity.kind == ActivityKind.ASSIGNMENT:
        document["criteria"] = [
            {
                "key": criterion.key,
                "competences": [c.code for c in criterion.competences.all()],
                **text_fields(criterion.translations, lang, ("title", "description")),
                "levels": [
                    {
                        "key": level.key,
                        "points": number_text(level.points),
                        **text_fields(level.translations, lang, ("title", "description")),
                    }
                    for level in criterion.levels.all()
                ],
            }
            for criterion in activity.criteria.prefetch_related("levels", "competences")
        ]
    return document


def course_export(*, root: Path, slug: str | None = None) -> int:
    """Write the framework and courses (all, or the one with ``slug``) in the pack format under ``root``."""
    written = framework_export(root)
    courses = Course.objects.order_by("order", "slug")
    if slug:
        courses = courses.filter(slug=slug)
    for course in courses:
        course_dir = root / course.slug
        for lang, texts in course.translations.items():
            header = {
                "slug": course.slug,
                "order": course.order,
                "published": course.is_published,
                "title": texts.get("title", ""),
            }
            if texts.get("summary"):
                header["summary"] = texts["summary"]
            header["status"] = texts.get("status", "draft")
            write_md(course_dir / f"course.{lang}.md", header, texts.get("description", ""))
            written += 1
        for module in course.modules.filter(is_retired=False).select_related("area"):
            folder = course_dir / f"{module.order:02d}-{module.slug}"
            for lang, texts in module.translations.items():
                header = {"slug": module.slug, "order": module.order}
                if module.area:
                    header["area"] = module.area.slug
                header.update(
                    {"title": texts.get("title", ""), **({"summary": texts["summary"]} if texts.get("summary") else {})}
                )
                header["status"] = texts.get("status", "draft")
                write_md(folder / f"_module.{lang}.md", header, texts.get("intro", ""))
                written += 1
            lessons = module.lessons.filter(is_retired=False).prefetch_related(
                "competences", "images", "resources", "prerequisites__module"
            )
            for lesson in lessons:
                written += _export_lesson(folder, course_dir, lesson)
        for bank in course.question_banks.all():
            questions = list(bank.questions.filter(is_retired=False).prefetch_related("choices", "competences"))
            for lang, texts in bank.translations.items():
                document = {
                    "slug": bank.slug,
                    "status": texts.get("status", "draft"),
                    **text_fields(bank.translations, lang, ("title",)),
                    "questions": [_question_dict(question, lang) for question in questions],
                }
                dump_yaml(course_dir / "banks" / f"{bank.slug}.{lang}.yaml", document)
                written += 1
        activities = (
            Activity.objects.filter(lesson__module__course=course, is_retired=False)
            .select_related("lesson__module")
            .prefetch_related("competences")
        )
        names: set[str] = set()
        for activity in activities:
            name = activity.slug if activity.slug not in names else f"{activity.lesson.slug}-{activity.slug}"
            names.add(name)
            for lang in activity.translations:
                dump_yaml(course_dir / "activities" / f"{name}.{lang}.yaml", _export_activity(activity, lang))
                written += 1
    return written
