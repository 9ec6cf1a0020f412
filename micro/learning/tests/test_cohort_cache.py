"""Each user's cohorts are cached under the "cohorts" revision (permissions.cohort_memberships):
read once, then served without a query until a cohort, an enrolment or a trainer changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import Organisation, User
from micro.learning import permissions, services
from micro.learning.models import Cohort
from micro.learning.tests.factories import World

# Committed transactions, as in production: each change writes a new revision when it commits.
pytestmark = pytest.mark.django_db(transaction=True)


def fresh(user: User) -> User:
    """The same person as a new request sees them (nothing kept on the object)."""
    return User.objects.get(pk=user.pk)


def names(user: User) -> list[tuple[str, bool, bool]]:
    return [(c.name, c.is_trainer, c.has_learners) for c in permissions.cohort_memberships(fresh(user))]


@pytest.fixture
def cohort(world: World) -> Cohort:
    return Cohort.objects.create(
        course=world.course, name="Pilot 2026", starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 3, 10)
    )


def test_the_second_read_costs_no_query(cohort: Cohort, operator: User, organisation: Organisation) -> None:
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    assert names(operator) == [("Pilot 2026", False, True)]
    reader = fresh(operator)
    with CaptureQueriesContext(connection) as queries:
        found = permissions.cohort_memberships(reader)
        permissions.cohort_memberships(reader)
    assert len(queries) == 0
    assert [c.pk for c in found] == [cohort.pk] and found[0].course_id == cohort.course_id


def test_enrolments_show_and_go_at_the_next_read(cohort: Cohort, operator: User, organisation: Organisation) -> None:
    assert names(operator) == []
    enrolment = services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    assert names(operator) == [("Pilot 2026", False, True)]
    enrolment.delete()
    assert names(operator) == []


def test_trainers_and_renames_show_at_the_next_read(
    cohort: Cohort, trainer: User, operator: User, organisation: Organisation
) -> None:
    assert names(trainer) == []
    cohort.trainers.add(trainer)
    assert names(trainer) == [("Pilot 2026", True, False)]
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)  # another person's change
    assert names(trainer) == [("Pilot 2026", True, True)]
    assert permissions.can_review_anyone(fresh(trainer))
    cohort.name = "Pilot 2026 – Rome"
    cohort.save()
    assert names(trainer) == [("Pilot 2026 – Rome", True, True)]
    cohort.trainers.remove(trainer)
    assert names(trainer) == []


def test_a_deleted_cohort_goes(cohort: Cohort, operator: User, organisation: Organisation) -> None:
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    assert len(names(operator)) == 1
    cohort.enrolments.all().delete()
    cohort.delete()
    assert names(operator) == []


def test_inside_a_transaction_that_changed_cohorts_nothing_is_cached(
    cohort: Cohort, operator: User, other_operator: User, organisation: Organisation
) -> None:
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
        assert names(operator) == [("Pilot 2026", False, True)]
        services.enrolment_add(cohort=cohort, learner=other_operator, organisation=organisation)
        assert names(other_operator) == [("Pilot 2026", False, True)]
        assert cache.get(permissions.cohorts_cache_key(operator.pk)) is None
    assert names(operator) == [("Pilot 2026", False, True)]
    assert cache.get(permissions.cohorts_cache_key(operator.pk)) is not None


def test_another_users_list_is_never_served(
    cohort: Cohort, operator: User, other_operator: User, organisation: Organisation
) -> None:
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    assert len(names(operator)) == 1
    assert names(other_operator) == []
