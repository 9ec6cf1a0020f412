"""A registration form sent again (the answer to the first one never arrived) shows the confirmation again.

The form carries a one-time key; the same key for the same conference and address returns the
first registration (no second row, no second email), never another conference's or person's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from micro.events import tokens
from micro.events.models import Category, Event, Registration
from micro.events.services import registration_cancel, registration_create, registrations_purge
from micro.events.services.registrations import new_idempotency_key
from micro.events.tests.factories import CONFIRMED, WAITLISTED, EventFactory, form_data, register
from micro.events.tests.parallel import in_parallel

pytestmark = pytest.mark.django_db
KEY_FIELD = re.compile(r'name="idempotency_key" value="([^"]*)"|value="([^"]*)" name="idempotency_key"')
LINK = re.compile(r"/events/r/([0-9a-f]{64})/")
REFUSED = "This form was already sent once."
ALREADY = "already registered for this conference"


def _page_key(html: str) -> str:
    match = KEY_FIELD.search(html)
    assert match, "the form has no idempotency_key field"
    return match.group(1) or match.group(2)


def _form_key(client: Client, event: Event) -> str:
    return _page_key(client.get(f"/en/events/{event.slug}/register/").content.decode())


def _post(client: Client, event: Event, **overrides: Any) -> Any:
    return client.post(f"/en/events/{event.slug}/register/", form_data(**overrides))


def test_every_rendering_of_the_form_carries_its_own_key_and_no_shared_cache_keeps_it(
    client: Client, event: Event
) -> None:
    response = client.get(f"/en/events/{event.slug}/register/")
    first = _page_key(response.content.decode())
    second = _form_key(client, event)
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second) and first != second
    assert "private" in response["Cache-Control"]


def test_the_same_form_sent_twice_makes_one_registration_and_shows_the_confirmation_again(
    client: Client, event: Event
) -> None:
    key = _form_key(client, event)
    first = _post(client, event, idempotency_key=key)
    assert first.status_code == 302
    assert len(mail.outbox) == 1
    again = _post(client, event, idempotency_key=key)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert LINK.search(again["Location"])
    registration = Registration.objects.get()
    assert registration.status == CONFIRMED
    assert len(mail.outbox) == 1  # no second email, no "already registered" link either
    page = client.get(again["Location"]).content.decode()
    assert "You are registered." in page and str(registration.checkin_code) in page
    # Only the key's hash is stored: the database alone cannot replay a form.
    assert registration.idempotency_key_hash == tokens.hash_token(key)
    assert key not in str(Registration.objects.values().get())


def test_a_resent_form_on_the_waiting_list_is_told_the_same(client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    register(event)
    key = _form_key(client, event)
    first = _post(client, event, idempotency_key=key)
    again = _post(client, event, idempotency_key=key)
    assert again["Location"] == first["Location"]
    assert Registration.objects.get(email="amina@example.org").status == WAITLISTED
    assert "you are on the waiting list" in client.get(again["Location"]).content.decode()
    assert Registration.objects.count() == 2


def test_the_service_returns_the_first_registration_and_a_working_link(event: Event) -> None:
    key = new_idempotency_key()
    data: dict[str, Any] = {
        "full_name": "Lena Vogel",
        "email": "lena@example.org",
        "category": Category.NGO,
        "language": "de",
        "privacy_accepted": True,
        "idempotency_key": key,
    }
    first, first_token = registration_create(event=event, **data)
    second, second_token = registration_create(event=event, **{**data, "email": " LENA@example.org "})
    assert second.pk == first.pk and second_token == first_token
    found = registration_create(event=event, **{**data, "idempotency_key": key.upper()})[0]
    assert found.pk == first.pk
    from micro.events.services import registration_find

    assert registration_find(token=second_token) == first
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1


def test_the_same_key_on_another_conference_is_refused_without_showing_the_first_registration(
    client: Client, event: Event
) -> None:
    other = EventFactory.create(organisation=event.organisation, slug="madrid-test")
    key = _form_key(client, event)
    first = _post(client, event, idempotency_key=key)
    token = LINK.search(first["Location"]).group(1)  # type: ignore[union-attr]
    mail.outbox.clear()
    response = _post(client, other, idempotency_key=key)
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html
    mine = Registration.objects.get()
    assert token not in html and str(mine.checkin_code) not in html and key not in html
    assert not other.registrations.exists() and not mail.outbox
    # The page comes back with a fresh key: sending it again registers on the other conference.
    retry = _post(client, other, idempotency_key=_page_key(html))
    assert retry.status_code == 302 and token not in retry["Location"]
    assert other.registrations.count() == 1 and event.registrations.count() == 1


def test_the_same_key_with_another_address_is_refused(client: Client, event: Event) -> None:
    """A page handed to two people (a shared cache, a copied form) never shows one the other's registration."""
    key = _form_key(client, event)
    first = _post(client, event, idempotency_key=key)
    token = LINK.search(first["Location"]).group(1)  # type: ignore[union-attr]
    response = _post(client, event, idempotency_key=key, email="someone.else@example.org", full_name="Someone Else")
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and token not in html and "amina@example.org" not in html
    assert Registration.objects.count() == 1
    assert _post(client, event, idempotency_key=_page_key(html), email="someone.else@example.org").status_code == 302
    assert Registration.objects.count() == 2


def test_a_form_resent_after_cancelling_is_refused_then_registers_with_a_fresh_key(
    client: Client, event: Event
) -> None:
    key = _form_key(client, event)
    _post(client, event, idempotency_key=key)
    registration_cancel(registration=Registration.objects.get())
    response = _post(client, event, idempotency_key=key)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    again = _post(client, event, idempotency_key=_page_key(response.content.decode()))
    assert again.status_code == 302
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["cancelled", "confirmed"]


