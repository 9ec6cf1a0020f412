"""Small helpers the views share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from micro.practices import forms, selectors


def _language() -> str:
    return translation.get_language() or "en"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _search_inputs(request: HttpRequest) -> tuple[forms.SearchForm, str, dict[str, list[str]], int]:
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    filters = {dimension.key: request.GET.getlist(dimension.key) for dimension in selectors.DIMENSIONS}
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    return form, query, filters, page
