"""The demo loader: one published example per partner, in English and the partner's language."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from micro.accounts import demo as accounts_demo
from micro.accounts.models import Organisation
from micro.practices import demo, selectors
from micro.practices.models import Practice, Reuse

pytestmark = pytest.mark.django_db

PARTNER_LANGUAGE = {
    "ente-nazionale-microcredito": "it",
    "cesfor": "it",
    "mediter": "fr",
    "accion-contra-el-hambre": "es",
    "nantik-lum": "es",
    "wisamar": "de",
}


def test_demo_loads_one_example_per_partner_and_runs_again_safely(client: Client) -> None:
    accounts_demo.load(io.StringIO())
    for _ in range(2):
        demo.load(io.StringIO())
    assert Practice.objects.count() == 6 and Reuse.objects.count() == 1
    for slug, language in PARTNER_LANGUAGE.items():
        practice = Practice.objects.get(organisation=Organisation.objects.get(slug=slug))
        assert practice.is_example and practice.is_published
        assert set(practice.translations) == {"en", language} and practice.original_language == language
        assert practice.indicators.count() >= 2
        assert practice.transitions.count() == 1
    assert selectors.practice_search(query="hospitation").total == 1
    assert selectors.practice_search(query="mediateurs").total == 1
    page = client.get("/de/practices/example-shadowing-days-in-migrant-owned-businesses/").text
    assert "Hospitationstage" in page and "practice-example-notice" in page
    listing = client.get("/en/practices/").text
    assert listing.count("practice-example") >= 6
