"""Writes that belong to no single feature app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from micro.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as the app server sees it (nginx passes it in REMOTE_ADDR via proxy)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    organisation_id: int | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Every app calls this for reads and writes of personal data."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=real_actor,
        actor_label=(getattr(real_actor, "email", "") or "anonymous")[:254],
        action=action[:64],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        organisation_id=organisation_id,
        ip_address=client_ip(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
        detail=detail or {},
    )
    event.full_clean()
    event.save()
    return event
