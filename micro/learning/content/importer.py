"""The import: the framework first, then each course folder in its own savepoint."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from micro.core import content_cache
from micro.learning.content.activities import activity_import, bank_import
from micro.learning.content.framework import framework_import
from micro.learning.content.lessons import lesson_import
from micro.learning.content.pack import (
    ImportReport,
    PackError,
    courses_root,
    int_of,
    lang_files,
    set_m2m,
    slug_of,
    source_language,
    split_front_matter,
    status_of,
    texts_of,
    upsert,
)
from micro.learning.models import (
    Activity,
    CompetenceArea,
    Course,
    Lesson,
    Module,
)


def _import_course(course_dir: Path, report: ImportReport) -> Course:
    course_files = lang_files(course_dir, "md").get("course", {})
    if not course_files:
        raise PackError(f"{course_dir}: course.<lang>.md is missing")
    parsed = {lang: split_front_matter(path) for lang, path in course_files.items()}
    meta, _body = parsed[source_language(parsed)]
    slug = slug_of(meta.get("slug"), str(course_dir))
    translations = {}
    for lang, (header, body) in parsed.items():
        texts = texts_of(header, ("title", "summary"), status_of(header.get("status")))
        texts["description"] = body
        translations[lang] = texts
    course = upsert(
        Course,
        {"slug": slug},
        {
            "order": int_of(meta.get("order"), slug, 0),
            "is_published": bool(meta.get("published", False)),
            "translations": translations,
        },
    )
    report.courses += 1
    # modules and lessons
    module_slugs: list[str] = []
    lessons: list[tuple[Lesson, list[str]]] = []
    for module_dir in sorted(
        path for path in course_dir.iterdir() if path.is_dir() and path.name not in {"banks", "activities", "media"}
    ):
        files = lang_files(module_dir, "md")
        module_files = files.pop("_module", {})
        if not module_files:
            raise PackError(f"{module_dir}: _module.<lang>.md is missing")
        module_parsed = {lang: split_front_matter(path) for lang, path in module_files.items()}
        module_meta, _b = module_parsed[source_language(module_parsed)]
        module_slug = slug_of(module_meta.get("slug"), str(module_dir))
        area = None
        if module_meta.get("area"):
            area = CompetenceArea.objects.filter(slug=str(module_meta["area"])).first()
            if area is None:
                raise PackError(f"{module_dir}: unknown competence area {module_meta['area']!r}")
        module = upsert(
            Module,
            {"course": course, "slug": module_slug},
            {
                "order": int_of(module_meta.get("order"), module_slug, 0),
                "area": area,
                "is_retired": False,
                "translations": {
                    lang: {**texts_of(header, ("title", "summary"), status_of(header.get("status"))), "intro": body}
                    for lang, (header, body) in module_parsed.items()
                },
            },
        )
        module_slugs.append(module_slug)
        slugs_here = []
        for name, languages in files.items():
            lesson, prerequisite_refs = lesson_import(course_dir, module, name, languages)
            slugs_here.append(lesson.slug)
            lessons.append((lesson, prerequisite_refs))
            report.lessons += 1
        report.retired += module.lessons.exclude(slug__in=slugs_here).filter(is_retired=False).update(is_retired=True)
    report.retired += course.modules.exclude(slug__in=module_slugs).filter(is_retired=False).update(is_retired=True)
    by_key = {f"{lesson.module.slug}/{lesson.slug}": lesson for lesson, _refs in lessons}
    for lesson, refs in lessons:
        prerequisites = []
        for ref in refs:
            target = by_key.get(ref)
            if target is None or target.pk == lesson.pk:
                raise PackError(f"{course.slug}/{lesson.module.slug}/{lesson.slug}: prerequisite {ref!r} not found")
            prerequisites.append(target)
        set_m2m(lesson.prerequisites, prerequisites)
    # question banks, then activities
    for name, languages in lang_files(course_dir / "banks", "yaml").items():
        bank_import(course, name, languages, report)
    activity_ids = []
    for name, languages in lang_files(course_dir / "activities", "yaml").items():
        activity_ids.append(activity_import(course, name, languages).pk)
        report.activities += 1
    report.retired += (
        Activity.objects.filter(lesson__module__course=course, is_retired=False)
        .exclude(pk__in=activity_ids)
        .update(is_retired=True)
    )
    return course


def course_import(*, root: Path | None = None, only: str | None = None) -> ImportReport:
    """Import the framework and every course folder under ``root`` (default ``content/courses``)."""
    root = root or courses_root()
    report = ImportReport()
    try:
        with transaction.atomic():
            framework_import(root, report)
    except (PackError, yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        report.errors.append(f"_framework: {error}")
        return report
    for course_dir in sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith(("_", "."))):
        if only and course_dir.name != only:
            continue
        try:
            with transaction.atomic():
                _import_course(course_dir, report)
        except (PackError, yaml.YAMLError, KeyError, TypeError, ValueError, ValidationError) as error:
            report.errors.append(f"{course_dir.name}: {error}")
    content_cache.bump()  # retirements are written with update(), which sends no signal
    return report
