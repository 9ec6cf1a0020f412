"""Practices for tests: through the services (the real workflow) or straight into the database (fast)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from micro.accounts.models import Organisation, User
from micro.practices import services
from micro.practices.models import Decision, Practice, Status

TEXTS = {
    "title": "Peer mentoring for first-time borrowers",
    "summary": "Former borrowers coach new microcredit clients during the first year of their business.",
    "objectives": "Fewer late repayments in the first year.",
    "activities": "Monthly meetings between a mentor and two or three new borrowers.",
    "resources": "A part-time coordinator and a small travel budget.",
    "results": "Repayment rate rose from 88% to 96% in two years.",
    "evidence": "Loan monitoring data of 120 clients.",
    "success_factors": "Mentors who speak the language of the borrowers.",
    "transferability": "Any lender with a few experienced clients can start it.",
    "lessons": "Pay mentors' travel costs from the start.",
}
FIELDS: dict[str, Any] = {
    "country": "IT",
    "theme": "credit_access",
    "target_groups": ["migrant_entrepreneurs"],
    "legal_statuses": ["permit_holders"],
}
SCORES = {"relevance": 4, "evidence": 4, "transferability": 3, "clarity": 5}


def draft(author: User, organisation: Organisation, *, language: str = "en", **overrides: Any) -> Practice:
    texts = {**TEXTS, **{k: v for k, v in overrides.items() if k in TEXTS}}
    fields = {**FIELDS, **{k: v for k, v in overrides.items() if k not in TEXTS}}
    return services.practice_create(
        user=author, organisation=organisation, language=language, texts=texts, fields=fields
    )


def submitted(author: User, organisation: Organisation, **overrides: Any) -> Practice:
    practice = draft(author, organisation, **overrides)
    return services.practice_submit(user=author, practice=practice)


def review(reviewer: User, practice: Practice, decision: str = Decision.PUBLISH, comment: str = "Good.") -> Practice:
    services.review_submit(
        user=reviewer, practice=practice, scores=SCORES, comments={}, comment=comment, decision=decision
    )
    return Practice.objects.get(pk=practice.pk)


def published(author: User, organisation: Organisation, reviewer: User, **overrides: Any) -> Practice:
    return review(reviewer, submitted(author, organisation, **overrides))


def quick(
    organisation: Organisation,
    *,
    title: str,
    status: str = Status.PUBLISHED,
    language: str = "en",
    translations: dict[str, dict[str, str]] | None = None,
    **fields: Any,
) -> Practice:
    """A practice written straight into the database (and indexed), for search and query-count tests."""
    texts = translations or {language: {**TEXTS, "title": title, "status": "reviewed"}}
    practice = Practice.objects.create(
        slug=f"p-{Practice.objects.count() + 1}-{abs(hash(title)) % 100000}",
        organisation=organisation,
        original_language=language,
        translations=texts,
        status=status,
        published_at=timezone.now() if status == Status.PUBLISHED else None,
        **{**FIELDS, "country": organisation.country, **fields},
    )
    services.practice_reindex(practice=practice)
    return practice


def today() -> date:
    return timezone.localdate()


WORDS = [
    "microcredit",
    "mentoring",
    "women",
    "refugees",
    "training",
    "kitchen",
    "bakery",
    "tailoring",
    "transport",
    "coaching",
    "budget",
    "savings",
    "interpreters",
    "mediators",
    "loans",
    "repayment",
    "cooperative",
    "market",
    "incubator",
    "digital",
    "literacy",
    "language",
    "workshop",
]
THEMES = ("credit_access", "migrant_training", "social_inclusion", "operator_training", "other")
GROUPS = ("aspiring_entrepreneurs", "migrant_entrepreneurs", "women", "young_people", "job_seekers", "operators")
STATUSES = ("asylum_seekers", "international_protection", "permit_holders", "long_term_residents", "eu_citizens")


def bulk_published(organisations: list[Organisation], count: int, *, batch: int = 2000) -> int:
    """``count`` published practices with varied words, facets and two languages, written in batches.

    The search texts are computed as the services compute them; on PostgreSQL the vectors are then
    built in one UPDATE. Used by the query-count tests and by scripts/bench_practice_search.py.
    """
    from micro.practices import search
    from micro.practices.services import practice_reindex  # noqa: F401 - same document rules

    now = timezone.now()
    start = Practice.objects.count()
    created = 0
    while created < count:
        rows = []
        for offset in range(min(batch, count - created)):
            n = start + created + offset
            pick = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(4)]
            title = f"{pick[0].capitalize()} {pick[1]} practice {n}"
            texts = {
                "en": {
                    **TEXTS,
                    "title": title,
                    "summary": f"{pick[2]} and {pick[3]} for new businesses.",
                    "status": "reviewed",
                },
                "it": {"title": f"Pratica {n}: {pick[0]}", "summary": f"Esempio numero {n}.", "status": "draft"},
            }
            organisation = organisations[n % len(organisations)]
            titles = [t["title"] for t in texts.values()]
            parts = [*titles, organisation.name]
            for language_texts in texts.values():
                parts += [value for key, value in language_texts.items() if key not in ("title", "status")]
            rows.append(
                Practice(
                    slug=f"bulk-{n}",
                    organisation=organisation,
                    original_language="en",
                    translations=texts,
                    country=organisation.country,
                    theme=THEMES[n % len(THEMES)],
                    target_groups=[GROUPS[n % len(GROUPS)], GROUPS[(n // 3) % len(GROUPS)]],
                    legal_statuses=[STATUSES[n % len(STATUSES)]],
                    status=Status.PUBLISHED,
                    published_at=now,
                    search_title=search.document(titles),
                    search_document=search.document(parts),
                )
            )
        Practice.objects.bulk_create(rows)
        created += len(rows)
    if search.is_postgresql():
        Practice.objects.filter(search_vector__isnull=True).update(search_vector=search.vector_expression())
    return created
