"""Correct answers of numeric questions, computed by the finance core - never typed by an author.

A numeric question may carry a ``compute`` specification::

    {"function": "annuity_installment", "args": {"principal": "10000", "annual_rate": "6.9", "months": 48}}
    {"function": "break_even", "args": {...}, "result": "units"}
    {"function": "amortisation_schedule", "args": {...}, "result": "total_interest"}

``function`` is one of :data:`FUNCTIONS` (a calculation of :mod:`micro.finance`), ``args`` its
keyword arguments, and ``result`` the field to read when the function returns a record. The
import and the admin call :func:`compute_answer` and store its result as the question's answer,
so a lesson that teaches the finance core's method can never disagree with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from micro import finance


class ComputeError(ValueError):
    """The specification names no known calculation, or the calculation refused its inputs."""


@dataclass(frozen=True)
class Calculation:
    function: Callable[..., Any]
    results: frozenset[str] = frozenset()  # the fields of the record it returns; empty = returns a number
    integer_args: frozenset[str] = frozenset()


_LOAN_RESULTS = frozenset({"installment", "grace_payment", "total_interest", "total_paid", "total_cost", "apr"})
_BREAK_EVEN_RESULTS = frozenset({"units", "revenue", "contribution_margin", "contribution_margin_ratio"})

FUNCTIONS: dict[str, Calculation] = {
    "annuity_installment": Calculation(finance.annuity_installment, integer_args=frozenset({"months"})),
    "annuity_total_interest": Calculation(finance.annuity_total_interest, integer_args=frozenset({"months"})),
    "max_affordable_principal": Calculation(finance.max_affordable_principal, integer_args=frozenset({"months"})),
    "amortisation_schedule": Calculation(
        finance.amortisation_schedule, _LOAN_RESULTS, frozenset({"months", "grace_months"})
    ),
    "flat_rate_to_effective": Calculation(
        finance.flat_rate_to_effective, frozenset({"declining_rate", "apr"}), frozenset({"months"})
    ),
    "break_even": Calculation(finance.break_even, _BREAK_EVEN_RESULTS),
    "survival_break_even": Calculation(finance.survival_break_even, _BREAK_EVEN_RESULTS),
    "break_even_revenue": Calculation(finance.break_even_revenue),
    "contribution_margin": Calculation(finance.contribution_margin),
    "contribution_margin_ratio": Calculation(finance.contribution_margin_ratio),
    "margin_of_safety": Calculation(finance.margin_of_safety),
    "debt_service_coverage": Calculation(finance.debt_service_coverage),
    "instalment_to_revenue": Calculation(finance.instalment_to_revenue),
    "own_contribution_ratio": Calculation(finance.own_contribution_ratio),
    "loan_to_investment": Calculation(finance.loan_to_investment),
    "gross_margin_ratio": Calculation(finance.gross_margin_ratio),
    "payback_period_years": Calculation(finance.payback_period_years),
}


def _argument(name: str, value: Any, calculation: Calculation) -> Any:
    if isinstance(value, bool) or value is None:
        raise ComputeError(f"argument {name!r}: a number is needed")
    if name in calculation.integer_args:
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise ComputeError(f"argument {name!r}: a whole number is needed")
    if isinstance(value, float):
        # YAML reads 6.9 as a float; its shortest text is the number the author wrote.
        value = repr(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ComputeError(f"argument {name!r}: {value!r} is not a number") from None
    raise ComputeError(f"argument {name!r}: unsupported value {value!r}")


def compute_answer(spec: dict[str, Any]) -> Decimal:
    """The finance core's answer for ``spec``. Raises :class:`ComputeError` with an English reason."""
    if not isinstance(spec, dict):
        raise ComputeError("the compute specification must be a mapping")
    name = spec.get("function")
    calculation = FUNCTIONS.get(str(name))
    if calculation is None:
        raise ComputeError(f"unknown function {name!r}; use one of {', '.join(sorted(FUNCTIONS))}")
    raw_args = spec.get("args") or {}
    if not isinstance(raw_args, dict):
        raise ComputeError("args must be a mapping of argument names to values")
    args: dict[str, Any] = {}
    for key, value in raw_args.items():
        if key in {"method", "grace_mode"}:
            args[str(key)] = str(value)
        else:
            args[str(key)] = _argument(str(key), value, calculation)
    try:
        outcome = calculation.function(**args)
    except finance.FinanceInputError as error:
        raise ComputeError(f"{error.field}: {error.message}") from None
    except TypeError as error:
        raise ComputeError(f"wrong arguments for {name}: {error}") from None
    field = spec.get("result")
    if calculation.results:
        if field not in calculation.results:
            raise ComputeError(
                f"{name} returns a record: set result to one of {', '.join(sorted(calculation.results))}"
            )
        outcome = getattr(outcome, str(field))
    elif field:
        raise ComputeError(f"{name} returns a number: remove result")
    return Decimal(outcome)
