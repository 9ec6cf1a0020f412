"""Public calculators of the finance core: loan schedules and break-even (no sign-in, rate-limited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from micro.core.numbers import NumberFormatError, parse_decimal
from micro.finance import FinanceInputError, amortisation_schedule, break_even
from micro.plans.finance_messages import finance_error_message, number_error_message

router = Router(tags=["finance"], throttle=[AnonRateThrottle(settings.FINANCE_API_RATE)])


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class ScheduleRowOut(Schema):
    period: int
    payment: str
    interest: str
    principal: str
    balance: str


class LoanOut(Schema):
    method: str
    installment: str
    total_interest: str
    total_paid: str
    apr: str
    schedule: list[ScheduleRowOut]


class LoanQuery(Schema):
    principal: str = ""
    annual_rate: str = ""
    months: str = ""
    method: str = "french"
    grace_months: str = "0"
    grace: str = "interest_only"
    fees: str = "0"


class BreakEvenQuery(Schema):
    fixed_costs: str = ""
    price: str = ""
    variable_cost: str = ""


class BreakEvenOut(Schema):
    units: int
    revenue: str
    contribution_margin_ratio: str


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class _Inputs:
    """Collects every field's parse error, so the answer names all wrong fields at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.language = translation.get_language() or "en"

    def number(self, field: str, raw: str) -> Decimal | None:
        try:
            return parse_decimal(raw, self.language)
        except NumberFormatError as error:
            self.errors.setdefault(field, []).append(number_error_message(str(error)))
            return None

    def whole(self, field: str, raw: str) -> int | None:
        value = self.number(field, raw)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.errors.setdefault(field, []).append(_("Enter a whole number."))
            return None
        return int(value)

    def choice(self, field: str, raw: str, allowed: tuple[str, ...]) -> str | None:
        if raw not in allowed:
            self.errors.setdefault(field, []).append(_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
            return None
        return raw


def _finance_error(error: FinanceInputError) -> tuple[int, dict[str, Any]]:
    return 422, {"errors": {error.field: [finance_error_message(error)]}}


@router.get("/loan", response={200: LoanOut, 422: ErrorsOut}, summary="Loan repayment schedule")
def loan(request: HttpRequest, query: Query[LoanQuery]) -> tuple[int, dict[str, Any]]:
    """French (constant instalment) or Italian (constant principal) schedule with grace period and fees.

    Amounts accept the user's locale format (`1.234,56` or `1,234.56`); answers use two decimals.
    """
    inputs = _Inputs()
    principal = inputs.number("principal", query.principal)
    rate = inputs.number("annual_rate", query.annual_rate)
    months = inputs.whole("months", query.months)
    method = inputs.choice("method", query.method, ("french", "italian"))
    grace_months = inputs.whole("grace_months", query.grace_months or "0")
    grace = inputs.choice("grace", query.grace, ("interest_only", "capitalised"))
    fees = inputs.number("fees", query.fees or "0")
    if inputs.errors:
        return 422, {"errors": inputs.errors}
    assert principal is not None and rate is not None and months is not None  # no errors: all parsed
    try:
        result = amortisation_schedule(
            principal=principal,
            annual_rate=rate,
            months=months,
            method=method or "french",
            grace_months=grace_months or 0,
            grace_mode=grace or "interest_only",
            fees=fees or 0,
        )
    except FinanceInputError as error:
        return _finance_error(error)
    return 200, {
        "method": str(result.method),
        "installment": _money(result.installment),
        "total_interest": _money(result.total_interest),
        "total_paid": _money(result.total_paid),
        "apr": _money(result.apr),
        "schedule": [
            {
                "period": row.period,
                "payment": _money(row.payment),
                "interest": _money(row.interest),
                "principal": _money(row.principal),
                "balance": _money(row.balance),
            }
            for row in result.schedule
        ],
    }


@router.get("/break-even", response={200: BreakEvenOut, 422: ErrorsOut}, summary="Break-even point")
def break_even_point(request: HttpRequest, query: Query[BreakEvenQuery]) -> tuple[int, dict[str, Any]]:
    """Units and revenue that cover the fixed costs; a price not above the variable cost is a 422."""
    inputs = _Inputs()
    fixed = inputs.number("fixed_costs", query.fixed_costs)
    price = inputs.number("price", query.price)
    variable = inputs.number("variable_cost", query.variable_cost)
    if inputs.errors:
        return 422, {"errors": inputs.errors}
    assert fixed is not None and price is not None and variable is not None  # no errors: all parsed
    try:
        result = break_even(fixed_costs=fixed, price=price, variable_cost=variable)
    except FinanceInputError as error:
        return _finance_error(error)
    return 200, {
        "units": result.units,
        "revenue": _money(result.revenue),
        "contribution_margin_ratio": f"{result.contribution_margin_ratio:.4f}",
    }
