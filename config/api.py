"""The JSON API (django-ninja). Feature apps add their routers here."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Schema

from micro.events.api import router as events_router
from micro.plans.api import router as finance_router
from micro.practices.api import router as practices_router

api = NinjaAPI(
    title="MICRO platform API",
    version="1.0.0",
    description="Public calculators and the machine-readable faces of the MICRO platform.",
    urls_namespace="api",
)


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
