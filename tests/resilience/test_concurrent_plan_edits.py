"""Two devices edit the same plan: the second save is told (in its language) and keeps what was typed.

Also with real threads on the database: two saves from the same loaded version race, exactly one
wins, the other gets the stale refusal; nothing is lost silently.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from micro.plans import services
from micro.plans.models import BusinessPlan
from micro.plans.tests.factories import bind, make_journey, make_plan

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]
STALE_START = "This plan was changed on another device or in another tab"


def _devices(language: str = "en") -> tuple[Client, Client, BusinessPlan]:
    journey = make_journey(language)
    plan = make_plan(journey, title="Bakery", sections={"summary": "Bread."})
    phone, laptop = Client(), Client()
    bind(phone, journey)
    bind(laptop, journey)
    return phone, laptop, plan


def test_the_second_device_is_told_and_keeps_its_input() -> None:
    phone, laptop, plan = _devices()
    assert phone.get("/en/start/plan/sections/").status_code == 200
    assert laptop.get("/en/start/plan/sections/").status_code == 200
    saved = phone.post("/en/start/plan/sections/", {"title": "Bakery", "summary": "Bread and cakes.", "version": "1"})
    assert saved.status_code == 302
    refused = laptop.post("/en/start/plan/sections/", {"title": "Bakery Hope", "summary": "Pastry.", "version": "1"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE_START in page
    assert "Bakery Hope" in page and "Pastry." in page  # what the laptop typed is still in the form
    plan.refresh_from_db()
    assert (plan.title, plan.sections["summary"], plan.version) == ("Bakery", "Bread and cakes.", 2)
    # Saving again from the refused form is a deliberate overwrite (the form now carries version 2).
    again = laptop.post("/en/start/plan/sections/", {"title": "Bakery Hope", "summary": "Pastry.", "version": "2"})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Bakery Hope", 3)


def test_the_stale_message_is_in_the_readers_language() -> None:
    _phone, laptop, plan = _devices("it")
    services.plan_save_sections(plan=plan, title="Forno", sections={"summary": "Pane."}, expected_version=1)
    refused = laptop.post("/it/start/plan/sections/", {"title": "Forno Speranza", "summary": "Dolci.", "version": "1"})
    with translation.override("it"):
        expected = str(services.StalePlanError(2).messages[0])
    assert escape(expected) in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_racing_saves_from_the_same_version_let_exactly_one_win() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised in the PostgreSQL leg")
    plan = make_plan(title="Start")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(title: str) -> None:
        barrier.wait()
        try:
            current = BusinessPlan.objects.get(pk=plan.pk)
            services.plan_save_sections(plan=current, title=title, sections={}, expected_version=1)
            outcomes.append("saved")
        except services.StalePlanError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(title,)) for title in ("Phone", "Laptop")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    plan.refresh_from_db()
    assert plan.version == 2 and plan.title in ("Phone", "Laptop")
