"""The learner's pages: who may open them, languages and translation status, progress per competence,
what to do next, the author's preview, and pages that stay safe and script-free."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import User
from micro.accounts.tests.factories import UserFactory
from micro.learning.models import (
    Activity,
    ActivityProgress,
    Attempt,
    Course,
    Lesson,
    LessonImage,
    LessonProgress,
    LessonResource,
    ScenarioRun,
)
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World, right_post_data

pytestmark = pytest.mark.django_db


def all_learner_urls(world: World) -> list[str]:
    return [
        reverse("learning:courses"),
        reverse("learning:progress"),
        reverse("learning:course", args=[world.course.slug]),
        reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug]),
        reverse("learning:activity", args=[world.quiz.pk]),
        reverse("learning:activity", args=[world.scenario.pk]),
        reverse("learning:activity", args=[world.assignment.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for url in all_learner_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_people_without_a_staff_role_get_403(world: World) -> None:
    outsider = signed_in(UserFactory.create())
    for url in all_learner_urls(world):
        assert outsider.get(url).status_code == 403, url


def test_learners_open_every_page(operator: User, world: World) -> None:
    client = signed_in(operator)
    for url in all_learner_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="en"' in response.text


def test_pages_have_no_inline_script_or_style(operator: User, world: World) -> None:
    client = signed_in(operator)
    attempt_url = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))["Location"]
    for url in [*all_learner_urls(world), attempt_url]:
        html = client.get(url).text
        assert "<script" not in html, url
        assert "style=" not in html and "<style" not in html, url
        assert re.search(r"\son[a-z]+=", html) is None, url


def test_unpublished_courses_are_hidden_from_learners_and_previewed_by_authors(
    operator: User, coordinator: User, world: World
) -> None:
    Course.objects.filter(pk=world.course.pk).update(is_published=False)
    learner = signed_in(operator)
    assert learner.get(reverse("learning:course", args=[world.course.slug])).status_code == 404
    assert learner.get(reverse("learning:activity", args=[world.quiz.pk])).status_code == 404
    assert learner.get(reverse("learning:preview_lesson", args=[world.lesson.pk])).status_code == 404
    assert world.course.slug not in learner.get(reverse("learning:courses")).text
    author = signed_in(coordinator)
    preview = author.get(reverse("learning:preview_lesson", args=[world.lesson.pk]))
    assert preview.status_code == 200 and "nothing you do here is recorded" in preview.text
    assert "not published" in author.get(reverse("learning:courses")).text


def test_preview_of_a_quiz_scores_without_recording(coordinator: User, world: World) -> None:
    author = signed_in(coordinator)
    url = reverse("learning:preview_activity", args=[world.quiz.pk])
    page = author.get(url)
    assert page.status_code == 200 and "Prompt of numeric" in page.text
    data = right_post_data(world)
    results = author.post(url + "?seed=1", data)
    assert results.status_code == 200
    assert results.text.count('class="result card result-correct"') == 7
    assert "Right answer:" in results.text
    assert not Attempt.objects.exists() and not ActivityProgress.objects.exists()


def test_preview_of_a_scenario_and_an_assignment(coordinator: User, world: World) -> None:
    author = signed_in(coordinator)
    url = reverse("learning:preview_activity", args=[world.scenario.pk])
    assert "Be kind" in author.get(url).text
    end = author.get(url + "?path=kind.explain").text
    assert "You did well." in end and "Clear." in end
    assert "Start" in author.get(url + "?path=nonsense.<script>").text
    assert not ScenarioRun.objects.exists()
    page = author.get(reverse("learning:preview_activity", args=[world.assignment.pk]))
    assert page.status_code == 200 and "Numbers" in page.text


def test_an_operator_is_not_an_author(operator: User, world: World) -> None:
    client = signed_in(operator)
    assert client.get(reverse("learning:preview_activity", args=[world.quiz.pk])).status_code == 404


def test_lesson_page_renders_markdown_safely_and_marks_reading(operator: User, world: World) -> None:
    Lesson.objects.filter(pk=world.lesson.pk).update(
        translations={
            "en": {"title": "T", "body": "Hi <script>alert(1)</script> [x](javascript:alert(1))", "status": "reviewed"}
        }
    )
    client = signed_in(operator)
    url = reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug])
    html = client.get(url).text
    assert "<script>alert(1)</script>" not in html and 'href="javascript' not in html
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:lesson", args=[world.course.slug, world.module.slug, "talking"])
    client.post(url)
    progress = LessonProgress.objects.get(learner=operator, lesson=world.lesson)
    assert progress.read_at is not None and progress.completed_at is None  # its quiz is not passed yet


def test_a_lesson_is_complete_when_read_and_its_activities_are_done(operator: User, world: World) -> None:
    client = signed_in(operator)
    client.post(reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug]))
    attempt_url = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))["Location"]
    client.post(attempt_url, right_post_data(world))
    assert LessonProgress.objects.get(learner=operator, lesson=world.lesson).completed_at is not None
    outline = client.get(reverse("learning:course", args=[world.course.slug])).context["outline"]
    assert outline.done == 2 and outline.total == 6
    assert outline.next_lesson.lesson == world.scenario_lesson


def test_languages_fall_back_and_show_the_translation_status(operator: User, sample: object) -> None:
    client = signed_in(operator)
    italian = client.get("/it/learn/micro-sample/economic-financial/loan-repayment/").text
    assert "Quanto costa davvero un prestito" in italian
    assert 'lang="it"' in italian
    assert "<table>" in italian and "9.818,50" in italian
    assert 'alt="Grafico a barre' in italian
    assert "notice-draft" in italian  # the Italian texts are drafts until a native speaker reviews them
    english = client.get("/en/learn/micro-sample/economic-financial/loan-repayment/").text
    assert "What a loan really costs" in english and "notice-draft" not in english
    assert 'href="/it/learn/micro-sample/economic-financial/loan-repayment/"' in english
    assert "Italiano</a> (draft translation)" in english
    french = client.get("/fr/learn/micro-sample/economic-financial/loan-repayment/").text
    assert "What a loan really costs" in french and 'lang="en"' in french  # the fallback language is marked
    arabic = client.get("/ar/learn/micro-sample/").text
    assert 'dir="rtl"' in arabic


def test_lesson_files_are_served_to_learners_only(operator: User, sample: object, client: Client) -> None:
    image = LessonImage.objects.get(key="split-by-year")
    resource = LessonResource.objects.get(key="schedule-csv")
    learner = signed_in(operator)
    picture = learner.get(reverse("learning:lesson_image", args=[image.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture["X-Content-Type-Options"] == "nosniff"
    sheet = learner.get(reverse("learning:resource", args=[resource.pk]))
    assert sheet.status_code == 200 and "attachment" in sheet["Content-Disposition"]
    assert b"month,payment" in b"".join(sheet.streaming_content)  # type: ignore[attr-defined]
    assert client.get(reverse("learning:lesson_image", args=[image.pk])).status_code == 302
    assert learner.get(reverse("learning:resource", args=[999999])).status_code == 404


def test_progress_per_competence_and_what_to_do_next(operator: User, world: World) -> None:
    client = signed_in(operator)
    page = client.get(reverse("learning:progress"))
    assert page.status_code == 200
    assert [s.lesson for s in page.context["suggestions"]] == [world.lesson]
    assert "not yet practised" in page.text
    attempt_url = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))["Location"]
    data = right_post_data(world)
    for key in ("tf", "short", "matching"):  # the IC-1 questions left blank
        data = {k: v for k, v in data.items() if not k.startswith(f"q{world.questions[key].pk}")}
    client.post(attempt_url, data)
    page = client.get(reverse("learning:progress"))
    rows = {row.competence.code: row for area in page.context["areas"] for row in area.competences}
    assert rows["EF-1"].percent == Decimal("100.00") and rows["IC-1"].percent == Decimal("0.00")
    practise = [s for s in page.context["suggestions"] if s.reason == "practise"]
    assert practise == [] or all(s.competence.code == "IC-1" for s in practise)
    assert "IC-1" in page.text and "EF-1" in page.text


def test_next_steps_suggest_lessons_for_weak_competences(operator: User, world: World) -> None:
    world.scenario_lesson.competences.add(world.competences["IC-1"])
    LessonProgress.objects.create(learner=operator, lesson=world.lesson, read_at=timezone.now())
    client = signed_in(operator)
    attempt_url = client.post(reverse("learning:quiz_start", args=[world.quiz.pk]))["Location"]
    client.post(attempt_url, {"submit": "1"})
    suggestions = client.get(reverse("learning:progress")).context["suggestions"]
    assert any(s.reason == "practise" and s.lesson == world.scenario_lesson for s in suggestions)


def test_sample_course_can_be_followed_in_italian(operator: User, sample: object) -> None:
    client = signed_in(operator)
    quiz = Activity.objects.get(slug="loan-quiz")
    client.post("/it/learn/micro-sample/economic-financial/loan-repayment/")
    page = client.get(f"/it/learn/activities/{quiz.pk}/")
    assert "Quiz: prestiti e punto di pareggio" in page.text
    start = client.post(f"/it/learn/activities/{quiz.pk}/start/")
    attempt = Attempt.objects.get()
    assert start["Location"] == f"/it/learn/attempts/{attempt.pk}/"
    assert len(attempt.question_ids) == 6
    html = client.get(start["Location"]).text
    assert "Scrivi il numero" in html or "1.234,56" in html
