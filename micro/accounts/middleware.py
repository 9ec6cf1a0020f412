"""Sends staff of organisations that require two-factor sign-in to the set-up page first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from micro.accounts import selectors

ALLOWED_URL_NAMES = {"two_factor", "logout", "set_language", "healthz"}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(("/static/", "/media/")):
            try:
                match = resolve(request.path_info)
                url_name = match.url_name
            except Resolver404:
                url_name = None
            if url_name not in ALLOWED_URL_NAMES and selectors.user_must_set_up_two_factor(user):
                return redirect("accounts:two_factor")
        return self.get_response(request)
