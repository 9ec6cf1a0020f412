"""Every URL × every role × own/other organisation answers what ``permission_matrix.MATRIX`` says.

Set ``PERMISSION_MATRIX_CAPTURE=<file>`` to write the answers observed now (to review a new row
before adding it by hand); the test still fails for every difference.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from micro.learning.models.discussions import DiscussionPost, DiscussionThread
from micro.pathway.models import JourneyShare
from micro.practices.models import Practice, Status
from tests.resilience.permission_matrix import ADMIN_OVERRIDES, ADMIN_RULE, ADMIN_SECRET_VIEWS, MATRIX, POST_MATRIX
from tests.resilience.world import ABSENT, ROLES, PermissionWorld, build_permission_world

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

ABSENT_UUID = "00000000-0000-0000-0000-000000000000"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, converter kind: "int" or "str")


def _converter_kind(converter: Any) -> str:
    return {"IntConverter": "int", "UUIDConverter": "uuid"}.get(type(converter).__name__, "str")


def _walk(resolver: URLResolver, namespace: str, params: tuple[tuple[str, str], ...]) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        own = _pattern_params(entry.pattern)
        if isinstance(entry, URLResolver):
            child = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry, child or "", params + own)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}:{entry.name}" if namespace else entry.name, params + own)


def _pattern_params(pattern: Any) -> tuple[tuple[str, str], ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple((name, _converter_kind(conv)) for name, conv in converters.items())
    regex = getattr(pattern, "_regex", None)
    if isinstance(regex, str):
        return tuple((name, "str") for name in re.compile(regex).groupindex)
    return ()


def all_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver(), "", ()):
        routes.setdefault(route.name, route)
    return routes


def _value(route: Route, param: str, kind: str, world: PermissionWorld, side: str) -> Any:
    s = world.own if side == "own" else world.other
    app = route.name.split(":")[0]
    learning = world.learning
    by_app: dict[str, dict[str, Any]] = {
        "accounts": {
            "slug": s.organisation.slug,
            "pk": s.invitation_id if route.name.endswith("invitation_revoke") else s.membership.pk,
            "token": s.invitation_token if route.name.endswith("invitation_accept") else "bad-token",
            "uidb64": "MQ",
        },
        "events": {"slug": s.event_slug, "token": s.registration_token},
        "practices": {
            "pk": ABSENT if route.name in ("practices:reuse_edit", "practices:attachment") else s.practice_id,
            "slug": s.practice_slug,
            "language": "it",
        },
        "learning": {
            "activity_id": learning.quiz.pk,
            "attempt_id": s.attempt_id,
            "cohort_id": s.cohort_id,
            "session_id": s.cohort_session_id,
            "phase": "pre",
            "course_slug": learning.course.slug,
            "module_slug": learning.module.slug,
            "lesson_slug": learning.lesson.slug,
            "lesson_id": learning.lesson.pk,
            "public_id": s.certificate_public_id,
            "thread_id": s.thread_id,
            "post_id": s.post_id,
        },
        "pathway": {
            "stage_slug": "01-idea",
            "step_slug": "01-describe",
            "slug": "microcredit",
            "country": "it",
            "share_id": s.share_id,
        },
        "api": {"slug": s.practice_slug if "practice" in route.name else s.event_slug},
    }
    known = by_app.get(app, {})
    if param in known:
        return known[param]
    return {"int": ABSENT, "uuid": ABSENT_UUID}.get(kind, "unknown")


def _path(route: Route, world: PermissionWorld, side: str) -> str:
    kwargs = {name: _value(route, name, kind, world, side) for name, kind in route.params}
    with translation.override("en"):
        return reverse(route.name, kwargs=kwargs)


def _answer(client: Client, path: str, method: str = "get") -> str:
    response = client.post(path, {}) if method == "post" else client.get(path)
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        return "L" if any(login in location for login in LOGIN_PATHS) else "R"
    return str(response.status_code)


@pytest.fixture
def world(tmp_path: Path) -> PermissionWorld:
    return build_permission_world(tmp_path)


def test_every_url_has_an_entry() -> None:
    """A new URL fails here until its expected answers are written into MATRIX."""
    names = {name for name in all_routes() if not name.startswith("admin:")}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"URLs without an entry in tests/resilience/permission_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def _expected(cell: str) -> tuple[str, str]:
    own, _slash, other = cell.partition("/")
    return own, other or own


def test_every_url_answers_every_role_as_written(world: PermissionWorld) -> None:
    observed: dict[str, list[str]] = {}
    differences: list[str] = []
    for name, route in sorted(all_routes().items()):
        if name.startswith("admin:"):
            continue
        own_path = _path(route, world, "own")
        other_path = _path(route, world, "other")
        cells = []
        for role in ROLES:
            client = world.client(role)
            own = _answer(client, own_path)
            other = _answer(client, other_path) if other_path != own_path else own
            cells.append(own if own == other else f"{own}/{other}")
        observed[name] = cells
        row = MATRIX.get(name)
        if row is None:
            continue
        for role, expected, actual in zip(ROLES, row.split(), cells, strict=True):
            if _expected(expected) != _expected(actual):
                differences.append(f"{name} as {role}: expected {expected}, got {actual} ({own_path})")
    capture = os.environ.get("PERMISSION_MATRIX_CAPTURE")
    if capture:
        lines = [f'    "{name}": "{" ".join(cells)}",' for name, cells in observed.items()]
        Path(capture).write_text("\n".join(lines) + "\n")
    assert not differences, "\n".join(differences)


def test_post_only_actions_on_another_organisations_objects_answer_as_written(world: PermissionWorld) -> None:
    """An empty POST to every POST-only action, aimed at organisation B's object (or journey)."""
    routes = all_routes()
    post_only = sorted(name for name, row in MATRIX.items() if "405" in row.split())
    observed: dict[str, str] = {}
    differences = []
    for name in post_only:
        path = _path(routes[name], world, "other")
        world.clients.clear()  # fresh sessions: an earlier POST (sign-out) must not leak into this row
        cells = [_answer(world.client(role), path, method="post") for role in ROLES]
        observed[name] = " ".join(cells)
        if name in POST_MATRIX and observed[name] != POST_MATRIX[name]:
            differences.append(f"{name}: expected {POST_MATRIX[name]}, got {observed[name]} ({path})")
    capture = os.environ.get("PERMISSION_MATRIX_CAPTURE")
    if capture:
        lines = [f'    "{name}": "{cells}",' for name, cells in observed.items()]
        Path(capture + ".post").write_text("\n".join(lines) + "\n")
    assert sorted(POST_MATRIX) == post_only, "POST_MATRIX needs one row per POST-only URL of MATRIX"
    # Refused means unchanged: the other journey's share is still live, the other practice still a draft,
    # the other cohort's thread still open with its post visible.
    other_share = JourneyShare.objects.get(pk=world.other.share_id)
    assert other_share.revoked_at is None
    assert Practice.objects.get(pk=world.other.practice_id).status == Status.DRAFT
    assert not DiscussionThread.objects.get(pk=world.other.thread_id).is_locked
    assert not DiscussionPost.objects.get(pk=world.other.post_id).is_hidden
    assert not differences, "\n".join(differences)


def test_admin_urls_send_everyone_but_staff_to_the_admin_sign_in(world: PermissionWorld) -> None:
    differences = []
    for name, route in sorted(all_routes().items()):
        if not name.startswith("admin:"):
            continue
        values = {"app_label": "accounts", "model": "user", "object_id": "1", "content_type_id": "1"}
        kwargs = {param: values.get(param, "1") for param, _kind in route.params}
        with translation.override("en"):
            path = reverse(name, kwargs=kwargs)
        for role, default in ADMIN_RULE.items():
            expected = ADMIN_OVERRIDES.get(name, default)
            actual = _answer(world.client(role), path)
            if actual != expected:
                differences.append(f"{name} as {role}: expected {expected}, got {actual}")
        coordinator = world.client("coordinator").get(path)
        if coordinator.status_code >= 500:
            differences.append(f"{name} as coordinator: {coordinator.status_code}")
        if name in ADMIN_SECRET_VIEWS and coordinator.status_code != 403:
            differences.append(f"{name} as coordinator: expected 403, got {coordinator.status_code}")
    assert not differences, "\n".join(differences)
