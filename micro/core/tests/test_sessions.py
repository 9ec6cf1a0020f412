"""Sessions are read in one SQL statement (micro/core/sessions.py); Django's rules still hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import User
from micro.core.sessions import SessionStore

pytestmark = pytest.mark.django_db

PROFILE = "accounts:profile"


@pytest.fixture
def user() -> User:
    return User.objects.create_user(email="reader@example.org", password="a long enough password 1")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_engine_is_ours_without_redis() -> None:
    assert settings.SESSION_ENGINE == "micro.core.sessions"


def test_a_signed_in_session_is_read(user: User) -> None:
    client = signed_in(user)
    response = client.get(reverse(PROFILE))
    assert response.status_code == 200 and response.wsgi_request.user == user


def test_a_stored_session_gives_back_what_was_saved() -> None:
    store = SessionStore()
    store["answer"] = {"plan": 42, "name": "Zoë <b>"}
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": {"plan": 42, "name": "Zoë <b>"}}


def test_an_expired_session_signs_out_and_starts_a_new_key(user: User) -> None:
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse(PROFILE))

    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None


@pytest.mark.parametrize(
    "cookie",
    [
        "x' OR '1'='1' --",
        "'; DROP TABLE django_session; --",
        "<script>alert(1)</script>",
        "k" * 5000,
        "nul\x00byte-key-here",
        "",
    ],
)
def test_a_hostile_or_unknown_cookie_is_a_visitor_and_harms_nothing(user: User, cookie: str) -> None:
    signed_in(user)  # a real session exists and must survive
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie

    response = client.get(reverse("core:about"))

    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert Session.objects.count() == 1


def test_corrupted_session_data_is_an_empty_session(user: User) -> None:
    client = signed_in(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(session_data="not-signed-data")

    response = client.get(reverse(PROFILE))

    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
