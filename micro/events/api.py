"""JSON API of the events app (mounted at /api/events/ by config/api.py): the public programme."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from micro.core.schemas import NUL_IN_PATH, UNAVAILABLE, ErrorOut
from micro.events import selectors, services

router = Router(tags=["events"])


class EventOut(Schema):
    slug: str
    title: str
    city: str
    venue: str
    address: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    languages: list[str]
    interpretation: list[str]
    status: str
    registration_open: bool


class SessionOut(Schema):
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    language: str
    speakers: list[str]


class EventDetailOut(EventOut):
    description: str
    sessions: list[SessionOut]


def _event(event: object) -> dict[str, object]:
    from micro.events.models import Event

    assert isinstance(event, Event)
    return {
        "slug": event.slug,
        "title": event.loc.get("title") or event.title,
        "city": event.city,
        "venue": event.venue_name,
        "address": event.venue_address,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "languages": list(event.languages or []),
        "interpretation": list(event.interpretation or []),
        "status": event.status,
        "registration_open": services.registration_is_open(event),
    }


@router.get("/", response={200: list[EventOut], **UNAVAILABLE}, summary="Published conferences, upcoming first")
def event_list(request: HttpRequest) -> list[dict[str, object]]:
    upcoming, past = selectors.event_list_public()
    return [_event(event) for event in [*upcoming, *past]]


@router.get(
    "/{slug}",
    response={200: EventDetailOut, 404: ErrorOut, **UNAVAILABLE},
    openapi_extra=NUL_IN_PATH,
    summary="One conference with its programme",
)
def event_detail(request: HttpRequest, slug: str) -> dict[str, object]:
    event = selectors.event_get_public(slug[:80])
    sessions = [
        {
            "title": session.loc.get("title", ""),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "room": session.room,
            "language": session.language,
            "speakers": [speaker.name for speaker in session.speakers.all()],
        }
        for session in event.sessions.all()
    ]
    return {**_event(event), "description": event.loc.get("description", ""), "sessions": sessions}
