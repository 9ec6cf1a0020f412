"""Public pages of the platform and the technical endpoints."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micro.accounts import selectors as account_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    partners = account_selectors.organisation_list_public()
    return render(request, "core/about.html", {"partners": partners})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """The reference page of `make bench`: every middleware, one query, a tiny template.

    ARCHITECTURE.md measures the path and lesson pages as a share of this page's rate in the same
    run, so that the ratio says what our code costs on top of Django on that machine. Only routed
    when BENCH_CEILING_VIEW is set (bench/run.py sets it; production does not).
    """
    return render(request, "core/bench_ceiling.html", {"partners": account_selectors.organisation_count_public()})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
