"""Reads of the repository with their rules: only published practices reach the public, the API,
the CSV, the feed and every public count; workspaces are scoped to the user's organisations and
review assignments."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from micro.accounts.models import Country, Organisation
from micro.accounts.permissions import is_coordinator
from micro.core import content_cache
from micro.practices import permissions, search
from micro.practices.models import (
    PIPELINE,
    Attachment,
    ContributionTarget,
    Indicator,
    LegalStatus,
    Practice,
    PracticeTransition,
    Reuse,
    Review,
    ReviewerAssignment,
    Status,
    TargetGroup,
    Theme,
)

PER_PAGE = 20
MAX_PAGE = 1000
HEAVY_COLUMNS = ("search_title", "search_document", "search_vector")
SEARCH_CACHE_SECONDS = 60.0
SEARCH_CACHE_ENTRIES = 512
CACHED_PAGES = 5  # the order of the first pages is kept; later ones are ranked again


@dataclass(frozen=True)
class Dimension:
    key: str  # the query parameter
    field: str  # the model field
    choices: list[tuple[str, Any]]
    multi: bool  # a JSON list of values rather than one value


DIMENSIONS = (
    Dimension("country", "country", Country.choices, False),
    Dimension("theme", "theme", Theme.choices, False),
    Dimension("target_group", "target_groups", TargetGroup.choices, True),
    Dimension("legal_status", "legal_statuses", LegalStatus.choices, True),
)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: Any
    count: int
    selected: bool


@dataclass
class SearchResult:
    practices: list[Practice]
    total: int
    page: int
    pages: int
    words: list[str]
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def published() -> QuerySet[Practice]:
    """The one door to public practices."""
    return Practice.objects.filter(status=Status.PUBLISHED)


def _has_value(dimension: Dimension, value: str) -> Q:
    if not dimension.multi:
        return Q(**{dimension.field: value})
    if search.is_postgresql():
        return Q(**{f"{dimension.field}__contains": [value]})
    # SQLite keeps the list as JSON text: match the quoted value, so "women" never matches "young_women".
    return Q(**{f"{dimension.field}__icontains": f'"{value}"'})


def _dimension_filter(dimension: Dimension, selected: list[str]) -> Q:
    condition = Q()
    for value in selected:
        condition |= _has_value(dimension, value)
    return condition


def clean_filters(filters: dict[str, Any]) -> dict[str, list[str]]:
    """Known values only, each dimension at most once per value."""
    cleaned: dict[str, list[str]] = {}
    for dimension in DIMENSIONS:
        allowed = {value for value, _label in dimension.choices}
        raw = filters.get(dimension.key) or []
        values = [raw] if isinstance(raw, str) else list(raw)
        cleaned[dimension.key] = [value for value in dict.fromkeys(values) if value in allowed]
    return cleaned


def _filtered(query: str, filters: dict[str, list[str]]) -> tuple[QuerySet[Practice], list[str], dict[str, Q]]:
    words = search.query_words(query or "")
    base = search.match(published(), words)
    conditions = {dim.key: _dimension_filter(dim, filters.get(dim.key, [])) for dim in DIMENSIONS}
    return base, words, conditions


def _and(conditions: list[Q]) -> Q:
    result = Q()
    for condition in conditions:
        result &= condition
    return result


def _search_key(words: list[str], chosen: dict[str, list[str]]) -> tuple[Any, ...]:
    return (tuple(words), tuple((key, tuple(values)) for key, values in sorted(chosen.items())))


@dataclass
class _SearchCounts:
    """What one (words, filters) search counted, and the ids of the pages already shown."""

    generation: object
    built_at: float
    counts: dict[str, int]
    pages: dict[tuple[int, int], list[int]] = field(default_factory=dict)


class _SearchMemory:
    """Counts and page ids of recent searches, kept in this worker's memory.

    Searches are public, non-personal reads that many visitors repeat (the same words, the same
    facets); counting and ranking every match again costs tens of milliseconds on a large
    repository. An entry is valid for ``SEARCH_CACHE_SECONDS`` at most and only while the content
    generation is the one it was built at: any save or delete of a practice or an indicator
    (``micro.core.content_cache``) and ``practice_reindex`` change it at once in this worker and
    within about a second in the others. Bounded, oldest use dropped first, so hostile queries
    cannot grow it.
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[Any, ...], _SearchCounts] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], generation: object) -> _SearchCounts | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.generation is not generation or time.monotonic() - entry.built_at >= SEARCH_CACHE_SECONDS:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple[Any, ...], entry: _SearchCounts) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > SEARCH_CACHE_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


