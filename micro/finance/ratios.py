"""Credit-assessment ratios and a repayment-capacity verdict (DOMAIN.md 4.2 f).

Why: an operator has to say, before the dossier goes to a lender, whether the
instalment fits the business *and* the household. The two tests used in
microfinance are the debt service coverage ratio (DSCR) and the share of the
free income the instalment takes.

The thresholds are data (:class:`Thresholds`), not constants in the logic:
DOMAIN.md marks them as common conventions it could not confirm in a
microcredit source ("> 1 is the minimum; lenders often want >= 1.2-1.5";
"instalment <= 50-70 % of the free surplus"), and each institution sets its
own. Pass a lender's values when they are known.

DSCR and other multiples have two decimals; shares are fractions with four.
A verdict is decided on the rounded figure the user sees.
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from micro.finance._money import (
    CENT,
    CONTEXT,
    DecimalLike,
    non_negative,
    positive,
    ratio,
    to_decimal,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "RepaymentCapacity",
    "Thresholds",
    "Verdict",
    "current_ratio",
    "debt_service_coverage",
    "debt_to_equity",
    "dscr_verdict",
    "free_income",
    "gross_margin_ratio",
    "instalment_share",
    "instalment_share_verdict",
    "instalment_to_revenue",
    "loan_to_investment",
    "own_contribution_ratio",
    "payback_period_years",
    "repayment_capacity",
]


class Verdict(StrEnum):
    """Outcome of a repayment-capacity test, from best to worst."""

    OK = "ok"
    BORDERLINE = "borderline"
    INSUFFICIENT = "insufficient"

    @property
    def severity(self) -> int:
        """0 for OK, 1 for BORDERLINE, 2 for INSUFFICIENT (to pick the worst)."""
        return list(Verdict).index(self)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Limits for the verdicts; defaults from DOMAIN.md 4.2 f (unverified conventions).

    DSCR: at or below ``dscr_minimum`` is insufficient, from
    ``dscr_preferred`` up is OK, in between borderline. Instalment share of
    free income: up to ``instalment_share_preferred`` is OK, up to
    ``instalment_share_maximum`` borderline, above it insufficient.
    """

    dscr_minimum: Decimal = Decimal("1.00")
    dscr_preferred: Decimal = Decimal("1.20")
    instalment_share_preferred: Decimal = Decimal("0.50")
    instalment_share_maximum: Decimal = Decimal("0.70")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class RepaymentCapacity:
    """Both tests and the overall verdict (the worse of the two).

    ``instalment_share`` is ``None`` when the free income is zero or negative:
    the household cannot pay any instalment, and the verdict is insufficient.
    """

    dscr: Decimal
    dscr_verdict: Verdict
    free_income: Decimal
    instalment_share: Decimal | None
    instalment_share_verdict: Verdict
    instalment_to_revenue: Decimal | None
    verdict: Verdict


def _multiple(value: Decimal) -> Decimal:
    return value.quantize(CENT, context=CONTEXT)


def debt_service_coverage(cash_available: DecimalLike, debt_service: DecimalLike) -> Decimal:
    """DSCR = cash available for debt service / (principal + interest due)."""
    available = to_decimal(cash_available, "cash_available")
    due = positive(debt_service, "debt_service")
    with localcontext(CONTEXT):
        return _multiple(available / due)


