"""Pre- and post-tests, competence self-assessment, learning gain and the satisfaction survey,
with bad input on both forms (empty, huge, wrong type, hostile, another cohort, doubled)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from micro.accounts.models import Organisation, User
from micro.learning import gain, selectors, services
from micro.learning.content import ImportReport
from micro.learning.models import (
    Activity,
    ActivityKind,
    Attempt,
    AttemptStatus,
    Cohort,
    Phase,
    Question,
    SelfAssessment,
    SurveyResponse,
)
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE learning_surveyresponse; --", "{{ 7*7 }}", "\u202e\u0000"]


@pytest.fixture
def cohort(
    world: World,
    trainer: User,
    operator: User,
    far_operator: User,
    organisation: Organisation,
    other_organisation: Organisation,
) -> Cohort:
    post = Activity.objects.create(lesson=world.lesson, slug="post-test", kind=ActivityKind.QUIZ, order=9)
    cohort = Cohort.objects.create(
        course=world.course,
        name="Pilot",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
        pre_test=world.quiz,
        post_test=post,
    )
    cohort.trainers.add(trainer)
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    services.enrolment_add(cohort=cohort, learner=far_operator, organisation=other_organisation)
    return cohort


@pytest.fixture
def other_cohort(world: World, other_operator: User, organisation: Organisation) -> Cohort:
    cohort = Cohort.objects.create(
        course=world.course, name="Other", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1)
    )
    services.enrolment_add(cohort=cohort, learner=other_operator, organisation=organisation)
    return cohort


def attempt(
    activity: Activity | None, learner: User, number: int, percent: str, status: str = AttemptStatus.SUBMITTED
) -> None:
    assert activity is not None
    Attempt.objects.create(
        activity=activity, learner=learner, number=number, seed=number, status=status, percent=Decimal(percent)
    )


# --- gain, pure ----------------------------------------------------------------------------------


def test_raw_and_normalised_gain() -> None:
    assert gain.raw_gain(Decimal(40), Decimal(70)) == Decimal("30.00")
    assert gain.normalised_gain(Decimal(40), Decimal(70)) == Decimal("0.50")
    assert gain.normalised_gain(Decimal(50), Decimal(25)) == Decimal("-0.50")
    assert gain.normalised_gain(Decimal(100), Decimal(100)) is None
    assert gain.normalised_gain(None, Decimal(10)) is None and gain.raw_gain(Decimal(1), None) is None


def test_cohort_gain_uses_learners_with_both_tests() -> None:
    result = gain.cohort_gain([(Decimal(40), Decimal(70)), (Decimal(60), Decimal(90)), (Decimal(10), None)])
    assert result.learners == 2
    assert (result.mean_pre, result.mean_post, result.mean_raw) == (
        Decimal("50.00"),
        Decimal("80.00"),
        Decimal("30.00"),
    )
    assert result.normalised == Decimal("0.60")
    assert gain.cohort_gain([]).normalised is None


# --- the sample pack -------------------------------------------------------------------------------


def test_the_sample_pack_has_a_pre_post_bank_of_eight_with_computed_numbers(sample: ImportReport) -> None:
    questions = {q.key: q for q in Question.objects.filter(bank__slug="pre-post")}
    assert len(questions) == 8
    assert questions["pp-break-even"].numeric_answer == Decimal(200)
    instalment = questions["pp-instalment"].numeric_answer
    assert instalment is not None and Decimal(156) < instalment < Decimal(157)
    tests = Activity.objects.filter(slug__in=["pre-test", "post-test"], kind=ActivityKind.QUIZ)
    assert tests.count() == 2
    assert all(part.bank.slug == "pre-post" and part.draw_count == 0 for t in tests for part in t.parts.all())


# --- learning gain on the trainer's page -----------------------------------------------------------


def test_gain_per_learner_and_for_the_cohort(cohort: Cohort, trainer: User, operator: User, far_operator: User) -> None:
    attempt(cohort.pre_test, operator, 1, "40")
    attempt(cohort.post_test, operator, 1, "55")
    attempt(cohort.post_test, operator, 2, "70")
    attempt(cohort.post_test, operator, 3, "99", status=AttemptStatus.IN_PROGRESS)
    attempt(cohort.pre_test, far_operator, 1, "60")
    report = selectors.cohort_gain_report(selectors.cohort_get_for(trainer, cohort.pk))
    rows = {r.enrolment.learner_id: r for r in report.rows}
    assert (rows[operator.pk].pre, rows[operator.pk].post) == (Decimal("40.00"), Decimal("70.00"))
    assert rows[operator.pk].normalised == Decimal("0.50")
    assert rows[far_operator.pk].post is None and rows[far_operator.pk].normalised is None
    assert report.cohort.learners == 1 and report.cohort.normalised == Decimal("0.50")
    page = signed_in(trainer).get(reverse("learning:cohort", args=[cohort.pk]))
    assert "0.50" in page.text


def test_learners_do_not_see_the_gain_table(cohort: Cohort, operator: User) -> None:
    page = signed_in(operator).get(reverse("learning:cohort", args=[cohort.pk]))
    assert "Pre-test" in page.text and "Self-assessment" in page.text
    assert "normalised gain" not in page.text


# --- self-assessment -------------------------------------------------------------------------------


def sa_url(cohort: Cohort, phase: str = "before") -> str:
    return reverse("learning:self_assessment", args=[cohort.pk, phase])


def sa_data(cohort: Cohort, level: str = "3") -> dict[str, str]:
    return {f"competence_{c.pk}": level for c in selectors.cohort_competences(cohort)}


def test_a_learner_rates_each_competence_before_and_after(cohort: Cohort, operator: User, trainer: User) -> None:
    client = signed_in(operator)
    assert client.get(sa_url(cohort)).status_code == 200
    assert client.post(sa_url(cohort), sa_data(cohort, "2")).status_code == 302
    assert client.post(sa_url(cohort, "after"), sa_data(cohort, "4")).status_code == 302
    count = len(selectors.cohort_competences(cohort))
    assert count >= 1
    assert SelfAssessment.objects.filter(learner=operator, phase=Phase.BEFORE, level=2).count() == count
    report = selectors.cohort_gain_report(selectors.cohort_get_for(trainer, cohort.pk))
    row = next(r for r in report.rows if r.enrolment.learner_id == operator.pk)
    assert (row.self_before, row.self_after) == (Decimal("2.0"), Decimal("4.0"))


@pytest.mark.parametrize("value", ["", "0", "6", "abc", "3.5", "x" * 100_000, *HOSTILE])
def test_bad_self_assessment_values_are_refused(cohort: Cohort, operator: User, value: str) -> None:
    response = signed_in(operator).post(sa_url(cohort), sa_data(cohort, value))
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text
    assert not SelfAssessment.objects.exists()


def test_self_assessment_empty_post_unknown_phase_and_outsiders(
    cohort: Cohort, other_cohort: Cohort, operator: User, trainer: User
) -> None:
    client = signed_in(operator)
    assert client.post(sa_url(cohort), {}).status_code == 400
    assert client.get(sa_url(cohort, "during")).status_code == 404
    assert client.get(sa_url(other_cohort)).status_code == 404
    assert client.post(sa_url(other_cohort), sa_data(other_cohort)).status_code == 404
    assert signed_in(trainer).get(sa_url(cohort)).status_code == 404
    assert not SelfAssessment.objects.exists()


def test_self_assessment_ignores_foreign_keys_and_is_applied_once(cohort: Cohort, operator: User) -> None:
    client = signed_in(operator)
    data = sa_data(cohort) | {"competence_999999": "5", "competence_x": "5"}
    assert client.post(sa_url(cohort), data).status_code == 302
    assert client.post(sa_url(cohort), data).status_code == 302
    assert SelfAssessment.objects.count() == len(selectors.cohort_competences(cohort))
    enrolment = selectors.enrolment_get_for_learner(operator, cohort.pk)
    with pytest.raises(ValidationError):
        services.self_assessment_save(enrolment=enrolment, phase="before", levels={999_999: 3})
    with pytest.raises(ValidationError):
        services.self_assessment_save(enrolment=enrolment, phase="during", levels={})


# --- survey ----------------------------------------------------------------------------------------


def survey_url(cohort: Cohort) -> str:
    return reverse("learning:survey", args=[cohort.pk])


def survey_data(value: str = "4", comment: str = "Good") -> dict[str, Any]:
    return {"clear": value, "useful": value, "pace": value, "materials": value, "trainers": value, "comment": comment}


def test_the_survey_is_answered_once_and_averaged_for_the_trainer(
    cohort: Cohort, operator: User, trainer: User
) -> None:
    client = signed_in(operator)
    assert client.get(survey_url(cohort)).status_code == 200
    assert client.post(survey_url(cohort), survey_data("4", HOSTILE[0])).status_code == 302
    second = client.post(survey_url(cohort), survey_data("1"))
    assert second.status_code == 400 and "already answered" in second.text
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().comment == HOSTILE[0]
    page = signed_in(trainer).get(reverse("learning:cohort", args=[cohort.pk]))
    assert "4.0" in page.text and "<script>alert(1)</script>" not in page.text


@pytest.mark.parametrize(
    "data",
    [
        {},
        survey_data(""),
        survey_data("0"),
        survey_data("9"),
        survey_data("abc"),
        survey_data(HOSTILE[1]),
        survey_data("4", "x" * 2001),
    ],
)
def test_bad_survey_input_is_refused(cohort: Cohort, operator: User, data: dict[str, Any]) -> None:
    assert signed_in(operator).post(survey_url(cohort), data).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_the_survey_of_another_cohort_is_404(other_cohort: Cohort, operator: User, trainer: User) -> None:
    assert signed_in(operator).post(survey_url(other_cohort), survey_data()).status_code == 404
    assert signed_in(trainer).get(survey_url(other_cohort)).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_survey_service_checks_its_input(cohort: Cohort, operator: User) -> None:
    enrolment = selectors.enrolment_get_for_learner(operator, cohort.pk)
    for answers in ({}, {"clear": 6, "useful": 1, "pace": 1, "materials": 1, "trainers": 1}):
        with pytest.raises(ValidationError):
            services.survey_submit(enrolment=enrolment, answers=answers, comment="")
    with pytest.raises(ValidationError):
        services.survey_submit(
            enrolment=enrolment,
            answers=dict.fromkeys(("clear", "useful", "pace", "materials", "trainers"), 3),
            comment="x" * 3000,
        )
    assert not SurveyResponse.objects.exists()
