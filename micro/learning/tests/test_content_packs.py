"""The course content packs: the shipped sample course imports idempotently, its numeric answers are
the finance core's, the export round-trips, and broken packs are refused with a clear message."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import models

from micro import finance
from micro.learning.computed import FUNCTIONS, ComputeError, compute_answer
from micro.learning.content import course_export, course_import
from micro.learning.models import (
    Activity,
    ActivityKind,
    Choice,
    Competence,
    Course,
    Lesson,
    LessonImage,
    LessonResource,
    Module,
    Question,
    QuestionKind,
    ReferenceCompetence,
    RubricLevel,
    ScenarioChoice,
    ScenarioNode,
)
from micro.learning.tests.conftest import SAMPLE_ROOT

pytestmark = pytest.mark.django_db

CONTENT_MODELS: list[type[models.Model]] = [
    ReferenceCompetence,
    Competence,
    Course,
    Module,
    Lesson,
    LessonImage,
    LessonResource,
    Question,
    Choice,
    Activity,
    ScenarioNode,
    ScenarioChoice,
    RubricLevel,
]


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every content row with its primary key and texts (and change time where the model has one)."""
    state: dict[str, list[tuple[object, ...]]] = {}
    for model in CONTENT_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        state[model.__name__] = sorted(
            tuple(str(value) for value in row) for row in model._default_manager.values_list(*fields)
        )
    return state


def test_sample_course_imports_with_both_languages_and_both_areas(sample: object) -> None:
    course = Course.objects.get(slug="micro-sample")
    assert course.is_published
    assert set(course.translations) == {"en", "it"}
    assert course.translations["en"]["status"] == "reviewed" and course.translations["it"]["status"] == "draft"
    areas = {module.area.slug for module in course.modules.all() if module.area}
    assert areas == {"economic-financial", "intercultural-communication"}
    for lesson in Lesson.objects.filter(module__course=course):
        assert set(lesson.translations) == {"en", "it"}, lesson
        assert lesson.competences.exists(), lesson
        assert lesson.translations["it"]["body"] != lesson.translations["en"]["body"]
    kinds = set(Activity.objects.filter(lesson__module__course=course).values_list("kind", flat=True))
    assert kinds == {ActivityKind.QUIZ, ActivityKind.SCENARIO, ActivityKind.ASSIGNMENT}
    scenario = Activity.objects.get(slug="refused-loan")
    assert 5 <= scenario.scenario_nodes.count() <= 8
    assignment = Activity.objects.get(slug="repayment-explanation")
    assert assignment.criteria.count() == 3
    assert all(criterion.levels.count() >= 2 for criterion in assignment.criteria.all())
    image = LessonImage.objects.get(key="split-by-year")
    assert image.content_type == "image/png" and image.translations["it"]["alt"] != image.translations["en"]["alt"]


def test_every_question_and_lesson_is_tagged_with_competences(sample: object) -> None:
    assert not Question.objects.filter(competences__isnull=True).exists()
    assert not Lesson.objects.filter(competences__isnull=True).exists()
    ef = Competence.objects.get(code="EF-1")
    assert set(ef.references.values_list("code", flat=True)) == {"EC-2.4"}
    ic = Competence.objects.get(code="IC-3")
    assert {"RFCDC-S6", "EC-2.5"} <= set(ic.references.values_list("code", flat=True))
    assert ic.levels.count() == 4


def test_every_numeric_question_equals_the_finance_core(sample: object) -> None:
    numeric = list(Question.objects.filter(kind=QuestionKind.NUMERIC))
    assert len(numeric) >= 5
    for question in numeric:
        assert question.numeric_compute, f"{question} has a typed answer"
        spec = question.numeric_compute
        calculation = FUNCTIONS[spec["function"]].function
        result = calculation(**{k: (v if k in ("months",) else str(v)) for k, v in spec["args"].items()})
        if "result" in spec:
            result = getattr(result, spec["result"])
        assert question.numeric_answer == Decimal(result), question
    instalment = Question.objects.get(key="french-instalment")
    assert instalment.numeric_answer == Decimal("239.00") == finance.annuity_installment("10000", "6.9", 48)
    assert instalment.unit == "EUR" and instalment.numeric_tolerance == Decimal("0.50")


def test_the_sample_lessons_quote_the_finance_core_figures(sample: object) -> None:
    loan = Lesson.objects.get(slug="loan-repayment").translations
    result = finance.amortisation_schedule(principal="10000", annual_rate="6.9", months=48)
    assert f"{result.installment}" in loan["en"]["body"]
    first = result.schedule[0]
    assert f"{first.interest} | {first.principal}" in loan["en"]["body"]
    assert "239,00" in loan["it"]["body"]
    break_even = Lesson.objects.get(slug="break-even").translations["en"]["body"]
    survival = finance.survival_break_even(
        price="12", variable_cost="7", cash_fixed_costs="2400", loan_instalments="239", owner_drawings="1000"
    )
    assert f"**{survival.units} trays a month**" in break_even
    assert (
        f"**{finance.break_even(fixed_costs='2400', price='12', variable_cost='7').units} trays a month**" in break_even
    )


def test_import_is_idempotent(sample: object) -> None:
    before = snapshot()
    report = course_import(root=SAMPLE_ROOT, only="micro-sample")
    assert not report.errors
    assert report.retired == 0
    assert snapshot() == before


