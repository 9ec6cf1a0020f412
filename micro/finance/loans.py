"""Loan amortisation schedules, APR and the flat-rate trap (DOMAIN.md 4.2 a).

Why this module exists: operators must explain to a migrant what a microloan
really costs, month by month, and the plan builder needs the interest part of
each instalment for the P&L (interest is an expense, the principal is not).

Conventions (shared by every function here):

* Instalments are monthly. ``annual_rate`` is the nominal annual rate in
  percent (``6.9`` means 6.9 %); the periodic rate is ``r = annual_rate / 1200``.
* Every period is rounded to the cent, half up: the interest of a period is
  ``round(r * opening balance)``; the regular instalment is rounded once.
  The **last instalment absorbs the rounding**, so the balance ends at exactly
  0.00 and the principal parts add up exactly to the principal.
* Grace period (``grace_months``, counted inside ``months``):
  ``interest_only`` - the borrower pays the interest each grace month;
  ``capitalised`` - nothing is paid and the interest is added to the balance
  (the row shows ``payment`` 0.00, the interest, and a *negative* principal part
  equal to it, so ``payment = interest + principal`` still holds).
  The loan is then amortised over the remaining ``months - grace_months``.
* APR (TAEG / TAE / effektiver Jahreszins): the borrower receives
  ``principal - fees`` at t = 0 and pays ``payment_k`` at the end of month k.
  We solve ``principal - fees = sum(payment_k / (1 + i) ** k)`` for the monthly
  rate ``i`` and annualise it as ``APR = (1 + i) ** 12 - 1`` - the same thing
  as the EU formula with times in years, ``sum(A / (1 + APR) ** (k / 12))``.
  It is given in percent with two decimals.
* Rounding drift: with a constant instalment in whole cents, each cent of
  rounding compounds at ``r`` until the end, and the last instalment absorbs
  the sum. For microcredit terms (up to ~15 years, ~25 %) that is a few cents
  to a few euros. With a very high rate over decades (e.g. 35 % over 45
  years) the exact principal parts are fractions of a cent for most of the
  life, nothing is really amortised and the last instalment can be tens of
  times the regular one. That is what the bank convention gives; it is
  documented, not hidden.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Context, Decimal, localcontext
from enum import StrEnum

from micro.finance._money import (
    CENT,
    CONTEXT,
    ZERO,
    DecimalLike,
    cents,
    in_range,
    non_negative,
    positive,
    whole_cents,
    whole_number,
)
from micro.finance.errors import FinanceInputError

__all__ = [
    "MAX_MONTHS",
    "MAX_PRINCIPAL",
    "MAX_RATE",
    "FlatRateEquivalent",
    "GraceMode",
    "LoanResult",
    "Method",
    "ScheduleRow",
    "amortisation_schedule",
    "annual_percentage_rate",
    "annuity_installment",
    "annuity_total_interest",
    "flat_rate_to_effective",
    "interest_by_year",
    "max_affordable_principal",
]

MAX_PRINCIPAL = Decimal(10_000_000)
"""Anything above this is a typing error, not a microloan."""
MAX_RATE = Decimal(100)
"""Highest nominal annual rate accepted, in percent."""
MAX_MONTHS = 600
"""Fifty years of monthly instalments."""

# The APR can be astronomically large for absurd cash flows; quantise it in a
# context wide enough for any float.
_WIDE = Context(prec=400)


class Method(StrEnum):
    """How the principal is repaid."""

    FRENCH = "french"
    """Constant instalment (annuity); the principal part grows each month."""
    ITALIAN = "italian"
    """Constant principal part; the instalment falls each month."""


class GraceMode(StrEnum):
    """What happens to interest during a repayment-free start."""

    INTEREST_ONLY = "interest_only"
    """Interest is paid every grace month; the balance does not move."""
    CAPITALISED = "capitalised"
    """Nothing is paid; interest is added to the balance."""


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One month of a schedule. ``payment == interest + principal`` always."""

    period: int
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal

    def as_dict(self) -> dict[str, int | Decimal]:
        """The row as a plain mapping (for templates, CSV and JSON)."""
        return {
            "period": self.period,
            "payment": self.payment,
            "interest": self.interest,
            "principal": self.principal,
            "balance": self.balance,
        }


