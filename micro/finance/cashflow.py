"""Monthly cash-flow plan (DOMAIN.md 4.2 e).

Why: a profitable plan can still run out of cash - receipts come late,
quarterly contributions and the loan instalments come on time. The plan shows
each month's opening, in, out, net and closing cash, and warns about every
month whose closing balance is negative. The lowest point sizes the
working-capital reserve.

Receipts and payments are given either as one list of monthly totals, as a
single amount repeated every month, or as named lines
(``{"sales": [...], "rent": 500}``) that are added up month by month.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from micro.finance._money import (
    CONTEXT,
    ZERO,
    DecimalLike,
    cents,
    line_totals,
    to_decimal,
    whole_number,
)

__all__ = ["MAX_PLAN_MONTHS", "CashFlowMonth", "CashFlowPlan", "Lines", "cash_flow_plan"]

MAX_PLAN_MONTHS = 36
"""Plans are monthly for 12-24 months; 36 leaves room."""

Lines = DecimalLike | Sequence[DecimalLike] | Mapping[str, DecimalLike | Sequence[DecimalLike]]
"""One amount every month, one amount per month, or named lines of either."""


@dataclass(frozen=True, slots=True)
class CashFlowMonth:
    """One month: ``closing = opening + cash_in − cash_out``; ``net = in − out``."""

    month: int
    opening: Decimal
    cash_in: Decimal
    cash_out: Decimal
    net: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class CashFlowPlan:
    """The whole plan.

    ``negative_months`` lists the (1-based) months whose closing cash is
    below zero - the warning. ``lowest_closing`` is the lowest closing balance
    and ``lowest_month`` where it happens (the first, if tied);
    ``reserve_needed`` is the extra opening cash that would keep every month at
    zero or above.
    """

    opening_cash: Decimal
    months: tuple[CashFlowMonth, ...]
    negative_months: tuple[int, ...]
    lowest_closing: Decimal
    lowest_month: int
    reserve_needed: Decimal
    total_in: Decimal
    total_out: Decimal
    closing_cash: Decimal

    @property
    def has_warning(self) -> bool:
        """True when cash runs out in at least one month."""
        return bool(self.negative_months)


def cash_flow_plan(
    *,
    opening_cash: DecimalLike,
    receipts: Lines,
    payments: Lines,
    months: int = 12,
) -> CashFlowPlan:
    """Roll cash forward month by month; every month is rounded to the cent.

    Amounts must be non-negative (a refund is a receipt, not a negative
    payment); a wrong list length is reported on ``receipts`` / ``payments``
    (or ``receipts.<line>``). The opening cash may be negative (an overdraft).
    """
    count = whole_number(months, "months", 1, MAX_PLAN_MONTHS)
    opening = cents(to_decimal(opening_cash, "opening_cash"))
    cash_in = [cents(amount) for amount in line_totals(receipts, "receipts", count)]
    cash_out = [cents(amount) for amount in line_totals(payments, "payments", count)]

    rows: list[CashFlowMonth] = []
    balance = opening
    with localcontext(CONTEXT):
        for month, (money_in, money_out) in enumerate(zip(cash_in, cash_out, strict=True), 1):
            net = money_in - money_out
            closing = balance + net
            rows.append(CashFlowMonth(month, balance, money_in, money_out, net, closing))
            balance = closing
        lowest = min(rows, key=lambda row: row.closing)
        return CashFlowPlan(
            opening_cash=opening,
            months=tuple(rows),
            negative_months=tuple(row.month for row in rows if row.closing < 0),
            lowest_closing=lowest.closing,
            lowest_month=lowest.month,
            reserve_needed=max(ZERO, -lowest.closing),
            total_in=sum(cash_in, ZERO),
            total_out=sum(cash_out, ZERO),
            closing_cash=balance,
        )
