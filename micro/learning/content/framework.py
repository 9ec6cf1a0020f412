"""The competence framework: EntreComp/RFCDC references and the operator competences."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from micro.learning.content.pack import (
    SOURCE_LANGUAGE,
    ImportReport,
    PackError,
    dump_yaml,
    int_of,
    lang_files,
    read_yaml,
    set_m2m,
    slug_of,
    source_language,
    status_of,
    text_fields,
    texts_of,
    upsert,
)
from micro.learning.models import (
    Competence,
    CompetenceArea,
    CompetenceLevel,
    Framework,
    ReferenceCompetence,
)

# --- framework -------------------------------------------------------------------------------


def framework_import(root: Path, report: ImportReport) -> None:
    folder = root / "_framework"
    references_file = folder / "references.yaml"
    if references_file.is_file():
        data = yaml.safe_load(references_file.read_text(encoding="utf-8")) or []
        for index, item in enumerate(data):
            framework = item.get("framework")
            if framework not in Framework.values:
                raise PackError(f"{references_file}: unknown framework {framework!r}")
            translations = {
                lang: {
                    "name": str(name),
                    "group": str((item.get("group") or {}).get(lang, "")),
                    "status": "reviewed" if lang == SOURCE_LANGUAGE else "draft",
                }
                for lang, name in (item.get("name") or {}).items()
            }
            upsert(
                ReferenceCompetence,
                {"code": str(item["code"])},
                {
                    "framework": framework,
                    "order": index,
                    "unverified": bool(item.get("unverified", False)),
                    "translations": translations,
                },
            )
            report.references += 1
    files = lang_files(folder, "yaml").get("competences", {})
    if not files:
        return
    documents = {lang: read_yaml(path) for lang, path in files.items()}
    source = documents[source_language(documents)]
    for area_order, area in enumerate(source.get("areas") or []):
        area_slug = slug_of(area.get("slug"), "competence area")
        area_texts = {}
        competence_texts: dict[str, dict[str, Any]] = {}
        level_texts: dict[tuple[str, int], dict[str, Any]] = {}
        for lang, document in documents.items():
            status = status_of(document.get("status"))
            for translated in document.get("areas") or []:
                if translated.get("slug") != area_slug:
                    continue
                area_texts[lang] = texts_of(translated, ("title", "description"), status)
                for competence in translated.get("competences") or []:
                    code = str(competence.get("code"))
                    competence_texts.setdefault(code, {})[lang] = texts_of(competence, ("title", "description"), status)
                    for level in competence.get("levels") or []:
                        level_texts.setdefault((code, int(level.get("level", 0))), {})[lang] = texts_of(
                            level, ("name", "descriptor"), status
                        )
        area_obj = upsert(CompetenceArea, {"slug": area_slug}, {"order": area_order, "translations": area_texts})
        for order, competence in enumerate(area.get("competences") or []):
            code = str(competence.get("code") or "")
            if not re.match(r"^[A-Z]{2,5}-\d{1,2}$", code):
                raise PackError(f"competence {code!r}: codes look like EF-1")
            obj = upsert(
                Competence,
                {"code": code},
                {"area": area_obj, "order": order, "translations": competence_texts.get(code, {})},
            )
            wanted = [str(ref) for ref in competence.get("references") or []]
            references = list(ReferenceCompetence.objects.filter(code__in=wanted))
            unknown = set(wanted) - {ref.code for ref in references}
            if unknown:
                raise PackError(f"competence {code}: unknown reference codes {sorted(unknown)}")
            set_m2m(obj.references, references)
            levels = []
            for level in competence.get("levels") or []:
                number = int_of(level.get("level"), f"competence {code} level", low=1, high=8)
                levels.append(number)
                upsert(
                    CompetenceLevel,
                    {"competence": obj, "level": number},
                    {"translations": level_texts.get((code, int(number or 0)), {})},
                )
            obj.levels.exclude(level__in=levels).delete()
            report.competences += 1


def framework_export(root: Path) -> int:
    written = 0
    references = [
        {
            "code": ref.code,
            "framework": ref.framework,
            "unverified": ref.unverified,
            "name": {lang: texts.get("name", "") for lang, texts in ref.translations.items()},
            "group": {lang: texts.get("group", "") for lang, texts in ref.translations.items() if texts.get("group")},
        }
        for ref in ReferenceCompetence.objects.order_by("framework", "order", "code")
    ]
    if references:
        dump_yaml(root / "_framework" / "references.yaml", references)
        written += 1
    areas = list(
        CompetenceArea.objects.prefetch_related("competences__levels", "competences__references").order_by(
            "order", "slug"
        )
    )
    languages = sorted({lang for area in areas for lang in area.translations})
    for lang in languages:
        document = {
            "status": (areas[0].translations.get(lang) or {}).get("status", "draft") if areas else "draft",
            "areas": [
                {
                    "slug": area.slug,
                    **text_fields(area.translations, lang, ("title", "description")),
                    "competences": [
                        {
                            "code": competence.code,
                            "references": [ref.code for ref in competence.references.all()],
                            **text_fields(competence.translations, lang, ("title", "description")),
                            "levels": [
                                {"level": level.level, **text_fields(level.translations, lang, ("name", "descriptor"))}
                                for level in competence.levels.all()
                            ],
                        }
                        for competence in area.competences.all()
                    ],
                }
                for area in areas
            ],
        }
        dump_yaml(root / "_framework" / f"competences.{lang}.yaml", document)
        written += 1
    return written
