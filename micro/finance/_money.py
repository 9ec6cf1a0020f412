"""Private helpers shared by the finance modules: input coercion and rounding.

Money is ``Decimal`` everywhere; floats are refused because they cannot hold
cents exactly. All arithmetic runs in a wide local context so that long,
high-rate schedules never lose digits before the final rounding to the cent.
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from micro.finance.errors import FinanceInputError

DecimalLike = Decimal | int | str
"""What the public functions accept for an amount or a rate (never float)."""

CENT = Decimal("0.01")
RATIO_STEP = Decimal("0.0001")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# 60 significant digits: enough for a 10 million principal compounded at
# 100 % a year for 50 years, with cents, and for the rounding drift on top.
CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up (the banking rule the brief asks for)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=CONTEXT)


def ratio(value: Decimal) -> Decimal:
    """Round a plain ratio (a fraction or a multiple) to four decimals."""
    return value.quantize(RATIO_STEP, rounding=ROUND_HALF_UP, context=CONTEXT)


def to_decimal(value: object, field: str) -> Decimal:
    """Turn an accepted number into a finite ``Decimal`` or raise on ``field``."""
    if isinstance(value, (bool, float)):
        raise FinanceInputError(field, "Must be a decimal number, not a float.", "invalid_number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise FinanceInputError(field, "Must be a number.", "invalid_number") from None
    else:
        raise FinanceInputError(field, "Must be a number.", "invalid_number")
    if not result.is_finite():
        raise FinanceInputError(field, "Must be a finite number.", "invalid_number")
    return result


def non_negative(value: object, field: str) -> Decimal:
    """Coerce and check ``value >= 0``."""
    number = to_decimal(value, field)
    if number < 0:
        raise FinanceInputError(field, "Must not be negative.", "must_not_be_negative")
    return number


def positive(value: object, field: str) -> Decimal:
    """Coerce and check ``value > 0``."""
    number = to_decimal(value, field)
    if number <= 0:
        raise FinanceInputError(field, "Must be greater than zero.", "must_be_positive")
    return number


def in_range(value: object, field: str, low: Decimal, high: Decimal) -> Decimal:
    """Coerce and check ``low <= value <= high``."""
    number = to_decimal(value, field)
    if number < low or number > high:
        raise FinanceInputError(
            field,
            f"Must be between {low} and {high}.",
            "out_of_range",
            {"min": low, "max": high},
        )
    return number


def whole_number(value: object, field: str, low: int, high: int) -> int:
    """Check an integer count (months, years) lies in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FinanceInputError(field, "Must be a whole number.", "invalid_number")
    if value < low or value > high:
        raise FinanceInputError(
            field,
            f"Must be between {low} and {high}.",
            "out_of_range",
            {"min": low, "max": high},
        )
    return value


def series(value: object, field: str, length: int) -> list[Decimal]:
    """A per-period input: one amount repeated, or exactly ``length`` amounts.

    Every amount must be non-negative.
    """
    if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        return [non_negative(value, field)] * length
    if not isinstance(value, Sequence):
        raise FinanceInputError(field, "Must be an amount or a list of amounts.")
    if len(value) != length:
        raise FinanceInputError(
            field,
            f"Must have exactly {length} values.",
            "wrong_length",
            {"length": length},
        )
    return [non_negative(item, field) for item in value]


def line_totals(value: object, field: str, length: int) -> list[Decimal]:
    """Per-period totals from a list of amounts or from named lines of lists.

    ``{"sales": [...], "grant": [...]}`` is summed period by period; a bad line
    is reported on ``field.line`` so the caller can point at it.
    """
    if isinstance(value, Mapping):
        totals = [Decimal(0)] * length
        for name, line in value.items():
            amounts = series(line, f"{field}.{name}", length)
            totals = [total + amount for total, amount in zip(totals, amounts, strict=True)]
        return totals
    return series(value, field, length)


def whole_cents(value: Decimal, field: str) -> Decimal:
    """Refuse fractions of a cent in an amount of money."""
    if value != cents(value):
        raise FinanceInputError(field, "Must be in whole cents.", "too_many_decimals")
    return value
