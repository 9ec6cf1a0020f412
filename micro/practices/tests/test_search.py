"""Finding practices: every word must match (in any language, accents and case ignored, by word
start), best matches first; facets narrow and count; related practices share theme, country or words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import Organisation
from micro.practices import search, selectors
from micro.practices.models import Practice
from micro.practices.tests import factories
from micro.practices.tests.factories import TEXTS

pytestmark = pytest.mark.django_db


def _texts(title: str, **extra: str) -> dict[str, str]:
    return {**TEXTS, "title": title, "status": "reviewed", **extra}


@pytest.fixture
def library(alpha: Organisation, beta: Organisation) -> dict[str, Practice]:
    return {
        "title": factories.quick(alpha, title="Kitchen incubator for refugee cooks"),
        "body": factories.quick(
            beta,
            title="Shared workshop space",
            theme="social_inclusion",
            translations={"en": _texts("Shared workshop space", activities="A kitchen is shared by two cooks.")},
        ),
        "german": factories.quick(
            beta,
            title="Gründerinnen",
            language="de",
            theme="migrant_training",
            target_groups=["women", "young_people"],
            legal_statuses=["international_protection"],
            translations={
                "de": _texts("Gründungsberatung für Frauen", summary="Beratung für Gründerinnen mit Fluchterfahrung."),
                "fr": _texts("Conseil à la création pour les femmes", summary="Microcrédit et accompagnement."),
            },
        ),
        "spanish": factories.quick(
            alpha,
            title="Microcrédito",
            language="es",
            theme="credit_access",
            target_groups=["young_people"],
            translations={"es": _texts("Microcrédito para jóvenes emprendedores")},
        ),
    }


def test_normalise_folds_accents_case_and_punctuation() -> None:
    assert search.normalise("Gründerinnen, MICRO-crédito! ß") == "grunderinnen micro credito ss"
    assert search.query_words("a 7 Été") == ["7", "ete"]
    assert search.query_words("Été été ÉTÉ") == ["ete"]
    assert search.query_words(" ".join(f"word{n}" for n in range(20))) == [f"word{n}" for n in range(8)]
    assert search.normalise("مرحبا بالعالم") == "مرحبا بالعالم"


def test_title_matches_rank_above_text_matches(library: dict[str, Practice]) -> None:
    result = selectors.practice_search(query="kitchen")
    assert [p.pk for p in result.practices] == [library["title"].pk, library["body"].pk]


def test_every_word_must_match(library: dict[str, Practice]) -> None:
    assert [p.pk for p in selectors.practice_search(query="kitchen refugee").practices] == [library["title"].pk]
    assert selectors.practice_search(query="kitchen unicorn").total == 0


@pytest.mark.parametrize(
    "query",
    ["Gründerinnen", "grunderinnen", "GRÜNDERINNEN", "gründ", "fluchterfahrung", "création femmes", "microcredit"],
)
def test_words_of_any_language_find_the_practice(library: dict[str, Practice], query: str) -> None:
    found = [p.pk for p in selectors.practice_search(query=query).practices]
    assert library["german"].pk in found


def test_accents_do_not_matter_either_way(library: dict[str, Practice]) -> None:
    assert [p.pk for p in selectors.practice_search(query="microcredito jovenes").practices] == [library["spanish"].pk]
    assert [p.pk for p in selectors.practice_search(query="microcrédito jóvenes").practices] == [library["spanish"].pk]


def test_word_start_matching_does_not_match_inside_words(library: dict[str, Practice]) -> None:
    assert selectors.practice_search(query="itchen").total == 0


def test_facets_filter_and_count(library: dict[str, Practice]) -> None:
    everything = selectors.practice_search()
    counts = {o.value: o.count for o in everything.facets["target_group"]}
    assert counts["young_people"] == 2 and counts["women"] == 1 and counts["migrant_entrepreneurs"] == 2
    country = {o.value: o.count for o in everything.facets["country"]}
    assert country == {"IT": 2, "BE": 2, "ES": 0, "DE": 0}

    women = selectors.practice_search(filters={"target_group": ["women"]})
    assert [p.pk for p in women.practices] == [library["german"].pk]
    # Within a dimension the values add up (OR) and the dimension's own counts stay visible …
    both = selectors.practice_search(filters={"target_group": ["women", "young_people"]})
    assert both.total == 2
    assert {o.value: o.count for o in both.facets["target_group"]}["migrant_entrepreneurs"] == 2
    # … across dimensions they narrow (AND).
    narrow = selectors.practice_search(filters={"target_group": ["young_people"], "country": ["IT"]})
    assert [p.pk for p in narrow.practices] == [library["spanish"].pk]
    assert {o.value: o.count for o in narrow.facets["country"]} == {"IT": 1, "BE": 1, "ES": 0, "DE": 0}
    legal = selectors.practice_search(filters={"legal_status": ["international_protection"]})
    assert [p.pk for p in legal.practices] == [library["german"].pk]
    assert selectors.practice_search(filters={"theme": ["credit_access"], "country": "IT"}).total == 2


def test_facets_and_words_together_on_the_page(client: Client, library: dict[str, Practice]) -> None:
    page = client.get("/de/practices/", {"q": "gründerinnen", "target_group": "women"})
    assert page.status_code == 200
    assert "Gründungsberatung für Frauen" in page.text
    assert "Kitchen incubator" not in page.text


def test_pages(alpha: Organisation) -> None:
    for n in range(25):
        factories.quick(alpha, title=f"Practice number {n}")
    first = selectors.practice_search(page=1)
    second = selectors.practice_search(page=2)
    assert first.total == 25 and first.pages == 2 and len(first.practices) == 20 and len(second.practices) == 5
    assert not {p.pk for p in first.practices} & {p.pk for p in second.practices}
    assert selectors.practice_search(page=99).page == 2


def test_related_practices_share_theme_country_or_words(alpha: Organisation, beta: Organisation) -> None:
    def make(organisation: Organisation, title: str, summary: str, theme: str) -> Practice:
        texts = {"en": {"title": title, "summary": summary, "status": "reviewed"}}
        return factories.quick(organisation, title=title, theme=theme, translations=texts)

    origin = make(alpha, "Mentoring for women founders", "Volunteers coach founders.", "migrant_training")
    same_words = make(beta, "Mentoring circles", "Groups meet monthly.", "other")
    same_theme = make(beta, "Evening classes", "Bookkeeping at night.", "migrant_training")
    same_country = make(alpha, "Something else", "Nothing in common.", "other")
    unrelated = make(beta, "Unrelated", "Nothing in common.", "other")
    related = selectors.practice_related(origin, limit=10)
    pks = [p.pk for p in related]
    assert origin.pk not in pks and unrelated.pk not in pks
    assert set(pks) == {same_words.pk, same_theme.pk, same_country.pk}
    assert pks[0] == same_theme.pk  # the theme weighs most


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL full-text path")
def test_postgresql_searches_the_stored_vector_with_ranking(library: dict[str, Practice]) -> None:
    assert Practice.objects.filter(search_vector__isnull=False).count() == len(library)
    with CaptureQueriesContext(connection) as queries:
        result = selectors.practice_search(query="kitchen")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "@@" in sql and "to_tsquery" in sql and "ts_rank" in sql
    assert [p.pk for p in result.practices] == [library["title"].pk, library["body"].pk]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the portable SQLite path")
def test_sqlite_matches_the_normalised_text(library: dict[str, Practice]) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.practice_search(query="kitchen")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "LIKE" in sql and "% kitchen%" in sql


def test_editing_reindexes(author, alpha: Organisation, coordinator) -> None:  # type: ignore[no-untyped-def]
    from micro.practices import services

    practice = factories.draft(author, alpha, title="Before renaming")
    services.practice_translate(
        user=author, practice=practice, language="de", texts={"title": "Zebrastreifen"}, checked=False
    )
    services.practice_submit(user=author, practice=practice)
    factories.review(coordinator, Practice.objects.get(pk=practice.pk))
    assert [p.pk for p in selectors.practice_search(query="zebrastreifen").practices] == [practice.pk]