@dataclass(frozen=True, slots=True)
class LoanResult:
    """A complete schedule and its totals.

    ``installment`` is the regular instalment after any grace period (for the
    Italian method, the first and largest one). ``grace_payment`` is what is
    paid in the first grace month (0.00 without grace or when capitalised).
    ``total_paid == principal + total_interest``; fees are *not* in it but are
    in ``total_cost`` (interest + fees) and in ``apr``.
    """

    method: Method
    principal: Decimal
    annual_rate: Decimal
    months: int
    grace_months: int
    grace_mode: GraceMode
    fees: Decimal
    installment: Decimal
    grace_payment: Decimal
    total_interest: Decimal
    total_paid: Decimal
    total_cost: Decimal
    apr: Decimal
    schedule: tuple[ScheduleRow, ...]


@dataclass(frozen=True, slots=True)
class FlatRateEquivalent:
    """A flat rate restated as the declining-balance rate it really is.

    ``declining_rate`` is the nominal annual rate (percent) a normal
    declining-balance loan would need to cost the same; ``apr`` is the
    effective annual rate (percent). Both with two decimals.
    """

    flat_rate: Decimal
    months: int
    declining_rate: Decimal
    apr: Decimal


def _periodic_rate(annual_rate: Decimal) -> Decimal:
    with localcontext(CONTEXT):
        return annual_rate / 1200


def _annuity_exact(balance: Decimal, rate: Decimal, periods: int) -> Decimal:
    """Unrounded ``A = B·r / (1 − (1 + r)^−n)``; ``B / n`` at zero rate."""
    with localcontext(CONTEXT):
        if rate == 0:
            return balance / periods
        return balance * rate / (1 - (1 + rate) ** -periods)


def _check_rate(annual_rate: DecimalLike) -> Decimal:
    return in_range(annual_rate, "annual_rate", Decimal(0), MAX_RATE)


def _check_months(months: int) -> int:
    return whole_number(months, "months", 1, MAX_MONTHS)


def _check_principal(principal: DecimalLike) -> Decimal:
    value = positive(principal, "principal")
    if value > MAX_PRINCIPAL:
        raise FinanceInputError(
            "principal",
            f"Must be at most {MAX_PRINCIPAL:,}.",
            "too_large",
            {"max": MAX_PRINCIPAL},
        )
    return cents(whole_cents(value, "principal"))


def annuity_installment(principal: DecimalLike, annual_rate: DecimalLike, months: int) -> Decimal:
    """The constant French instalment ``A = P·r / (1 − (1 + r)^−n)``, to the cent."""
    amount = _check_principal(principal)
    rate = _periodic_rate(_check_rate(annual_rate))
    return cents(_annuity_exact(amount, rate, _check_months(months)))


def annuity_total_interest(principal: DecimalLike, annual_rate: DecimalLike, months: int) -> Decimal:
    """The textbook total interest ``n·A − P`` with the *unrounded* ``A``.

    This is the figure the formula sheet in DOMAIN.md 4.2 shows. A real
    schedule rounds every month, so its ``total_interest`` differs by a few
    cents; teach with this, lend with :func:`amortisation_schedule`.
    """
    amount = _check_principal(principal)
    count = _check_months(months)
    rate = _periodic_rate(_check_rate(annual_rate))
    with localcontext(CONTEXT):
        return cents(count * _annuity_exact(amount, rate, count) - amount)


def max_affordable_principal(installment: DecimalLike, annual_rate: DecimalLike, months: int) -> Decimal:
    """Largest loan a given instalment repays: ``P = A·(1 − (1 + r)^−n) / r``.

    Rounded *down* to the cent, because it is a ceiling for the borrower.
    """
    amount = positive(installment, "installment")
    count = _check_months(months)
    rate = _periodic_rate(_check_rate(annual_rate))
    with localcontext(CONTEXT):
        value = amount * count if rate == 0 else amount * (1 - (1 + rate) ** -count) / rate
        return value.quantize(CENT, rounding=ROUND_DOWN)


