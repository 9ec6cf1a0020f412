"""The site's URLs plus two views that fail on purpose, to see the real 403 and 500 handlers at work."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate failure for the error page test")


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("test-errors/403/", forbidden), path("test-errors/500/", broken), prefix_default_language=True),
]
