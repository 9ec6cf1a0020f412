"""Writes that belong to no single feature app."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from micro.core.models import AuditEvent

# Proxies whose X-Forwarded-For / X-Real-IP headers are believed: nginx on the same machine by
# default (gunicorn binds 127.0.0.1). Behind a load balancer, list its addresses or networks in the
# TRUSTED_PROXIES setting.
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")


def _ip(value: str | None) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    entries = getattr(settings, "TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _is_trusted(address: str, proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip.version == network.version and ip in network for network in proxies)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person making the request, or None when it is unknown.

    Behind nginx every request comes from 127.0.0.1; nginx puts the real address in
    X-Forwarded-For (and X-Real-IP). Those headers are believed only when the direct peer is a
    trusted proxy, so a client talking to the app directly cannot forge them.
    """
    if request is None:
        return None
    address = _ip(request.META.get("REMOTE_ADDR"))
    proxies = _trusted_proxies()
    if address is None or not _is_trusted(address, proxies):
        return address
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Walk from the nearest hop outwards; the first address that is not one of our proxies is the client.
    for hop in reversed(hops):
        hop_address = _ip(hop)
        if hop_address is None:
            return address
        address = hop_address
        if not _is_trusted(address, proxies):
            return address
    real_ip = _ip(request.META.get("HTTP_X_REAL_IP"))
    return real_ip if not hops and real_ip is not None else address


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
