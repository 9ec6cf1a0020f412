"""Builders for e-learning tests: a small course with every question type, a scenario and an
assignment, written straight to the database (the content-pack import has its own tests)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory

from micro.learning.models import (
    Activity,
    ActivityKind,
    Choice,
    Competence,
    CompetenceArea,
    Course,
    Lesson,
    Module,
    Question,
    QuestionBank,
    QuestionKind,
    QuizPart,
    RubricCriterion,
    RubricLevel,
    ScenarioChoice,
    ScenarioNode,
    SubmissionMode,
)


def texts(**fields: Any) -> dict[str, Any]:
    """English texts marked reviewed."""
    return {"en": {**fields, "status": "reviewed"}}


class CompetenceAreaFactory(factory.django.DjangoModelFactory[CompetenceArea]):
    class Meta:
        model = CompetenceArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    translations = factory.LazyAttribute(lambda o: texts(title=f"Area {o.slug}"))


class CompetenceFactory(factory.django.DjangoModelFactory[Competence]):
    class Meta:
        model = Competence

    area = factory.SubFactory(CompetenceAreaFactory)
    code = factory.Sequence(lambda n: f"TC-{n % 100}")
    translations = factory.LazyAttribute(lambda o: texts(title=f"Competence {o.code}"))


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    is_published = True
    translations = factory.LazyAttribute(lambda o: texts(title=f"Course {o.slug}", summary="A course."))


class ModuleFactory(factory.django.DjangoModelFactory[Module]):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"module-{n}")
    translations = factory.LazyAttribute(lambda o: texts(title=f"Module {o.slug}"))


class LessonFactory(factory.django.DjangoModelFactory[Lesson]):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    order = factory.Sequence(lambda n: n)
    minutes = 10
    translations = factory.LazyAttribute(lambda o: texts(title=f"Lesson {o.slug}", body="## Hello\n\nSome **text**."))


def question(bank: QuestionBank, key: str, kind: str, competences: list[Competence], **fields: Any) -> Question:
    choices = fields.pop("choices", [])
    extra_texts = fields.pop("texts", {})
    q = Question.objects.create(
        bank=bank,
        key=key,
        kind=kind,
        translations=texts(
            prompt=f"Prompt of {key}", feedback_correct="Well done.", feedback_incorrect="Not quite.", **extra_texts
        ),
        **fields,
    )
    q.competences.set(competences)
    for order, spec in enumerate(choices):
        key_, text, correct, *rest = spec
        Choice.objects.create(
            question=q,
            key=key_,
            order=order,
            is_correct=correct,
            translations=texts(text=text, feedback=f"Feedback for {key_}", **(rest[0] if rest else {})),
        )
    return q


@dataclass
class World:
    """A course with one lesson per activity kind and a bank holding every question type."""

    course: Course
    module: Module
    lesson: Lesson
    scenario_lesson: Lesson
    assignment_lesson: Lesson
    bank: QuestionBank
    quiz: Activity
    scenario: Activity
    assignment: Activity
    competences: dict[str, Competence]
    questions: dict[str, Question]


def build_world(*, max_attempts: int | None = 3, time_limit: int | None = None) -> World:
    area = CompetenceAreaFactory.create(slug="finance-area")
    ef = CompetenceFactory.create(area=area, code="EF-1")
    ic = CompetenceFactory.create(area=area, code="IC-1")
    course = CourseFactory.create(slug="test-course")
    module = ModuleFactory.create(course=course, slug="basics", area=area)
    lesson = LessonFactory.create(module=module, slug="loans", order=1)
    lesson.competences.set([ef])
    scenario_lesson = LessonFactory.create(module=module, slug="talking", order=2)
    assignment_lesson = LessonFactory.create(module=module, slug="writing", order=3)
    bank = QuestionBank.objects.create(course=course, slug="all-kinds", translations=texts(title="All kinds"))
    questions = {
        "single": question(
            bank, "single", QuestionKind.SINGLE, [ef], choices=[("a", "Right", True), ("b", "Wrong", False)]
        ),
        "multiple": question(
            bank,
            "multiple",
            QuestionKind.MULTIPLE,
            [ef],
            choices=[("a", "Yes 1", True), ("b", "Yes 2", True), ("c", "No", False)],
        ),
        "tf": question(bank, "tf", QuestionKind.TRUE_FALSE, [ic], choices=[("true", "", False), ("false", "", True)]),
        "numeric": question(
            bank,
            "numeric",
            QuestionKind.NUMERIC,
            [ef],
            numeric_answer=Decimal("239.00"),
            numeric_tolerance=Decimal("0.50"),
            unit="EUR",
            numeric_compute={
                "function": "annuity_installment",
                "args": {"principal": "10000", "annual_rate": "6.9", "months": 48},
            },
            points=Decimal(2),
        ),
        "short": question(
            bank, "short", QuestionKind.SHORT_TEXT, [ic], texts={"accepted": ["break-even point", "Pareggio"]}
        ),
        "ordering": question(
            bank,
            "ordering",
            QuestionKind.ORDERING,
            [ef],
            choices=[("one", "First", False), ("two", "Second", False), ("three", "Third", False)],
        ),
        "matching": question(
            bank,
            "matching",
            QuestionKind.MATCHING,
            [ic],
            choices=[("x", "Left X", False, {"match": "Right X"}), ("y", "Left Y", False, {"match": "Right Y"})],
        ),
    }
    quiz = Activity.objects.create(
        lesson=lesson,
        slug="quiz",
        kind=ActivityKind.QUIZ,
        max_attempts=max_attempts,
        time_limit_minutes=time_limit,
        pass_percent=60,
        translations=texts(title="The quiz", instructions="Answer *everything*."),
    )
    QuizPart.objects.create(activity=quiz, bank=bank, draw_count=0)
    scenario = Activity.objects.create(
        lesson=scenario_lesson,
        slug="talk",
        kind=ActivityKind.SCENARIO,
        pass_percent=50,
        translations=texts(title="The talk", debrief="Well played."),
    )
    start = ScenarioNode.objects.create(
        activity=scenario, key="start", order=0, is_start=True, translations=texts(title="Start", text="Hello.")
    )
    middle = ScenarioNode.objects.create(
        activity=scenario, key="middle", order=1, translations=texts(title="Middle", text="Then?")
    )
    good_end = ScenarioNode.objects.create(
        activity=scenario,
        key="good-end",
        order=2,
        translations=texts(title="Good end", text="Done.", debrief="You did well."),
    )
    bad_end = ScenarioNode.objects.create(
        activity=scenario, key="bad-end", order=3, translations=texts(title="Bad end", text="Gone.")
    )
    ScenarioChoice.objects.create(
        node=start,
        key="kind",
        order=0,
        next_node=middle,
        scores={"IC-1": 3},
        translations=texts(text="Be kind", feedback="Nice."),
    )
    ScenarioChoice.objects.create(
        node=start,
        key="rude",
        order=1,
        next_node=bad_end,
        scores={"IC-1": 0},
        translations=texts(text="Be rude", feedback="Ouch."),
    )
    ScenarioChoice.objects.create(
        node=middle,
        key="explain",
        order=0,
        next_node=good_end,
        scores={"IC-1": 2, "EF-1": 3},
        translations=texts(text="Explain", feedback="Clear."),
    )
    ScenarioChoice.objects.create(
        node=middle,
        key="mumble",
        order=1,
        next_node=good_end,
        scores={"IC-1": 1, "EF-1": 0},
        translations=texts(text="Mumble", feedback="Hm."),
    )
    assignment = Activity.objects.create(
        lesson=assignment_lesson,
        slug="essay",
        kind=ActivityKind.ASSIGNMENT,
        submission_mode=SubmissionMode.TEXT_OR_FILE,
        max_attempts=3,
        translations=texts(title="The essay", instructions="Write."),
    )
    for order, (key, competence) in enumerate([("numbers", ef), ("clarity", ic)]):
        criterion = RubricCriterion.objects.create(
            activity=assignment, key=key, order=order, translations=texts(title=key.title())
        )
        criterion.competences.set([competence])
        for level_order, (level_key, points) in enumerate([("weak", 0), ("ok", 1), ("strong", 2)]):
            RubricLevel.objects.create(
                criterion=criterion,
                key=level_key,
                order=level_order,
                points=Decimal(points),
                translations=texts(title=level_key),
            )
    return World(
        course=course,
        module=module,
        lesson=lesson,
        scenario_lesson=scenario_lesson,
        assignment_lesson=assignment_lesson,
        bank=bank,
        quiz=quiz,
        scenario=scenario,
        assignment=assignment,
        competences={"EF-1": ef, "IC-1": ic},
        questions=questions,
    )


RIGHT_RESPONSES: dict[str, Any] = {
    "single": "a",
    "multiple": ["a", "b"],
    "tf": "false",
    "numeric": "239,00",
    "short": " Break-Even  point ",
    "ordering": ["one", "two", "three"],
    "matching": {"x": "x", "y": "y"},
}


def right_post_data(world: World, *, action: str = "submit") -> dict[str, Any]:
    """POST data answering every question of the world's quiz correctly."""
    q = world.questions
    data: dict[str, Any] = {
        f"q{q['single'].pk}": "a",
        f"q{q['multiple'].pk}": ["a", "b"],
        f"q{q['tf'].pk}": "false",
        f"q{q['numeric'].pk}": "239,00 €",
        f"q{q['short'].pk}": "BREAK-EVEN POINT",
        f"q{q['ordering'].pk}_one": "1",
        f"q{q['ordering'].pk}_two": "2",
        f"q{q['ordering'].pk}_three": "3",
        f"q{q['matching'].pk}_x": "x",
        f"q{q['matching'].pk}_y": "y",
        action: "1",
    }
    return data
