"""Scheduled work with a moved clock: the retention purge and the reminders, both idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from micro.core.models import AuditEvent
from micro.events.models import CheckIn, Event, Registration
from micro.events.services import checkin_record, registrations_purge, reminders_send
from micro.events.tests.factories import register

pytestmark = pytest.mark.django_db


def test_registrations_are_anonymised_after_the_retention_period(
    client: Client, event: Event, organiser: object
) -> None:
    Event.objects.filter(pk=event.pk).update(retention_days=30)
    registration, token = register(event, full_name="Lena Vogel", needs="Wheelchair", list_consent=True)
    register(event, full_name="Second Person")
    checkin_record(event=event, actor=organiser, idempotency_key="k", registration_id=registration.pk)
    ended = event.ends_at
    assert registrations_purge(now=ended + timedelta(days=29)) == 0
    assert Registration.objects.filter(full_name="Lena Vogel").exists()
    assert registrations_purge(now=ended + timedelta(days=30, minutes=1)) == 2
    row = Registration.objects.get(pk=registration.pk)
    assert (row.full_name, row.email, row.needs, row.token_hash, row.checkin_code) == ("", "", "", None, None)
    assert row.anonymised_at and row.category == "stakeholder" and row.status == "confirmed"
    assert CheckIn.objects.filter(registration=row).exists()  # attendance counts stay
    assert client.get(f"/en/events/r/{token}/").status_code == 404
    assert registrations_purge(now=ended + timedelta(days=31)) == 0  # idempotent
    assert AuditEvent.objects.filter(action="event_registrations.purge").count() == 1


def test_registrations_are_deleted_when_the_organiser_chose_so(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(retention_days=10, retention_action="delete")
    register(event)
    register(event)
    out = io.StringIO()
    moved = (event.ends_at + timedelta(days=11)).isoformat()
    call_command("purge_event_registrations", now=moved, stdout=out)
    assert "2" in out.getvalue() and not Registration.objects.exists()


def test_purge_leaves_conferences_within_their_period_alone(event: Event) -> None:
    register(event)
    assert registrations_purge() == 0
    assert registrations_purge(now=timezone.now() + timedelta(days=3650)) == 1


def test_reminders_are_sent_once_before_the_conference(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(reminder_days_before=2, capacity=1)
    _confirmed, _ = register(event, email="yes@example.org", language="it")
    register(event, email="waiting@example.org")
    mail.outbox.clear()
    start = event.starts_at
    assert reminders_send(now=start - timedelta(days=3)) == 0
    assert reminders_send(now=start - timedelta(days=1)) == 1
    message = mail.outbox[0]
    assert message.to == ["yes@example.org"] and any(name == "conference.ics" for name, *_rest in message.attachments)
    assert reminders_send(now=start - timedelta(hours=20)) == 0
    out = io.StringIO()
    call_command("send_event_reminders", now=(start - timedelta(hours=10)).isoformat(), stdout=out)
    assert "0" in out.getvalue() and len(mail.outbox) == 1
    assert reminders_send(now=start + timedelta(hours=1)) == 0


def test_tasks_run_the_same_work() -> None:
    from micro.events import tasks

    assert tasks.purge_event_registrations.enqueue().return_value == 0
    assert tasks.send_event_reminders.enqueue().return_value == 0
