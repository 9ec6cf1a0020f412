"""What every router of the JSON API shares: the error answer and the locale-number input.

One error shape for every refusal (404, 422, 429, 503), so a client reads ``detail`` for people
and ``errors`` for the field that was wrong, whichever layer refused the request: the schema
(ninja/pydantic), the endpoint or the finance core.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Schema

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"  # Latin, Arabic-Indic and Eastern Arabic-Indic digits
_SEPARATOR = r".,\u066b\u066c'\u2019\s"  # decimal and grouping marks, spaces (incl. no-break ones)
# A number as people type it in their language (see micro.core.numbers.parse_decimal): digits with
# grouping and decimal marks, an optional sign. Bounds depend on the field and are checked by the
# endpoint (a pattern cannot say "at most 10,000,000" for "10.000.000,00" and "10,000,000.00").
_NUMBER = rf"\s*[+\-\u2212]?[{_DIGIT}](?:[{_DIGIT}{_SEPARATOR}]*[{_DIGIT}])?\s*"
LOCALE_NUMBER_PATTERN = rf"^{_NUMBER}$"
OPTIONAL_LOCALE_NUMBER_PATTERN = rf"^(?:{_NUMBER})?$"
LOCALE_NUMBER_MAX_LENGTH = 40  # micro.core.numbers.MAX_INPUT_LENGTH

# A required number written in the caller's locale (``1.234,56`` or ``1,234.56``): empty is a 422.
LocaleNumber = Annotated[str, Field(min_length=1, max_length=LOCALE_NUMBER_MAX_LENGTH, pattern=LOCALE_NUMBER_PATTERN)]
# The same, where empty means the field's default (as the calculator pages send it).
OptionalLocaleNumber = Annotated[
    str, Field(max_length=LOCALE_NUMBER_MAX_LENGTH, pattern=OPTIONAL_LOCALE_NUMBER_PATTERN)
]


class ErrorOut(Schema):
    """Every error answer of the API: a translated sentence, and translated messages per refused field."""

    detail: str = Field(description="What went wrong, in the caller's language")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Field name to its messages; empty when no input field is at fault"
    )


# An operation that reads the database may answer 503 while it is down (micro.core.middleware).
UNAVAILABLE: dict[int, type[Schema]] = {503: ErrorOut}
# An operation with a path parameter may get a NUL in it: micro.core.middleware answers 400, in plain text.
NUL_IN_PATH: dict[str, Any] = {
    "responses": {
        400: {
            "description": "The address holds a NUL character",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    }
}


def error_body(detail: str, errors: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": dict(errors or {})}


def invalid_input(errors: Mapping[str, list[str]]) -> dict[str, Any]:
    """The 422 body for refused fields, whichever layer refused them."""
    return error_body(_("Some values are not valid: see the message of each field."), errors)


def too_many_requests(wait_seconds: float | None) -> dict[str, Any]:
    seconds = max(1, math.ceil(wait_seconds or 1))
    return error_body(
        ngettext("Please try again in %(seconds)s second.", "Please try again in %(seconds)s seconds.", seconds)
        % {"seconds": seconds}
    )


def _field_name(location: tuple[Any, ...]) -> str:
    """``("query", "principal")`` -> ``principal``; ``("query", "country", 0)`` -> ``country``."""
    names = [str(part) for part in location[1:] if isinstance(part, str)]
    return names[-1] if names else "__all__"


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic speaks English only: each kind of refusal gets a translated sentence."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and not error.get("input")):
        return _("This field is required.")
    if kind == "string_pattern_mismatch" and context.get("pattern") in (
        LOCALE_NUMBER_PATTERN,
        OPTIONAL_LOCALE_NUMBER_PATTERN,
    ):
        return _("Enter a number, for example 1250 or 1250,50.")
    if kind == "string_too_long":
        limit = int(context.get("max_length", 0))
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(str(error.get("input", "")))}
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": context["ge"]}
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": context["le"]}
    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))  # "'french' or 'italian'"
        return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
    return _("Enter a valid value.")


def validation_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list as ``{field: [translated message, ...]}``, the finance endpoints' shape."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        messages = by_field.setdefault(_field_name(tuple(error.get("loc", ()))), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return by_field
