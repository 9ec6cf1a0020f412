"""Hostile content in every text field is stored as typed and rendered harmless everywhere it shows:
the page, the list, the review page, the API, the CSV and the feed. Oversized text is refused."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.practices import services
from micro.practices.models import TEXT_FIELDS, TEXT_LIMITS, Practice, Reuse
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
    '=HYPERLINK("https://evil.example","x")',
]
DANGEROUS = [
    re.compile(r"<script", re.I),
    re.compile(r"<img[^>]*onerror", re.I),
    re.compile(r"<svg", re.I),
    re.compile(r"href=\"javascript:", re.I),
    re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),  # an event handler inside a real tag (escaped text is fine)
    re.compile(r"href=\"\s*(javascript|data):", re.I),
]


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _assert_harmless(html: str) -> None:
    main = _main(html)
    for pattern in DANGEROUS:
        assert not pattern.search(main), pattern.pattern


def _hostile_practice(author: User, alpha: Organisation, payload: str) -> Practice:
    texts = {name: f"{payload} {name}" for name in TEXT_FIELDS}
    return services.practice_create(
        user=author,
        organisation=alpha,
        language="en",
        texts=texts,
        fields={**factories.FIELDS, "contact_name": payload},
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_texts_are_stored_as_typed_and_rendered_harmless(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, payload: str
) -> None:
    practice = _hostile_practice(author, alpha, payload)
    stored = Practice.objects.get(pk=practice.pk)
    for name in TEXT_FIELDS:
        assert stored.translations["en"][name] == f"{payload} {name}"
    services.indicator_add(
        user=author,
        practice=practice,
        label=payload,
        value=Decimal(1),
        unit=payload[:40],
        measured_on=factories.today(),
    )
    services.practice_submit(user=author, practice=practice)
    client.force_login(coordinator)
    _assert_harmless(client.get(f"/en/practices/manage/{practice.pk}/review/").text)
    client.post(
        f"/en/practices/manage/{practice.pk}/review/",
        {**factories.SCORES, "relevance_comment": payload, "decision": "publish", "comment": payload},
    )
    assert Practice.objects.get(pk=practice.pk).status == "published"
    services.reuse_record(
        user=beta_admin,
        practice=Practice.objects.get(pk=practice.pk),
        organisation=beta_admin.memberships.get().organisation,
        language="fr",
        adopted_on=factories.today(),
        adaptation=payload,
        outcome=payload,
    )
    client.logout()
    page = client.get(f"/en/practices/{practice.slug}/")
    assert page.status_code == 200
    _assert_harmless(page.text)
    client.force_login(author)
    _assert_harmless(client.get(f"/en/practices/{practice.slug}/").text)  # with reviews and history
    client.logout()
    _assert_harmless(client.get("/en/practices/", {"q": "objectives"}).text)

    feed = client.get("/en/practices/feed/").content.decode()
    assert "<script" not in feed and "<img" not in feed and "<svg" not in feed

    api = client.get(f"/api/practices/{practice.slug}")
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["texts"]["summary"] == f"{payload} summary"  # data, not markup: the consumer escapes it

    rows = list(csv.reader(io.StringIO(client.get("/en/practices/export.csv").content.decode("utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_javascript_links_and_bad_codes_are_refused(author: User, alpha: Organisation) -> None:
    bad_fields: list[dict[str, Any]] = [
        {"links": [{"title": "x", "url": "javascript:alert(1)"}]},
        {"links": [{"title": "x", "url": "data:text/html,<script>alert(1)</script>"}]},
        {"lesson_links": ["javascript:alert(1)"]},
        {"lesson_links": ["//evil.example/lesson"]},
        {"competence_codes": ["<b>EF-1</b>"]},
        {"target_groups": ["<script>"]},
        {"theme": "<script>"},
        {"country": "XX"},
    ]
    for fields in bad_fields:
        with pytest.raises(ValidationError):
            services.practice_create(
                user=author,
                organisation=alpha,
                language="en",
                texts=factories.TEXTS,
                fields={**factories.FIELDS, **fields},
            )
    assert not Practice.objects.exists()


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_huge_text_is_refused_by_the_service_and_the_form(
    client: Client, author: User, alpha: Organisation, name: str
) -> None:
    limit = TEXT_LIMITS.get(name, 10_000)
    with pytest.raises(ValidationError):
        services.practice_create(
            user=author,
            organisation=alpha,
            language="en",
            texts={**factories.TEXTS, name: "x" * (limit + 1)},
            fields={},
        )
    client.force_login(author)
    data = {
        **factories.TEXTS,
        name: "x" * (limit + 1),
        "organisation": alpha.pk,
        "language": "en",
        "country": "IT",
        "theme": "other",
    }
    response = client.post("/en/practices/new/", data)
    assert response.status_code == 200
    assert "at most" in response.text
    assert not Practice.objects.exists()


def test_huge_reuse_story_and_review_comment_are_refused(
    author: User, alpha: Organisation, coordinator: User, beta_admin: User, beta: Organisation
) -> None:
    practice = factories.published(author, alpha, coordinator)
    with pytest.raises(ValidationError):
        services.reuse_record(
            user=beta_admin,
            practice=practice,
            organisation=beta,
            language="en",
            adopted_on=factories.today(),
            adaptation="x" * 5001,
        )
    assert not Reuse.objects.exists()


def test_null_bytes_and_non_text_values_are_handled(author: User, alpha: Organisation) -> None:
    practice = services.practice_create(
        user=author,
        organisation=alpha,
        language="en",
        texts={**factories.TEXTS, "summary": "a\x00b"},
        fields=factories.FIELDS,
    )
    assert practice.translations["en"]["summary"] == "ab"
    with pytest.raises(ValidationError):
        services.practice_create(
            user=author, organisation=alpha, language="en", texts={"title": ["not", "text"]}, fields={}
        )
    with pytest.raises(ValidationError):
        services.practice_create(user=author, organisation=alpha, language="xx", texts=factories.TEXTS, fields={})