search_memory = _SearchMemory()


def _search_generation() -> object:
    """A token that changes whenever practices change (the content revision of ``content_cache``)."""
    return content_cache.cached(("practices.search.generation",), object)


def _has(dimension: Dimension, stored: Any, value: str) -> bool:
    """``_has_value`` for one stored value, in Python."""
    if dimension.multi:
        return isinstance(stored, list) and value in stored
    return bool(stored == value)


def _count_facets(base: QuerySet[Practice], chosen: dict[str, list[str]]) -> dict[str, int]:
    """The total and every facet count, each counted with the other facets applied.

    One small query groups the matches by their facet values (90 combinations for the 5,000
    practices of the benchmark; never more rows than matches); the counts are added up here. The
    same counts as one ``COUNT(...) FILTER`` per facet value, without compiling and running 25 of
    them on every search.
    """
    fields = [dimension.field for dimension in DIMENSIONS]
    counts = {"total": 0}
    counts.update({f"{dim.key}__{value}": 0 for dim in DIMENSIONS for value, _label in dim.choices})
    for *stored, number in base.order_by().values_list(*fields).annotate(number=Count("pk")):
        passes = [
            not chosen[dim.key] or any(_has(dim, stored[i], value) for value in chosen[dim.key])
            for i, dim in enumerate(DIMENSIONS)
        ]
        if all(passes):
            counts["total"] += number
        for i, dim in enumerate(DIMENSIONS):
            if all(passes[:i] + passes[i + 1 :]):
                for value, _label in dim.choices:
                    if _has(dim, stored[i], value):
                        counts[f"{dim.key}__{value}"] += number
    return counts


def _page_rows(words: list[str], everything: Q, ordering: list[str], start: int, end: int) -> list[Practice]:
    """One page, best first: the matches are ranked on their ids alone, then only the page's rows are read."""
    ranked = search.match(published(), words).filter(everything).order_by(*ordering).values("pk")[start:end]
    rows = Practice.objects.filter(pk__in=ranked).annotate(relevance=search.relevance(words))
    return list(rows.select_related("organisation").defer(*HEAVY_COLUMNS).order_by(*ordering))


def _rows_by_id(ids: list[int]) -> list[Practice]:
    """The rows of a page whose order is already known (still published only)."""
    found = {p.pk: p for p in published().filter(pk__in=ids).select_related("organisation").defer(*HEAVY_COLUMNS)}
    return [found[pk] for pk in ids if pk in found]


def practice_search(
    *, query: str = "", filters: dict[str, Any] | None = None, page: int = 1, per_page: int = PER_PAGE
) -> SearchResult:
    """Published practices matching every query word and the chosen facets, best first.

    At most two queries whatever the size of the repository: one grouped count (the total and every
    facet count, each counted with the other facets applied) and one page of rows, ranked on the
    ids alone. A search seen in the last minute (and since the last change of a practice) reuses
    its counts and the order of its first pages: one query (the page's rows by id), none when
    nothing matches. (The worker also reads the content revision at most once a second.)
    """
    chosen = clean_filters(filters or {})
    words = search.query_words(query or "")
    conditions = {dim.key: _dimension_filter(dim, chosen.get(dim.key, [])) for dim in DIMENSIONS}
    key = _search_key(words, chosen)
    generation = _search_generation()
    entry = search_memory.get(key, generation)
    if entry is None:
        entry = _SearchCounts(
            generation=generation,
            built_at=time.monotonic(),
            counts=_count_facets(published().filter(search.condition(words)) if words else published(), chosen),
        )
        search_memory.put(key, entry)
    counts = entry.counts
    total = counts["total"]
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages, MAX_PAGE)
    ordering = ["-relevance", "-published_at", "-pk"] if words else ["-published_at", "-pk"]
    known = entry.pages.get((page, per_page))
    if total == 0:
        rows: list[Practice] = []
    elif known is not None:
        rows = _rows_by_id(known)
    else:
        rows = _page_rows(words, _and(list(conditions.values())), ordering, (page - 1) * per_page, page * per_page)
        if page <= CACHED_PAGES:
            entry.pages[(page, per_page)] = [row.pk for row in rows]
    facets = {
        dimension.key: [
            FacetOption(
                value=value,
                label=label,
                count=counts[f"{dimension.key}__{value}"],
                selected=value in chosen[dimension.key],
            )
            for value, label in dimension.choices
        ]
        for dimension in DIMENSIONS
    }
    return SearchResult(practices=rows, total=total, page=page, pages=pages, words=words, facets=facets)


