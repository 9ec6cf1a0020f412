"""The shipped content packs are complete and consistent (runs on the real files in content/)."""

from __future__ import annotations

import pytest

from micro.pathway.content import content_import
from micro.pathway.models import ContentData, GlossaryTerm, Rule, Stage, Step
from micro.pathway.rendering import GLOSSARY_LINK, RULE_REF

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "it", "ar")
STAGES = ("00-welcome", "01-idea", "02-market", "03-rules", "04-plan", "05-microcredit", "06-launch")
COUNTRIES = ("IT", "BE", "ES", "DE")


@pytest.fixture
def imported() -> None:
    report = content_import()
    assert not report.errors, "\n".join(report.errors)


def test_every_stage_exists_with_steps_in_every_language(imported: None) -> None:
    assert tuple(Stage.objects.values_list("slug", flat=True)) == STAGES
    for stage in Stage.objects.all():
        assert set(LANGUAGES) <= set(stage.translations), stage.slug
        assert stage.steps.count() >= 3, stage.slug
    for step in Step.objects.all():
        assert set(LANGUAGES) <= set(step.translations), f"{step.key} misses a language"
        for lang in LANGUAGES:
            texts = step.translations[lang]
            assert texts["title"] and texts["body"], f"{step.key} [{lang}] is empty"
        assert 1 <= step.minutes <= 10, step.key
        assert step.competences, f"{step.key} has no EntreComp competence"


def test_every_country_has_its_rules_steps(imported: None) -> None:
    for country in COUNTRIES:
        assert Step.objects.filter(stage__slug="03-rules", country=country).count() >= 4, country


def test_worksheet_fields_have_the_same_keys_in_every_language(imported: None) -> None:
    for step in Step.objects.filter(kind="worksheet"):
        keys = {lang: [f["key"] for f in step.translations[lang]["fields"]] for lang in LANGUAGES}
        assert keys["en"], step.key
        assert keys["it"] == keys["en"] == keys["ar"], step.key


def test_every_rule_reference_and_glossary_link_resolves(imported: None) -> None:
    rules = set(Rule.objects.values_list("key", flat=True))
    terms = set(GlossaryTerm.objects.values_list("slug", flat=True))
    texts = [
        (f"{step.key} [{lang}]", t["body"]) for step in Step.objects.all() for lang, t in step.translations.items()
    ]
    texts += [
        (f"{stage.slug} [{lang}]", t["body"]) for stage in Stage.objects.all() for lang, t in stage.translations.items()
    ]
    texts += [
        (f"glossary/{term.slug} [{lang}]", t["body"])
        for term in GlossaryTerm.objects.all()
        for lang, t in term.translations.items()
    ]
    missing_rules = [(where, key) for where, body in texts for key in RULE_REF.findall(body) if key not in rules]
    missing_terms = [(where, m[0]) for where, body in texts for m in GLOSSARY_LINK.findall(body) if m[0] not in terms]
    assert not missing_rules, missing_rules
    assert not missing_terms, missing_terms


def test_rules_are_dated_records_with_sources_and_labels(imported: None) -> None:
    assert Rule.objects.count() >= 10
    for rule in Rule.objects.all():
        assert rule.source_url.startswith("http"), rule.key
        assert rule.translations.get("en", {}).get("label"), rule.key
        assert rule.country in (*COUNTRIES, "EU"), rule.key
        if rule.valid_from and rule.valid_to:
            assert rule.valid_from <= rule.valid_to, rule.key


def test_glossary_has_at_least_150_terms_in_every_language(imported: None) -> None:
    assert GlossaryTerm.objects.count() >= 150
    for term in GlossaryTerm.objects.all():
        for lang in LANGUAGES:
            assert term.translations.get(lang, {}).get("body"), f"{term.slug} [{lang}]"


def test_structured_packs_exist_for_every_country_and_language(imported: None) -> None:
    keys = {"assessments:readiness"} | {f"legal-forms:{c}" for c in COUNTRIES} | {f"microcredit:{c}" for c in COUNTRIES}
    for key in keys:
        record = ContentData.objects.get(key=key)
        assert set(LANGUAGES) <= set(record.translations), key
    readiness = ContentData.objects.get(key="assessments:readiness").translations
    question_keys = {lang: [q["key"] for q in readiness[lang]["questions"]] for lang in LANGUAGES}
    assert question_keys["en"] == question_keys["it"] == question_keys["ar"]
    for lang in LANGUAGES:
        dimensions = {d["key"] for d in readiness[lang]["dimensions"]}
        assert dimensions == {"motivation", "skills", "time", "money", "legal", "language"}
        stage_slugs = set(STAGES)
        assert all(d["start_stage"] in stage_slugs for d in readiness[lang]["dimensions"])
