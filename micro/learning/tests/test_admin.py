"""Authoring in the admin: the pages with their inlines open, a numeric question's answer comes from
the finance core, malformed texts and scenario scores are refused, and the preview link is there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from micro.accounts.models import User
from micro.accounts.tests.factories import UserFactory
from micro.learning.admin import LessonImageForm
from micro.learning.models import LessonImage, Question, ScenarioChoice
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db: None) -> Client:
    superuser = UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def change_url(obj: object) -> str:
    meta = obj._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]


def test_authoring_pages_open_with_their_inlines(admin_client: Client, world: World) -> None:
    pages = {
        change_url(world.course): "Modules",
        change_url(world.module): "Lessons",
        change_url(world.lesson): "Preview as a learner",
        change_url(world.bank): "Questions",
        change_url(world.questions["single"]): "Choices",
        change_url(world.quiz): "Quiz parts",
        change_url(world.scenario): "Scenario nodes",
        change_url(world.scenario.scenario_nodes.get(key="start")): "Scenario choices",
        change_url(world.assignment): "Rubric criteria",
        change_url(world.assignment.criteria.first()): "Rubric levels",
        change_url(world.competences["EF-1"]): "Competence levels",
    }
    for url, text in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert text in response.text, (url, text)
    for name in (
        "course",
        "lesson",
        "question",
        "activity",
        "attempt",
        "submission",
        "competence",
        "referencecompetence",
    ):
        assert admin_client.get(reverse(f"admin:learning_{name}_changelist")).status_code == 200, name


def form_data(question: Question, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "bank": question.bank_id,
        "key": question.key,
        "order": question.order,
        "kind": question.kind,
        "points": "2",
        "competences": [c.pk for c in question.competences.all()],
        "shuffle_choices": "on",
        "multiple_scoring": "partial",
        "numeric_compute": '{"function": "annuity_installment", "args": {"principal": "6000", "annual_rate": "6.9", "months": 48}}',
        "numeric_answer": "1",
        "numeric_tolerance": "0.5",
        "tolerance_mode": "absolute",
        "unit": "EUR",
        "translations": '{"en": {"prompt": "How much?", "status": "reviewed"}}',
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_numeric_answer_is_computed_not_typed(admin_client: Client, world: World) -> None:
    question = world.questions["numeric"]
    response = admin_client.post(change_url(question), form_data(question))
    assert response.status_code == 302, response.content[:2000]
    question.refresh_from_db()
    assert question.numeric_answer == Decimal("143.40")  # what the finance core says, not the typed 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"numeric_compute": '{"function": "open", "args": {}}'}, "unknown function"),
        ({"translations": '{"en": {"prompt": "x", "status": "final"}}'}, "status must be draft or reviewed"),
        ({"translations": '{"english": {"prompt": "x"}}'}, "is not a language code"),
        ({"translations": '["not", "a", "mapping"]'}, "mapping"),
    ],
)
def test_bad_authoring_input_is_refused(
    admin_client: Client, world: World, changes: dict[str, object], message: str
) -> None:
    question = world.questions["numeric"]
    response = admin_client.post(change_url(question), form_data(question, **changes))
    assert response.status_code == 200 and message in response.text
    question.refresh_from_db()
    assert question.numeric_answer == Decimal("239.00")


def test_scenario_scores_are_checked_in_the_admin(admin_client: Client, world: World) -> None:
    node = world.scenario.scenario_nodes.get(key="start")
    choices = list(node.choices.order_by("order"))
    data: dict[str, object] = {
        "activity": world.scenario.pk,
        "key": node.key,
        "order": node.order,
        "is_start": "on",
        "translations": '{"en": {"title": "Start", "text": "Hello.", "status": "reviewed"}}',
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-node": node.pk,
                f"choices-{index}-key": choice.key,
                f"choices-{index}-order": choice.order,
                f"choices-{index}-next_node": choice.next_node_id or "",
                f"choices-{index}-scores": '{"IC-1": 7}' if index == 0 else '{"NOPE-1": 1}',
                f"choices-{index}-translations": '{"en": {"text": "x", "status": "reviewed"}}',
            }
        )
    response = admin_client.post(change_url(node), data)
    assert response.status_code == 200
    assert "from 0 to 3" in response.text and "Unknown competence code" in response.text
    assert ScenarioChoice.objects.get(pk=choices[0].pk).scores == {"IC-1": 3}


def test_operators_cannot_open_the_admin(operator: User, world: World) -> None:
    client = Client()
    client.force_login(operator)
    assert client.get(change_url(world.lesson)).status_code == 302


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("translations", "upload", "valid"),
    [
        ('{"en": {"alt": "A chart", "status": "reviewed"}}', ("chart.png", PNG), True),
        ('{"en": {"alt": "", "status": "reviewed"}}', ("chart.png", PNG), False),
        ("{}", ("chart.png", PNG), False),
        ('{"en": {"alt": "A chart", "status": "reviewed"}}', ("chart.png", b"<svg onload=alert(1)>"), False),
    ],
)
def test_lesson_images_need_alternative_text_and_a_real_image(
    world: World, translations: str, upload: tuple[str, bytes], valid: bool
) -> None:
    form = LessonImageForm(
        data={"key": "chart", "order": 0, "translations": translations},
        files=MultiValueDict({"file": [SimpleUploadedFile(*upload, content_type="image/png")]}),
        instance=LessonImage(lesson=world.lesson),
    )
    assert form.is_valid() is valid, form.errors
    if valid:
        assert form.instance.content_type == "image/png"
