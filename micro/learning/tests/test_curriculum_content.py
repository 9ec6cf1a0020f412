"""Content check of the operator course ``micro-curriculum`` (issue 5), for all six modules.

It reads the pack files for what the importer does not keep (headers, every language's text) and
imports the pack once into a transaction that is rolled back, to check what learners will get:

* every module, lesson, bank and activity exists in en, it, es, fr, de; English is ``reviewed``;
* every lesson has competences and 8-20 minutes; each module has at least 5 lessons, a bank of at
  least 25 questions, a quiz drawing on it and a branching scenario (module prefix ``mN-`` in
  the bank and activity file names);
* every question has feedback in every language and a correct answer that the scoring engine
  (``grading.grade`` over ``micro.learning.scoring``) accepts in every language;
* every numeric question has a ``compute:`` spec, its stored answer is the finance core's result,
  and its explanation shows the working (an ``=``);
* every ``{{rule:KEY}}`` is a record of content/rules with a source and a date, written in a lesson
  body (the only text that renders it);
* in lessons on legal topics (header ``legal: true``, or any lesson that cites a rule), amounts
  of money and percentages are cited as ``{{rule:KEY}}``; figures of a worked example are allowed
  only when the lesson declares them in its header, ``example_figures: ["15,000", "6.9 %"]``
  (compared by their digits, so "15.000" in Italian matches "15,000");
* every link is a platform address that resolves, or an external address listed in the
  ``sources:`` of course.en.md;
* the totals of issue 5: 30 lessons, 150 bank questions outside the pre/post bank, 40 numeric,
  6 scenarios, 4 case-study assignments with rubrics, and the pre/post bank.

Run with ``-s`` to see the counts per language. While parts of the course are still being written,
the failures name the file and what is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import formats, translation

from micro.learning import grading, scoring
from micro.learning.computed import ComputeError, compute_answer
from micro.learning.content import course_import
from micro.learning.content.pack import lang_files, read_yaml, split_front_matter
from micro.learning.models import Activity, ActivityKind, Lesson, Question, QuestionKind
from micro.learning.rendering import lesson_body_html, rule_keys
from micro.learning.tests.conftest import SAMPLE_ROOT

COURSE = "micro-curriculum"
COURSE_DIR = SAMPLE_ROOT / COURSE
RULES_DIR = SAMPLE_ROOT.parent / "rules"
LANGUAGES = ("en", "it", "es", "fr", "de")
MODULES = (
    "01-migrant-entrepreneurship",
    "02-microcredit",
    "03-idea-to-plan",
    "04-financial-literacy",
    "05-intercultural",
    "06-accompanying",
)
PRE_POST_PREFIX = "pre-post"
MIN_LESSONS, MIN_QUESTIONS, MIN_NUMERIC, MIN_SCENARIOS, MIN_CASE_STUDIES = 30, 150, 40, 6, 4
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}

MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)")
BARE_URL = re.compile(r"(?<![(<\w])https?://[^\s)>\]\"']+")
_NUMBER = r"\d(?:[\d.,\u00a0\u202f ]*\d)?"
_CURRENCY = r"(?:€|EUR\b|[Ee]uros?\b)"
MONEY = re.compile(rf"{_CURRENCY}\s?{_NUMBER}|{_NUMBER}\s?{_CURRENCY}")
PERCENT = re.compile(
    rf"{_NUMBER}\s?(?:%|per ?cent\b|percent\b|Prozent\b|por ?ciento\b|pour ?cent\b|per ?cento\b)", re.IGNORECASE
)
RULE_REFERENCE = re.compile(r"\{\{\s*rule:[^}]*\}\}")


# --- reading the pack files ------------------------------------------------------------------


def _english(files: dict[str, Path]) -> Path | None:
    return files.get("en")


def module_dirs() -> list[Path]:
    return [COURSE_DIR / name for name in MODULES]


def lesson_files() -> dict[str, dict[str, Path]]:
    """``module-folder/lesson-name`` → language → path, for every lesson of every module."""
    found: dict[str, dict[str, Path]] = {}
    for folder in module_dirs():
        for name, languages in lang_files(folder, "md").items():
            if name != "_module":
                found[f"{folder.name}/{name}"] = languages
    return found


def yaml_files(kind: str) -> dict[str, dict[str, Path]]:
    return lang_files(COURSE_DIR / kind, "yaml")


def course_sources() -> set[str]:
    course = COURSE_DIR / "course.en.md"
    if not course.is_file():
        return set()
    header, _body = split_front_matter(course)
    sources = set()
    for item in header.get("sources") or []:
        url = item.get("url") if isinstance(item, dict) else item
        if url:
            sources.add(_normal_url(str(url)))
    return sources


def rule_records() -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            records[str(record.get("key"))] = record
    return records


def every_pack_file() -> Iterator[Path]:
    if COURSE_DIR.is_dir():
        yield from sorted(path for path in COURSE_DIR.rglob("*") if path.suffix in {".md", ".yaml"})


def _normal_url(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed YAML value (texts, urls, nested lists and mappings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def file_texts(path: Path) -> list[str]:
    if path.suffix == ".md":
        header, body = split_front_matter(path)
        return [body, *_strings({key: value for key, value in header.items() if key != "sources"})]
    return list(_strings(read_yaml(path)))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def platform_page_exists(address: str) -> bool:
    """Whether a path resolves, in the language its prefix names (``/it/...`` resolves in Italian)."""
    path = address.split("#", 1)[0].split("?", 1)[0]
    prefix = path.strip("/").split("/", 1)[0]
    language = prefix if prefix in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        try:
            resolve(path)
        except Resolver404:
            return False
    return True


def legal_figures_in(text: str, allowed: set[str]) -> list[str]:
    """Money amounts and percentages typed into ``text`` that are neither rule references nor allowed."""
    prose = RULE_REFERENCE.sub(" ", text)
    found = [match.group(0).strip() for match in [*MONEY.finditer(prose), *PERCENT.finditer(prose)]]
    return [figure for figure in found if _digits(figure) not in allowed]


# --- file checks -----------------------------------------------------------------------------


def test_the_course_and_every_module_exist_in_every_language() -> None:
    problems = []
    for lang in LANGUAGES:
        if not (COURSE_DIR / f"course.{lang}.md").is_file():
            problems.append(f"course.{lang}.md is missing")
    for folder in module_dirs():
        for lang in LANGUAGES:
            if not (folder / f"_module.{lang}.md").is_file():
                problems.append(f"{folder.name}/_module.{lang}.md is missing")
    assert not problems, "\n".join(problems)


def test_every_item_has_a_variant_in_every_language_and_english_is_reviewed() -> None:
    items = {**lesson_files()}
    for kind in ("banks", "activities"):
        items.update({f"{kind}/{name}": languages for name, languages in yaml_files(kind).items()})
    problems = []
    for name, languages in sorted(items.items()):
        missing = [lang for lang in LANGUAGES if lang not in languages]
        if missing:
            problems.append(f"{name}: no variant in {', '.join(missing)}")
        english = _english(languages)
        if english is not None:
            header = split_front_matter(english)[0] if english.suffix == ".md" else read_yaml(english)
            if header.get("status") != "reviewed":
                problems.append(f"{name}.en: status must be reviewed (translations are draft)")
    assert items, f"no lessons, banks or activities under {COURSE_DIR}"
    assert not problems, "\n".join(problems)


def test_every_lesson_has_competences_and_minutes_and_each_module_five_lessons() -> None:
    problems = []
    per_module: Counter[str] = Counter()
    for name, languages in sorted(lesson_files().items()):
        english = _english(languages)
        if english is None:
            problems.append(f"{name}: the English lesson is missing")
            continue
        header, _body = split_front_matter(english)
        per_module[name.split("/")[0]] += 1
        if not header.get("competences"):
            problems.append(f"{name}: no competences")
        minutes = header.get("minutes")
        if not isinstance(minutes, int) or not 8 <= minutes <= 20:
            problems.append(f"{name}: minutes must be a whole number from 8 to 20, not {minutes!r}")
    for folder in MODULES:
        if per_module[folder] < 5:
            problems.append(f"{folder}: {per_module[folder]} lessons, at least 5 needed")
    assert not problems, "\n".join(problems)


def test_every_rule_reference_is_a_dated_record_with_a_source() -> None:
    records = rule_records()
    problems = []
    for path in every_pack_file():
        for text in file_texts(path):
            for key in rule_keys(text):
                record = records.get(key)
                where = path.relative_to(COURSE_DIR)
                if where.parts[0] in ("banks", "activities"):
                    problems.append(f"{where}: {{{{rule:{key}}}}} is shown only in lesson bodies; write it in a lesson")
                if record is None:
                    problems.append(f"{where}: {{{{rule:{key}}}}} is not a record of content/rules")
                elif not record.get("source_url") or not record.get("last_verified"):
                    problems.append(f"{where}: rule {key} needs a source_url and a last_verified date")
    assert not problems, "\n".join(sorted(set(problems)))


def test_legal_lessons_take_money_and_percentages_from_rule_records() -> None:
    problems = []
    for name, languages in sorted(lesson_files().items()):
        english = _english(languages)
        if english is None:
            continue
        header, english_body = split_front_matter(english)
        if not (header.get("legal") or rule_keys(english_body)):
            continue
        allowed = {_digits(str(figure)) for figure in header.get("example_figures") or []}
        for lang, path in sorted(languages.items()):
            for figure in legal_figures_in(split_front_matter(path)[1], allowed):
                problems.append(
                    f"{name}.{lang}: {figure!r} is a legal-topic figure typed into the prose - "
                    "cite it as {{rule:KEY}}, or list a worked-example figure in example_figures"
                )
    assert not problems, "\n".join(problems)


def test_every_link_resolves_on_the_platform_or_is_a_listed_source() -> None:
    sources = course_sources()
    problems = []
    for path in every_pack_file():
        where = path.relative_to(COURSE_DIR)
        targets: set[str] = set()
        for text in file_texts(path):
            targets.update(MARKDOWN_LINK.findall(text))
            targets.update(BARE_URL.findall(text))
        for target in sorted(targets):
            if target.startswith("image:"):
                continue
            if target.startswith(("http://", "https://")):
                if _normal_url(target) not in sources:
                    problems.append(f"{where}: {target} is not listed in the sources of course.en.md")
            elif target.startswith("/"):
                if not platform_page_exists(target):
                    problems.append(f"{where}: {target} is not a page of the platform")
            else:
                problems.append(f"{where}: {target} is neither a platform address (/…) nor a listed source")
    assert not problems, "\n".join(problems)


# --- the imported course ---------------------------------------------------------------------


@dataclass
class Findings:
    """What the import produced, as plain data, so the tests below need no database."""

    import_errors: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)

    def add(self, check: str, message: str) -> None:
        self.problems.setdefault(check, []).append(message)

    def of(self, check: str) -> list[str]:
        return self.import_errors or self.problems.get(check, [])


def _answer_in(question: Question, language: str) -> Any:
    """The response a learner who knows the answer would give, typed in ``language``."""
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return next((choice.key for choice in choices if choice.is_correct), "")
    if question.kind == QuestionKind.MULTIPLE:
        return [choice.key for choice in choices if choice.is_correct]
    if question.kind == QuestionKind.ORDERING:
        return [choice.key for choice in choices]
    if question.kind == QuestionKind.MATCHING:
        return {choice.key: choice.key for choice in choices}
    if question.kind == QuestionKind.SHORT_TEXT:
        accepted = (question.translations.get(language) or {}).get("accepted") or []
        return accepted[0] if accepted else None
    with translation.override(language):
        return formats.number_format(question.numeric_answer or 0, use_l10n=True, force_grouping=True)


def _check_question(question: Question, findings: Findings) -> None:
    where = f"{question.bank.slug}/{question.key}"
    if not question.competences.exists():
        findings.add("questions", f"{where}: no competences")
    choices = list(question.choices.all())
    for lang in LANGUAGES:
        texts = question.translations.get(lang) or {}
        if not texts.get("prompt"):
            findings.add("questions", f"{where}.{lang}: no prompt")
            continue
        both = bool(texts.get("feedback_correct") and texts.get("feedback_incorrect"))
        per_choice = question.kind in CHOICE_KINDS and all(
            (choice.translations.get(lang) or {}).get("feedback") for choice in choices
        )
        if not (both or per_choice):
            findings.add(
                "questions", f"{where}.{lang}: no feedback (feedback_correct + feedback_incorrect, or on every choice)"
            )
        score = grading.grade(question, _answer_in(question, lang), lang)
        if score.status != scoring.CORRECT:
            findings.add("questions", f"{where}.{lang}: the scoring engine marks the right answer {score.status}")
    if question.kind == QuestionKind.NUMERIC:
        _check_numeric(question, where, findings)


def _check_numeric(question: Question, where: str, findings: Findings) -> None:
    if not question.numeric_compute:
        findings.add("numeric", f"{where}: no compute spec - the answer must come from the finance core")
        return
    try:
        expected = compute_answer(question.numeric_compute)
    except ComputeError as error:
        findings.add("numeric", f"{where}: {error}")
        return
    if question.numeric_answer is None or Decimal(question.numeric_answer) != expected:
        findings.add(
            "numeric", f"{where}: stored answer {question.numeric_answer} is not the finance core's {expected}"
        )
    for lang in LANGUAGES:
        explanation = (question.translations.get(lang) or {}).get("explanation", "")
        if "=" not in explanation:
            findings.add("numeric", f"{where}.{lang}: the explanation must show the working (with =)")


def _check_scenario(activity: Activity, findings: Findings) -> None:
    where = f"activities/{activity.slug}"
    nodes = list(activity.scenario_nodes.prefetch_related("choices"))
    endings = [node for node in nodes if not node.choices.all()]
    if len(nodes) < 6 or len(endings) < 2:
        findings.add("scenarios", f"{where}: {len(nodes)} nodes and {len(endings)} endings (at least 6 and 2)")
    for lang in LANGUAGES:
        if not (activity.translations.get(lang) or {}).get("debrief"):
            findings.add("scenarios", f"{where}.{lang}: no debrief")
        for node in nodes:
            if not (node.translations.get(lang) or {}).get("text"):
                findings.add("scenarios", f"{where}/{node.key}.{lang}: no text")
            for choice in node.choices.all():
                texts = choice.translations.get(lang) or {}
                if not texts.get("text") or not texts.get("feedback"):
                    findings.add("scenarios", f"{where}/{node.key}/{choice.key}.{lang}: text and feedback needed")
                if lang == "en" and not choice.scores:
                    findings.add("scenarios", f"{where}/{node.key}/{choice.key}: no competence scores")


def _module_number(name: str) -> str:
    match = re.match(r"m(\d)-", name)
    return match.group(1) if match else ""


def _check_modules(findings: Findings, questions: list[Question], activities: list[Activity]) -> None:
    bank_sizes: Counter[str] = Counter(question.bank.slug for question in questions)
    for index, folder in enumerate(MODULES, start=1):
        number = str(index)
        banks = [slug for slug in bank_sizes if _module_number(slug) == number]
        if not any(bank_sizes[slug] >= 25 for slug in banks):
            findings.add("modules", f"{folder}: needs a bank m{number}-… of at least 25 questions (has {banks})")
        mine = [activity for activity in activities if _module_number(activity.slug) == number]
        quizzes = [a for a in mine if a.kind == ActivityKind.QUIZ and any(p.bank.slug in banks for p in a.parts.all())]
        if not quizzes:
            findings.add("modules", f"{folder}: needs a quiz m{number}-… drawing from its bank")
        if not [a for a in mine if a.kind == ActivityKind.SCENARIO]:
            findings.add("modules", f"{folder}: needs a branching scenario m{number}-…")


def _count(findings: Findings, questions: list[Question], activities: list[Activity], lessons: list[Lesson]) -> None:
    outside = [question for question in questions if not question.bank.slug.startswith(PRE_POST_PREFIX)]
    scenarios = [activity for activity in activities if activity.kind == ActivityKind.SCENARIO]
    case_studies = [
        activity
        for activity in activities
        if activity.kind == ActivityKind.ASSIGNMENT
        and activity.criteria.count() >= 2
        and all(criterion.levels.count() >= 2 for criterion in activity.criteria.all())
    ]
    findings.totals.update(
        lessons=len(lessons),
        questions=len(outside),
        numeric=sum(1 for question in outside if question.kind == QuestionKind.NUMERIC),
        scenarios=len(scenarios),
        case_studies=len(case_studies),
        pre_post=sum(1 for question in questions if question.bank.slug.startswith(PRE_POST_PREFIX)),
    )
    for lang in LANGUAGES:
        findings.counts[lang] = Counter(
            lessons=sum(1 for lesson in lessons if lang in lesson.translations),
            questions=sum(1 for q in outside if (q.translations.get(lang) or {}).get("prompt")),
            numeric=sum(
                1 for q in outside if q.kind == QuestionKind.NUMERIC and (q.translations.get(lang) or {}).get("prompt")
            ),
            scenarios=sum(1 for a in scenarios if lang in a.translations),
            case_studies=sum(1 for a in case_studies if lang in a.translations),
            pre_post=sum(
                1
                for q in questions
                if q.bank.slug.startswith(PRE_POST_PREFIX) and (q.translations.get(lang) or {}).get("prompt")
            ),
        )
    pre_post = {
        activity.slug: {part.bank.slug for part in activity.parts.all()}
        for activity in activities
        if activity.slug in ("pre-test", "post-test")
    }
    if set(pre_post) != {"pre-test", "post-test"} or pre_post["pre-test"] != pre_post["post-test"]:
        findings.add("totals", f"pre-test and post-test must both exist and draw on the same bank: {pre_post}")
    elif not all(slug.startswith(PRE_POST_PREFIX) for slug in pre_post["pre-test"]):
        findings.add("totals", f"the pre/post tests must draw on a separate {PRE_POST_PREFIX}… bank: {pre_post}")
    if findings.totals["pre_post"] < 20:
        findings.add("totals", f"the pre/post bank has {findings.totals['pre_post']} questions, at least 20 needed")


@pytest.fixture(scope="module")
def findings(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Findings]:
    """Import the course once, collect everything the checks need, and roll the import back."""
    result = Findings()
    media = tmp_path_factory.mktemp("curriculum-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        report = course_import(root=SAMPLE_ROOT, only=COURSE)
        result.import_errors = [f"the course does not import: {error}" for error in report.errors]
        if not result.import_errors:
            questions = list(
                Question.objects.filter(bank__course__slug=COURSE, is_retired=False)
                .select_related("bank")
                .prefetch_related("choices", "competences")
            )
            activities = list(
                Activity.objects.filter(lesson__module__course__slug=COURSE, is_retired=False).prefetch_related(
                    "parts__bank"
                )
            )
            lessons = list(Lesson.objects.filter(module__course__slug=COURSE, is_retired=False))
            for question in questions:
                _check_question(question, result)
            for activity in activities:
                if activity.kind == ActivityKind.SCENARIO:
                    _check_scenario(activity, result)
            _check_modules(result, questions, activities)
            _count(result, questions, activities, lessons)
        transaction.set_rollback(True)
    yield result


@pytest.mark.django_db  # declares the database, so that the module fixture finds it set up
def test_the_course_imports(findings: Findings) -> None:
    assert not findings.import_errors, "\n".join(findings.import_errors)


@pytest.mark.django_db
def test_every_question_has_feedback_and_an_answer_the_scoring_engine_accepts(findings: Findings) -> None:
    assert not findings.of("questions"), "\n".join(findings.of("questions"))


@pytest.mark.django_db
def test_every_numeric_answer_is_the_finance_cores_with_worked_feedback(findings: Findings) -> None:
    assert not findings.of("numeric"), "\n".join(findings.of("numeric"))


@pytest.mark.django_db
def test_every_scenario_branches_with_feedback_scores_and_a_debrief(findings: Findings) -> None:
    assert not findings.of("scenarios"), "\n".join(findings.of("scenarios"))


@pytest.mark.django_db
def test_every_module_has_a_bank_a_quiz_and_a_scenario(findings: Findings) -> None:
    assert not findings.of("modules"), "\n".join(findings.of("modules"))


@pytest.mark.django_db
def test_the_course_reaches_the_counts_of_issue_5_in_every_language(findings: Findings) -> None:
    assert not findings.import_errors, "\n".join(findings.import_errors)
    columns = ("lessons", "questions", "numeric", "scenarios", "case_studies", "pre_post")
    print(f"\n{COURSE} counts per language (questions and numeric: outside the pre/post bank)")
    print("lang  " + "  ".join(f"{column:>12}" for column in columns))
    for lang in LANGUAGES:
        print(f"{lang:<4}  " + "  ".join(f"{findings.counts[lang][column]:>12}" for column in columns))
    print("all   " + "  ".join(f"{findings.totals[column]:>12}" for column in columns))
    minimum = {
        "lessons": MIN_LESSONS,
        "questions": MIN_QUESTIONS,
        "numeric": MIN_NUMERIC,
        "scenarios": MIN_SCENARIOS,
        "case_studies": MIN_CASE_STUDIES,
    }
    short = [
        f"{lang}: {findings.counts[lang][name]} {name}, at least {least} needed"
        for lang in LANGUAGES
        for name, least in minimum.items()
        if findings.counts[lang][name] < least
    ]
    assert not short and not findings.of("totals"), "\n".join(short + findings.of("totals"))


# --- the detectors themselves ----------------------------------------------------------------


def test_the_legal_figure_detector_finds_typed_amounts_and_allows_rules_and_declared_examples() -> None:
    text = "A cap of €75,000, or 75.000 EUR, at 6,9 % or 12 Prozent; {{rule:IT.microcredit.max_amount}}; in 2024."
    assert legal_figures_in(text, set()) == ["€75,000", "75.000 EUR", "6,9 %", "12 Prozent"]
    assert legal_figures_in(text, {"75000", "69", "12"}) == []
    assert legal_figures_in("Since 12 January 2024, 3 years and 10 employees.", set()) == []


def test_the_link_detector_accepts_platform_pages_in_any_language_and_refuses_others() -> None:
    assert platform_page_exists("/en/learn/")
    assert platform_page_exists("/it/learn/#top")
    assert not platform_page_exists("/en/no-such-page/")
    assert not platform_page_exists("/learn/")
    found = MARKDOWN_LINK.findall("See [a](/en/learn/) and ![b](image:chart) and [c](https://example.org/x).")
    assert found == ["/en/learn/", "image:chart", "https://example.org/x"]


# --- {{rule:KEY}} in lessons -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_lesson_shows_a_cited_rule_with_its_source_date_and_warning() -> None:
    from micro.pathway.models import Rule

    Rule.objects.create(
        key="IT.test.cap",
        country="IT",
        value="75000",
        unit="EUR",
        source_url="https://example.org/source",
        last_verified="2026-11-26",
        verified=False,
    )
    lesson = Lesson(slug="rules")
    body = "The cap is {{rule:IT.test.cap}}; unknown: {{rule:XX.none}}; *kept*: {{ rule:IT.test.cap }}."
    with translation.override("en"):
        html = str(lesson_body_html(lesson, body, [], "en"))
        again = str(lesson_body_html(lesson, body, [], "en"))
    assert html == again  # the cached body gets the figures back in
    assert html.count("€75,000") == 2
    assert 'href="https://example.org/source"' in html
    assert "to be confirmed" in html
    assert "(figure not available)" in html
    assert "{{" not in html and "MICRORULE" not in html
    with translation.override("it"):
        assert "75.000" in str(lesson_body_html(lesson, body, [], "it"))


@pytest.mark.django_db
def test_rule_figures_are_escaped_and_a_lesson_without_rules_makes_no_query(
    django_assert_num_queries: Any,
) -> None:
    from micro.pathway.models import Rule

    Rule.objects.create(key="IT.test.hostile", country="IT", value="<script>x</script>", unit="")
    lesson = Lesson(slug="plain")
    html = str(lesson_body_html(lesson, "{{rule:IT.test.hostile}}", [], "en"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    with django_assert_num_queries(0):
        lesson_body_html(Lesson(slug="no-rules", pk=99), "No figures here.", [], "en")
