"""Registration without an account: the form, the confirmation email, duplicates, capacity and the waiting list."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from micro.core.models import AuditEvent
from micro.events import tokens
from micro.events.models import Category, Event, EventStatus, Registration
from micro.events.tests.factories import CONFIRMED, WAITLISTED, form_data, make_question, register

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/events/r/([0-9a-f]{64})/")


def _post(client: Client, event: Event, language: str = "en", **overrides: object) -> Any:
    return client.post(f"/{language}/events/{event.slug}/register/", form_data(**overrides))


def test_public_pages_show_the_conference(client: Client, event: Event) -> None:
    assert "Rome conference" in client.get("/en/events/").content.decode()
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Rome conference" in html and "<strong>microcredit</strong>" in html
    assert "/en/events/rome-test/register/" in html
    assert client.get("/en/events/rome-test/privacy/").status_code == 200


def test_draft_conferences_are_hidden(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)
    assert client.get(f"/en/events/{event.slug}/").status_code == 404
    assert client.get(f"/en/events/{event.slug}/register/").status_code == 404
    assert "Rome conference" not in client.get("/en/events/").content.decode()


def test_registration_confirms_and_emails_ics_and_qr_in_the_registrants_language(client: Client, event: Event) -> None:
    response = _post(client, event, language="de")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == CONFIRMED and registration.language == "de"
    assert (
        registration.category == Category.PRESS
        and registration.list_consent_at
        and not registration.followup_consent_at
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    token = LINK.search(str(message.body)).group(1)  # type: ignore[union-attr]
    assert "/de/events/r/" in message.body
    assert response["Location"] == f"/de/events/r/{token}/"
    # Only the hash of the personal link is stored.
    assert registration.token_hash == tokens.hash_token(token) and token not in str(Registration.objects.values().get())
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    calendar = icalendar.Calendar.from_ical(names["conference.ics"][0])
    entry = calendar.events[0]
    assert entry.start == event.starts_at and entry.end == event.ends_at
    assert str(entry["summary"]) == "Rome conference" and "Via Nazionale 194" in str(entry["location"])
    assert names["check-in-qr.png"][0].startswith(b"\x89PNG") and names["check-in-qr.png"][1] == "image/png"
    page = client.get(response["Location"]).content.decode()
    assert str(registration.checkin_code) in page and 'src="data:image/svg+xml' in page
    assert AuditEvent.objects.filter(action="event_registration.create").count() == 1


def test_registering_twice_with_one_email_is_refused_clearly(client: Client, event: Event) -> None:
    _post(client, event)
    mail.outbox.clear()
    response = _post(client, event, email=" AMINA@example.org ", full_name="Someone else")
    assert response.status_code == 200
    assert "already registered for this conference" in response.content.decode()
    assert Registration.objects.count() == 1 and Registration.objects.get().full_name == "Amina Haddad"
    # The personal link goes again to the address it belongs to, once per ten minutes.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.org"]
    _post(client, event)
    assert len(mail.outbox) == 1


def test_the_same_person_may_register_again_after_cancelling(event: Event) -> None:
    from micro.events.services import registration_cancel

    first, _token = register(event, email="a@example.org")
    registration_cancel(registration=first)
    second, _token = register(event, email="a@example.org")
    assert second.status == CONFIRMED and Registration.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"privacy": None}, "accept the privacy notice"),
        ({"email": "not-an-email"}, "valid email"),
        ({"full_name": ""}, "This field is required"),
        ({"category": "astronaut"}, "Select a valid choice"),
        ({"interpretation_language": "zu"}, "Select a valid choice"),
        ({"full_name": "x" * 151}, "at most 150"),
        ({"needs": "x" * 2001}, "at most 2000"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(client: Client, event: Event, overrides: dict, message: str) -> None:
    response = _post(client, event, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


def test_registration_closes(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = _post(client, event)
    assert response.status_code == 200 and not Registration.objects.exists()
    assert "closed" in response.content.decode()


def test_full_conference_puts_people_on_the_waiting_list(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    register(event)
    _post(client, event)
    registration = Registration.objects.get(email="amina@example.org")
    assert registration.status == WAITLISTED and registration.confirmed_at is None
    message = mail.outbox[-1]
    assert "waiting list" in message.subject and "number 1" in message.body
    assert not message.attachments


def test_capacity_per_category(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(category_capacity={"press": 1})
    event.refresh_from_db()
    first, _ = register(event, category=Category.PRESS)
    second, _ = register(event, category=Category.PRESS)
    other, _ = register(event, category=Category.NGO)
    assert (first.status, second.status, other.status) == (CONFIRMED, WAITLISTED, CONFIRMED)


def test_extra_questions_in_the_readers_language(client: Client, event: Event) -> None:
    question = make_question(
        event,
        kind="choice",
        required=True,
        option_count=2,
        translations={
            "en": {"label": "Lunch?", "options": ["Vegetarian", "Any"], "status": "reviewed"},
            "de": {"label": "Mittagessen?", "options": ["Vegetarisch", "Alles"], "status": "reviewed"},
        },
    )
    html = client.get(f"/de/events/{event.slug}/register/").content.decode()
    assert "Mittagessen?" in html and "Vegetarisch" in html
    response = _post(client, event, language="de")
    assert response.status_code == 200 and not Registration.objects.exists()
    _post(client, event, language="de", **{question.field_name: "0"})
    assert Registration.objects.get().answers == {str(question.pk): "0"}
    assert _post(client, event, email="b@example.org", **{question.field_name: "7"}).status_code == 200


HOSTILE = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'


def test_hostile_text_in_every_field_is_stored_and_shown_escaped(
    client: Client, event: Event, organiser: object
) -> None:
    question = make_question(event)
    response = _post(
        client,
        event,
        full_name=HOSTILE,
        organisation_name="+cmd|' /C calc'!A0",
        needs="-2+3 <img src=x onerror=alert(1)>",
        **{question.field_name: "@SUM(A1:A2) ' OR 1=1; --"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.full_name == HOSTILE and registration.organisation_name == "+cmd|' /C calc'!A0"
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    staff = Client()
    staff.force_login(organiser)  # type: ignore[arg-type]
    listing = staff.get(f"/en/events/{event.slug}/manage/registrations/").content.decode()
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing
    csv_text = staff.get(f"/en/events/{event.slug}/manage/registrations.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+cmd" in csv_text and "'-2+3" in csv_text and "'@SUM" in csv_text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(staff.get(f"/en/events/{event.slug}/manage/registrations.xlsx").content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert "'" + HOSTILE in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert mail.outbox and "<script>" in mail.outbox[0].body  # plain text email: shown as text, nothing runs


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_does_not_lose_the_registration(
    client: Client, event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The email leaves after the (real) commit: a failing mail server does not lose the registration."""
    from micro.events import emails

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(emails.EmailMessage, "send", broken)
    assert _post(client, event).status_code == 302
    assert Registration.objects.count() == 1
