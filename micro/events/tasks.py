"""Background work of the conferences app (Django Tasks: immediate in development and tests,
the database worker in production). Schedule the two periodic tasks daily, e.g. from cron with
``manage.py send_event_reminders`` and ``manage.py purge_event_registrations``."""

from __future__ import annotations

from django.tasks import task

from micro.events import emails
from micro.events.services import registrations


@task
def send_registration_email(registration_id: int, kind: str) -> bool:
    return emails.send_registration_email(registration_id, kind)


@task
def send_event_reminders() -> int:
    return registrations.reminders_send()


@task
def purge_event_registrations() -> int:
    return registrations.registrations_purge()
