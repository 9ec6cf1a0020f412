"""Formatting of plan figures for the reader's language, and the data of the small bar charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from micro.finance import CashFlowPlan, ProfitAndLoss, Verdict
from micro.plans import charts
from micro.plans import structure as s

register = template.Library()


def _number(value: Any, decimals: int) -> str:
    if value is None or value == "":
        return "–"
    return str(formats.number_format(Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True))


@register.filter
def money(value: Any) -> str:
    """1234.5 → "1,234.50" / "1.234,50", the reader's way."""
    return _number(value, 2)


@register.filter
def euro(value: Any) -> str:
    if value is None:
        return "–"
    return _("€%(amount)s") % {"amount": _number(value, 2)}


@register.filter
def quantity(value: Any) -> str:
    """Units: whole numbers without decimals, others with two."""
    if value is None:
        return "–"
    number = Decimal(value)
    return _number(number, 0 if number == number.to_integral_value() else 2)


@register.filter
def fraction_percent(value: Any) -> str:
    """A fraction from the finance core (0.4167) as a percentage (41.67 %)."""
    if value is None:
        return "–"
    return _("%(amount)s %%") % {"amount": _number(Decimal(value) * 100, 2)}


@register.filter
def percent(value: Any) -> str:
    """A value already in percent (a loan rate, an APR, a growth)."""
    if value is None or value == "":
        return "–"
    return _("%(amount)s %%") % {"amount": _number(value, 2)}


@register.filter
def multiple(value: Any) -> str:
    return _number(value, 2)


@register.filter
def verdict(value: Any) -> str:
    labels = {
        Verdict.OK: _("Good"),
        Verdict.BORDERLINE: _("Borderline"),
        Verdict.INSUFFICIENT: _("Too weak"),
    }
    return str(labels.get(value, "–"))


@register.filter
def verdict_mark(value: Any) -> str:
    """A shape that says the verdict without colour (the word is always next to it)."""
    return {Verdict.OK: "✔", Verdict.BORDERLINE: "!", Verdict.INSUFFICIENT: "✖"}.get(value, "")


@register.filter
def use_kind(value: Any) -> str:
    return str(dict(s.USE_KINDS).get(value, ""))


@register.filter
def cash_bars(plan: CashFlowPlan | None) -> list[charts.Bar]:
    if plan is None:
        return []
    return charts.bars([(_("Month %(number)s") % {"number": row.month}, row.closing) for row in plan.months])


@register.filter
def revenue_bars(pnl: ProfitAndLoss | None) -> list[charts.Bar]:
    if pnl is None:
        return []
    values: list[tuple[str, Decimal]] = []
    for year in pnl.years:
        values.append((_("Year %(number)s: sales") % {"number": year.year}, year.revenue))
        values.append((_("Year %(number)s: net profit") % {"number": year.year}, year.net_profit))
    return charts.bars(values)


@register.filter
def field_errors(errors: dict[str, list[str]], name: str) -> list[str]:
    return errors.get(name, []) if errors else []


@register.filter
def absolute(value: Any) -> Decimal | None:
    return None if value is None else abs(Decimal(value))


@register.filter
def pnl_rows(pnl: ProfitAndLoss | None) -> list[tuple[str, list[Decimal], bool]]:
    """The P&L lines with one value per year: (label, values, is a result line)."""
    if pnl is None:
        return []
    lines = [
        (_("Sales"), "revenue", False),
        (_("Variable costs"), "variable_costs", False),
        (_("Contribution margin"), "contribution_margin", True),
        (_("Fixed costs"), "fixed_costs", False),
        (_("Operating result (EBITDA)"), "ebitda", True),
        (_("Depreciation"), "depreciation", False),
        (_("Interest on the loan"), "interest", False),
        (_("Profit before tax"), "profit_before_tax", True),
        (_("Net profit"), "net_profit", True),
        (_("Money you take for yourself"), "owner_drawings", False),
        (_("Left in the business"), "retained", True),
    ]
    return [(label, [getattr(year, name) for year in pnl.years], strong) for label, name, strong in lines]
