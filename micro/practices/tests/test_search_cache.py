"""Repeated searches reuse their counts and page order (selectors.search_memory), and give exactly what
a fresh search gives: same order, same counts; any publish, edit or removal shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from micro.accounts.models import Organisation, User
from micro.core import revisions
from micro.core.models import Revision
from micro.practices import selectors, services
from micro.practices.models import Practice, Status
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db

QUERIES = ["", "microcredit", "loan", "kitchen transport", "women", "practice 1", "zzz"]
FILTERS: list[dict[str, list[str]]] = [
    {},
    {"theme": ["credit_access"]},
    {"target_group": ["women", "young_people"], "country": ["IT"]},
    {"legal_status": ["permit_holders"], "theme": ["other", "migrant_training"]},
]


@pytest.fixture(autouse=True)
def _forget_searches() -> None:
    selectors.search_memory.clear()


def _queries(**search: object) -> tuple[selectors.SearchResult, int]:
    with CaptureQueriesContext(connection) as captured:
        result = selectors.practice_search(**search)  # type: ignore[arg-type]
    return result, len(captured.captured_queries)


def _counts(result: selectors.SearchResult) -> dict[str, dict[str, int]]:
    return {key: {o.value: o.count for o in options} for key, options in result.facets.items()}


def _expected_counts(query: str, filters: dict[str, list[str]]) -> tuple[int, dict[str, dict[str, int]]]:
    """The counts the old way: one SQL count per facet value, the other facets applied."""
    base, _words, conditions = selectors._filtered(query, selectors.clean_filters(filters))
    total = base.filter(selectors._and(list(conditions.values()))).count()
    facets: dict[str, dict[str, int]] = {}
    for dimension in selectors.DIMENSIONS:
        others = selectors._and([c for key, c in conditions.items() if key != dimension.key])
        facets[dimension.key] = {
            value: base.filter(others & selectors._has_value(dimension, value)).count()
            for value, _label in dimension.choices
        }
    return total, facets


def _titles(result: selectors.SearchResult) -> set[str]:
    return {str(p) for p in result.practices}


def test_same_order_and_counts_as_a_full_ranking(alpha: Organisation, beta: Organisation) -> None:
    factories.bulk_published([alpha, beta], 70)
    factories.quick(alpha, title="Loan loan loans for kitchen transport", target_groups=["women"])
    for query in QUERIES:
        for filters in FILTERS:
            expected_total, expected_facets = _expected_counts(query, filters)
            ranked = [p.pk for p in selectors.practice_list_published(query=query, filters=filters)]
            for attempt in ("fresh", "remembered"):
                for page in (1, 2, 4):
                    result = selectors.practice_search(query=query, filters=filters, page=page, per_page=10)
                    assert result.total == expected_total, (query, filters, attempt)
                    assert _counts(result) == expected_facets, (query, filters, attempt)
                    start = (result.page - 1) * 10
                    assert [p.pk for p in result.practices] == ranked[start : start + 10], (query, filters, page)


def test_a_repeated_search_costs_one_query_and_none_without_matches(alpha: Organisation) -> None:
    factories.bulk_published([alpha], 30)
    selectors.practice_search(query="zzz")  # reads the content revision once, like every worker
    first, fresh = _queries(query="microcredit", page=2)
    again, remembered = _queries(query="microcredit", page=2)
    assert fresh <= 2 and remembered == 1
    assert [p.pk for p in again.practices] == [p.pk for p in first.practices] and again.total == first.total
    _nothing, none = _queries(query="zzz")
    assert none == 0
    # A page not seen yet is ranked (one query), its counts come from memory.
    _other, other_page = _queries(query="microcredit", page=1)
    assert other_page == 1


def test_publishing_shows_at_once(author: User, alpha: Organisation, coordinator: User) -> None:
    factories.quick(alpha, title="Zebra crossing for bakeries")
    waiting = factories.submitted(author, alpha, title="Zebra mentoring circle")
    before = selectors.practice_search(query="zebra")
    assert before.total == 1 and _counts(before)["country"]["IT"] == 1
    factories.review(coordinator, Practice.objects.get(pk=waiting.pk))
    after = selectors.practice_search(query="zebra")
    assert after.total == 2 and _counts(after)["country"]["IT"] == 2
    assert "Zebra mentoring circle" in _titles(after)


def test_an_edit_of_a_published_practice_shows_at_once(alpha: Organisation) -> None:
    practice = factories.quick(alpha, title="Bakery cooperative", theme="credit_access")
    assert _counts(selectors.practice_search(query="bakery"))["theme"]["credit_access"] == 1
    assert selectors.practice_search(query="bakery", filters={"theme": ["other"]}).total == 0
    practice.refresh_from_db()
    practice.theme = "other"  # as the admin corrects it
    practice.save()
    assert _counts(selectors.practice_search(query="bakery"))["theme"] == {
        "credit_access": 0,
        "migrant_training": 0,
        "social_inclusion": 0,
        "operator_training": 0,
        "other": 1,
    }
    assert selectors.practice_search(query="bakery", filters={"theme": ["other"]}).total == 1


def test_a_retitled_practice_is_found_by_its_new_words_at_once(author: User, alpha: Organisation) -> None:
    draft = factories.draft(author, alpha, title="Before renaming")
    assert selectors.practice_search(query="before").total == 0  # a draft is not public
    Practice.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    draft.refresh_from_db()
    services.practice_reindex(practice=draft)  # update() sends no signal: the reindex forgets searches
    assert selectors.practice_search(query="before").total == 1
    draft.translations = {"en": {**draft.translations["en"], "title": "Quokka workshop"}}
    draft.save()
    services.practice_reindex(practice=draft)
    assert selectors.practice_search(query="before").total == 0
    assert [p.pk for p in selectors.practice_search(query="quokka").practices] == [draft.pk]


def test_unpublishing_or_deleting_removes_it_at_once(alpha: Organisation) -> None:
    kept = factories.quick(alpha, title="Tailoring school")
    hidden = factories.quick(alpha, title="Tailoring market")
    gone = factories.quick(alpha, title="Tailoring bus")
    assert selectors.practice_search(query="tailoring").total == 3
    hidden.status = Status.RETURNED
    hidden.save()
    gone.delete()
    result = selectors.practice_search(query="tailoring")
    assert result.total == 1 and [p.pk for p in result.practices] == [kept.pk]
    assert _counts(result)["country"]["IT"] == 1


def test_a_change_made_by_another_worker_shows_within_the_revision_check(alpha: Organisation) -> None:
    practice = factories.quick(alpha, title="Savings circle")
    assert selectors.practice_search(query="savings").total == 1
    # Another worker unpublishes it and writes a new content revision; nothing is signalled in this
    # one, which only reads the new number (as it does at most once a second).
    Practice.objects.filter(pk=practice.pk).update(status=Status.RETURNED)
    Revision.objects.update_or_create(name=revisions.CONTENT, defaults={"number": 424242})
    revisions.forget(revisions.CONTENT)  # the second has passed
    assert selectors.practice_search(query="savings").total == 0


def test_remembered_counts_expire_and_rows_stay_public(alpha: Organisation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    practice = factories.quick(alpha, title="Digital literacy")
    first = selectors.practice_search(query="digital")
    assert first.total == 1
    # A write that neither signals nor bumps (a bulk script): the remembered page still hides
    # what is no longer published …
    Practice.objects.filter(pk=practice.pk).update(status=Status.RETURNED)
    assert selectors.practice_search(query="digital").practices == []
    # … and the counts are counted again after SEARCH_CACHE_SECONDS.
    monkeypatch.setattr(selectors, "SEARCH_CACHE_SECONDS", 0.0)
    assert selectors.practice_search(query="digital").total == 0


def test_hostile_searches_cannot_grow_the_memory(alpha: Organisation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "SEARCH_CACHE_ENTRIES", 5)
    factories.quick(alpha, title="Interpreters network")
    for n in range(40):
        selectors.practice_search(query=f"word{n} " + "x" * 5000, filters={"theme": ["nope", "other"]}, page=n)
    selectors.practice_search(query="interpreters", page=10**9)
    assert len(selectors.search_memory.entries) <= 5
    # The newest stays remembered; garbage filters are the same search as none.
    assert selectors.practice_search(query="interpreters", filters={"country": ["XX"]}).total == 1
    with CaptureQueriesContext(connection) as captured:
        selectors.practice_search(query="interpreters")
    assert len(captured.captured_queries) == 1
