"""Parallel registrations on PostgreSQL: threads, each with its own database connection, never overbook.

SQLite serialises every write anyway (IMMEDIATE transactions), so this runs on PostgreSQL only,
where ``select_for_update`` on the conference row is what keeps the count right.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from micro.events.models import Category, Event, Registration
from micro.events.services import registration_cancel, registration_create
from micro.events.tests.factories import CONFIRMED, WAITLISTED

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"),
]


def _in_parallel(count: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


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

    results = _in_parallel(24, work)
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

    results = _in_parallel(8, work)
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

    results = _in_parallel(8, work)  # every confirmed person cancels twice, in parallel
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 4
    assert Registration.objects.filter(status=CONFIRMED).count() == 4
    assert Registration.objects.filter(status=WAITLISTED).count() == 2
