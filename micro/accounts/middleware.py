"""Sends staff of organisations that require two-factor sign-in to the set-up page first."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import middleware as auth_middleware
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from micro.accounts import selectors
from micro.core import revisions

# Views that stay open to someone who still has to set up an authenticator (namespaced names, so
# another app's "logout" or "two_factor" does not slip through).
ALLOWED_VIEW_NAMES = frozenset({"accounts:two_factor", "accounts:logout", "set_language", "healthz"})

# "This user needs no set-up" is remembered for a few minutes per signed-in session, so ordinary
# page views skip two queries. It lives in Django's cache, not in the session itself, so keeping it
# never costs a session write. Only the all-clear is kept (someone who must set up is checked on
# every request, so confirming a device lifts the redirect at once), it is bound to the session and
# the user, and any unsafe request of one's own drops it.
# Changes made by someone else apply at the next request too: the all-clear holds the user's
# two-factor version token (selectors.two_factor_version_cache_key), and every service that can
# oblige someone to set up (organisation_set_two_factor, membership_update, invitation_accept,
# user_set_active, totp_device_remove, and the admin's saves and deletes of organisations, users
# with their memberships, and devices) writes a new token for each affected user when it commits.
# The all-clear counts only while it matches the token there now; no token means no all-clear. One
# get_many reads both, so the happy path costs one cache round trip and no query.
# The token is instant across processes only with a shared cache (REDIS_URL); so the services also
# write a new "two-factor" revision in the database (micro.core.revisions), which every worker
# re-reads at most once a second and which is part of the all-clear: with the per-process memory
# cache, other workers notice within about a second. Writes that bypass the services (a
# QuerySet.update(), the shell, a loader) wait for CLEAR_SECONDS, which therefore stays short.
CLEAR_SECONDS = 300
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def all_clear_cache_key(session_key: str, user_pk: object) -> str:
    # Hashed: the session key is a secret and cache key names are visible to whoever runs Redis.
    digest = hashlib.sha256(session_key.encode()).hexdigest()
    return f"accounts:two-factor-clear:{digest}:{user_pk}"


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that once the user is read, ``request.user`` becomes the user itself.

    Django leaves a SimpleLazyObject there for the whole request, and a page reads it a hundred
    times or more (permissions, templates), each time through the proxy. The user is still read
    lazily, on first use, so views that never need it (/healthz while the database is down) do
    not touch the session.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)

        def resolve() -> Any:
            user = auth_middleware.get_user(request)
            # Only while the proxy is still in place: login() and logout() set their own user.
            if request.__dict__.get("user") is proxy:
                request.user = user
            return user

        proxy = SimpleLazyObject(resolve)
        request.user = proxy  # type: ignore[assignment]


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        # Decided once Django has resolved the URL (no second resolve): the allowed views (/healthz
        # above all) must not load the session or the user, so they still answer when the
        # database is down. An address that resolves to nothing never gets here: it is a 404.
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEW_NAMES:
            return None
        if request.path.startswith(("/static/", "/media/")):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._must_set_up(request, user):
            return redirect("accounts:two_factor")
        return None

    @staticmethod
    def _must_set_up(request: HttpRequest, user: Any) -> bool:
        session_key = request.session.session_key
        if not session_key:
            return selectors.user_must_set_up_two_factor(user)
        clear_key = all_clear_cache_key(session_key, user.pk)
        if request.method not in SAFE_METHODS:
            cache.delete(clear_key)
            return selectors.user_must_set_up_two_factor(user)
        version_key = selectors.two_factor_version_cache_key(user.pk)
        # The token is read BEFORE the database: a change committed after this read writes a new
        # token, so an all-clear built on rows older than that change never matches.
        cached = cache.get_many([clear_key, version_key])
        version = cached.get(version_key)
        # Without a shared cache other workers never see the token change: the "two-factor"
        # revision in the database (re-read at most once a second) voids every all-clear instead.
        revision = revisions.current(revisions.TWO_FACTOR)
        if version is not None and cached.get(clear_key) == f"{version}:{revision}":
            return False
        if selectors.user_must_set_up_two_factor(user):
            return True
        if version is None:
            version = secrets.token_hex(8)
            # add(), not set(): a token written by a change in the meantime must not be overwritten.
            if not cache.add(version_key, version, selectors.TWO_FACTOR_VERSION_SECONDS):
                return False
        cache.set(clear_key, f"{version}:{revision}", CLEAR_SECONDS)
        return False
