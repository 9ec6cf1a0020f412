"""Check-in at the door: by the QR code's payload (scanned or typed) or by a registration found by name.

A phone on a poor connection may send the same check-in twice: each form carries an idempotency
key, and a key seen before returns the first answer. A person is checked in once: the
registration row is locked, and a unique constraint on the check-in refuses a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from micro.core.services import audit_record
from micro.events import permissions, tokens
from micro.events.models import CheckIn, Event, Registration, RegistrationStatus

CHECKED_IN = "checked_in"
ALREADY = "already"
NOT_FOUND = "not_found"
OTHER_EVENT = "other_event"
NOT_CONFIRMED = "not_confirmed"


@dataclass(frozen=True)
class CheckInResult:
    outcome: str
    registration: Registration | None = None
    checked_in_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == CHECKED_IN


def _clean_key(key: str) -> str:
    return "".join(ch for ch in (key or "") if ch.isalnum() or ch in "-_")[:64]


@transaction.atomic
def checkin_record(
    *,
    event: Event,
    actor: Any,
    idempotency_key: str,
    code: str = "",
    registration_id: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Check one person in at ``event``; never twice, never for another conference."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    now = now or timezone.now()
    key = _clean_key(idempotency_key)
    if key:
        seen = CheckIn.objects.select_related("registration").filter(idempotency_key=key).first()
        if seen is not None:
            if seen.event_id != event.pk:
                return CheckInResult(OTHER_EVENT)
            return CheckInResult(CHECKED_IN, seen.registration, seen.checked_in_at)
    else:
        key = tokens.new_nonce()
    found = Registration.objects.select_for_update().filter(anonymised_at__isnull=True)
    if registration_id is not None:
        registration = found.filter(pk=registration_id).first()
    else:
        event_id, normalised = tokens.parse_checkin_input(code)
        if event_id is not None and event_id != event.pk:
            return CheckInResult(OTHER_EVENT)
        registration = found.filter(checkin_code=normalised).first() if normalised else None
    if registration is None:
        return CheckInResult(NOT_FOUND)
    if registration.event_id != event.pk:
        return CheckInResult(OTHER_EVENT)
    if registration.status != RegistrationStatus.CONFIRMED:
        return CheckInResult(NOT_CONFIRMED, registration)
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing is not None:
        return CheckInResult(ALREADY, registration, existing.checked_in_at)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                registration=registration,
                event=event,
                checked_in_at=now,
                checked_in_by=actor if getattr(actor, "is_authenticated", False) else None,
                idempotency_key=key,
            )
    except IntegrityError:
        existing = CheckIn.objects.filter(registration=registration).first()
        return CheckInResult(ALREADY, registration, existing.checked_in_at if existing else None)
    audit_record(
        action="event_registration.checkin",
        actor=actor,
        obj=registration,
        organisation_id=event.organisation_id,
        request=request,
        detail={"event": event.pk},
    )
    return CheckInResult(CHECKED_IN, registration, checkin.checked_in_at)
