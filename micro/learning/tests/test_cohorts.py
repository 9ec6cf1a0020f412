"""Cohorts: who sees which cohort, the schedule, and attendance taken by the cohort's trainers,
with bad input on the attendance form (empty, huge, wrong type, hostile, another cohort's learner,
a doubled submission)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import member
from micro.core.models import AuditEvent
from micro.learning import selectors, services
from micro.learning.models import Attendance, Cohort, CohortSession, SessionKind
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE learning_attendance; --", "{{ 7*7 }}", "\u202e\u0000"]


def make_cohort(world: World, name: str, trainer: User | None, learners: list[tuple[User, Organisation]]) -> Cohort:
    cohort = Cohort.objects.create(
        course=world.course, name=name, starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 3, 10)
    )
    if trainer is not None:
        cohort.trainers.add(trainer)
    for learner, organisation in learners:
        services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
    start = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)
    CohortSession.objects.create(cohort=cohort, kind=SessionKind.ONLINE, module=world.module, starts_at=start)
    CohortSession.objects.create(
        cohort=cohort, kind=SessionKind.LIVE, title="Kick-off", place="Rome", starts_at=start + dt.timedelta(days=7)
    )
    return cohort


@pytest.fixture
def cohort(
    world: World,
    trainer: User,
    operator: User,
    far_operator: User,
    organisation: Organisation,
    other_organisation: Organisation,
) -> Cohort:
    return make_cohort(world, "Pilot 2026", trainer, [(operator, organisation), (far_operator, other_organisation)])


@pytest.fixture
def other_cohort(world: World, far_trainer: User, other_operator: User, organisation: Organisation) -> Cohort:
    return make_cohort(world, "Other cohort", far_trainer, [(other_operator, organisation)])


def live(cohort: Cohort) -> CohortSession:
    return cohort.sessions.get(kind=SessionKind.LIVE)


def attendance_url(cohort: Cohort) -> str:
    return reverse("learning:attendance", args=[cohort.pk, live(cohort).pk])


def sheet(cohort: Cohort, status: str = "present") -> dict[str, Any]:
    return {f"learner_{e.learner_id}": status for e in cohort.enrolments.all()}


# --- visibility --------------------------------------------------------------------------------


def test_a_trainer_lists_only_their_cohorts(trainer: User, cohort: Cohort, other_cohort: Cohort) -> None:
    assert list(selectors.cohort_list_for(trainer)) == [cohort]
    response = signed_in(trainer).get(reverse("learning:cohorts"))
    assert response.status_code == 200
    assert "Pilot 2026" in response.text and "Other cohort" not in response.text


def test_learners_from_several_organisations_see_their_cohort_and_its_schedule(
    operator: User, far_operator: User, cohort: Cohort
) -> None:
    for learner in (operator, far_operator):
        response = signed_in(learner).get(reverse("learning:cohort", args=[cohort.pk]))
        assert response.status_code == 200
        assert "Kick-off" in response.text and "Rome" in response.text
        assert "Take attendance" not in response.text


def test_an_operator_cannot_see_another_cohort(operator: User, cohort: Cohort, other_cohort: Cohort) -> None:
    assert list(selectors.cohort_list_for(operator)) == [cohort]
    assert signed_in(operator).get(reverse("learning:cohort", args=[other_cohort.pk])).status_code == 404


def test_a_trainer_cannot_open_another_trainers_cohort(trainer: User, other_cohort: Cohort) -> None:
    assert signed_in(trainer).get(reverse("learning:cohort", args=[other_cohort.pk])).status_code == 404
    assert signed_in(trainer).get(attendance_url(other_cohort)).status_code == 404


def test_the_trainer_sees_every_learner_and_a_coordinator_every_cohort(
    trainer: User, coordinator: User, operator: User, far_operator: User, cohort: Cohort, other_cohort: Cohort
) -> None:
    response = signed_in(trainer).get(reverse("learning:cohort", args=[cohort.pk]))
    assert str(operator) in response.text and str(far_operator) in response.text
    assert signed_in(operator).get(reverse("learning:cohort", args=[cohort.pk])).text.count(str(far_operator)) == 0
    assert "Take attendance" in response.text
    assert set(selectors.cohort_list_for(coordinator)) == {cohort, other_cohort}


def test_an_unknown_cohort_is_404_and_a_signed_out_visitor_is_sent_to_sign_in(trainer: User, cohort: Cohort) -> None:
    assert signed_in(trainer).get(reverse("learning:cohort", args=[999_999])).status_code == 404
    from django.test import Client

    response = Client().get(reverse("learning:cohort", args=[cohort.pk]))
    assert response.status_code == 302


def test_enrolment_needs_membership_of_the_organisation_and_happens_once(
    cohort: Cohort, operator: User, other_organisation: Organisation, organisation: Organisation
) -> None:
    with pytest.raises(ValidationError):
        services.enrolment_add(cohort=cohort, learner=operator, organisation=other_organisation)
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    assert cohort.enrolments.filter(learner=operator).count() == 1


# --- attendance --------------------------------------------------------------------------------


def test_the_trainer_takes_attendance_and_the_learner_sees_it(trainer: User, operator: User, cohort: Cohort) -> None:
    data = sheet(cohort)
    data[f"learner_{operator.pk}"] = "excused"
    response = signed_in(trainer).post(attendance_url(cohort), data)
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("learner_id", "status"))[operator.pk] == "excused"
    page = signed_in(operator).get(reverse("learning:cohort", args=[cohort.pk]))
    assert "Excused" in page.text


def test_learners_and_other_trainers_cannot_take_attendance(operator: User, far_trainer: User, cohort: Cohort) -> None:
    for user in (operator, far_trainer):
        client = signed_in(user)
        assert client.get(attendance_url(cohort)).status_code == 404
        assert client.post(attendance_url(cohort), sheet(cohort)).status_code == 404
    assert not Attendance.objects.exists()
    with pytest.raises(PermissionDenied):
        services.attendance_record(session=live(cohort), by=operator, statuses={operator.pk: "present"})


def test_attendance_is_for_live_sessions_only(trainer: User, cohort: Cohort) -> None:
    online = cohort.sessions.get(kind=SessionKind.ONLINE)
    response = signed_in(trainer).get(reverse("learning:attendance", args=[cohort.pk, online.pk]))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.attendance_record(session=online, by=trainer, statuses={})


def test_a_session_of_another_cohort_is_404(trainer: User, cohort: Cohort, other_cohort: Cohort) -> None:
    url = reverse("learning:attendance", args=[cohort.pk, live(other_cohort).pk])
    assert signed_in(trainer).get(url).status_code == 404


@pytest.mark.parametrize("value", ["", "x" * 100_000, "1", "PRESENT", *HOSTILE])
def test_bad_values_are_refused_and_change_nothing(trainer: User, cohort: Cohort, value: str) -> None:
    response = signed_in(trainer).post(attendance_url(cohort), sheet(cohort, value))
    assert response.status_code == 400
    assert "form-errors" in response.text or "field-error" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not Attendance.objects.exists()


def test_an_empty_post_is_refused(trainer: User, cohort: Cohort) -> None:
    assert signed_in(trainer).post(attendance_url(cohort), {}).status_code == 400
    assert not Attendance.objects.exists()


def test_another_cohorts_learner_is_ignored_by_the_form_and_refused_by_the_service(
    trainer: User, cohort: Cohort, other_operator: User
) -> None:
    data = sheet(cohort) | {f"learner_{other_operator.pk}": "present", "learner_abc": "present"}
    assert signed_in(trainer).post(attendance_url(cohort), data).status_code == 302
    assert not Attendance.objects.filter(learner=other_operator).exists()
    with pytest.raises(ValidationError):
        services.attendance_record(session=live(cohort), by=trainer, statuses={other_operator.pk: "present"})
    with pytest.raises(ValidationError):
        services.attendance_record(session=live(cohort), by=trainer, statuses={trainer.pk: "nonsense"})


def test_a_doubled_submission_is_applied_once(trainer: User, cohort: Cohort) -> None:
    client = signed_in(trainer)
    client.post(attendance_url(cohort), sheet(cohort))
    client.post(attendance_url(cohort), sheet(cohort))
    assert Attendance.objects.count() == 2
    assert AuditEvent.objects.filter(action="learning.attendance_record").count() == 1


def test_the_cohort_page_query_count_does_not_grow_with_learners(
    trainer: User, cohort: Cohort, organisation: Organisation, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(trainer)
    url = reverse("learning:cohort", args=[cohort.pk])
    client.get(url)
    for index in range(20):
        learner = member(organisation, Role.OPERATOR, email=f"extra{index}@example.org")
        services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
