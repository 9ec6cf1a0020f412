"""Sends staff of organisations that require two-factor sign-in to the set-up page first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from micro.accounts import selectors

# Views that stay open to someone who still has to set up an authenticator (namespaced names, so
# another app's "logout" or "two_factor" does not slip through).
ALLOWED_VIEW_NAMES = frozenset({"accounts:two_factor", "accounts:logout", "set_language", "healthz"})


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Decide on the path first: the allowed views (/healthz above all) must not load the
        # session or the user, so they still answer when the database is down.
        if not request.path.startswith(("/static/", "/media/")) and not self._always_allowed(request):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and selectors.user_must_set_up_two_factor(user):
                return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _always_allowed(request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in ALLOWED_VIEW_NAMES
        except Resolver404:
            return False
