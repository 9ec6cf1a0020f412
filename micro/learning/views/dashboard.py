"""Views of the dashboard area; its routes are listed in ``routes`` at the foot of the module."""

from django.urls import URLPattern

routes: list[URLPattern] = []
