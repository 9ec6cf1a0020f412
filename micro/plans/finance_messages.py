"""Translated messages for the finance core's error codes (the core itself speaks no language)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from micro.finance import FinanceInputError


def _number(value: object) -> str:
    """A limit from the finance core, written the way the reader writes numbers."""
    return str(formats.number_format(str(value), use_l10n=True, force_grouping=True))


def finance_error_message(error: FinanceInputError) -> str:
    params = error.params
    code = error.code
    if code == "out_of_range" and "min" in params and "max" in params:
        return _("Enter a value between %(min)s and %(max)s.") % {"min": params["min"], "max": params["max"]}
    if code == "too_large" and "max" in params:
        return _("Enter at most %(max)s.") % {"max": _number(params["max"])}
    if code == "must_be_less_than_months" and "months" in params:
        return _("The grace period must be shorter than the loan: fewer than %(months)s months.") % {
            "months": params["months"]
        }
    messages = {
        "invalid_number": _("Enter a number, for example 1250 or 1250,50."),
        "must_be_positive": _("Enter a number greater than zero."),
        "must_not_be_negative": _("Enter zero or a positive number."),
        "too_many_decimals": _("Use at most two decimals (cents)."),
        "unknown_choice": _("Choose one of the options offered."),
        "must_be_less_than_principal": _("The fees must be lower than the amount borrowed."),
        "price_not_above_variable_cost": _(
            "The price must be higher than the variable cost per unit: otherwise each sale loses money."
        ),
        "rate_too_high": _("These fees and payments give an unrealistically high rate. Check the amounts."),
    }
    return messages.get(code, _("This value is not valid."))


def number_error_message(reason: str) -> str:
    if reason == "empty":
        return _("This field is required.")
    if reason == "too_long":
        return _("This number is too long.")
    return _("Enter a number, for example 1250 or 1250,50.")
