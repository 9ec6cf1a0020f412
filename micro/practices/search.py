"""Words for full-text search: one normalisation for the stored documents and the queries.

Text of every language is folded the same way (Unicode compatibility form, accents removed, case
folded, everything that is not a letter or a digit turned into a space), so "Gründerinnen",
"GRUNDERINNEN" and "grunderinnen" are one word, and "microcrédito" is found by "microcredito".
Matching is by word start on both databases: a query word matches every word it begins
(``microcredit`` finds ``microcredito`` and ``microcredits``); all query words must match.

On PostgreSQL the documents are also kept as a ``tsvector`` (titles weighted A, the rest D) and
searched through its GIN index with ``to_tsquery('simple', 'w1:* & w2:*')`` and ranked with
``ts_rank``. On SQLite the stored text is matched with ``LIKE '% word%'`` and ranked by where and
how often the words occur.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Least, Length, Replace

MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)

# Short words that say nothing about a practice, in the partner languages (for "related practices").
STOPWORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "among",
        "and",
        "are",
        "avec",
        "aber",
        "auch",
        "aus",
        "bei",
        "con",
        "come",
        "como",
        "con",
        "dans",
        "das",
        "dass",
        "del",
        "della",
        "delle",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "dies",
        "durch",
        "ein",
        "eine",
        "einer",
        "eines",
        "para",
        "pero",
        "per",
        "por",
        "que",
        "qui",
        "sono",
        "sur",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "tra",
        "una",
        "und",
        "uno",
        "unos",
        "von",
        "vor",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "within",
        "your",
        "zum",
        "zur",
        "nach",
        "have",
        "has",
        "had",
        "for",
        "from",
        "into",
        "over",
        "more",
        "most",
        "other",
        "such",
        "than",
        "that",
        "only",
        "sobre",
        "entre",
        "their",
        "todo",
        "todos",
        "toda",
        "todas",
        "pour",
        "plus",
        "sans",
        "sous",
        "leur",
        "leurs",
        "nous",
        "vous",
        "elle",
        "elles",
        "ils",
        "sont",
        "être",
        "avoir",
        "dont",
        "tout",
        "tous",
        "toute",
        "toutes",
        "cette",
        "ces",
        "questo",
        "questa",
        "questi",
        "queste",
        "nella",
        "nelle",
        "negli",
        "degli",
        "alla",
        "alle",
        "agli",
        "dalla",
        "dalle",
        "sull",
        "anche",
        "essere",
        "hanno",
        "fatto",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "sind",
        "sein",
        "ihre",
        "ihren",
        "ihrem",
        "einem",
        "einen",
        "ohne",
        "unter",
        "über",
        "oder",
        "wenn",
        "weil",
    ]
)


def normalise(text: str) -> str:
    """``text`` as folded words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def query_words(query: str) -> list[str]:
    """The distinct words of a search query, in order, at most ``MAX_QUERY_WORDS``."""
    words: list[str] = []
    for word in normalise(query[:1000]).split():
        word = word[:MAX_WORD_LENGTH]
        if (len(word) >= 2 or word.isdigit()) and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def document(parts: Iterable[Any]) -> str:
    """A stored search text: the normalised parts, with a space before every word (word-start matching)."""
    text = " ".join(normalise(str(part)) for part in parts if part)
    return f" {text} " if text else ""


def distinctive_words(text: str, limit: int = 6) -> list[str]:
    """The longest non-trivial words of ``text`` (used to find practices that share words)."""
    seen: list[str] = []
    for word in normalise(text).split():
        if len(word) >= 5 and word not in STOPWORDS and not word.isdigit() and word not in seen:
            seen.append(word[:MAX_WORD_LENGTH])
    return sorted(seen, key=lambda word: (-len(word), word))[:limit]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def vector_expression() -> Any:
    """The stored ``tsvector``: titles of every language weighted A, the whole document weighted D."""
    return SearchVector("search_title", weight="A", config="simple") + SearchVector(
        "search_document", weight="D", config="simple"
    )


def _tsquery(words: list[str], operator: str) -> SearchQuery:
    return SearchQuery(f" {operator} ".join(f"{word}:*" for word in words), search_type="raw", config="simple")


def condition(words: list[str]) -> Q:
    """Rows that contain every word (by word start); ``words`` must not be empty."""
    if is_postgresql():
        return Q(search_vector=_tsquery(words, "&"))
    found = Q()
    for word in words:
        found &= Q(search_document__contains=f" {word}")
    return found


def relevance(words: list[str]) -> Any:
    """How well a row matches ``words`` (higher is better), for rows that match at all."""
    if not words:
        return Value(0.0, output_field=FloatField())
    if is_postgresql():
        return SearchRank(F("search_vector"), _tsquery(words, "&"), weights=[0.1, 0.2, 0.4, 1.0])
    score: Any = Value(0)
    for word in words:
        needle = f" {word}"
        # A word in a title counts three times; in the text, once per occurrence (at most five).
        in_title = Case(
            When(search_title__contains=needle, then=Value(3)), default=Value(0), output_field=IntegerField()
        )
        occurrences = (Length("search_document") - Length(Replace("search_document", Value(needle), Value("")))) / len(
            needle
        )
        score = score + in_title + Least(occurrences, Value(5))
    return Cast(score, FloatField())


def match(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """Rows that contain every word (by word start), annotated with ``relevance`` (higher is better)."""
    if words:
        queryset = queryset.filter(condition(words))
    return queryset.annotate(relevance=relevance(words))


def sharing_title_words(
    queryset: QuerySet[Any], words: list[str], limit: int, candidates: int = 300
) -> list[tuple[Any, float]]:
    """Up to ``limit`` rows whose titles (any language) share one of ``words``, with how strongly.

    PostgreSQL: the GIN index finds titles (weight A) with any of the words, ranked by ts_rank.
    SQLite: the short normalised titles are matched by word start and scored by words shared.
    Only the first ``candidates`` matches are ranked, so a word found in every title costs no more
    than a rare one.
    """
    if not words:
        return []
    if is_postgresql():
        query = SearchQuery(" | ".join(f"{word}:*A" for word in words), search_type="raw", config="simple")
        matches = queryset.filter(search_vector=query)
        shared: Any = SearchRank(F("search_vector"), query)
    else:
        condition = Q()
        shared = Value(0)
        for word in words:
            condition |= Q(search_title__contains=f" {word}")
            shared = shared + Case(
                When(search_title__contains=f" {word}", then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        matches = queryset.filter(condition)
        shared = Cast(shared, FloatField())
    first = matches.order_by().values("pk")[:candidates]
    rows = queryset.filter(pk__in=first).annotate(shared=shared)
    return [(row, float(row.shared)) for row in rows.order_by("-shared", "-published_at", "-pk")[:limit]]
