"""Answers "503 Service Unavailable" quickly and in the reader's language while the database is down.

Without this, a lost database connection surfaces as a generic 500 page (or, in the worst case,
as a page that hangs). The 503 page is rendered without the request's context processors, so it
touches neither the session nor the user, and it tells clients when to come back (Retry-After).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Set on a request whose handling raised a database error anywhere (a view or another middleware).
_UNAVAILABLE_FLAG = "_micro_database_unavailable"


def _mark_database_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Remember a database error raised outside a view (e.g. loading the user in a middleware).

    Django turns such an exception into a 500 response before the outer middleware sees it; the
    flag lets :class:`DatabaseUnavailableMiddleware` replace that response with the 503 page.
    """
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _UNAVAILABLE_FLAG, True)


got_request_exception.connect(_mark_database_error, dispatch_uid="micro.core.database_unavailable")


def _request_language(request: HttpRequest) -> str:
    """The language of the URL prefix, else the cookie or Accept-Language (no database involved)."""
    return translation.get_language_from_request(request, check_path=True)


def service_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The translated 503 answer: HTML for pages, JSON for the API."""
    with translation.override(_request_language(request)):
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(  # the API's one error shape (micro.core.schemas.ErrorOut)
                {"detail": _("The service is temporarily unavailable. Please try again in a moment."), "errors": {}},
                status=503,
            )
        else:
            # One leading slash only: "//evil.example/" would be a link to another site.
            again = "/" + request.get_full_path().lstrip("/\\")
            html = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS, "path": again})
            response = HttpResponse(html, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns ``OperationalError``/``InterfaceError`` into a fast, translated 503 with Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _UNAVAILABLE_FLAG, False) and response.status_code == 500:
            return service_unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            setattr(request, _UNAVAILABLE_FLAG, True)
            return service_unavailable_response(request)
        return None


class RejectNulInPathMiddleware:
    """Answers 400 to a URL whose path holds a NUL character.

    No page or API route has a use for one, and PostgreSQL refuses NUL in any text parameter, so a
    path segment like ``/api/events/%00`` would otherwise end as a 500 deep in a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseBadRequest(_("This address is not valid."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
