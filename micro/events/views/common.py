"""Helpers every events view module shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from micro.core.services import audit_record
from micro.events.models import Event


def active_language() -> str:
    return translation.get_language() or "en"


def posted_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def in_event_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view with the conference's time zone active (forms read and show its local times)."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = Event.objects.filter(slug=slug).values_list("time_zone", flat=True).first()
        with timezone.override(zone or timezone.get_current_timezone_name()):
            return view(request, slug, *args, **kwargs)

    return wrapped


def add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def parse_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def audit_organiser_read(request: HttpRequest, event: Any, action: str, count: int) -> None:
    """Every organiser read of registrants' personal data leaves one audit row with how many people it showed."""
    audit_record(
        action=action,
        actor=request.user,
        obj=event,
        organisation_id=event.organisation_id,
        request=request,
        detail={"count": count},
    )