def test_one_registration_per_address_still_holds_with_keys(client: Client, event: Event) -> None:
    _post(client, event, idempotency_key=_form_key(client, event))
    mail.outbox.clear()
    response = _post(client, event, idempotency_key=_form_key(client, event), full_name="Someone else")
    assert response.status_code == 200 and ALREADY in response.content.decode()
    assert Registration.objects.count() == 1 and Registration.objects.get().full_name == "Amina Haddad"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.org"]  # the link, sent again


def test_a_form_without_a_key_behaves_as_before(client: Client, event: Event) -> None:
    """An old form from a cached page: registered once, the second time told the address is registered."""
    assert _post(client, event).status_code == 302
    response = _post(client, event)
    assert response.status_code == 200 and ALREADY in response.content.decode()
    assert Registration.objects.get().idempotency_key_hash is None
    assert _page_key(response.content.decode())  # the refused page now carries a key


@pytest.mark.parametrize(
    "key",
    [
        "<script>alert(1)</script>",
        '"><script>alert(1)</script>' + "a" * 32,
        "a" * 10_240,
        "z" * 32,
        "0" * 31,
        "0" * 33,
        "\x00" * 32,
        "' OR 1=1; --",
        "ａ" * 32,  # fullwidth letters: not our alphabet
    ],
)
def test_a_malformed_key_is_treated_as_absent(client: Client, event: Event, key: str) -> None:
    first = _post(client, event, idempotency_key=key)
    assert first.status_code == 302
    assert Registration.objects.get().idempotency_key_hash is None
    second = _post(client, event, idempotency_key=key)
    assert second.status_code == 200
    html = second.content.decode()
    assert ALREADY in html and "<script>alert(1)</script>" not in html
    assert re.fullmatch(r"[0-9a-f]{32}", _page_key(html))  # replaced by a fresh key
    assert Registration.objects.count() == 1


def test_a_malformed_key_with_bad_input_gets_the_usual_field_errors(client: Client, event: Event) -> None:
    response = _post(client, event, idempotency_key="<b>" * 3000, email="not-an-email")
    assert response.status_code == 200
    html = response.content.decode()
    assert "valid email" in html and "<b><b>" not in html
    assert not Registration.objects.exists()


def test_the_edit_form_has_no_key(client: Client, event: Event) -> None:
    _registration, token = register(event)
    html = client.get(f"/en/events/r/{token}/change/").content.decode()
    assert 'name="full_name"' in html and "idempotency_key" not in html


def test_anonymising_forgets_the_key(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(retention_days=1)
    registration, _token = register(event, idempotency_key=new_idempotency_key())
    assert registration.idempotency_key_hash
    registrations_purge(now=event.ends_at + timedelta(days=2))
    assert Registration.objects.get().idempotency_key_hash is None


@contextmanager
def _committed_meanwhile(make: Callable[[], None]) -> Iterator[list[str]]:
    """Run ``make`` right after the service looked its key up and found nothing: a parallel submission
    that got there first. Yields the SQL run afterwards, to show the insert met the constraint."""
    looked_up = False
    made = False
    after: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal looked_up, made
        if looked_up and not made:
            made = True
            make()
        if made:
            after.append(sql)
        result = execute(sql, params, many, context)
        if '."idempotency_key_hash" = ' in sql and sql.lstrip().upper().startswith("SELECT"):
            looked_up = True
        return result

    with connection.execute_wrapper(wrapper):
        yield after
    assert made


def test_a_parallel_use_of_the_key_on_another_conference_is_refused(event: Event) -> None:
    """Two conferences lock two different rows: the unique key is what refuses the second one."""
    other = EventFactory.create(organisation=event.organisation)
    key = new_idempotency_key()

    def first_on_the_other_conference() -> None:
        Registration.objects.create(
            event=other,
            status=CONFIRMED,
            category=Category.NGO,
            full_name="First",
            email="amina@example.org",
            link_nonce=tokens.new_nonce(),
            idempotency_key_hash=tokens.hash_token(key),
        )

    with (
        _committed_meanwhile(first_on_the_other_conference) as after,
        pytest.raises(ValidationError) as refused,
    ):
        register(event, email="amina@example.org", idempotency_key=key)
    assert any(sql.lstrip().upper().startswith('INSERT INTO "EVENTS_REGISTRATION"') for sql in after)
    assert REFUSED in " ".join(refused.value.messages)
    assert not event.registrations.exists() and not mail.outbox


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_parallel_copies_of_one_form_store_one_registration(event: Event) -> None:
    key = new_idempotency_key()

    def submit(index: int) -> tuple[int, str]:
        registration, token = registration_create(
            event=event,
            full_name="Same Form",
            email="same@example.org",
            category=Category.NGO,
            language="en",
            privacy_accepted=True,
            idempotency_key=key,
        )
        return registration.pk, token

    results = in_parallel(8, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1  # every copy got the same registration and the same link
    assert Registration.objects.count() == 1


@contextmanager
def _queries() -> Iterator[list[str]]:
    """Every SQL statement run inside (the test client's request_started resets Django's own query log)."""
    seen: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def test_the_post_runs_a_bounded_number_of_queries(client: Client, event: Event) -> None:
    for _ in range(5):
        register(event)
    key = _form_key(client, event)
    with _queries() as first:
        assert _post(client, event, idempotency_key=key).status_code == 302
    with _queries() as again:
        assert _post(client, event, idempotency_key=key).status_code == 302
    for _ in range(20):
        register(event)
    later_key = _form_key(client, event)
    with _queries() as later:
        assert _post(client, event, idempotency_key=later_key, email="b@example.org").status_code == 302
    assert len(later) == len(first), later
    assert len(first) <= 16, first
    assert len(again) <= 8, again