def _monthly_irr_discount(disbursed: float, payments: Sequence[float]) -> float:
    """The discount factor ``v = 1 / (1 + i)`` that prices the payments at ``disbursed``.

    ``g(v) = Σ p_k·v^k − disbursed`` rises with ``v`` (payments are >= 0), and
    ``g(0) < 0``, so bisection on ``v`` always finds the single root.
    """

    def gap(v: float) -> float:
        total = 0.0
        for payment in reversed(payments):
            total = (total + payment) * v
        return total - disbursed

    low, high = 0.0, 1.0
    while gap(high) < 0:
        low, high = high, high * 2
    while True:
        middle = (low + high) / 2
        if middle in (low, high):
            return middle
        if gap(middle) < 0:
            low = middle
        else:
            high = middle


def annual_percentage_rate(disbursed: DecimalLike, payments: Sequence[DecimalLike]) -> Decimal:
    """Effective annual rate, in percent (2 decimals), of a monthly loan.

    ``disbursed`` is the money actually received at t = 0 (principal minus
    upfront fees); ``payments[k - 1]`` is paid at the end of month ``k``.
    The monthly internal rate ``i`` is found by bisection on floats, then
    annualised as ``(1 + i) ** 12 - 1``: exact to the hundredth for any
    realistic rate, to ~15 significant digits for absurd ones.
    """
    received = positive(disbursed, "disbursed")
    amounts = [non_negative(payment, "payments") for payment in payments]
    if sum(amounts, ZERO) == 0:
        raise FinanceInputError("payments", "Must contain a payment.", "must_be_positive")
    if sum(amounts, ZERO) == received:
        return ZERO
    discount = _monthly_irr_discount(float(received), [float(a) for a in amounts])
    try:
        annual = (discount**-12 - 1) * 100
    except (OverflowError, ZeroDivisionError):
        raise FinanceInputError(
            "disbursed",
            "The payments imply an unrealistically high rate.",
            "rate_too_high",
        ) from None
    with localcontext(_WIDE):
        return Decimal(repr(annual)).quantize(CENT)


def _rows(
    *,
    principal: Decimal,
    rate: Decimal,
    months: int,
    method: Method,
    grace_months: int,
    grace_mode: GraceMode,
) -> tuple[Decimal, list[ScheduleRow]]:
    """Build the rows; return them with the regular instalment."""
    rows: list[ScheduleRow] = []
    balance = cents(principal)
    with localcontext(CONTEXT):
        for period in range(1, grace_months + 1):
            interest = cents(balance * rate)
            if grace_mode is GraceMode.INTEREST_ONLY:
                rows.append(ScheduleRow(period, interest, interest, ZERO, balance))
            else:
                balance += interest
                rows.append(ScheduleRow(period, ZERO, interest, -interest, balance))

        remaining = months - grace_months
        if method is Method.FRENCH:
            installment = cents(_annuity_exact(balance, rate, remaining))
            principal_step = ZERO  # unused for the French method
        else:
            installment = ZERO  # set from the first amortising row below
            principal_step = cents(balance / remaining)

        for period in range(grace_months + 1, months + 1):
            interest = cents(balance * rate)
            if period == months:
                part = balance
            elif method is Method.FRENCH:
                # Clamp so that a rounded-up instalment never overshoots.
                part = min(installment - interest, balance)
            else:
                part = min(principal_step, balance)
            balance -= part
            rows.append(ScheduleRow(period, interest + part, interest, part, balance))

    if method is Method.ITALIAN:
        installment = rows[grace_months].payment
    return installment, rows


