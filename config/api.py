"""The JSON API (django-ninja). Feature apps add their routers here."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, Throttled, ValidationError

from micro.core.schemas import error_body, invalid_input, too_many_requests, validation_errors
from micro.events.api import router as events_router
from micro.plans.api import router as finance_router
from micro.practices.api import router as practices_router

api = NinjaAPI(
    title="MICRO platform API",
    version="1.0.0",
    description="Public calculators and the machine-readable faces of the MICRO platform.",
    urls_namespace="api",
)


# Every refusal answers with micro.core.schemas.ErrorOut, translated, whichever layer refused it; the
# routers declare these statuses in their ``response=`` so the schema lists every answer (fuzzed).


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(_("Page not found")), status=404)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Refused by the schema: the finance endpoints' per-field shape, not pydantic's English list."""
    return api.create_response(request, invalid_input(validation_errors(exc.errors)), status=422)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """ninja adds the same wait as Retry-After to this answer."""
    return api.create_response(request, too_many_requests(exc.wait), status=429)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


class LanguageOut(Schema):
    code: str
    name: str
    bidi: bool


class MetaOut(Schema):
    name: str
    languages: list[LanguageOut]


@api.get("/meta", response=MetaOut, tags=["platform"], summary="Platform name and UI languages")
def meta(request: HttpRequest) -> dict[str, object]:
    return {
        "name": settings.SITE_NAME,
        "languages": [
            {"code": code, "name": name, "bidi": translation.get_language_info(code)["bidi"]}
            for code, name in settings.LANGUAGES
        ],
    }


api.add_router("/finance/", finance_router)
api.add_router("/practices/", practices_router)
api.add_router("/events/", events_router)