def test_the_management_commands_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("course_import", root=SAMPLE_ROOT, course="micro-sample")
    call_command("course_import", root=SAMPLE_ROOT, course="micro-sample")
    assert Course.objects.count() == 1
    call_command("course_export", root=tmp_path / "out")
    output = capsys.readouterr().out
    assert "6 lessons" in output and "Wrote" in output
    assert (tmp_path / "out" / "micro-sample" / "course.it.md").is_file()


def test_export_then_import_changes_nothing(sample: object, tmp_path: Path) -> None:
    before = snapshot()
    written = course_export(root=tmp_path / "pack")
    assert written > 20
    assert (tmp_path / "pack" / "micro-sample" / "media" / "loan-split-by-year.png").is_file()
    report = course_import(root=tmp_path / "pack")
    assert not report.errors, report.errors
    assert snapshot() == before


def copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(SAMPLE_ROOT, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "old", "new", "message"),
    [
        (
            "micro-sample/banks/loan-numbers.en.yaml",
            '    tolerance: "0.50"\n',
            '    answer: "240"\n    tolerance: "0.50"\n',
            "differs from the finance core",
        ),
        (
            "micro-sample/banks/loan-numbers.en.yaml",
            "function: annuity_installment",
            "function: os_system",
            "unknown function",
        ),
        (
            "micro-sample/banks/loan-concepts.en.yaml",
            "competences: [EF-1]",
            "competences: [XX-9]",
            "unknown competence",
        ),
        (
            "micro-sample/01-economic-financial/01-loan-repayment.en.md",
            "![](image:split-by-year)",
            "![a chart](https://evil.example/x.png)",
            "use a lesson image",
        ),
        (
            "micro-sample/01-economic-financial/01-loan-repayment.en.md",
            "    alt: Bar chart",
            '    alt: ""\n    x: Bar chart',
            "alternative text",
        ),
        ("micro-sample/activities/refused-loan.en.yaml", "next: explain", "next: nowhere", "does not exist"),
        (
            "micro-sample/activities/refused-loan.en.yaml",
            "scores: {IC-3: 3, IC-1: 2}",
            "scores: {IC-3: 9}",
            "from 0 to 3",
        ),
        (
            "micro-sample/activities/loan-quiz.en.yaml",
            "draw: 3\n  - bank: loan-concepts",
            "draw: 30\n  - bank: loan-concepts",
            "which has 5",
        ),
        (
            "micro-sample/02-intercultural/03-explaining-a-refusal.en.md",
            "prerequisites: [intercultural/working-with-interpreters]",
            "prerequisites: [intercultural/nope]",
            "prerequisite",
        ),
    ],
)
def test_broken_packs_are_refused_and_change_nothing(
    tmp_path: Path, relative: str, old: str, new: str, message: str
) -> None:
    root = copy_sample(tmp_path)
    edit(root / relative, old, new)
    report = course_import(root=root)
    assert any(message in error for error in report.errors), report.errors
    assert not Course.objects.filter(slug="micro-sample").exists()


def test_items_removed_from_the_pack_are_retired_not_deleted(sample: object, tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    text = (root / "micro-sample/banks/loan-concepts.en.yaml").read_text(encoding="utf-8")
    start = text.index("  - key: break-even-name")
    (root / "micro-sample/banks/loan-concepts.en.yaml").write_text(text[:start], encoding="utf-8")
    for name in ("03-explaining-a-refusal.en.md", "03-explaining-a-refusal.it.md"):
        (root / "micro-sample/02-intercultural" / name).unlink()
    for name in ("refused-loan.en.yaml", "refused-loan.it.yaml"):
        (root / "micro-sample/activities" / name).unlink()
    report = course_import(root=root)
    assert not report.errors, report.errors
    assert Question.objects.get(key="break-even-name").is_retired
    assert Lesson.objects.get(slug="explaining-a-refusal").is_retired
    assert Activity.objects.get(slug="refused-loan").is_retired
    assert report.retired == 3
    # and they come back when the files do
    assert not course_import(root=SAMPLE_ROOT, only="micro-sample").errors
    assert not Question.objects.get(key="break-even-name").is_retired
    assert not Activity.objects.get(slug="refused-loan").is_retired


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"function": "eval", "args": {}}, "unknown function"),
        (
            {"function": "annuity_installment", "args": {"principal": "abc", "annual_rate": "6.9", "months": 48}},
            "not a number",
        ),
        (
            {"function": "annuity_installment", "args": {"principal": "10000", "annual_rate": "6.9", "months": "4.5"}},
            "whole number",
        ),
        (
            {"function": "annuity_installment", "args": {"principal": "-5", "annual_rate": "6.9", "months": 48}},
            "principal",
        ),
        ({"function": "break_even", "args": {"fixed_costs": "1", "price": "2", "variable_cost": "1"}}, "set result"),
        (
            {
                "function": "annuity_installment",
                "args": {"principal": "1", "annual_rate": "1", "months": 1},
                "result": "x",
            },
            "remove result",
        ),
        ({"function": "annuity_installment", "args": {"nope": 1}}, "wrong arguments"),
        ("not a mapping", "mapping"),
    ],
)
def test_compute_refuses_bad_specifications(spec: object, message: str) -> None:
    with pytest.raises(ComputeError, match=message):
        compute_answer(spec)  # type: ignore[arg-type]


def test_compute_reads_yaml_floats_as_written() -> None:
    assert compute_answer(
        {"function": "annuity_installment", "args": {"principal": 10000, "annual_rate": 6.9, "months": 48}}
    ) == Decimal("239.00")
