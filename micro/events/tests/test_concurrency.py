"""Parallel registrations on PostgreSQL: threads, each with its own database connection, never overbook.

SQLite serialises every write anyway (IMMEDIATE transactions), so this runs on PostgreSQL only,
where ``select_for_update`` on the conference row is what keeps the count right.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from micro.events.models import Category, Event, Registration
from micro.events.services import registration_cancel, registration_create
from micro.events.tests.factories import CONFIRMED, WAITLISTED
from micro.events.tests.parallel import in_parallel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"),
]


def test_parallel_registrations_never_exceed_capacity(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=7, category_capacity={"press": 3})
    event.refresh_from_db()

    def work(index: int) -> str:
        registration, _token = registration_create(
            event=event,
            full_name=f"Parallel {index}",
            email=f"parallel{index}@example.org",
            category=Category.PRESS if index % 2 else Category.NGO,
            language="en",
            privacy_accepted=True,
        )
        return registration.status

    results = in_parallel(24, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Registration.objects.filter(status=CONFIRMED).count() == 7
    assert Registration.objects.filter(status=CONFIRMED, category=Category.PRESS).count() <= 3
    assert Registration.objects.filter(status=WAITLISTED).count() == 17


def test_parallel_duplicates_store_one_registration(event: Event) -> None:
    def work(index: int) -> str:
        try:
            registration_create(
                event=event,
                full_name="Same",
                email="same@example.org",
                category=Category.NGO,
                language="en",
                privacy_accepted=True,
            )
        except ValidationError:
            return "refused"
        return "stored"

    results = in_parallel(8, work)
    assert sorted(results) == ["refused"] * 7 + ["stored"]
    assert Registration.objects.count() == 1


def test_parallel_cancellations_promote_each_waiting_person_once(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=4)
    event.refresh_from_db()
    people = [
        registration_create(
            event=event,
            full_name=f"P{i}",
            email=f"p{i}@example.org",
            category=Category.NGO,
            language="en",
            privacy_accepted=True,
        )[0]
        for i in range(10)
    ]
    confirmed = [p for p in people if p.status == CONFIRMED]

    def work(index: int) -> int:
        return len(registration_cancel(registration=confirmed[index % len(confirmed)]))

    results = in_parallel(8, work)  # every confirmed person cancels twice, in parallel
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 4
    assert Registration.objects.filter(status=CONFIRMED).count() == 4
    assert Registration.objects.filter(status=WAITLISTED).count() == 2
