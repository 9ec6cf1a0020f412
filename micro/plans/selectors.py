"""Reads of business plans: the session's plan, its progress and its results.

Every result is computed by ``micro.finance`` from the stored inputs; nothing computed is stored.
The only arithmetic here prepares the *input series* the core has no function for: monthly sales
and variable costs (units × price, units × variable cost), the yearly growth of sales, and totals
of the lines the user typed (fixed costs per month ×12 for a year). Everything after that - budget,
P&L, cash flow, break-even, loan schedule, ratios and verdicts - comes from the core, and the only
other arithmetic is adding up what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from django.http import HttpRequest

from micro.finance import (
    BreakEven,
    CashFlowPlan,
    FinanceInputError,
    LoanResult,
    ProfitAndLoss,
    RepaymentCapacity,
    StartupBudget,
    amortisation_schedule,
    break_even,
    cash_flow_plan,
    interest_by_year,
    profit_and_loss,
    repayment_capacity,
    startup_budget,
    survival_break_even,
)
from micro.pathway.selectors import journey_from_request
from micro.plans import structure as s
from micro.plans.finance_messages import finance_error_message
from micro.plans.models import BusinessPlan

T = TypeVar("T")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
GENERAL = "__all__"

# Finance-core argument → the form field the user typed it in.
_SAME_NAME = {
    "price",
    "variable_cost",
    "principal",
    "annual_rate",
    "months",
    "grace_months",
    "grace_mode",
    "method",
    "fees",
    "opening_cash",
    "owner_drawings",
    *s.SOURCE_FIELDS,
}
_RENAMED = {
    "fixed_costs": "fixed_1_amount",
    "cash_fixed_costs": "fixed_1_amount",
    "disbursed": "fees",
}
_USE_FIELDS = set(s.USE_KIND_TO_FINANCE.values())


def form_field_for(finance_field: str) -> str:
    """Where a finance error belongs on the plan pages (``__all__`` when it fits no single field)."""
    base, _dot, line = finance_field.partition(".")
    if base in _USE_FIELDS:
        return f"use_{line}_amount" if line.isdigit() else "use_1_amount"
    if base in _SAME_NAME:
        return base
    return _RENAMED.get(base, GENERAL)


def _decimal(value: object) -> Decimal | None:
    """A stored canonical number, or ``None`` for a blank (or anything unreadable)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _first_month(amount: Decimal) -> list[Decimal]:
    return [amount] + [ZERO] * (s.MONTHS - 1)


@dataclass(frozen=True, slots=True)
class Line:
    """A line the user typed (a start-up use or a fixed cost), as shown back in the tables."""

    label: str
    kind: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SalesSeries:
    """The sales forecast as the finance core needs it: per month for year 1, per year for three years."""

    price: Decimal
    variable_cost: Decimal
    units: tuple[Decimal, ...]
    revenue: tuple[Decimal, ...]
    variable_costs: tuple[Decimal, ...]
    units_by_year: tuple[Decimal, ...]
    revenue_by_year: tuple[Decimal, ...]
    variable_costs_by_year: tuple[Decimal, ...]
    growth_year2: Decimal
    growth_year3: Decimal


@dataclass(frozen=True)
class PlanResults:
    """Everything the results page, the live summary and the PDF show. ``None`` means "not enough input yet"."""

    budget: StartupBudget | None = None
    budget_lines: tuple[Line, ...] = ()
    sales: SalesSeries | None = None
    fixed_cost_lines: tuple[Line, ...] = ()
    monthly_fixed_costs: Decimal = ZERO
    owner_drawings: Decimal = ZERO
    pnl: ProfitAndLoss | None = None
    cash_flow: CashFlowPlan | None = None
    break_even: BreakEven | None = None
    break_even_year: BreakEven | None = None
    survival: BreakEven | None = None
    loan: LoanResult | None = None
    debt_service_year: Decimal | None = None
    capacity: RepaymentCapacity | None = None
    loan_differs_from_budget: bool = False
    budget_loan_without_terms: bool = False
    missing: tuple[str, ...] = ()
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_numbers(self) -> bool:
        return any(part is not None for part in (self.budget, self.pnl, self.loan))

    @property
    def margin_of_safety(self) -> Decimal | None:
        return self.break_even_year.margin_of_safety if self.break_even_year else None

    @property
    def error_items(self) -> list[tuple[str, list[str]]]:
        return list(self.errors.items())


