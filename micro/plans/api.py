"""Public calculators of the finance core: loan schedules and break-even (no sign-in, rate-limited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from micro.core.numbers import NumberFormatError, parse_decimal
from micro.core.schemas import ErrorOut, LocaleNumber, OptionalLocaleNumber, invalid_input
from micro.finance import FinanceInputError, amortisation_schedule, break_even
from micro.finance.loans import MAX_MONTHS, MAX_PRINCIPAL, MAX_RATE
from micro.plans.finance_messages import finance_error_message, number_error_message

router = Router(tags=["finance"], throttle=[AnonRateThrottle(settings.FINANCE_API_RATE)])


# Every answer but 200: refused input (422) or too many calls from one address (429, with Retry-After).
ERRORS = {422: ErrorOut, 429: ErrorOut}
_LOCALE = "Written as in the caller's language: `1.234,56`, `1,234.56`, `1 234,56` and Arabic-Indic digits."


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
    """The format is in the schema; the bounds, and the rules between fields, are checked by the endpoint."""

    principal: LocaleNumber = Field(
        description=f"Amount borrowed, more than 0 and at most {MAX_PRINCIPAL:,}. {_LOCALE}", examples=["10000"]
    )
    annual_rate: LocaleNumber = Field(
        description=f"Nominal annual interest rate in percent, 0 to {MAX_RATE}. {_LOCALE}", examples=["6.9"]
    )
    months: LocaleNumber = Field(description=f"Duration: a whole number of months, 1 to {MAX_MONTHS}.", examples=["48"])
    method: Literal["french", "italian"] = Field("french", description="Constant instalment or constant principal")
    grace_months: OptionalLocaleNumber = Field(
        "0", description="Whole months of grace, fewer than `months`; empty means 0.", examples=["0"]
    )
    grace: Literal["interest_only", "capitalised"] = "interest_only"
    fees: OptionalLocaleNumber = Field(
        "0", description=f"Fees paid up front, 0 or more and lower than `principal`; empty means 0. {_LOCALE}"
    )


class BreakEvenQuery(Schema):
    """The format is in the schema; the bounds, and price above variable cost, are checked by the endpoint."""

    fixed_costs: LocaleNumber = Field(description=f"Fixed costs of the period, 0 or more. {_LOCALE}", examples=["2400"])
    price: LocaleNumber = Field(
        description=f"Price of one unit, higher than `variable_cost`. {_LOCALE}", examples=["12"]
    )
    variable_cost: LocaleNumber = Field(description=f"Variable cost of one unit, 0 or more. {_LOCALE}", examples=["7"])


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


def _finance_error(error: FinanceInputError) -> tuple[int, dict[str, Any]]:
    return 422, invalid_input({error.field: [finance_error_message(error)]})


@router.get("/loan", response={200: LoanOut, **ERRORS}, summary="Loan repayment schedule")
def loan(request: HttpRequest, query: Query[LoanQuery]) -> tuple[int, dict[str, Any]]:
    """French (constant instalment) or Italian (constant principal) schedule with grace period and fees.

    Amounts accept the user's locale format (`1.234,56` or `1,234.56`); answers use two decimals.
    """
    inputs = _Inputs()
    principal = inputs.number("principal", query.principal)
    rate = inputs.number("annual_rate", query.annual_rate)
    months = inputs.whole("months", query.months)
    grace_months = inputs.whole("grace_months", query.grace_months or "0")
    fees = inputs.number("fees", query.fees or "0")
    if inputs.errors:
        return 422, invalid_input(inputs.errors)
    assert principal is not None and rate is not None and months is not None  # no errors: all parsed
    try:
        result = amortisation_schedule(
            principal=principal,
            annual_rate=rate,
            months=months,
            method=query.method,
            grace_months=grace_months or 0,
            grace_mode=query.grace,
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


@router.get("/break-even", response={200: BreakEvenOut, **ERRORS}, summary="Break-even point")
def break_even_point(request: HttpRequest, query: Query[BreakEvenQuery]) -> tuple[int, dict[str, Any]]:
    """Units and revenue that cover the fixed costs; a price not above the variable cost is a 422."""
    inputs = _Inputs()
    fixed = inputs.number("fixed_costs", query.fixed_costs)
    price = inputs.number("price", query.price)
    variable = inputs.number("variable_cost", query.variable_cost)
    if inputs.errors:
        return 422, invalid_input(inputs.errors)
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
