"""Three-year P&L: the DOMAIN.md 4.2 c chain, interest only from the schedule."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro.finance import (
    FinanceInputError,
    amortisation_schedule,
    interest_by_year,
    profit_and_loss,
)

D = Decimal


def test_three_years_with_loan_interest_and_drawings() -> None:
    loan = amortisation_schedule(principal="10000", annual_rate="6.9", months=48)
    pnl = profit_and_loss(
        revenue=["36000", "48000", "54000"],
        variable_cost_ratio="0.40",
        fixed_costs="14400",
        depreciation="1200",
        interest=interest_by_year(loan, 3),
        owner_drawings="10800",
        tax_rate="0.15",
    )
    first = pnl.years[0]
    assert first.revenue == D("36000.00")
    assert first.variable_costs == D("14400.00")
    assert first.contribution_margin == D("21600.00")
    assert first.ebitda == D("7200.00")
    assert first.ebit == D("6000.00")
    # Only the interest of year 1 is an expense, not the 12 × 239.00 instalments.
    assert first.interest == sum(row.interest for row in loan.schedule[:12])
    assert first.interest == D("619.79")
    assert first.profit_before_tax == D("5380.21")
    assert first.taxes == D("807.03")  # 15 % of 5380.21 = 807.0315
    assert first.net_profit == D("4573.18")
    assert first.retained == D("-6226.82")  # drawings not covered in year 1
    assert pnl.loss_years == ()
    assert pnl.drawings_not_covered == (1,)
    assert [year.year for year in pnl.years] == [1, 2, 3]
    assert pnl.years[2].retained > 0


def test_tax_rate_applies_to_profit_only() -> None:
    pnl = profit_and_loss(revenue="1000", fixed_costs="2000", tax_rate="0.2", years=1)
    assert pnl.years[0].taxes == D("0.00")
    assert pnl.years[0].net_profit == D("-1000.00")
    assert pnl.loss_years == (1,)


def test_taxes_and_variable_costs_as_amounts() -> None:
    pnl = profit_and_loss(
        revenue=["1000", "2000"],
        variable_costs=["300", "500"],
        fixed_costs="100",
        taxes=["50", "150"],
        years=2,
    )
    assert [y.net_profit for y in pnl.years] == [D("550.00"), D("1250.00")]


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"variable_cost_ratio": "0.3", "variable_costs": "10"}, "variable_costs", "only_one_allowed"),
        ({"taxes": "1", "tax_rate": "0.1"}, "taxes", "only_one_allowed"),
        ({"variable_cost_ratio": "35"}, "variable_cost_ratio", "out_of_range"),
        ({"revenue": ["1", "2"]}, "revenue", "wrong_length"),
        ({"fixed_costs": "-1"}, "fixed_costs", "must_not_be_negative"),
        ({"years": 0}, "years", "out_of_range"),
        ({"tax_rate": ["0.1", "0.2"]}, "tax_rate", "wrong_length"),
    ],
)
def test_bad_input(kwargs: dict[str, object], field: str, code: str) -> None:
    arguments: dict[str, object] = {"revenue": "1000", "fixed_costs": "100", **kwargs}
    with pytest.raises(FinanceInputError) as error:
        profit_and_loss(**arguments)  # type: ignore[arg-type]
    assert (error.value.field, error.value.code) == (field, code)


money = st.decimals(min_value=D(0), max_value=D("500000"), places=2)


@given(
    revenue=money,
    share=st.decimals(min_value=D(0), max_value=D(1), places=4),
    fixed=money,
    depreciation=money,
    interest=money,
    drawings=money,
    tax=st.decimals(min_value=D(0), max_value=D(1), places=2),
)
def test_lines_add_up(
    revenue: Decimal,
    share: Decimal,
    fixed: Decimal,
    depreciation: Decimal,
    interest: Decimal,
    drawings: Decimal,
    tax: Decimal,
) -> None:
    pnl = profit_and_loss(
        revenue=revenue,
        variable_cost_ratio=share,
        fixed_costs=fixed,
        depreciation=depreciation,
        interest=interest,
        owner_drawings=drawings,
        tax_rate=tax,
    )
    for y in pnl.years:
        assert y.contribution_margin == y.revenue - y.variable_costs
        assert y.ebitda == y.contribution_margin - y.fixed_costs
        assert y.ebit == y.ebitda - y.depreciation
        assert y.profit_before_tax == y.ebit - y.interest
        assert y.net_profit == y.profit_before_tax - y.taxes
        assert y.retained == y.net_profit - y.owner_drawings
        assert 0 <= y.taxes <= max(y.profit_before_tax, D(0))
