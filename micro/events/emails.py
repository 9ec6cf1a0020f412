"""Emails to registrants, in their language and with the conference's local times.

A confirmed place comes with the calendar entry (.ics, icalendar) and the check-in QR code
(PNG, segno) as attachments, and every email carries the personal link to see, change or cancel.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import icalendar
import segno
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from micro.events import tokens
from micro.events.models import Event, Registration, RegistrationStatus

KINDS = ("confirmed", "waitlisted", "promoted", "cancelled", "reminder", "link")


def personal_link(registration: Registration) -> str:
    token = tokens.registration_token(registration.public_id, registration.link_nonce)
    return settings.SITE_URL.rstrip("/") + reverse("events:registration", kwargs={"token": token})


def event_link(event: Event) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:detail", kwargs={"slug": event.slug})


def qr_png(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    payload = tokens.qr_payload(registration.event_id, registration.checkin_code or "")
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_svg_data_uri(registration: Registration) -> str:
    payload = tokens.qr_payload(registration.event_id, registration.checkin_code or "")
    return str(segno.make(payload, error="m").svg_data_uri(scale=5, border=2))


def ics_bytes(registration: Registration, *, link: str = "") -> bytes:
    """A calendar entry for the registrant (times in UTC, which every calendar understands)."""
    event = registration.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//MICRO platform//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "micro.example"
    entry.add("uid", f"event-{event.pk}-{registration.public_id}@{host}")
    entry.add("dtstamp", datetime.now(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.loc.get("title") or event.title)
    entry.add("location", ", ".join(part for part in (event.venue_name, event.venue_address, event.city) if part))
    entry.add("url", event_link(event))
    description = [str(event.loc.get("title") or event.title)]
    if link:
        description.append(_("See, change or cancel your registration: %(link)s") % {"link": link})
    entry.add("description", "\n".join(description))
    entry.add("status", "CANCELLED" if registration.status == RegistrationStatus.CANCELLED else "CONFIRMED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())


def _subject(kind: str, title: str) -> str:
    subjects = {
        "confirmed": _("Your place at %(title)s is confirmed"),
        "waitlisted": _("You are on the waiting list for %(title)s"),
        "promoted": _("Good news: a place at %(title)s is now yours"),
        "cancelled": _("Your registration for %(title)s is cancelled"),
        "reminder": _("Reminder: %(title)s is coming soon"),
        "link": _("Your personal link for %(title)s"),
    }
    return subjects[kind] % {"title": title}


def build_registration_email(registration: Registration, kind: str) -> EmailMessage:
    event = registration.event
    with translation.override(registration.language), timezone.override(event.time_zone):
        link = personal_link(registration)
        title = str(event.loc.get("title") or event.title)
        waiting_position = None
        if registration.status == RegistrationStatus.WAITLISTED:
            waiting_position = (
                event.registrations.filter(
                    status=RegistrationStatus.WAITLISTED, created_at__lte=registration.created_at
                ).count()
                or 1
            )
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "title": title,
            "link": link,
            "event_link": event_link(event),
            "waiting_position": waiting_position,
            "confirmed": registration.status == RegistrationStatus.CONFIRMED,
            "time_zone": event.time_zone,
        }
        subject = _subject(kind, title)
        body = render_to_string("events/email/registration.txt", context)
        message = EmailMessage(
            subject=subject.replace("\n", " ")[:200],
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        if registration.status == RegistrationStatus.CONFIRMED and kind in ("confirmed", "promoted", "reminder"):
            message.attach("conference.ics", ics_bytes(registration, link=link), "text/calendar; method=PUBLISH")
            message.attach("check-in-qr.png", qr_png(registration), "image/png")
    return message


def send_registration_email(registration_id: int, kind: str) -> bool:
    """Send one email; False when the registration is gone (erased) or has no address any more."""
    if kind not in KINDS:
        return False
    registration = (
        Registration.objects.select_related("event", "event__organisation")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )
    if registration is None or not registration.email:
        return False
    build_registration_email(registration, kind).send()
    return True
