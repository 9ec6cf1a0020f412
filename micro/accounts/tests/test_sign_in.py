"""Sign-in: language of the landing page, throttling, disabled accounts, TOTP step, safe redirects."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from micro.accounts.models import LoginFailure
from micro.accounts.tests.factories import PASSWORD, UserFactory, confirmed_device, totp_code, wrong_totp_code
from micro.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
VERIFY = "/en/accounts/login/verify/"
THROTTLED = "Too many failed attempts. Wait 15 minutes and try again, or reset your password."
WRONG = "The email address or the password is not right, or the account is disabled."


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_sign_in_page_renders() -> None:
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'name="password"' in response.text


@pytest.mark.parametrize("language", ["it", "ar", "en"])
def test_correct_sign_in_lands_on_the_profile_in_the_preferred_language(client: Client, language: str) -> None:
    user = UserFactory.create(preferred_language=language)

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/profile/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert signed_in_user_id(client) == user.pk
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_sign_in_keeps_a_local_next_page_but_in_the_preferred_language(client: Client) -> None:
    user = UserFactory.create(preferred_language="de")

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD, "next": "/en/organisations/"})

    assert response["Location"] == "/de/organisations/"


def test_sign_in_accepts_the_email_in_any_case(client: Client) -> None:
    user = UserFactory.create(email="mixed@example.org")

    response = client.post(LOGIN, {"email": "MiXeD@Example.ORG", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk


def test_wrong_password_is_refused_and_counted(client: Client) -> None:
    user = UserFactory.create()

    response = client.post(LOGIN, {"email": user.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert WRONG in response.text
    assert signed_in_user_id(client) is None
    assert LoginFailure.objects.filter(email=user.email).count() == 1


def test_after_too_many_failures_even_the_right_password_is_refused(client: Client) -> None:
    user = UserFactory.create()
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"email": user.email.upper(), "password": "not-the-password"})

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert THROTTLED in response.text
    assert signed_in_user_id(client) is None


def test_one_failure_less_than_the_limit_still_lets_the_right_password_in(client: Client) -> None:
    user = UserFactory.create()
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"email": user.email, "password": "not-the-password"})

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk
    assert not LoginFailure.objects.filter(email=user.email).exists()


def test_throttle_applies_in_another_language_with_its_message(client: Client) -> None:
    user = UserFactory.create()
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"email": user.email, "password": "not-the-password"})

    response = client.post("/it/accounts/login/", {"email": user.email, "password": PASSWORD})

    with translation.override("it"):
        italian = gettext(THROTTLED)
    assert response.status_code == 200
    assert italian != THROTTLED
    assert italian in unescape(response.text)
    assert signed_in_user_id(client) is None


def test_many_failures_from_one_address_throttle_other_accounts_too(client: Client) -> None:
    victim = UserFactory.create()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT * 4):
        client.post(LOGIN, {"email": f"guess{attempt}@example.org", "password": "x"})

    response = client.post(LOGIN, {"email": victim.email, "password": PASSWORD})

    assert THROTTLED in response.text
    assert signed_in_user_id(client) is None


def test_disabled_user_cannot_sign_in(client: Client) -> None:
    user = UserFactory.create(is_active=False)

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG in response.text
    assert signed_in_user_id(client) is None


def test_disabled_user_is_signed_out_of_an_open_session(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    user.is_active = False
    user.save()

    response = client.get("/en/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"email": "", "password": ""},
        {"email": "not-an-email", "password": "x"},
        {"email": "a@b.c" * 2000, "password": "x"},
    ],
)
def test_malformed_sign_in_gives_a_form_error_and_records_nothing(client: Client, payload: dict[str, str]) -> None:
    response = client.post(LOGIN, payload)

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert not LoginFailure.objects.exists()


def test_user_with_an_authenticator_must_pass_the_code_step(client: Client) -> None:
    user = UserFactory.create(preferred_language="es")
    device = confirmed_device(user)

    first = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert first.status_code == 302
    assert first["Location"] == VERIFY
    assert signed_in_user_id(client) is None

    second = client.post(VERIFY, {"token": totp_code(device)})

    assert second.status_code == 302
    assert second["Location"] == "/es/accounts/profile/"
    assert signed_in_user_id(client) == user.pk


def test_wrong_authenticator_code_is_refused(client: Client) -> None:
    user = UserFactory.create()
    device = confirmed_device(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    response = client.post(VERIFY, {"token": wrong_totp_code(device)})

    assert response.status_code == 200
    assert "This code is not right or has expired." in response.text
    assert signed_in_user_id(client) is None
    assert LoginFailure.objects.filter(email=user.email).count() == 1


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567890123", "<script>"])
def test_malformed_authenticator_code_is_refused(client: Client, token: str) -> None:
    user = UserFactory.create()
    confirmed_device(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    response = client.post(VERIFY, {"token": token})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_code_step_without_a_password_step_goes_back_to_sign_in(client: Client) -> None:
    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_a_used_code_cannot_be_replayed(client: Client) -> None:
    user = UserFactory.create()
    device = confirmed_device(user)
    code = totp_code(device)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    client.post(VERIFY, {"token": code})
    assert signed_in_user_id(client) == user.pk

    other = Client()
    other.post(LOGIN, {"email": user.email, "password": PASSWORD})
    response = other.post(VERIFY, {"token": code})

    assert response.status_code == 200
    assert signed_in_user_id(other) is None


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/en/accounts/profile/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_ignores_an_outside_next_address(client: Client, target: str) -> None:
    user = UserFactory.create()

    form = client.get(LOGIN, {"next": target})
    response = client.post(f"{LOGIN}?next={target}", {"email": user.email, "password": PASSWORD, "next": target})

    assert 'name="next" value=""' in form.text
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"


def test_outside_next_address_is_ignored_after_the_code_step_too(client: Client) -> None:
    user = UserFactory.create()
    device = confirmed_device(user)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD, "next": "https://evil.example"})

    response = client.post(VERIFY, {"token": totp_code(device)})

    assert response["Location"] == "/en/accounts/profile/"


def test_sign_out_ends_the_session(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    response = client.post("/en/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_another(client: Client) -> None:
    victim = UserFactory.create()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT * 4):
        client.post(
            LOGIN, {"email": f"guess{attempt}@example.org", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.66"
        )

    other = Client()
    response = other.post(LOGIN, {"email": victim.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.20")
    attacker = client.post(LOGIN, {"email": victim.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert response.status_code == 302
    assert THROTTLED in attacker.text
    assert LoginFailure.objects.filter(ip_address="203.0.113.66").count() == settings.LOGIN_FAILURE_LIMIT * 4


def test_language_cookie_follows_the_cookie_settings(client: Client, settings: Any) -> None:
    settings.LANGUAGE_COOKIE_SECURE = True
    user = UserFactory.create(preferred_language="it")

    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["samesite"] == settings.LANGUAGE_COOKIE_SAMESITE
