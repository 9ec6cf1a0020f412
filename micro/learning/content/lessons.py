"""Courses, modules and lessons (with their images and resources)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from micro.learning.content.pack import (
    MAX_RESOURCE_BYTES,
    RESOURCE_TYPES,
    PackError,
    competences_of,
    int_of,
    keyed_items,
    set_m2m,
    slug_of,
    source_language,
    split_front_matter,
    status_of,
    store_file,
    texts_of,
    upsert,
)
from micro.learning.models import (
    Lesson,
    LessonImage,
    LessonResource,
    Module,
    ResourceKind,
)
from micro.learning.services.authoring import lesson_body_check
from micro.learning.uploads import IMAGE_TYPES, MAX_IMAGE_BYTES, sniff_image


def lesson_import(course_dir: Path, module: Module, name: str, languages: dict[str, Path]) -> tuple[Lesson, list[str]]:
    parsed = {lang: split_front_matter(path) for lang, path in languages.items()}
    source_lang = source_language(parsed)
    meta, _body = parsed[source_lang]
    where = f"{module.course.slug}/{module.slug}/{name}"
    slug = slug_of(meta.get("slug"), where)
    translations = {}
    for lang, (header, body) in parsed.items():
        texts = texts_of(header, ("title", "summary"), status_of(header.get("status")))
        texts["body"] = body
        video = header.get("video") or {}
        if isinstance(video, dict) and video.get("title"):
            texts["video_title"] = str(video["title"])
        if not texts.get("title"):
            raise PackError(f"{where}.{lang}: title is missing")
        translations[lang] = texts
    video = meta.get("video") or {}
    lesson = upsert(
        Lesson,
        {"module": module, "slug": slug},
        {
            "order": int_of(meta.get("order"), where, 0),
            "minutes": int_of(meta.get("minutes"), where + " minutes", 10, 1, 600),
            "video_url": str(video.get("url", "")) if isinstance(video, dict) else "",
            "is_retired": False,
            "translations": translations,
        },
    )
    set_m2m(lesson.competences, competences_of(meta.get("competences"), where))
    # images
    image_texts: dict[str, dict[str, Any]] = {}
    for lang, (header, _b) in parsed.items():
        for key, item in keyed_items(header.get("images"), where + " images").items():
            image_texts.setdefault(key, {})[lang] = texts_of(item, ("alt", "caption"), status_of(header.get("status")))
    keys = []
    for order, (key, item) in enumerate(keyed_items(meta.get("images"), where + " images").items()):
        if not str(item.get("alt", "")).strip():
            raise PackError(f"{where}: image {key!r} has no alternative text (alt)")
        stored, data = store_file(course_dir, str(item.get("file", "")), "images", where, max_bytes=MAX_IMAGE_BYTES)
        content_type = sniff_image(data)
        if content_type not in IMAGE_TYPES.values():
            raise PackError(f"{where}: image {key!r} is not a PNG, JPEG, GIF or WebP file")
        upsert(
            LessonImage,
            {"lesson": lesson, "key": key},
            {"file": stored, "content_type": content_type, "order": order, "translations": image_texts.get(key, {})},
        )
        keys.append(key)
    lesson.images.exclude(key__in=keys).delete()
    for lang, (_header, body) in parsed.items():
        problems = lesson_body_check(body, set(keys))
        if problems:
            raise PackError(f"{where}.{lang}: " + "; ".join(problems))
    # resources
    resource_texts: dict[str, dict[str, Any]] = {}
    for lang, (header, _b) in parsed.items():
        for key, item in keyed_items(header.get("resources"), where + " resources").items():
            resource_texts.setdefault(key, {})[lang] = texts_of(
                item, ("title", "description"), status_of(header.get("status"))
            )
    keys = []
    for order, (key, item) in enumerate(keyed_items(meta.get("resources"), where + " resources").items()):
        kind = str(item.get("kind", ResourceKind.FILE))
        if kind not in ResourceKind.values:
            raise PackError(f"{where}: resource {key!r} has an unknown kind {kind!r}")
        values: dict[str, Any] = {"kind": kind, "order": order, "translations": resource_texts.get(key, {})}
        if kind == ResourceKind.FILE:
            relative = str(item.get("file", ""))
            suffix = Path(relative).suffix.lower()
            if suffix not in RESOURCE_TYPES:
                raise PackError(f"{where}: resource {key!r}: only {', '.join(sorted(RESOURCE_TYPES))} files")
            stored, data = store_file(course_dir, relative, "resources", where, max_bytes=MAX_RESOURCE_BYTES)
            values.update(file=stored, content_type=RESOURCE_TYPES[suffix], size_bytes=len(data), url="")
        else:
            values.update(file="", content_type="", size_bytes=0, url=str(item.get("url", "")))
        upsert(LessonResource, {"lesson": lesson, "key": key}, values)
        keys.append(key)
    lesson.resources.exclude(key__in=keys).delete()
    return lesson, [str(ref) for ref in meta.get("prerequisites") or []]
