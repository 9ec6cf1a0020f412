"""Views that fail the way a lost database fails, for the 503 middleware tests."""

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path


def operational_error(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def interface_error(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def other_error(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


def fine(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fine")


urlpatterns = [
    path("page/operational/", operational_error),
    path("page/interface/", interface_error),
    path("page/bug/", other_error),
    path("page/fine/", fine),
    path("api/operational/", operational_error),
]