def amortisation_schedule(
    *,
    principal: DecimalLike,
    annual_rate: DecimalLike,
    months: int,
    method: Method | str = Method.FRENCH,
    grace_months: int = 0,
    grace_mode: GraceMode | str = GraceMode.INTEREST_ONLY,
    fees: DecimalLike = 0,
) -> LoanResult:
    """Full monthly schedule of a loan, with totals and APR.

    Validates every input and raises :class:`FinanceInputError` naming the
    field: principal in (0, 10,000,000] and in whole cents; annual_rate in
    [0, 100]; months in [1, 600]; grace_months in [0, months); fees >= 0 and
    below the principal; a known method and grace mode.
    """
    amount = _check_principal(principal)
    nominal = _check_rate(annual_rate)
    count = _check_months(months)
    if isinstance(grace_months, bool) or not isinstance(grace_months, int):
        raise FinanceInputError("grace_months", "Must be a whole number.", "invalid_number")
    if grace_months < 0:
        raise FinanceInputError("grace_months", "Must not be negative.", "must_not_be_negative")
    if grace_months >= count:
        raise FinanceInputError(
            "grace_months",
            "Must be fewer than the number of months.",
            "must_be_less_than_months",
            {"months": count},
        )
    try:
        mode = GraceMode(grace_mode)
    except ValueError:
        raise FinanceInputError(
            "grace_mode",
            "Unknown grace mode.",
            "unknown_choice",
            {"choices": [m.value for m in GraceMode]},
        ) from None
    upfront = cents(whole_cents(non_negative(fees, "fees"), "fees"))
    if upfront >= amount:
        raise FinanceInputError("fees", "Must be less than the principal.", "must_be_less_than_principal")
    try:
        repayment = Method(method)
    except ValueError:
        raise FinanceInputError(
            "method",
            "Unknown repayment method.",
            "unknown_choice",
            {"choices": [m.value for m in Method]},
        ) from None

    installment, rows = _rows(
        principal=amount,
        rate=_periodic_rate(nominal),
        months=count,
        method=repayment,
        grace_months=grace_months,
        grace_mode=mode,
    )
    with localcontext(CONTEXT):
        total_interest = sum((row.interest for row in rows), ZERO)
        total_paid = sum((row.payment for row in rows), ZERO)
        disbursed = amount - upfront
    try:
        apr = annual_percentage_rate(disbursed, [row.payment for row in rows])
    except FinanceInputError as error:
        raise FinanceInputError("fees", error.message, error.code) from None
    return LoanResult(
        method=repayment,
        principal=amount,
        annual_rate=nominal,
        months=count,
        grace_months=grace_months,
        grace_mode=mode,
        fees=upfront,
        installment=installment,
        grace_payment=rows[0].payment if grace_months else ZERO,
        total_interest=total_interest,
        total_paid=total_paid,
        total_cost=total_interest + upfront,
        apr=apr,
        schedule=tuple(rows),
    )


def interest_by_year(result: LoanResult, years: int | None = None) -> list[Decimal]:
    """Interest paid (or capitalised) in each 12-month block of the schedule.

    The P&L needs this: interest is an expense, the principal part is not.
    ``years`` pads with 0.00 (or truncates) to a fixed horizon, e.g. 3.
    """
    count = years if years is not None else -(-result.months // 12)
    whole_number(count, "years", 1, MAX_MONTHS)
    totals = [ZERO] * count
    for row in result.schedule:
        year = (row.period - 1) // 12
        if year < count:
            totals[year] += row.interest
    return totals


def flat_rate_to_effective(flat_rate: DecimalLike, months: int) -> FlatRateEquivalent:
    """Restate a flat rate (charged on the *original* principal) honestly.

    With a flat rate ``f`` over ``n`` months, interest is ``P·f·n/12`` however
    much has been repaid, and the instalment is ``(P + interest) / n``. We solve
    for the declining-balance rate with the same instalments. It is close to
    twice the flat rate - the "flat-rate trap" of DOMAIN.md 4.2.
    """
    flat = in_range(flat_rate, "flat_rate", Decimal(0), MAX_RATE)
    count = _check_months(months)
    if flat == 0:
        return FlatRateEquivalent(flat, count, ZERO, ZERO)
    with localcontext(CONTEXT):
        payment = (1 + flat / 100 * count / 12) / count
    discount = _monthly_irr_discount(1.0, [float(payment)] * count)
    monthly = 1 / discount - 1
    with localcontext(_WIDE):
        declining = Decimal(repr(monthly * 1200)).quantize(CENT)
        apr = Decimal(repr(((1 + monthly) ** 12 - 1) * 100)).quantize(CENT)
    return FlatRateEquivalent(flat, count, declining, apr)
