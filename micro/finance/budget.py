"""Start-up budget: uses must equal sources (DOMAIN.md 4.2 b).

Why: the microloan request is the gap between what the start costs and what
the entrepreneur already has. Showing the gap, the own-contribution share and
the loan's share of the investment is how an operator checks a request
against a scheme's rules (e.g. a minimum own contribution), which the caller
takes from dated data - none is hard-coded here.

Uses = fixed investments + set-up costs + initial stock + working-capital
reserve + contingency (a rate, usually 5-10 %, on the other uses).
Sources = own funds + microloan + grants + family and friends loans.
Each amount may be a single number or named lines (``{"oven": 3000}``).
Ratios are fractions with four decimals.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from micro.finance._money import (
    CONTEXT,
    ZERO,
    DecimalLike,
    cents,
    in_range,
    non_negative,
    ratio,
    whole_number,
)
from micro.finance.errors import FinanceInputError

__all__ = ["Amount", "StartupBudget", "startup_budget", "working_capital_reserve"]

Amount = DecimalLike | Mapping[str, DecimalLike]
"""An amount, or named lines that are added up."""


@dataclass(frozen=True, slots=True)
class StartupBudget:
    """Uses, sources and what is missing.

    ``gap = total_uses − total_sources``: positive means money still to be
    found, negative means the sources exceed the uses. ``own_funds_to_loan``
    is ``None`` without a microloan.
    """

    fixed_investments: Decimal
    setup_costs: Decimal
    initial_stock: Decimal
    working_capital_reserve: Decimal
    contingency: Decimal
    total_uses: Decimal
    own_funds: Decimal
    microloan: Decimal
    grants: Decimal
    family_loans: Decimal
    total_sources: Decimal
    gap: Decimal
    own_contribution_ratio: Decimal
    loan_to_investment: Decimal
    own_funds_to_loan: Decimal | None

    @property
    def balanced(self) -> bool:
        """Sources cover the uses exactly."""
        return self.gap == 0


def _amount(value: Amount, field: str) -> Decimal:
    """One amount, or the sum of named lines, to the cent."""
    if isinstance(value, Mapping):
        with localcontext(CONTEXT):
            return cents(
                sum(
                    (non_negative(item, f"{field}.{name}") for name, item in value.items()),
                    ZERO,
                )
            )
    return cents(non_negative(value, field))


def working_capital_reserve(
    *,
    monthly_fixed_costs: DecimalLike,
    monthly_owner_drawings: DecimalLike,
    months: int = 3,
) -> Decimal:
    """Cash to hold until break-even: (fixed costs + drawings) × 3-6 months."""
    fixed = non_negative(monthly_fixed_costs, "monthly_fixed_costs")
    drawings = non_negative(monthly_owner_drawings, "monthly_owner_drawings")
    count = whole_number(months, "months", 0, 60)
    with localcontext(CONTEXT):
        return cents((fixed + drawings) * count)


def startup_budget(
    *,
    fixed_investments: Amount = 0,
    setup_costs: Amount = 0,
    initial_stock: Amount = 0,
    working_capital_reserve: Amount = 0,
    contingency_rate: DecimalLike = 0,
    own_funds: Amount = 0,
    microloan: Amount = 0,
    grants: Amount = 0,
    family_loans: Amount = 0,
) -> StartupBudget:
    """Total the uses and the sources and report the gap and the shares.

    ``contingency_rate`` is a fraction (0.05 for 5 %) of the other uses.
    The uses must not all be zero (there would be nothing to finance).
    """
    investments = _amount(fixed_investments, "fixed_investments")
    setup = _amount(setup_costs, "setup_costs")
    stock = _amount(initial_stock, "initial_stock")
    reserve = _amount(working_capital_reserve, "working_capital_reserve")
    rate = in_range(contingency_rate, "contingency_rate", Decimal(0), Decimal(1))
    own = _amount(own_funds, "own_funds")
    loan = _amount(microloan, "microloan")
    grant = _amount(grants, "grants")
    family = _amount(family_loans, "family_loans")

    with localcontext(CONTEXT):
        subtotal = investments + setup + stock + reserve
        contingency = cents(subtotal * rate)
        uses = subtotal + contingency
        if uses <= 0:
            raise FinanceInputError(
                "fixed_investments",
                "The budget has no uses: enter at least one cost.",
                "must_be_positive",
            )
        sources = own + loan + grant + family
        return StartupBudget(
            fixed_investments=investments,
            setup_costs=setup,
            initial_stock=stock,
            working_capital_reserve=reserve,
            contingency=contingency,
            total_uses=uses,
            own_funds=own,
            microloan=loan,
            grants=grant,
            family_loans=family,
            total_sources=sources,
            gap=uses - sources,
            own_contribution_ratio=ratio(own / uses),
            loan_to_investment=ratio(loan / uses),
            own_funds_to_loan=ratio(own / loan) if loan > 0 else None,
        )
