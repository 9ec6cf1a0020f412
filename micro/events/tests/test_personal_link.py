"""The personal link: see, change, cancel (the waiting list moves up), download and erase; forged and reused links."""

from __future__ import annotations

import json
import secrets

import icalendar
import pytest
from django.core import mail
from django.test import Client

from micro.core.models import AuditEvent
from micro.events import tokens
from micro.events.models import Category, Event, Registration
from micro.events.services import registration_cancel
from micro.events.tests.factories import CANCELLED, CONFIRMED, WAITLISTED, make_question, register

pytestmark = pytest.mark.django_db


def test_personal_page_shows_the_registration(client: Client, event: Event) -> None:
    _registration, token = register(event, full_name="Lena Vogel", email="lena@example.org")
    response = client.get(f"/en/events/r/{token}/")
    assert response.status_code == 200 and "Lena Vogel" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    ics = client.get(f"/en/events/r/{token}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert icalendar.Calendar.from_ical(ics.content).events[0].start == event.starts_at


@pytest.mark.parametrize(
    "token",
    ["0" * 64, secrets.token_hex(32), "abc", "x" * 64, "<script>", "' OR 1=1 --", "A" * 64],
)
def test_forged_links_open_nothing(client: Client, event: Event, token: str) -> None:
    register(event)
    for suffix in ("", "change/", "cancel/", "calendar.ics", "my-data.json", "erase/"):
        assert client.get(f"/en/events/r/{token}/{suffix}").status_code == 404
    assert client.post(f"/en/events/r/{token}/cancel/").status_code == 404
    assert Registration.objects.get().status == CONFIRMED


def test_a_link_rebuilt_from_the_database_alone_does_not_work(client: Client, event: Event, settings: object) -> None:
    registration, token = register(event)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40  # type: ignore[attr-defined]
    guessed = tokens.registration_token(registration.public_id, registration.link_nonce)
    assert guessed != token
    assert client.get(f"/en/events/r/{guessed}/").status_code == 404


def test_cancel_moves_the_first_waiting_person_up_and_emails_them(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    _first, first_token = register(event, email="first@example.org")
    second, _ = register(event, email="second@example.org", language="it")
    third, _ = register(event, email="third@example.org")
    assert (second.status, third.status) == (WAITLISTED, WAITLISTED)
    mail.outbox.clear()
    response = client.post(f"/en/events/r/{first_token}/cancel/")
    assert response.status_code == 302
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": CANCELLED,
        "second@example.org": CONFIRMED,
        "third@example.org": WAITLISTED,
    }
    promoted = next(m for m in mail.outbox if m.to == ["second@example.org"])
    assert "posto" in promoted.subject.lower() or "place" in promoted.subject.lower()
    attachment = next(content for name, content, _type in promoted.attachments if name == "conference.ics")
    entry = icalendar.Calendar.from_ical(attachment).events[0]
    assert entry.start == event.starts_at and str(entry["status"]) == "CONFIRMED"
    assert any(m.to == ["first@example.org"] for m in mail.outbox)  # the cancellation is confirmed too
    assert AuditEvent.objects.filter(action="event_registration.promote").count() == 1


def test_a_reused_cancel_link_changes_nothing(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    _first, token = register(event)
    register(event)
    register(event)
    client.post(f"/en/events/r/{token}/cancel/")
    mail.outbox.clear()
    response = client.post(f"/en/events/r/{token}/cancel/", follow=True)
    assert "already cancelled" in response.content.decode()
    assert Registration.objects.filter(status=CONFIRMED).count() == 1
    assert Registration.objects.filter(status=WAITLISTED).count() == 1
    assert not mail.outbox
    assert registration_cancel(registration=Registration.objects.get(status=CANCELLED)) == []


def test_change_details_and_withdraw_a_consent(client: Client, event: Event) -> None:
    question = make_question(event)
    registration, token = register(event, list_consent=True, followup_consent=True)
    response = client.post(
        f"/en/events/r/{token}/change/",
        {
            "full_name": "New Name",
            "organisation_name": "New Org",
            "category": Category.NGO,
            "interpretation_language": "ar",
            "needs": "Step-free access",
            "list_consent": "on",
            question.field_name: "Vegan",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.full_name == "New Name" and registration.category == Category.NGO
    assert registration.interpretation_language == "ar" and registration.answers == {str(question.pk): "Vegan"}
    assert registration.list_consent_at is not None and registration.followup_consent_at is None
    audit = AuditEvent.objects.filter(action="event_registration.update").get()
    assert "followup_consent" in audit.detail["changed"] and "New Name" not in json.dumps(audit.detail)


def test_change_into_a_full_category_is_refused(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(category_capacity={"press": 1})
    register(event, category=Category.PRESS)
    registration, token = register(event, category=Category.NGO)
    response = client.post(f"/en/events/r/{token}/change/", {"full_name": "X", "category": Category.PRESS})
    assert response.status_code == 200 and "no place left" in response.content.decode()
    registration.refresh_from_db()
    assert registration.category == Category.NGO


def test_data_export_through_the_personal_link(client: Client, event: Event) -> None:
    question = make_question(event)
    _registration, token = register(
        event, full_name="Lena Vogel", needs="Sign language", answers={str(question.pk): "Vegan"}, list_consent=True
    )
    response = client.get(f"/en/events/r/{token}/my-data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-registration.json"'
    data = json.loads(response.content)
    assert data["registration"]["full_name"] == "Lena Vogel"
    assert data["registration"]["accessibility_or_interpretation_needs"] == "Sign language"
    assert data["registration"]["answers"] == [{"question": "Dietary needs?", "answer": "Vegan"}]
    assert data["consents"]["participant_list"] and data["consents"]["follow_up"] is None
    assert AuditEvent.objects.filter(action="event_registration.export").count() == 1


def test_erasure_through_the_personal_link(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    registration, token = register(event, full_name="Lena Vogel")
    waiting, _ = register(event)
    assert client.post(f"/en/events/r/{token}/erase/", {}).status_code == 200  # needs the confirmation box
    assert Registration.objects.filter(pk=registration.pk).exists()
    response = client.post(f"/en/events/r/{token}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert client.get(f"/en/events/r/{token}/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED
    audit = AuditEvent.objects.get(action="event_registration.erase")
    assert "Lena" not in audit.object_label and "Lena" not in json.dumps(audit.detail)
