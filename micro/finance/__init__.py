"""MICRO finance core: pure-Python business-plan and loan calculations.

Why a separate package: the same numbers appear in the migrant's plan, the
operator's case, the lender dossier and the e-learning exercises, so they are
computed in one place that any layer can call and that is tested against the
worked examples of DOMAIN.md 4.2. It imports only the standard library -
nothing from Django or from other MICRO apps.

Conventions:

* Money is ``Decimal``, rounded to the cent half up at every period. Inputs
  may be ``Decimal``, ``int`` or a numeric ``str``; ``float`` is refused.
* Loan rates (``annual_rate``, ``flat_rate``) and results named ``apr`` or
  ``*_rate`` in :mod:`micro.finance.loans` are percentages (6.9 = 6.9 %),
  as lenders quote them. Every other ratio - inputs such as
  ``variable_cost_ratio``, ``tax_rate``, ``contingency_rate`` and outputs
  such as ``contribution_margin_ratio`` - is a plain fraction (0.35 = 35 %).
* Bad input raises :class:`FinanceInputError` with ``field``, ``code`` and an
  English ``message`` for the caller to translate.
"""

from micro.finance.breakeven import (
    BreakEven,
    break_even,
    break_even_revenue,
    contribution_margin,
    contribution_margin_ratio,
    margin_of_safety,
    survival_break_even,
)
from micro.finance.budget import StartupBudget, startup_budget, working_capital_reserve
from micro.finance.cashflow import CashFlowMonth, CashFlowPlan, cash_flow_plan
from micro.finance.errors import FinanceInputError
from micro.finance.loans import (
    FlatRateEquivalent,
    GraceMode,
    LoanResult,
    Method,
    ScheduleRow,
    amortisation_schedule,
    annual_percentage_rate,
    annuity_installment,
    annuity_total_interest,
    flat_rate_to_effective,
    interest_by_year,
    max_affordable_principal,
)
from micro.finance.pnl import PnlYear, ProfitAndLoss, profit_and_loss
from micro.finance.ratios import (
    DEFAULT_THRESHOLDS,
    RepaymentCapacity,
    Thresholds,
    Verdict,
    current_ratio,
    debt_service_coverage,
    debt_to_equity,
    dscr_verdict,
    free_income,
    gross_margin_ratio,
    instalment_share,
    instalment_share_verdict,
    instalment_to_revenue,
    loan_to_investment,
    own_contribution_ratio,
    payback_period_years,
    repayment_capacity,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "BreakEven",
    "CashFlowMonth",
    "CashFlowPlan",
    "FinanceInputError",
    "FlatRateEquivalent",
    "GraceMode",
    "LoanResult",
    "Method",
    "PnlYear",
    "ProfitAndLoss",
    "RepaymentCapacity",
    "ScheduleRow",
    "StartupBudget",
    "Thresholds",
    "Verdict",
    "amortisation_schedule",
    "annual_percentage_rate",
    "annuity_installment",
    "annuity_total_interest",
    "break_even",
    "break_even_revenue",
    "cash_flow_plan",
    "contribution_margin",
    "contribution_margin_ratio",
    "current_ratio",
    "debt_service_coverage",
    "debt_to_equity",
    "dscr_verdict",
    "flat_rate_to_effective",
    "free_income",
    "gross_margin_ratio",
    "instalment_share",
    "instalment_share_verdict",
    "instalment_to_revenue",
    "interest_by_year",
    "loan_to_investment",
    "margin_of_safety",
    "max_affordable_principal",
    "own_contribution_ratio",
    "payback_period_years",
    "profit_and_loss",
    "repayment_capacity",
    "startup_budget",
    "survival_break_even",
    "working_capital_reserve",
]
