"""Forecast profit and loss, usually over three years (DOMAIN.md 4.2 c).

Why: lenders read the P&L to see whether the business earns enough, and the
common mistakes are to book the whole loan instalment as a cost (only the
interest is an expense) and to forget that a sole trader's living money is
not an expense but must come out of net profit. This module keeps those two
apart: ``interest`` is an expense line; ``owner_drawings`` sits below net
profit, giving ``retained``.

DOMAIN.md gives no general tax rule (income tax and social contributions
depend on the country and the year and must come from dated data), so taxes
are an input: either amounts per year or a flat ``tax_rate`` (a fraction)
applied to positive profit before tax, supplied by the caller from that data.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from micro.finance._money import (
    CONTEXT,
    ZERO,
    DecimalLike,
    cents,
    in_range,
    series,
    whole_number,
)
from micro.finance.errors import FinanceInputError

__all__ = ["MAX_YEARS", "PerYear", "PnlYear", "ProfitAndLoss", "profit_and_loss"]

MAX_YEARS = 10

PerYear = DecimalLike | Sequence[DecimalLike]
"""One amount for every year, or one amount per year."""


@dataclass(frozen=True, slots=True)
class PnlYear:
    """One year of the income statement, every line to the cent."""

    year: int
    revenue: Decimal
    variable_costs: Decimal
    contribution_margin: Decimal
    fixed_costs: Decimal
    ebitda: Decimal
    depreciation: Decimal
    ebit: Decimal
    interest: Decimal
    profit_before_tax: Decimal
    taxes: Decimal
    net_profit: Decimal
    owner_drawings: Decimal
    retained: Decimal


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    """The forecast years, with the years that need attention.

    ``loss_years``: net profit below zero. ``drawings_not_covered``: net profit
    does not pay the owner's drawings (``retained < 0``).
    """

    years: tuple[PnlYear, ...]
    loss_years: tuple[int, ...]
    drawings_not_covered: tuple[int, ...]


def _fractions(value: PerYear, field: str, count: int) -> list[Decimal]:
    """A fraction in [0, 1], one for every year or one per year."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != count:
            raise FinanceInputError(field, f"Must have exactly {count} values.", "wrong_length", {"length": count})
        return [in_range(item, field, Decimal(0), Decimal(1)) for item in value]
    return [in_range(value, field, Decimal(0), Decimal(1))] * count


def profit_and_loss(
    *,
    revenue: PerYear,
    fixed_costs: PerYear,
    variable_cost_ratio: PerYear | None = None,
    variable_costs: PerYear | None = None,
    depreciation: PerYear = 0,
    interest: PerYear = 0,
    owner_drawings: PerYear = 0,
    taxes: PerYear | None = None,
    tax_rate: PerYear | None = None,
    years: int = 3,
) -> ProfitAndLoss:
    """Build the income statement year by year.

    Variable costs come either from ``variable_cost_ratio`` (a fraction of
    revenue, 0-1) or from ``variable_costs`` amounts, not both (neither means
    none). Taxes come from ``taxes`` amounts or ``tax_rate`` (a fraction of
    positive profit before tax), not both (neither means none). ``interest``
    is the interest part of the loan only, e.g. from
    :func:`micro.finance.loans.interest_by_year`.
    """
    count = whole_number(years, "years", 1, MAX_YEARS)
    if variable_cost_ratio is not None and variable_costs is not None:
        raise FinanceInputError(
            "variable_costs",
            "Give either variable costs or a variable cost ratio, not both.",
            "only_one_allowed",
        )
    if taxes is not None and tax_rate is not None:
        raise FinanceInputError("taxes", "Give either taxes or a tax rate, not both.", "only_one_allowed")
    sales = [cents(amount) for amount in series(revenue, "revenue", count)]
    fixed = [cents(amount) for amount in series(fixed_costs, "fixed_costs", count)]
    if variable_cost_ratio is not None:
        shares = _fractions(variable_cost_ratio, "variable_cost_ratio", count)
        with localcontext(CONTEXT):
            variable = [cents(s * share) for s, share in zip(sales, shares, strict=True)]
    elif variable_costs is not None:
        variable = [cents(a) for a in series(variable_costs, "variable_costs", count)]
    else:
        variable = [ZERO] * count
    writedowns = [cents(a) for a in series(depreciation, "depreciation", count)]
    loan_interest = [cents(a) for a in series(interest, "interest", count)]
    drawings = [cents(a) for a in series(owner_drawings, "owner_drawings", count)]
    tax_amounts = None if taxes is None else [cents(a) for a in series(taxes, "taxes", count)]
    tax_shares = None if tax_rate is None else _fractions(tax_rate, "tax_rate", count)

    rows: list[PnlYear] = []
    with localcontext(CONTEXT):
        for index in range(count):
            margin = sales[index] - variable[index]
            ebitda = margin - fixed[index]
            ebit = ebitda - writedowns[index]
            before_tax = ebit - loan_interest[index]
            if tax_amounts is not None:
                tax = tax_amounts[index]
            elif tax_shares is not None:
                tax = cents(max(before_tax, ZERO) * tax_shares[index])
            else:
                tax = ZERO
            net = before_tax - tax
            rows.append(
                PnlYear(
                    year=index + 1,
                    revenue=sales[index],
                    variable_costs=variable[index],
                    contribution_margin=margin,
                    fixed_costs=fixed[index],
                    ebitda=ebitda,
                    depreciation=writedowns[index],
                    ebit=ebit,
                    interest=loan_interest[index],
                    profit_before_tax=before_tax,
                    taxes=tax,
                    net_profit=net,
                    owner_drawings=drawings[index],
                    retained=net - drawings[index],
                )
            )
    return ProfitAndLoss(
        years=tuple(rows),
        loss_years=tuple(row.year for row in rows if row.net_profit < 0),
        drawings_not_covered=tuple(row.year for row in rows if row.retained < 0),
    )
