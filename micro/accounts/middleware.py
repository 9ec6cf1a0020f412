"""Sends staff of organisations that require two-factor sign-in to the set-up page first."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from micro.accounts import selectors

# Views that stay open to someone who still has to set up an authenticator (namespaced names, so
# another app's "logout" or "two_factor" does not slip through).
ALLOWED_VIEW_NAMES = frozenset({"accounts:two_factor", "accounts:logout", "set_language", "healthz"})

# "This user needs no set-up" is remembered for a few minutes per signed-in session, so ordinary
# page views skip two queries. It lives in Django's cache, not in the session itself, so keeping it
# never costs a session write. Only the all-clear is kept (someone who must set up is checked on
# every request, so confirming a device lifts the redirect at once), it is bound to the session and
# the user, and any unsafe request (a policy, membership or device change of one's own) drops it.
# Changes made by someone else (a coordinator switching the policy on) apply within CLEAR_SECONDS.
CLEAR_SECONDS = 300
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def all_clear_cache_key(session_key: str, user_pk: object) -> str:
    # Hashed: the session key is a secret and cache key names are visible to whoever runs Redis.
    digest = hashlib.sha256(session_key.encode()).hexdigest()
    return f"accounts:two-factor-clear:{digest}:{user_pk}"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Decide on the path first: the allowed views (/healthz above all) must not load the
        # session or the user, so they still answer when the database is down.
        if not request.path.startswith(("/static/", "/media/")) and not self._always_allowed(request):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and self._must_set_up(request, user):
                return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest, user: Any) -> bool:
        session_key = request.session.session_key
        if not session_key:
            return selectors.user_must_set_up_two_factor(user)
        key = all_clear_cache_key(session_key, user.pk)
        if request.method not in SAFE_METHODS:
            cache.delete(key)
            return selectors.user_must_set_up_two_factor(user)
        if cache.get(key):
            return False
        if selectors.user_must_set_up_two_factor(user):
            return True
        cache.set(key, True, CLEAR_SECONDS)
        return False

    @staticmethod
    def _always_allowed(request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in ALLOWED_VIEW_NAMES
        except Resolver404:
            return False
