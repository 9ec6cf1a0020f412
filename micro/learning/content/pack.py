"""Reading and writing content-pack files, and the upsert helpers every importer uses."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from micro.learning.models import (
    Competence,
)

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
LANG_FILE = re.compile(r"^(?P<name>.+)\.(?P<lang>[a-z]{2}(?:-[a-z]+)?)\.(?P<ext>md|yaml)$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_LANGUAGE = "en"
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
RESOURCE_TYPES = {
    ".pdf": "application/pdf",
    ".csv": "text/csv",
    ".txt": "text/plain; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
}
QUESTION_TEXTS = ("prompt", "explanation", "feedback_correct", "feedback_incorrect", "unit_label")
CHOICE_TEXTS = ("text", "match", "feedback")


class PackError(ValueError):
    pass


@dataclass
class ImportReport:
    references: int = 0
    competences: int = 0
    courses: int = 0
    lessons: int = 0
    questions: int = 0
    activities: int = 0
    retired: int = 0
    errors: list[str] = field(default_factory=list)


def courses_root() -> Path:
    return Path(getattr(settings, "CONTENT_ROOT", settings.BASE_DIR / "content")) / "courses"


# --- reading files ---------------------------------------------------------------------------


def split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise PackError(f"{path}: no YAML header between --- lines")
    header = yaml.safe_load(match.group(1)) or {}
    if not isinstance(header, dict):
        raise PackError(f"{path}: the header is not a mapping")
    return header, match.group(2).strip()


def read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PackError(f"{path}: not a mapping")
    return data


def lang_files(folder: Path, ext: str) -> dict[str, dict[str, Path]]:
    """name → language → path, for files like ``name.en.md``."""
    found: dict[str, dict[str, Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        match = LANG_FILE.match(path.name)
        if path.is_file() and match and match.group("ext") == ext:
            found.setdefault(match.group("name"), {})[match.group("lang")] = path
    return found


def source_language(languages: dict[str, Any]) -> str:
    return SOURCE_LANGUAGE if SOURCE_LANGUAGE in languages else sorted(languages)[0]


def status_of(value: Any) -> str:
    return "reviewed" if value == "reviewed" else "draft"


def texts_of(data: dict[str, Any], names: tuple[str, ...], status: str) -> dict[str, Any]:
    texts: dict[str, Any] = {"status": status}
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            texts[name] = [str(item) for item in value]
        elif value not in (None, ""):
            texts[name] = str(value).strip()
    return texts


def slug_of(value: Any, where: str) -> str:
    text = str(value or "").strip()
    if not SLUG.match(text) or len(text) > 80:
        raise PackError(f"{where}: {text!r} is not a slug (small letters, digits and hyphens)")
    return text


def int_of(value: Any, where: str, default: int | None = None, low: int = 0, high: int = 32767) -> int | None:
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PackError(f"{where}: {value!r} must be a whole number from {low} to {high}")
    return value


def decimal_of(value: Any, where: str) -> Decimal:
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise PackError(f"{where}: {value!r} is not a number") from None


def keyed_items(items: Any, where: str) -> dict[str, dict[str, Any]]:
    if items in (None, ""):
        return {}
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PackError(f"{where}: must be a list of mappings")
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        key = slug_of(item.get("key"), where)
        if key in found:
            raise PackError(f"{where}: key {key!r} appears twice")
        found[key] = item
    return found


def save(obj: Any) -> Any:
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise PackError(f"{obj._meta.model_name} {obj}: {'; '.join(error.messages)}") from None
    obj.save()
    return obj


def upsert(model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    changed = obj.pk is None
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_one:
            different = getattr(obj, field.attname) != (value.pk if value is not None else None)
        else:
            different = getattr(obj, name) != value
        if different:
            setattr(obj, name, value)
            changed = True
    if changed:
        save(obj)
    return obj


def set_m2m(manager: Any, objects: list[Any]) -> None:
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


# --- media -----------------------------------------------------------------------------------


def store_file(course_dir: Path, relative: str, folder: str, where: str, *, max_bytes: int) -> tuple[str, bytes]:
    path = (course_dir / relative).resolve()
    if course_dir.resolve() not in path.parents or not path.is_file():
        raise PackError(f"{where}: file {relative!r} not found inside the course folder")
    data = path.read_bytes()
    if len(data) > max_bytes:
        raise PackError(f"{where}: file {relative!r} is larger than {max_bytes // (1024 * 1024)} MB")
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"learning/{folder}/{digest}-{path.name}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name, data


# --- courses ---------------------------------------------------------------------------------


def competences_of(codes: Any, where: str) -> list[Competence]:
    wanted = [str(code) for code in codes or []]
    found = list(Competence.objects.filter(code__in=wanted))
    unknown = set(wanted) - {c.code for c in found}
    if unknown:
        raise PackError(f"{where}: unknown competence codes {sorted(unknown)}")
    return found


# --- export ----------------------------------------------------------------------------------


def dump_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def write_md(path: Path, header: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=100).strip()
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")


def text_fields(translations: dict[str, Any], lang: str, names: tuple[str, ...]) -> dict[str, Any]:
    texts = translations.get(lang) or {}
    return {name: texts[name] for name in names if texts.get(name) not in (None, "", [])}


def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def copy_media(root: Path, stored_name: str) -> str:
    """Copy a stored file into the pack's media folder; the relative path to write in the header."""
    base = Path(stored_name).name
    plain = base.split("-", 1)[1] if re.match(r"^[0-9a-f]{16}-", base) else base
    target = root / "media" / plain
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(stored_name, "rb") as handle:
        target.write_bytes(handle.read())
    return f"media/{plain}"
