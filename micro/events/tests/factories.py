"""Factories and helpers for the conferences tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from micro.accounts.tests.factories import OrganisationFactory
from micro.events.models import Category, Event, EventStatus, Question, QuestionKind, Registration, RegistrationStatus
from micro.events.services import registration_create


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"conference-{n}")
    title = factory.Sequence(lambda n: f"Conference {n}")
    status = EventStatus.PUBLISHED
    city = "Rome"
    venue_name = "Sala A"
    venue_address = "Via Nazionale 194"
    map_url = "https://www.openstreetmap.org/"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0) + timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=7))
    time_zone = "Europe/Rome"
    languages = factory.LazyFunction(lambda: ["it", "en"])
    interpretation = factory.LazyFunction(lambda: ["en", "ar"])
    capacity = 50
    translations = factory.LazyAttribute(
        lambda o: {"en": {"title": o.title, "description": "A day on **microcredit**.", "status": "reviewed"}}
    )


def make_question(event: Event, **kwargs: Any) -> Question:
    defaults: dict[str, Any] = {
        "kind": QuestionKind.TEXT,
        "required": False,
        "translations": {"en": {"label": "Dietary needs?", "status": "reviewed"}},
    }
    defaults.update(kwargs)
    return Question.objects.create(event=event, **defaults)


def register(
    event: Event, *, email: str = "", category: str = Category.STAKEHOLDER, **kwargs: Any
) -> tuple[Registration, str]:
    """A registration made through the service (as the form would), with its personal link token."""
    register.counter += 1  # type: ignore[attr-defined]
    data: dict[str, Any] = {
        "full_name": f"Person {register.counter}",  # type: ignore[attr-defined]
        "email": email or f"person{register.counter}@example.org",  # type: ignore[attr-defined]
        "category": category,
        "language": "en",
        "privacy_accepted": True,
    }
    data.update(kwargs)
    return registration_create(event=event, **data)


register.counter = 0  # type: ignore[attr-defined]


def form_data(**overrides: Any) -> dict[str, Any]:
    """What a browser posts to the registration form."""
    data: dict[str, Any] = {
        "full_name": "Amina Haddad",
        "email": "amina@example.org",
        "organisation_name": "Radio Leipzig",
        "category": Category.PRESS,
        "interpretation_language": "",
        "needs": "",
        "privacy": "on",
        "list_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
