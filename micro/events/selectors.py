"""Reads with a rule in them: what the public sees, what an organiser sees (only their conferences)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from micro.accounts.permissions import active_roles
from micro.events import permissions
from micro.events.models import (
    Category,
    CheckIn,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)

SEARCH_LIMIT = 30


def event_list_public() -> tuple[list[Event], list[Event]]:
    """(upcoming, past) published conferences."""
    now = timezone.now()
    events = list(
        Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .select_related("organisation")
        .order_by("starts_at")
    )
    upcoming = [event for event in events if event.ends_at >= now]
    past = sorted((event for event in events if event.ends_at < now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past


def event_get_public(slug: str, user: Any = None) -> Event:
    """A published (or cancelled) conference with its programme; drafts only for their organisers."""
    event = (
        Event.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.prefetch_related("speakers", "materials")),
            "speakers",
            "materials",
            "practice_links",
            "organisers",
        )
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    if event.status == EventStatus.DRAFT and not (user is not None and permissions.can_manage_event(user, event)):
        raise Http404
    return event


def event_get_for_registration(slug: str) -> Event:
    event = Event.objects.select_related("organisation").prefetch_related("questions").filter(slug=slug).first()
    if event is None or event.status == EventStatus.DRAFT:
        raise Http404
    return event


def event_list_for_organiser(user: Any) -> QuerySet[Event]:
    """Conferences the user organises: of organisations they administer or coordinate, or named on."""
    org_ids = [org_id for org_id, role in active_roles(user).items() if role in permissions.ORGANISER_ROLES]
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    return (
        Event.objects.filter(Q(organisation_id__in=org_ids) | Q(organisers=user))
        .select_related("organisation")
        .distinct()
        .order_by("-starts_at")
    )


def event_get_for_organiser(user: Any, slug: str) -> Event:
    """The conference if ``user`` organises it; 404 otherwise, so others' conferences stay invisible."""
    event = Event.objects.select_related("organisation").prefetch_related("organisers").filter(slug=slug).first()
    if event is None or not permissions.can_manage_event(user, event):
        raise Http404
    return event


def registration_list_for_event(event: Event, *, status: str = "", category: str = "") -> QuerySet[Registration]:
    registrations = (
        event.registrations.filter(anonymised_at__isnull=True).select_related("checkin").order_by("full_name", "pk")
    )
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    if category in Category.values:
        registrations = registrations.filter(category=category)
    return registrations


def registration_search(event: Event, query: str) -> list[Registration]:
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return []
    matches = event.registrations.filter(
        Q(full_name__icontains=query) | Q(organisation_name__icontains=query) | Q(email__icontains=query),
        anonymised_at__isnull=True,
    ).exclude(status=RegistrationStatus.CANCELLED)
    return list(matches.select_related("checkin").order_by("full_name", "pk")[:SEARCH_LIMIT])


@dataclass
class EventStats:
    by_category: list[dict[str, Any]] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    checked_in: int = 0
    attendance_percent: int | None = None
    free_places: int = 0


def event_stats(event: Event) -> EventStats:
    """Counts by category and status, attendance rate (checked in / confirmed). Two queries."""
    rows = event.registrations.values_list("category", "status")
    counts: Counter[tuple[str, str]] = Counter(rows)
    checked_by_category = Counter(CheckIn.objects.filter(event=event).values_list("registration__category", flat=True))
    stats = EventStats()
    for status in RegistrationStatus.values:
        stats.by_status[status] = sum(n for (_c, s), n in counts.items() if s == status)
    limits = event.category_capacity or {}
    for value, label in Category.choices:
        stats.by_category.append(
            {
                "category": value,
                "label": label,
                "confirmed": counts[(value, RegistrationStatus.CONFIRMED)],
                "waitlisted": counts[(value, RegistrationStatus.WAITLISTED)],
                "cancelled": counts[(value, RegistrationStatus.CANCELLED)],
                "checked_in": checked_by_category[value],
                "limit": limits.get(value),
            }
        )
    stats.confirmed = stats.by_status[RegistrationStatus.CONFIRMED]
    stats.waitlisted = stats.by_status[RegistrationStatus.WAITLISTED]
    stats.cancelled = stats.by_status[RegistrationStatus.CANCELLED]
    stats.checked_in = sum(checked_by_category.values())
    stats.free_places = max(event.capacity - stats.confirmed, 0)
    if stats.confirmed:
        stats.attendance_percent = round(100 * stats.checked_in / stats.confirmed)
    return stats


def public_counts(event: Event) -> dict[str, int]:
    """Free places overall, for the public page (one query)."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return {"free": max(event.capacity - confirmed, 0)}


def participant_list_consented(event: Event) -> QuerySet[Registration]:
    """Confirmed participants who agreed to appear on the participant list."""
    return event.registrations.filter(
        status=RegistrationStatus.CONFIRMED, list_consent_at__isnull=False, anonymised_at__isnull=True
    ).order_by("full_name", "pk")


def checkin_list(event: Event) -> QuerySet[Registration]:
    """Everyone with a place, for the door (loaded in advance on the organiser's phone)."""
    return (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True)
        .select_related("checkin")
        .order_by("full_name", "pk")
    )


def recent_checkins(event: Event, limit: int = 10) -> list[CheckIn]:
    return list(CheckIn.objects.filter(event=event).select_related("registration").order_by("-checked_in_at")[:limit])


def badges_for_event(event: Event, *, ids: list[int] | None = None) -> QuerySet[Registration]:
    registrations = checkin_list(event)
    if ids:
        registrations = registrations.filter(pk__in=ids)
    return registrations
