"""Break-even point, accounting and "survival" (DOMAIN.md 4.2 d).

Why: the first question a lender asks is "how much must you sell each month
just to stand still?". For a sole trader the honest answer also covers the
loan instalments and the owner's living money, hence the survival version.

Formulas (per period, usually a month):

* unit contribution margin ``cm = p − v``
* contribution margin ratio ``CMR = (p − v) / p``
* break-even units ``Q* = F / cm``, rounded **up** to whole units
* break-even revenue ``R* = F / CMR = F·p / (p − v)``, to the cent
* margin of safety ``(expected revenue − R*) / expected revenue``
* survival break-even: ``F_cash + loan instalments + owner's drawings +
  fixed social contributions`` in place of ``F`` (``F_cash`` leaves out
  non-cash costs such as depreciation).

Ratios are plain fractions rounded to four decimals (0.4167 = 41.67 %).
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext

from micro.finance._money import (
    CONTEXT,
    DecimalLike,
    cents,
    non_negative,
    positive,
    ratio,
    to_decimal,
)
from micro.finance.errors import FinanceInputError

__all__ = [
    "BreakEven",
    "break_even",
    "break_even_revenue",
    "contribution_margin",
    "contribution_margin_ratio",
    "margin_of_safety",
    "survival_break_even",
]


@dataclass(frozen=True, slots=True)
class BreakEven:
    """A break-even point for one period.

    ``fixed_costs`` is what has to be covered (for the survival version, the
    sum of its parts). ``units * contribution_margin >= fixed_costs`` and one
    unit fewer does not reach it. ``margin_of_safety`` is ``None`` when no
    expected revenue was given.
    """

    fixed_costs: Decimal
    price: Decimal
    variable_cost: Decimal
    contribution_margin: Decimal
    contribution_margin_ratio: Decimal
    units: int
    revenue: Decimal
    margin_of_safety: Decimal | None


def _price_and_cost(price: DecimalLike, variable_cost: DecimalLike) -> tuple[Decimal, Decimal]:
    """Validate a unit price and unit variable cost; the price must exceed the cost."""
    unit_price = positive(price, "price")
    unit_cost = non_negative(variable_cost, "variable_cost")
    if unit_price <= unit_cost:
        raise FinanceInputError(
            "price",
            "The price must be higher than the variable cost per unit; "
            "otherwise every sale loses money and there is no break-even point.",
            "price_not_above_variable_cost",
            {"variable_cost": unit_cost},
        )
    return unit_price, unit_cost


def contribution_margin(price: DecimalLike, variable_cost: DecimalLike) -> Decimal:
    """Unit contribution margin ``p − v`` (exact, not rounded)."""
    unit_price, unit_cost = _price_and_cost(price, variable_cost)
    with localcontext(CONTEXT):
        return unit_price - unit_cost


def contribution_margin_ratio(price: DecimalLike, variable_cost: DecimalLike) -> Decimal:
    """``(p − v) / p`` as a fraction with four decimals."""
    unit_price, unit_cost = _price_and_cost(price, variable_cost)
    with localcontext(CONTEXT):
        return ratio((unit_price - unit_cost) / unit_price)


def margin_of_safety(expected_revenue: DecimalLike, break_even_revenue: DecimalLike) -> Decimal:
    """``(expected − break-even) / expected``; negative when below break-even."""
    expected = positive(expected_revenue, "expected_revenue")
    needed = non_negative(break_even_revenue, "break_even_revenue")
    with localcontext(CONTEXT):
        return ratio((expected - needed) / expected)


def _units(fixed: Decimal, margin: Decimal) -> int:
    """Smallest whole ``q`` with ``q · margin >= fixed``."""
    with localcontext(CONTEXT):
        units = int((fixed / margin).to_integral_value(rounding=ROUND_CEILING))
        # Guard against the last digit of an inexact division.
        while units * margin < fixed:
            units += 1
        while units > 0 and (units - 1) * margin >= fixed:
            units -= 1
    return units


def _result(
    fixed: Decimal,
    unit_price: Decimal,
    unit_cost: Decimal,
    expected_revenue: DecimalLike | None,
) -> BreakEven:
    with localcontext(CONTEXT):
        margin = unit_price - unit_cost
        revenue = cents(fixed * unit_price / margin)
        cmr = ratio(margin / unit_price)
    safety = None if expected_revenue is None else margin_of_safety(expected_revenue, revenue)
    return BreakEven(
        fixed_costs=fixed,
        price=unit_price,
        variable_cost=unit_cost,
        contribution_margin=margin,
        contribution_margin_ratio=cmr,
        units=_units(fixed, margin),
        revenue=revenue,
        margin_of_safety=safety,
    )


def break_even(
    *,
    fixed_costs: DecimalLike,
    price: DecimalLike,
    variable_cost: DecimalLike,
    expected_revenue: DecimalLike | None = None,
) -> BreakEven:
    """Accounting break-even: units and revenue that cover the fixed costs."""
    fixed = cents(non_negative(fixed_costs, "fixed_costs"))
    unit_price, unit_cost = _price_and_cost(price, variable_cost)
    return _result(fixed, unit_price, unit_cost, expected_revenue)


def survival_break_even(
    *,
    price: DecimalLike,
    variable_cost: DecimalLike,
    cash_fixed_costs: DecimalLike,
    loan_instalments: DecimalLike,
    owner_drawings: DecimalLike,
    fixed_social_contributions: DecimalLike = 0,
    expected_revenue: DecimalLike | None = None,
) -> BreakEven:
    """Cash ("survival") break-even of a micro-enterprise.

    Covers cash fixed costs (no depreciation), the whole loan instalments
    (interest *and* principal), the owner's minimum drawings and any fixed
    social contributions: ``R*_cash = (sum of these) / CMR``.
    """
    parts = [
        non_negative(cash_fixed_costs, "cash_fixed_costs"),
        non_negative(loan_instalments, "loan_instalments"),
        non_negative(owner_drawings, "owner_drawings"),
        non_negative(fixed_social_contributions, "fixed_social_contributions"),
    ]
    unit_price, unit_cost = _price_and_cost(price, variable_cost)
    with localcontext(CONTEXT):
        fixed = cents(sum(parts, Decimal(0)))
    return _result(fixed, unit_price, unit_cost, expected_revenue)


def break_even_revenue(*, fixed_costs: DecimalLike, variable_cost_ratio: DecimalLike) -> Decimal:
    """Break-even revenue when variable costs are a share of revenue.

    For services or mixed shops there is no single unit price: with
    ``variable_cost_ratio = variable costs / revenue`` (a fraction, 0.35),
    ``R* = F / (1 − ratio)``. A ratio of 1 or more has no break-even.
    """
    fixed = non_negative(fixed_costs, "fixed_costs")
    share = to_decimal(variable_cost_ratio, "variable_cost_ratio")
    if share < 0 or share >= 1:
        raise FinanceInputError(
            "variable_cost_ratio",
            "Must be at least 0 and below 1 (variable costs below revenue).",
            "out_of_range",
            {"min": 0, "max": 1},
        )
    with localcontext(CONTEXT):
        return cents(fixed / (1 - share))
