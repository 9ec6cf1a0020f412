"""Import and export of the path's content packs (see content/README.md for the formats).

The import is idempotent: it upserts by stable slugs and keys, and reports every file it could
not read instead of stopping half-way (the whole import runs in one transaction).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from micro.core import content_cache
from micro.pathway.models import ContentData, GlossaryTerm, Rule, Stage, Step, StepKind

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
LANG_FILE = re.compile(r"^(?P<name>.+)\.(?P<lang>[a-z]{2}(?:-[a-z]+)?)\.(?P<ext>md|yaml)$")
STEP_KINDS = {choice.value for choice in StepKind}
COUNTRIES = {"IT", "BE", "ES", "DE", "EU"}


class ContentError(ValueError):
    pass


@dataclass
class ImportReport:
    stages: int = 0
    steps: int = 0
    rules: int = 0
    terms: int = 0
    data: int = 0
    errors: list[str] = field(default_factory=list)


def content_root() -> Path:
    return Path(getattr(settings, "CONTENT_ROOT", settings.BASE_DIR / "content"))


def _split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path}: no YAML header between --- lines")
    header = yaml.safe_load(match.group(1)) or {}
    if not isinstance(header, dict):
        raise ContentError(f"{path}: the header is not a mapping")
    return header, match.group(2).strip()


def _lang_files(folder: Path, ext: str) -> dict[str, dict[str, Path]]:
    """name → language → path, for files like ``name.en.md``."""
    found: dict[str, dict[str, Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        match = LANG_FILE.match(path.name)
        if path.is_file() and match and match.group("ext") == ext:
            found.setdefault(match.group("name"), {})[match.group("lang")] = path
    return found


def _step_translation(header: dict[str, Any], body: str) -> dict[str, Any]:
    return {
        "title": str(header.get("title", "")).strip(),
        "body": body,
        "status": header.get("status", "draft"),
        "unverified": [str(item) for item in header.get("unverified") or []],
        "fields": header.get("fields") or [],
    }


def _import_path(root: Path, report: ImportReport) -> None:
    for stage_dir in sorted((root / "path").glob("*")):
        if not stage_dir.is_dir():
            continue
        stage_texts: dict[str, Any] = {}
        stage_order = None
        for lang, path in _lang_files(stage_dir, "md").get("_stage", {}).items():
            header, body = _split(path)
            stage_order = int(header.get("order", 0))
            stage_texts[lang] = {
                "title": str(header.get("title", "")).strip(),
                "summary": str(header.get("summary", "")).strip(),
                "body": body,
                "status": header.get("status", "draft"),
            }
        if not stage_texts or stage_order is None:
            report.errors.append(f"{stage_dir}: missing _stage.<lang>.md")
            continue
        stage, _created = Stage.objects.update_or_create(
            slug=stage_dir.name, defaults={"order": stage_order, "translations": stage_texts}
        )
        report.stages += 1
        stage_files = _lang_files(stage_dir, "md")
        stage.steps.exclude(slug__in=[name for name in stage_files if name != "_stage"]).delete()
        for name, languages in stage_files.items():
            if name == "_stage":
                continue
            try:
                texts: dict[str, Any] = {}
                meta: dict[str, Any] = {}
                for lang, path in languages.items():
                    header, body = _split(path)
                    texts[lang] = _step_translation(header, body)
                    if lang == "en" or not meta:
                        meta = header
                kind = meta.get("kind", "text")
                if kind not in STEP_KINDS:
                    raise ContentError(f"{stage_dir / name}: unknown kind {kind!r}")
                country = str(meta.get("country") or "").upper()
                if country and country not in COUNTRIES:
                    raise ContentError(f"{stage_dir / name}: unknown country {country!r}")
                Step.objects.update_or_create(
                    stage=stage,
                    slug=name,
                    defaults={
                        "order": int(meta.get("order", 0)),
                        "kind": kind,
                        "country": country,
                        "minutes": int(meta.get("minutes", 3)),
                        "competences": list(meta.get("competences") or []),
                        "sources": [str(url) for url in meta.get("sources") or []],
                        "translations": texts,
                    },
                )
                report.steps += 1
            except (ContentError, yaml.YAMLError, ValueError, TypeError) as error:
                report.errors.append(f"{stage_dir / name}: {error}")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _import_rules(root: Path, report: ImportReport) -> None:
    for path in sorted((root / "rules").glob("*.yaml")):
        try:
            records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            for record in records:
                labels = record.get("label") or {}
                Rule.objects.update_or_create(
                    key=record["key"],
                    defaults={
                        "country": record["key"].split(".")[0],
                        "value": str(record.get("value", "")),
                        "unit": str(record.get("unit") or ""),
                        "valid_from": _date(record.get("valid_from")),
                        "valid_to": _date(record.get("valid_to")),
                        "source_url": str(record.get("source_url") or ""),
                        "last_verified": _date(record.get("last_verified")),
                        "verified": bool(record.get("verified", False)),
                        "translations": {
                            lang: {"label": label, "status": "reviewed" if lang == "en" else "draft"}
                            for lang, label in labels.items()
                        },
                    },
                )
                report.rules += 1
        except (yaml.YAMLError, KeyError, ValueError, TypeError, AttributeError) as error:
            report.errors.append(f"{path}: {error}")


def _import_glossary(root: Path, report: ImportReport) -> None:
    files = _lang_files(root / "glossary", "md")
    GlossaryTerm.objects.exclude(slug__in=list(files)).delete()
    for slug, languages in files.items():
        try:
            texts = {}
            for lang, path in languages.items():
                header, body = _split(path)
                texts[lang] = {
                    "term": str(header.get("term", slug)),
                    "body": body,
                    "status": header.get("status", "draft"),
                }
            GlossaryTerm.objects.update_or_create(slug=slug, defaults={"translations": texts})
            report.terms += 1
        except (ContentError, yaml.YAMLError) as error:
            report.errors.append(f"glossary/{slug}: {error}")


def _import_data(root: Path, report: ImportReport) -> None:
    for folder in ("assessments", "legal-forms", "microcredit"):
        for name, languages in _lang_files(root / folder, "yaml").items():
            try:
                texts = {}
                for lang, path in languages.items():
                    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                    if not isinstance(data, dict):
                        raise ContentError(f"{path}: not a mapping")
                    data.setdefault("status", "draft")
                    texts[lang] = data
                ContentData.objects.update_or_create(key=f"{folder}:{name}", defaults={"translations": texts})
                report.data += 1
            except (ContentError, yaml.YAMLError) as error:
                report.errors.append(f"{folder}/{name}: {error}")


@transaction.atomic
def content_import(*, root: Path | None = None) -> ImportReport:
    """Upsert every content pack under ``root``. Items removed from the files are removed too."""
    root = root or content_root()
    report = ImportReport()
    _import_rules(root, report)
    _import_glossary(root, report)
    _import_data(root, report)
    _import_path(root, report)
    content_cache.bump()  # also when nothing was saved row by row (only removals)
    return report


def content_export(*, root: Path) -> int:
    """Write stages, steps and glossary back to the pack format (the YAML header + Markdown body)."""
    written = 0
    for stage in Stage.objects.prefetch_related("steps"):
        folder = root / "path" / stage.slug
        folder.mkdir(parents=True, exist_ok=True)
        for lang, texts in stage.translations.items():
            header = {
                "slug": stage.slug,
                "order": stage.order,
                "title": texts.get("title", ""),
                "summary": texts.get("summary", ""),
                "status": texts.get("status", "draft"),
            }
            _write(folder / f"_stage.{lang}.md", header, texts.get("body", ""))
            written += 1
        for step in stage.steps.all():
            for lang, texts in step.translations.items():
                header = {
                    "slug": step.slug,
                    "order": step.order,
                    "title": texts.get("title", ""),
                    "minutes": step.minutes,
                    "kind": step.kind,
                    "competences": step.competences,
                    "status": texts.get("status", "draft"),
                    "unverified": texts.get("unverified", []),
                    "sources": step.sources,
                }
                if step.country:
                    header["country"] = step.country
                if texts.get("fields"):
                    header["fields"] = texts["fields"]
                _write(folder / f"{step.slug}.{lang}.md", header, texts.get("body", ""))
                written += 1
    for term in GlossaryTerm.objects.all():
        (root / "glossary").mkdir(parents=True, exist_ok=True)
        for lang, texts in term.translations.items():
            _write(
                root / "glossary" / f"{term.slug}.{lang}.md",
                {"slug": term.slug, "term": texts.get("term", ""), "status": texts.get("status", "draft")},
                texts.get("body", ""),
            )
            written += 1
    return written


def _write(path: Path, header: dict[str, Any], body: str) -> None:
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False).strip()
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
