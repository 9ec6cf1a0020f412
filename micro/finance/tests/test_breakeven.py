"""Break-even: the DOMAIN.md 4.2 d example, the rounding-up property, bad prices."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro.finance import (
    FinanceInputError,
    break_even,
    break_even_revenue,
    contribution_margin,
    contribution_margin_ratio,
    margin_of_safety,
    survival_break_even,
)

D = Decimal


def test_domain_example() -> None:
    """F = €2,400 a month, p = €12, v = €7 → Q* = 480 units, R* = €5,760."""
    result = break_even(fixed_costs="2400", price="12", variable_cost="7")
    assert result.contribution_margin == D("5")
    assert result.contribution_margin_ratio == D("0.4167")
    assert result.units == 480
    assert result.revenue == D("5760.00")
    assert result.margin_of_safety is None
    assert contribution_margin("12", "7") == D("5")
    assert contribution_margin_ratio("12", "7") == D("0.4167")


def test_units_round_up() -> None:
    result = break_even(fixed_costs="2401", price="12", variable_cost="7")
    assert result.units == 481  # 480.2 → 481 whole units
    assert result.revenue == D("5762.40")


def test_margin_of_safety() -> None:
    result = break_even(fixed_costs="2400", price="12", variable_cost="7", expected_revenue="7200")
    assert result.margin_of_safety == D("0.2000")  # (7200 − 5760) / 7200
    assert margin_of_safety("5000", "5760") == D("-0.1520")


def test_survival_break_even_adds_instalments_and_drawings() -> None:
    """R*_cash = (cash fixed costs + instalments + drawings + fixed contributions) / CMR."""
    accounting = break_even(fixed_costs="2400", price="12", variable_cost="7")
    survival = survival_break_even(
        price="12",
        variable_cost="7",
        cash_fixed_costs="2400",
        loan_instalments="239.00",
        owner_drawings="900",
        fixed_social_contributions="302.34",
    )
    assert survival.fixed_costs == D("3841.34")
    assert survival.units == 769  # 3841.34 / 5 = 768.27
    assert survival.revenue == D("9219.22")  # 3841.34 × 12 / 5
    assert survival.units > accounting.units


def test_zero_fixed_costs() -> None:
    result = break_even(fixed_costs="0", price="3", variable_cost="1")
    assert result.units == 0
    assert result.revenue == D("0.00")


def test_break_even_revenue_from_a_cost_ratio() -> None:
    # A hairdresser with materials at 20 % of sales and €1,600 of fixed costs.
    assert break_even_revenue(fixed_costs="1600", variable_cost_ratio="0.2") == D("2000.00")
    with pytest.raises(FinanceInputError) as error:
        break_even_revenue(fixed_costs="1600", variable_cost_ratio="1")
    assert error.value.field == "variable_cost_ratio"


@pytest.mark.parametrize(
    ("price", "variable_cost", "code"),
    [
        ("7", "7", "price_not_above_variable_cost"),
        ("5", "7", "price_not_above_variable_cost"),
        ("0", "0", "must_be_positive"),
        ("-1", "0", "must_be_positive"),
    ],
)
def test_price_not_above_variable_cost_is_an_input_error(price: str, variable_cost: str, code: str) -> None:
    for call in (
        lambda: break_even(fixed_costs="100", price=price, variable_cost=variable_cost),
        lambda: survival_break_even(
            price=price,
            variable_cost=variable_cost,
            cash_fixed_costs="1",
            loan_instalments="1",
            owner_drawings="1",
        ),
        lambda: contribution_margin_ratio(price, variable_cost),
    ):
        with pytest.raises(FinanceInputError) as error:
            call()
        assert error.value.field == "price"
        assert error.value.code == code


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"fixed_costs": "-1", "price": "2", "variable_cost": "1"}, "fixed_costs"),
        ({"fixed_costs": "1", "price": "2", "variable_cost": "-1"}, "variable_cost"),
        ({"fixed_costs": "1", "price": "2", "variable_cost": "1", "expected_revenue": "0"}, "expected_revenue"),
    ],
)
def test_other_bad_inputs(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(FinanceInputError) as error:
        break_even(**kwargs)
    assert error.value.field == field


money = st.decimals(min_value=D(0), max_value=D("1000000"), places=2)


@given(
    fixed=money,
    variable=st.decimals(min_value=D(0), max_value=D("10000"), places=3),
    markup=st.decimals(min_value=D("0.001"), max_value=D("10000"), places=3),
)
def test_units_are_the_smallest_that_cover_fixed_costs(fixed: Decimal, variable: Decimal, markup: Decimal) -> None:
    result = break_even(fixed_costs=fixed, price=variable + markup, variable_cost=variable)
    margin = result.contribution_margin
    assert margin == markup
    assert result.units * margin >= fixed
    assert (result.units - 1) * margin < fixed
    # Selling the break-even revenue covers the fixed costs, to the cent.
    assert abs(result.revenue * margin / result.price - fixed) <= D("0.01")


@given(price=st.decimals(min_value=D("-100"), max_value=D("100"), places=2), variable=money)
def test_never_a_zero_division(price: Decimal, variable: Decimal) -> None:
    if price > variable:
        return
    with pytest.raises(FinanceInputError) as error:
        break_even(fixed_costs="100", price=price, variable_cost=variable)
    assert error.value.field == "price"