def dscr_verdict(dscr: Decimal, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """DSCR must be *above* the minimum; OK from the preferred level up."""
    if dscr <= thresholds.dscr_minimum:
        return Verdict.INSUFFICIENT
    if dscr < thresholds.dscr_preferred:
        return Verdict.BORDERLINE
    return Verdict.OK


def free_income(
    business_surplus: DecimalLike,
    other_household_income: DecimalLike = 0,
    household_living_costs: DecimalLike = 0,
) -> Decimal:
    """Business net cash surplus + other household income − living costs."""
    surplus = to_decimal(business_surplus, "business_surplus")
    other = non_negative(other_household_income, "other_household_income")
    living = non_negative(household_living_costs, "household_living_costs")
    with localcontext(CONTEXT):
        return surplus + other - living


def instalment_share(
    instalment: DecimalLike,
    business_surplus: DecimalLike,
    other_household_income: DecimalLike = 0,
    household_living_costs: DecimalLike = 0,
) -> Decimal | None:
    """Instalment / free income, or ``None`` when there is no free income."""
    amount = positive(instalment, "instalment")
    available = free_income(business_surplus, other_household_income, household_living_costs)
    if available <= 0:
        return None
    with localcontext(CONTEXT):
        return ratio(amount / available)


def instalment_share_verdict(share: Decimal | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """OK up to the preferred share, borderline up to the maximum."""
    if share is None or share > thresholds.instalment_share_maximum:
        return Verdict.INSUFFICIENT
    if share > thresholds.instalment_share_preferred:
        return Verdict.BORDERLINE
    return Verdict.OK


def repayment_capacity(
    *,
    instalment: DecimalLike,
    business_surplus: DecimalLike,
    other_household_income: DecimalLike = 0,
    household_living_costs: DecimalLike = 0,
    monthly_revenue: DecimalLike | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RepaymentCapacity:
    """Run both tests on monthly figures and combine them.

    ``business_surplus`` is the business's monthly net cash surplus before the
    instalment (the DSCR numerator); the household figures only enter the
    free-income test.
    """
    positive(instalment, "instalment")
    dscr = debt_service_coverage(business_surplus, instalment)
    share = instalment_share(instalment, business_surplus, other_household_income, household_living_costs)
    first = dscr_verdict(dscr, thresholds)
    second = instalment_share_verdict(share, thresholds)
    to_revenue = None if monthly_revenue is None else instalment_to_revenue(instalment, monthly_revenue)
    return RepaymentCapacity(
        dscr=dscr,
        dscr_verdict=first,
        free_income=free_income(business_surplus, other_household_income, household_living_costs),
        instalment_share=share,
        instalment_share_verdict=second,
        instalment_to_revenue=to_revenue,
        verdict=max(first, second, key=lambda verdict: verdict.severity),
    )


def instalment_to_revenue(instalment: DecimalLike, monthly_revenue: DecimalLike) -> Decimal:
    """Quick screening: instalment / monthly revenue (a fraction)."""
    amount = non_negative(instalment, "instalment")
    revenue = positive(monthly_revenue, "monthly_revenue")
    with localcontext(CONTEXT):
        return ratio(amount / revenue)


def own_contribution_ratio(own_funds: DecimalLike, total_investment: DecimalLike) -> Decimal:
    """Own funds / total investment (a fraction)."""
    own = non_negative(own_funds, "own_funds")
    total = positive(total_investment, "total_investment")
    with localcontext(CONTEXT):
        return ratio(own / total)


def loan_to_investment(loan: DecimalLike, total_investment: DecimalLike) -> Decimal:
    """Loan / total uses (a fraction; some lenders allow up to 1)."""
    amount = non_negative(loan, "loan")
    total = positive(total_investment, "total_investment")
    with localcontext(CONTEXT):
        return ratio(amount / total)


def gross_margin_ratio(revenue: DecimalLike, cost_of_goods_sold: DecimalLike) -> Decimal:
    """(Revenue − COGS) / revenue (a fraction)."""
    sales = positive(revenue, "revenue")
    cogs = non_negative(cost_of_goods_sold, "cost_of_goods_sold")
    with localcontext(CONTEXT):
        return ratio((sales - cogs) / sales)


def current_ratio(current_assets: DecimalLike, current_liabilities: DecimalLike) -> Decimal:
    """Current assets / current liabilities; above 1 means short-term liquidity."""
    assets = non_negative(current_assets, "current_assets")
    liabilities = positive(current_liabilities, "current_liabilities")
    with localcontext(CONTEXT):
        return _multiple(assets / liabilities)


def debt_to_equity(total_debt: DecimalLike, equity: DecimalLike) -> Decimal:
    """Total debt / equity (leverage)."""
    debt = non_negative(total_debt, "total_debt")
    own = positive(equity, "equity")
    with localcontext(CONTEXT):
        return _multiple(debt / own)


def payback_period_years(investment: DecimalLike, annual_net_cash_flow: DecimalLike) -> Decimal:
    """Years to recover the investment: investment / annual net cash flow."""
    amount = non_negative(investment, "investment")
    flow = positive(annual_net_cash_flow, "annual_net_cash_flow")
    with localcontext(CONTEXT):
        return _multiple(amount / flow)
