"""Public pages in every UI language, the right text direction, error pages, the language redirect, the API."""

from __future__ import annotations

import logging
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

RTL = {"ar", "fa", "ur", "ps", "he"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def html_tag(code: str) -> str:
    return f'<html lang="{code}" dir="{"rtl" if code in RTL else "ltr"}">'


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_home_page_renders_in_every_ui_language_with_its_direction(client: Client, code: str) -> None:
    response = client.get(f"/{code}/")

    assert response.status_code == 200
    assert html_tag(code) in response.text
    with translation.override(code):
        headline = gettext("Your business idea deserves a real chance")
    assert headline in unescape(response.text)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_about_and_sign_in_render_in_every_ui_language(client: Client, code: str) -> None:
    for path in (f"/{code}/about/", f"/{code}/accounts/login/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert html_tag(code) in response.text, path


def test_arabic_is_right_to_left_and_english_left_to_right(client: Client) -> None:
    assert 'dir="rtl"' in client.get("/ar/").text
    assert 'dir="ltr"' in client.get("/en/").text


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("it", "/it/"),
        ("it-IT,it;q=0.9,en;q=0.5", "/it/"),
        ("ar", "/ar/"),
        ("de-CH", "/de/"),
        ("xx", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_the_browser_language(client: Client, accept_language: str, expected: str) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_unprefixed_page_redirects_into_the_language_tree(client: Client) -> None:
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 302
    assert response["Location"] == "/es/about/"


@pytest.mark.parametrize("code", ["en", "it", "ar"])
def test_404_page_speaks_the_active_language(client: Client, code: str) -> None:
    response = client.get(f"/{code}/no-such-page/")

    assert response.status_code == 404
    assert html_tag(code) in response.text
    with translation.override(code):
        assert gettext("Page not found") in unescape(response.text)


@pytest.mark.urls("micro.core.tests.urls")
@pytest.mark.parametrize("code", ["en", "it", "ar"])
def test_403_page_speaks_the_active_language(client: Client, code: str) -> None:
    response = client.get(f"/{code}/test-errors/403/")

    assert response.status_code == 403
    assert html_tag(code) in response.text
    with translation.override(code):
        assert gettext("Access denied") in unescape(response.text)


@pytest.mark.urls("micro.core.tests.urls")
@pytest.mark.parametrize("code", ["en", "it", "ar"])
def test_500_page_speaks_the_active_language(client: Client, code: str, caplog: pytest.LogCaptureFixture) -> None:
    client.raise_request_exception = False

    with caplog.at_level(logging.CRITICAL, logger="django.request"):
        response = client.get(f"/{code}/test-errors/500/")

    assert response.status_code == 500
    assert html_tag(code) in response.text
    with translation.override(code):
        assert gettext("Something went wrong") in unescape(response.text)
    assert "deliberate failure" not in response.text


def test_security_headers_are_sent(client: Client) -> None:
    response = client.get("/en/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_openapi_schema_is_served(client: Client) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "MICRO platform API"
    assert "/api/meta" in schema["paths"]


def test_api_docs_are_served(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert "openapi.json" in response.text


def test_api_meta_lists_the_ui_languages_with_direction(client: Client) -> None:
    response = client.get("/api/meta")

    assert response.status_code == 200
    languages = {item["code"]: item["bidi"] for item in response.json()["languages"]}
    assert list(languages) == LANGUAGE_CODES
    assert languages["ar"] is True
    assert languages["en"] is False
