"""Check-in at the door: by QR payload, by typed code, by name; never twice, never for another conference."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from micro.accounts.models import User
from micro.events import tokens
from micro.events.models import CheckIn, Event
from micro.events.services import checkin as outcomes
from micro.events.services import checkin_record
from micro.events.tests.factories import EventFactory, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(organiser: User) -> Client:
    client = Client()
    client.force_login(organiser)
    return client


def _payload(registration: object) -> str:
    return tokens.qr_payload(registration.event_id, registration.checkin_code)  # type: ignore[attr-defined]


def test_check_in_by_qr_payload_then_refuse_a_second_time(staff: Client, event: Event) -> None:
    registration, _ = register(event, full_name="Lena Vogel")
    response = staff.post(
        f"/en/events/{event.slug}/check-in/", {"code": _payload(registration), "idempotency_key": "k1"}, follow=True
    )
    assert "Lena Vogel is checked in." in response.content.decode()
    response = staff.post(
        f"/en/events/{event.slug}/check-in/", {"code": _payload(registration), "idempotency_key": "k2"}, follow=True
    )
    assert "was already checked in" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_typed_code_in_small_letters_with_spaces_works(staff: Client, event: Event) -> None:
    registration, _ = register(event)
    code = str(registration.checkin_code).lower()
    typed = f" {code[:5]} {code[5:]} "
    response = staff.post(
        f"/en/events/{event.slug}/check-in/", {"code": typed, "idempotency_key": "k"}, HTTP_ACCEPT="application/json"
    )
    assert json.loads(response.content)["outcome"] == "checked_in"


def test_check_in_by_search(staff: Client, event: Event) -> None:
    registration, _ = register(event, full_name="Jonas Weber", organisation_name="Stadt Leipzig")
    page = staff.get(f"/en/events/{event.slug}/check-in/?q=weber").content.decode()
    assert "Jonas Weber" in page and f'name="registration" value="{registration.pk}"' in page
    staff.post(
        f"/en/events/{event.slug}/check-in/", {"registration": registration.pk, "idempotency_key": "s1", "q": "weber"}
    )
    page = staff.get(f"/en/events/{event.slug}/check-in/?q=leipzig").content.decode()
    assert "Already in" in page
    assert CheckIn.objects.get().registration_id == registration.pk


def test_a_ticket_for_another_conference_is_refused(staff: Client, event: Event) -> None:
    other = EventFactory.create(organisation=event.organisation)
    stranger, _ = register(other, full_name="Other Person")
    for code in (
        _payload(stranger),
        str(stranger.checkin_code),
        tokens.qr_payload(event.pk, str(stranger.checkin_code)),
    ):
        response = staff.post(
            f"/en/events/{event.slug}/check-in/",
            {"code": code, "idempotency_key": code[-8:]},
            HTTP_ACCEPT="application/json",
        )
        data = json.loads(response.content)
        assert data["outcome"] == "other_event" and "Other Person" not in data["message"]
    response = staff.post(
        f"/en/events/{event.slug}/check-in/",
        {"registration": stranger.pk, "idempotency_key": "r"},
        HTTP_ACCEPT="application/json",
    )
    assert json.loads(response.content)["outcome"] == "other_event"
    assert not CheckIn.objects.exists()


def test_waiting_list_and_unknown_codes_are_refused(staff: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    register(event)
    waiting, _ = register(event)
    for code, outcome in (
        (waiting.checkin_code, "not_confirmed"),
        ("ZZZZZZZZZZ", "not_found"),
        ("<script>", "not_found"),
        ("x" * 199, "not_found"),
    ):
        response = staff.post(
            f"/en/events/{event.slug}/check-in/", {"code": code, "idempotency_key": ""}, HTTP_ACCEPT="application/json"
        )
        assert json.loads(response.content)["outcome"] == outcome
    assert not CheckIn.objects.exists()


def test_a_retried_check_in_with_the_same_key_is_applied_once(staff: Client, event: Event) -> None:
    registration, _ = register(event)
    answers = [
        json.loads(
            staff.post(
                f"/en/events/{event.slug}/check-in/",
                {"code": registration.checkin_code, "idempotency_key": "same-key"},
                HTTP_ACCEPT="application/json",
            ).content
        )["outcome"]
        for _attempt in range(3)
    ]
    assert answers == ["checked_in", "checked_in", "checked_in"]
    assert CheckIn.objects.count() == 1


def test_the_service_refuses_double_check_in_directly(event: Event, organiser: User) -> None:
    registration, _ = register(event)
    first = checkin_record(event=event, actor=organiser, idempotency_key="a", registration_id=registration.pk)
    second = checkin_record(event=event, actor=organiser, idempotency_key="b", registration_id=registration.pk)
    assert (first.outcome, second.outcome) == (outcomes.CHECKED_IN, outcomes.ALREADY)
    assert second.checked_in_at == first.checked_in_at


def test_the_check_in_list_for_the_door(staff: Client, event: Event) -> None:
    registration, _ = register(event, full_name="Lena Vogel")
    page = staff.get(f"/en/events/{event.slug}/check-in/list/")
    assert str(registration.checkin_code) in page.content.decode() and "no-store" in page["Cache-Control"]
    data = json.loads(staff.get(f"/en/events/{event.slug}/check-in/list/?format=json").content)
    assert data["people"] == [
        {
            "id": registration.pk,
            "code": registration.checkin_code,
            "name": "Lena Vogel",
            "organisation": "",
            "category": "stakeholder",
            "checked_in_at": None,
        }
    ]


def test_check_in_page_has_the_scanner_script_and_no_inline_script(staff: Client, event: Event) -> None:
    html = staff.get(f"/en/events/{event.slug}/check-in/").content.decode()
    assert 'src="/static/events/checkin.js"' in html
    assert "<script>" not in html and " style=" not in html
    assert 'name="idempotency_key"' in html


def test_people_who_do_not_organise_cannot_check_in(event: Event) -> None:
    from micro.accounts.models import Role
    from micro.accounts.tests.factories import OrganisationFactory, member

    registration, _ = register(event)
    outsider = Client()
    outsider.force_login(member(OrganisationFactory.create(), Role.PARTNER_ADMIN))
    assert outsider.get(f"/en/events/{event.slug}/check-in/").status_code == 404
    response = outsider.post(f"/en/events/{event.slug}/check-in/", {"code": registration.checkin_code})
    assert response.status_code == 404
    assert Client().post(f"/en/events/{event.slug}/check-in/", {"code": registration.checkin_code}).status_code == 302
    assert not CheckIn.objects.exists()