class _Collector:
    """Runs finance calls and files each refusal under the form field it belongs to."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def attempt(self, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except FinanceInputError as error:
            messages = self.errors.setdefault(form_field_for(error.field), [])
            message = finance_error_message(error)
            if message not in messages:
                messages.append(message)
            return None


def _lines(raw: object, kinds: bool) -> tuple[Line, ...]:
    lines = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        amount = _decimal(item.get("amount"))
        kind = str(item.get("kind") or "equipment") if kinds else ""
        if kinds and kind not in s.USE_KIND_TO_FINANCE:
            kind = "equipment"
        lines.append(Line(label=str(item.get("label") or ""), kind=kind, amount=amount or ZERO))
    return tuple(lines[: s.MAX_LINES])


def _sales_series(sales: Mapping[str, Any]) -> SalesSeries | None:
    """Monthly and yearly sales from the price, the units and the growth (input preparation only)."""
    price = _decimal(sales.get("price"))
    if price is None:
        return None
    variable = _decimal(sales.get("variable_cost")) or ZERO
    raw_units = list(sales.get("units") or [])[: s.MONTHS]
    units = [(_decimal(value) or ZERO) for value in raw_units] + [ZERO] * (s.MONTHS - len(raw_units))
    revenue = [_cents(count * price) for count in units]
    variable_costs = [_cents(count * variable) for count in units]
    growth2 = _decimal(sales.get("growth_year2")) or ZERO
    growth3 = _decimal(sales.get("growth_year3")) or ZERO
    year1 = sum(units, Decimal(0))
    year2 = year1 * (1 + growth2 / 100)
    year3 = year2 * (1 + growth3 / 100)
    return SalesSeries(
        price=price,
        variable_cost=variable,
        units=tuple(units),
        revenue=tuple(revenue),
        variable_costs=tuple(variable_costs),
        units_by_year=(year1, year2, year3),
        revenue_by_year=(sum(revenue, ZERO), _cents(year2 * price), _cents(year3 * price)),
        variable_costs_by_year=(sum(variable_costs, ZERO), _cents(year2 * variable), _cents(year3 * variable)),
        growth_year2=growth2,
        growth_year3=growth3,
    )


def _budget(part: Mapping[str, Any], run: _Collector) -> tuple[StartupBudget | None, tuple[Line, ...]]:
    lines = _lines(part.get("uses"), kinds=True)
    if not any(line.amount > 0 for line in lines):
        return None, lines
    by_kind: dict[str, dict[str, Decimal]] = {name: {} for name in s.USE_KIND_TO_FINANCE.values()}
    for index, line in enumerate(lines, 1):
        by_kind[s.USE_KIND_TO_FINANCE[line.kind]][str(index)] = line.amount
    sources = {name: _decimal(part.get(name)) or ZERO for name in s.SOURCE_FIELDS}
    budget = run.attempt(lambda: startup_budget(**by_kind, **sources))  # type: ignore[arg-type]
    return budget, lines


def _loan(part: Mapping[str, Any], run: _Collector) -> LoanResult | None:
    principal = _decimal(part.get("principal"))
    months = _decimal(part.get("months"))
    if not principal or months is None:
        return None
    rate = _decimal(part.get("annual_rate")) or ZERO
    grace = _decimal(part.get("grace_months")) or ZERO
    fees = _decimal(part.get("fees")) or ZERO
    return run.attempt(
        lambda: amortisation_schedule(
            principal=principal,
            annual_rate=rate,
            months=int(months),
            method=str(part.get("method") or "french"),
            grace_months=int(grace),
            grace_mode=str(part.get("grace_mode") or "interest_only"),
            fees=fees,
        )
    )


def results_from_inputs(inputs: Mapping[str, Any]) -> PlanResults:
    """Run the finance core on a plan's inputs; refusals are collected per form field, never raised."""
    run = _Collector()
    missing: list[str] = []
    budget_part = inputs.get("budget") or {}
    sales_part = inputs.get("sales") or {}
    loan_part = inputs.get("loan") or {}

    budget, budget_lines = _budget(budget_part, run)
    if budget is None:
        missing.append("budget")
    loan = _loan(loan_part, run)
    if loan is None and not _decimal(loan_part.get("principal")):
        missing.append("loan")

    sales = _sales_series(sales_part)
    fixed_lines = _lines(sales_part.get("fixed_costs"), kinds=False)
    monthly_fixed = sum((line.amount for line in fixed_lines), ZERO)
    drawings = _decimal(sales_part.get("owner_drawings")) or ZERO
    opening = _decimal(sales_part.get("opening_cash")) or ZERO
    pnl = cash = point = point_year = survival = capacity = None
    debt_service = None
    if sales is None:
        missing.append("sales")
    else:
        pnl = run.attempt(
            lambda: profit_and_loss(
                revenue=list(sales.revenue_by_year),
                fixed_costs=monthly_fixed * s.MONTHS,
                variable_costs=list(sales.variable_costs_by_year),
                interest=interest_by_year(loan, s.YEARS) if loan else ZERO,
                owner_drawings=drawings * s.MONTHS,
                years=s.YEARS,
            )
        )
        point = run.attempt(
            lambda: break_even(fixed_costs=monthly_fixed, price=sales.price, variable_cost=sales.variable_cost)
        )
        if point is not None and pnl is not None and pnl.years[0].revenue > 0:
            first_year = pnl.years[0]
            point_year = run.attempt(
                lambda: break_even(
                    fixed_costs=first_year.fixed_costs,
                    price=sales.price,
                    variable_cost=sales.variable_cost,
                    expected_revenue=first_year.revenue,
                )
            )
        survival = run.attempt(
            lambda: survival_break_even(
                price=sales.price,
                variable_cost=sales.variable_cost,
                cash_fixed_costs=monthly_fixed,
                loan_instalments=loan.installment if loan else ZERO,
                owner_drawings=drawings,
            )
        )
        receipts: dict[str, list[Decimal]] = {"sales": list(sales.revenue)}
        payments: dict[str, Any] = {
            "variable_costs": list(sales.variable_costs),
            "fixed_costs": monthly_fixed,
            "owner_drawings": drawings,
        }
        if budget is not None:
            receipts["own_funds"] = _first_month(budget.own_funds)
            receipts["grants"] = _first_month(budget.grants)
            receipts["family_loans"] = _first_month(budget.family_loans)
            # The working-capital reserve is not spent: it stays in the cash.
            payments["investments"] = _first_month(budget.fixed_investments)
            payments["setup_costs"] = _first_month(budget.setup_costs)
            payments["initial_stock"] = _first_month(budget.initial_stock)
            payments["contingency"] = _first_month(budget.contingency)
        if loan is not None:
            receipts["loan"] = _first_month(loan.principal)
            instalments = [row.payment for row in loan.schedule[: s.MONTHS]]
            payments["loan_instalments"] = instalments + [ZERO] * (s.MONTHS - len(instalments))
            payments["loan_fees"] = _first_month(loan.fees)
        cash = run.attempt(
            lambda: cash_flow_plan(opening_cash=opening, receipts=receipts, payments=payments, months=s.MONTHS)
        )
        if loan is not None and pnl is not None:
            window = loan.schedule[loan.grace_months : loan.grace_months + s.MONTHS]
            debt_service = sum((row.payment for row in window), ZERO)
            first = pnl.years[0]
            capacity = run.attempt(
                lambda: repayment_capacity(
                    instalment=debt_service,
                    business_surplus=first.ebitda,
                    household_living_costs=first.owner_drawings,
                    monthly_revenue=first.revenue if first.revenue > 0 else None,
                )
            )

    return PlanResults(
        budget=budget,
        budget_lines=budget_lines,
        sales=sales,
        fixed_cost_lines=fixed_lines,
        monthly_fixed_costs=monthly_fixed,
        owner_drawings=drawings,
        pnl=pnl,
        cash_flow=cash,
        break_even=point,
        break_even_year=point_year,
        survival=survival,
        loan=loan,
        debt_service_year=debt_service,
        capacity=capacity,
        loan_differs_from_budget=bool(
            budget is not None and loan is not None and budget.microloan > 0 and budget.microloan != loan.principal
        ),
        budget_loan_without_terms=bool(budget is not None and loan is None and budget.microloan > 0),
        missing=tuple(missing),
        errors=run.errors,
    )


