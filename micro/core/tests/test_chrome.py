"""The header and footer of every page are built once per worker and language
(micro/core/templatetags/chrome.py); what varies per request is filled in, escaped."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from micro.accounts.models import User
from micro.core.templatetags import chrome

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">')


@pytest.fixture
def user() -> User:
    return User.objects.create_user(email="reader@example.org", password="a long enough password 1")


def test_a_visitor_gets_sign_in_and_a_working_language_form() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/it/about/").content.decode()
    assert 'href="/it/accounts/login/"' in page and "/it/accounts/logout/" not in page
    assert chrome.CSRF_MARKER not in page and chrome.NEXT_MARKER not in page
    tokens = TOKEN_INPUT.findall(page)
    assert len(tokens) == 1  # the language form
    assert 'name="next" type="hidden" value="/it/about/"' in page
    assert '<option value="it" lang="it" selected>' in page
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/it/about/", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302  # the token from the cached footer was accepted
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_someone_signed_in_gets_their_links_and_a_sign_out_that_works(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/en/about/").content.decode()
    assert 'href="/en/accounts/profile/"' in page and 'href="/en/learn/"' in page
    assert 'href="/en/accounts/login/"' not in page
    tokens = TOKEN_INPUT.findall(page)
    assert len(tokens) == 2  # sign-out and language
    response = client.post("/en/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_chrome_follows_the_language_and_the_visitor_of_each_request(user: User) -> None:
    visitor, member = Client(), Client()
    member.force_login(user)
    for _ in range(2):  # the second round is served from what the first one built
        assert 'dir="rtl"' in visitor.get("/ar/about/").content.decode()
        arabic = visitor.get("/ar/about/").content.decode()
        assert '<option value="ar" lang="ar" selected>' in arabic and 'href="/ar/accounts/login/"' in arabic
        english = member.get("/en/about/").content.decode()
        assert '<option value="en" lang="en" selected>' in english and 'href="/en/accounts/profile/"' in english
        assert 'href="/en/accounts/login/"' not in english


@pytest.mark.parametrize(
    "query",
    ['"><script>alert(1)</script>', "x' OR '1'='1", "chromenextmarker0b7e", "%00", "a" * 3000],
)
def test_the_address_to_come_back_to_is_escaped(query: str) -> None:
    page = Client().get("/en/about/", {"q": query}).content.decode()
    field = re.search(r'name="next" type="hidden" value="([^"]*)"', page)
    assert field is not None and field.group(1).startswith("/en/about/?q=")
    assert "<script>alert(1)</script>" not in page
    assert page.count("<footer") == 1


def test_a_changed_setting_rebuilds_the_chrome() -> None:
    Client().get("/en/about/")
    with override_settings(SITE_NAME="Renamed platform"):
        assert "<bdi>Renamed platform</bdi>" in Client().get("/en/about/").content.decode()
    assert "<bdi>Renamed platform</bdi>" not in Client().get("/en/about/").content.decode()