def practice_list_published(*, query: str = "", filters: dict[str, Any] | None = None) -> QuerySet[Practice]:
    """Published practices for exports (API, CSV): filtered like the search, best first."""
    chosen = clean_filters(filters or {})
    base, words, conditions = _filtered(query, chosen)
    ordering = ["-relevance", "-published_at", "-pk"] if words else ["-published_at", "-pk"]
    return (
        base.filter(_and(list(conditions.values())))
        .select_related("organisation")
        .defer(*HEAVY_COLUMNS)
        .order_by(*ordering)
    )


def practice_feed_items(limit: int = 20) -> list[Practice]:
    return list(
        published().select_related("organisation").defer(*HEAVY_COLUMNS).order_by("-published_at", "-pk")[:limit]
    )


def published_count() -> int:
    return published().count()


def _with_parts(queryset: QuerySet[Practice]) -> QuerySet[Practice]:
    return (
        queryset.select_related("organisation", "created_by")
        .defer(*HEAVY_COLUMNS)
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "measured_on", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
            Prefetch("assignments", queryset=ReviewerAssignment.objects.select_related("reviewer")),
        )
    )


def practice_get_for_user(user: Any, slug: str) -> Practice:
    """A practice the user may read (published ones for everyone); 404 otherwise, so others' exist silently."""
    practice = _with_parts(Practice.objects.filter(slug=slug)).first()
    if practice is None or not permissions.can_view_practice(user, practice):
        raise Http404
    return practice


def practice_get_public(slug: str) -> Practice:
    practice = _with_parts(published().filter(slug=slug)).first()
    if practice is None:
        raise Http404
    return practice


def practice_get_by_id_for_user(user: Any, pk: int) -> Practice:
    practice = _with_parts(Practice.objects.filter(pk=pk)).first()
    if practice is None or not permissions.can_view_practice(user, practice):
        raise Http404
    return practice


def practice_get_for_edit(user: Any, pk: int) -> Practice:
    """A practice the user may edit now; 404 if they may not even see it, 403 if they see but may not edit."""
    practice = practice_get_by_id_for_user(user, pk)
    if not permissions.can_edit_practice(user, practice):
        raise PermissionDenied
    return practice


def practice_list_for_organisations(user: Any) -> QuerySet[Practice]:
    """Every practice of the user's organisations (any status), newest change first."""
    from micro.accounts.permissions import active_roles

    return (
        Practice.objects.filter(organisation_id__in=list(active_roles(user)))
        .select_related("organisation")
        .defer(*HEAVY_COLUMNS)
        .order_by("-updated_at", "-pk")
    )


def practice_list_to_review(user: Any) -> list[Practice]:
    """Practices waiting for this reviewer: all submitted or in review for a coordinator, the assigned ones for an expert."""
    waiting = Practice.objects.filter(status__in=permissions.REVIEWABLE)
    if not is_coordinator(user):
        waiting = waiting.filter(assignments__reviewer=user)
    candidates = (
        waiting.select_related("organisation")
        .prefetch_related("assignments")
        .defer(*HEAVY_COLUMNS)
        .order_by("submitted_at", "pk")
        .distinct()
    )
    return [practice for practice in candidates if permissions.is_eligible_reviewer(user, practice)]