def plan_results(plan: BusinessPlan) -> PlanResults:
    """The plan's numbers, computed now from its inputs (saved or not) by the finance core."""
    return results_from_inputs(plan.inputs or {})


def plan_for_journey(journey: Any) -> BusinessPlan | None:
    """The plan of a journey, for an adviser reading a shared journey."""
    return BusinessPlan.objects.filter(journey=journey).first()


def plan_sections_for_display(plan: BusinessPlan) -> list[tuple[str, str]]:
    """(heading, text) of every written section, in the order of DOMAIN.md 4.1."""
    return [
        (str(section.label), str(plan.sections[section.key]))
        for section in s.SECTIONS
        if plan.sections.get(section.key)
    ]


def plan_for_request(request: HttpRequest) -> BusinessPlan | None:
    """The plan of this browser session's journey, if there is one (reading creates nothing)."""
    journey = journey_from_request(request)
    if journey is None:
        return None
    return BusinessPlan.objects.filter(journey=journey).first()


@dataclass(frozen=True, slots=True)
class PlanProgress:
    has_title: bool
    sections_done: int
    sections_total: int
    budget_done: bool
    sales_done: bool
    loan_done: bool

    @property
    def done(self) -> int:
        return self.sections_done + sum((self.budget_done, self.sales_done, self.loan_done))

    @property
    def total(self) -> int:
        return self.sections_total + 3


def plan_progress(plan: BusinessPlan | None) -> PlanProgress:
    """What is filled in: each written section, the budget, the sales and the loan decision."""
    sections = (plan.sections if plan else None) or {}
    inputs = (plan.inputs if plan else None) or {}
    budget = inputs.get("budget") or {}
    return PlanProgress(
        has_title=bool(plan and plan.title),
        sections_done=sum(1 for key in s.SECTION_KEYS if str(sections.get(key) or "").strip()),
        sections_total=len(s.SECTION_KEYS),
        budget_done=any(_decimal(line.get("amount")) for line in budget.get("uses") or [] if isinstance(line, dict)),
        sales_done=_decimal((inputs.get("sales") or {}).get("price")) is not None,
        loan_done="loan" in inputs,
    )
