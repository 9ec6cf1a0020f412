"""A small, complete content pack written to a temporary folder, so path tests do not depend on the real texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from micro.pathway.content import content_import


def _md(path: Path, header: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\n" + body + "\n", encoding="utf-8")


def _yaml(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def build_pack(root: Path) -> Path:
    for lang, title in (("en", "Welcome"), ("ar", "مرحبا")):
        _md(
            root / "path/00-welcome" / f"_stage.{lang}.md",
            {"slug": "00-welcome", "order": 0, "title": title, "summary": "s", "status": "reviewed"},
            "Intro",
        )
        _md(
            root / "path/00-welcome" / f"01-hello.{lang}.md",
            {
                "slug": "01-hello",
                "order": 1,
                "title": f"{title} step",
                "minutes": 2,
                "kind": "text",
                "status": "reviewed" if lang == "en" else "draft",
            },
            "Read about [[microcredit]] and {{rule:IT.microcredit.max_amount}}.",
        )
        _md(
            root / "path/00-welcome" / f"02-readiness.{lang}.md",
            {
                "slug": "02-readiness",
                "order": 2,
                "title": "Ready?",
                "minutes": 4,
                "kind": "readiness",
                "status": "reviewed",
            },
            "Answer.",
        )
    _md(
        root / "path/01-idea/_stage.en.md",
        {"slug": "01-idea", "order": 1, "title": "My idea", "summary": "s", "status": "reviewed"},
        "Idea intro",
    )
    _md(
        root / "path/01-idea/01-describe.en.md",
        {
            "slug": "01-describe",
            "order": 1,
            "title": "Describe",
            "minutes": 3,
            "kind": "worksheet",
            "status": "reviewed",
            "fields": [
                {"key": "idea_summary", "label": "Your idea", "type": "textarea", "required": True},
                {"key": "price", "label": "Price", "type": "money"},
            ],
        },
        "Write it.",
    )
    _md(
        root / "path/03-rules/_stage.en.md",
        {"slug": "03-rules", "order": 3, "title": "Rules", "summary": "s", "status": "reviewed"},
        "Rules intro",
    )
    _md(
        root / "path/03-rules/00-country.en.md",
        {"slug": "00-country", "order": 0, "title": "Country", "minutes": 1, "kind": "country", "status": "reviewed"},
        "Choose.",
    )
    for cc, order in (("it", 11), ("es", 31)):
        _md(
            root / f"path/03-rules/{cc}-1-right-to-work.en.md",
            {
                "slug": f"{cc}-1-right-to-work",
                "order": order,
                "title": f"Right to work {cc}",
                "minutes": 3,
                "kind": "text",
                "country": cc.upper(),
                "status": "reviewed",
                "unverified": ["A fact to check"],
            },
            f"Text for {cc}.",
        )
        _md(
            root / f"path/03-rules/{cc}-2-legal-forms.en.md",
            {
                "slug": f"{cc}-2-legal-forms",
                "order": order + 1,
                "title": "Legal forms",
                "minutes": 3,
                "kind": "legal_form_chooser",
                "country": cc.upper(),
                "status": "reviewed",
            },
            "Compare.",
        )
    _md(
        root / "path/05-microcredit/_stage.en.md",
        {"slug": "05-microcredit", "order": 5, "title": "Microcredit", "summary": "s", "status": "reviewed"},
        "MC",
    )
    _md(
        root / "path/05-microcredit/03-eligibility.en.md",
        {
            "slug": "03-eligibility",
            "order": 3,
            "title": "Can I borrow?",
            "minutes": 3,
            "kind": "eligibility",
            "status": "reviewed",
        },
        "Check.",
    )
    _yaml(
        root / "rules/IT.yaml",
        [
            {
                "key": "IT.microcredit.max_amount",
                "value": "75000",
                "unit": "EUR",
                "valid_from": "2024-01-01",
                "valid_to": None,
                "source_url": "https://example.org/it",
                "last_verified": "2026-11-26",
                "verified": False,
                "label": {"en": "Max microcredit", "it": "Importo massimo"},
            }
        ],
    )
    for lang in ("en", "ar"):
        _md(
            root / f"glossary/microcredit.{lang}.md",
            {"slug": "microcredit", "term": "Microcredit" if lang == "en" else "قرض صغير", "status": "reviewed"},
            "A small loan.",
        )
        _yaml(
            root / f"assessments/readiness.{lang}.yaml",
            {
                "status": "reviewed",
                "dimensions": [
                    {
                        "key": "money",
                        "title": "Money",
                        "competences": ["mobilising_resources"],
                        "ready": "Fine.",
                        "prepare": "Save first.",
                        "start_stage": "05-microcredit",
                    },
                    {
                        "key": "motivation",
                        "title": "Motivation",
                        "competences": ["motivation_perseverance"],
                        "ready": "Great.",
                        "prepare": "Think.",
                        "start_stage": "01-idea",
                    },
                ],
                "questions": [
                    {
                        "key": "savings",
                        "dimension": "money",
                        "text": "Savings?",
                        "options": [
                            {"value": "a", "label": "Yes", "score": 2},
                            {"value": "c", "label": "No", "score": 0},
                        ],
                    },
                    {
                        "key": "why",
                        "dimension": "motivation",
                        "text": "Why?",
                        "options": [
                            {"value": "a", "label": "Strong", "score": 2},
                            {"value": "b", "label": "Unsure", "score": 0},
                        ],
                    },
                ],
            },
        )
    for cc in ("IT", "ES"):
        _yaml(
            root / f"legal-forms/{cc}.en.yaml",
            {
                "status": "reviewed",
                "forms": [
                    {
                        "key": "sole",
                        "name": "Sole trader",
                        "owners": "single",
                        "limited_liability": False,
                        "good_for": "Starting small",
                        "trade_offs": "Personal liability",
                    },
                    {
                        "key": "ltd",
                        "name": "Small company",
                        "owners": "any",
                        "limited_liability": True,
                        "good_for": "Protection",
                        "trade_offs": "More paperwork",
                    },
                ],
            },
        )
        _yaml(
            root / f"microcredit/{cc}.en.yaml",
            {
                "status": "reviewed",
                "providers": [
                    {
                        "key": "p",
                        "name": "Lender",
                        "url": "https://example.org",
                        "what": "Lends.",
                        "max_amount_rule": "IT.microcredit.max_amount",
                    }
                ],
                "eligibility": [
                    {
                        "key": "residence",
                        "text": "Permit allows self-employment?",
                        "blocking_answer": "no",
                        "advice": "Check your permit first.",
                    },
                    {
                        "key": "plan",
                        "text": "Do you have a plan?",
                        "blocking_answer": "no",
                        "advice": "Write your plan.",
                    },
                ],
            },
        )
    return root


@pytest.fixture
def content_pack(tmp_path: Path, db: None) -> Path:
    root = build_pack(tmp_path / "content")
    report = content_import(root=root)
    assert not report.errors, report.errors
    return root