def practice_related(practice: Practice, limit: int = 4) -> list[Practice]:
    """Published practices close to this one: same theme (2), same country (1), titles sharing words.

    Two bounded queries whatever the size of the repository: the newest practices of the same
    theme or country, and the titles that share the most words (through the full-text index on
    PostgreSQL); the best of both are kept.
    """
    texts = practice.translations.get(practice.original_language, {})
    words = search.distinctive_words(f"{texts.get('title', '')} {texts.get('summary', '')}")
    others = published().exclude(pk=practice.pk).select_related("organisation").defer(*HEAVY_COLUMNS)
    pool = limit * 3
    scores: dict[int, float] = {}
    found: dict[int, Practice] = {}
    neighbours = others.filter(Q(theme=practice.theme) | Q(country=practice.country)).order_by("-published_at", "-pk")
    for candidate in neighbours[:pool]:
        found[candidate.pk] = candidate
    for candidate, shared in search.sharing_title_words(others, words, pool):
        found[candidate.pk] = candidate
        scores[candidate.pk] = min(shared, 1.0) if search.is_postgresql() else shared / max(1, len(words))
    ranked = sorted(
        found.values(),
        key=lambda p: (
            -(2.0 * (p.theme == practice.theme) + 1.0 * (p.country == practice.country) + scores.get(p.pk, 0.0)),
            -(p.published_at.timestamp() if p.published_at else 0),
            -p.pk,
        ),
    )
    return ranked[:limit]


def reuse_list_for_practice(practice: Practice) -> list[Reuse]:
    return list(practice.reuses.select_related("organisation").order_by("-adopted_on", "-pk"))


def reuse_get_for_edit(user: Any, pk: int) -> Reuse:
    reuse = Reuse.objects.select_related("practice", "organisation").filter(pk=pk).first()
    if reuse is None or not permissions.can_edit_reuse(user, reuse):
        raise Http404
    return reuse


def review_list_for_practice(practice: Practice) -> list[Review]:
    return list(practice.reviews.select_related("reviewer").order_by("-round", "-created_at"))


def transition_list_for_practice(practice: Practice) -> list[PracticeTransition]:
    return list(practice.transitions.select_related("actor").order_by("created_at", "pk"))


def attachment_get_for_user(user: Any, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("practice").filter(pk=pk).first()
    if attachment is None or not permissions.can_download_attachment(user, attachment):
        raise Http404
    return attachment


@dataclass(frozen=True)
class BoardRow:
    organisation: Organisation
    target: ContributionTarget | None
    published: int
    pipeline: int
    drafts: int

    @property
    def state(self) -> str:
        """done, on_track, behind, overdue or no_target."""
        if self.target is None:
            return "no_target"
        if self.published >= self.target.target:
            return "done"
        if self.target.due_on < timezone.localdate():
            return "overdue"
        if self.published + self.pipeline >= self.target.target:
            return "on_track"
        return "behind"

    @property
    def percent(self) -> int:
        if self.target is None:
            return 0
        return min(100, round(100 * self.published / self.target.target))


def board_rows() -> list[BoardRow]:
    """Each partner with its target and its published, in-review and draft practices (two queries)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in Practice.objects.values("organisation_id", "status").annotate(n=Count("pk")).order_by():
        counts[row["organisation_id"]][row["status"]] = row["n"]
    organisations = (
        Organisation.objects.filter(is_partner=True).select_related("practice_target").order_by("country", "name")
    )
    rows = []
    for organisation in organisations:
        mine = counts[organisation.pk]
        rows.append(
            BoardRow(
                organisation=organisation,
                target=getattr(organisation, "practice_target", None),
                published=mine[Status.PUBLISHED],
                pipeline=sum(mine[status] for status in PIPELINE),
                drafts=mine[Status.DRAFT],
            )
        )
    return rows


def partner_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_partner=True).order_by("country", "name")


def organisations_for_author(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=permissions.editable_organisation_ids(user)).order_by("name")
