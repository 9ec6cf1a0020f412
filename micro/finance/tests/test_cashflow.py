"""Cash-flow plan: rolling balances, the negative-month warning, the reserve."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro.finance import FinanceInputError, cash_flow_plan

D = Decimal


def test_twelve_months_with_lines_and_a_warning() -> None:
    plan = cash_flow_plan(
        opening_cash="1000",
        receipts={
            "loan": ["10000"] + ["0"] * 11,
            "sales": ["500", "800", "1200"] + ["2500"] * 9,
        },
        payments={
            "equipment": ["9000"] + ["0"] * 11,
            "rent": "600",
            "instalment": ["0"] * 6 + ["268.68"] * 6,  # 6 months' grace, then the annuity
            "owner": "900",
            "social contributions": ["0", "0", "907.01"] * 4,  # quarterly, as in Belgium
        },
    )
    assert len(plan.months) == 12
    first = plan.months[0]
    assert (first.opening, first.cash_in, first.cash_out, first.net, first.closing) == (
        D("1000.00"),
        D("10500.00"),
        D("10500.00"),
        D("0.00"),
        D("1000.00"),
    )
    assert plan.months[1].closing == D("300.00")  # 1000 + 800 − 1500
    assert plan.months[2].closing == D("-907.01")  # + 1200 − 1500 − 907.01
    assert plan.months[3].closing == D("92.99")  # + 2500 − 1500
    assert plan.negative_months == (3,)
    assert plan.has_warning
    assert plan.lowest_closing == D("-907.01")
    assert plan.lowest_month == 3
    assert plan.reserve_needed == D("907.01")
    # With the reserve added at the start, cash never runs out.
    safer = cash_flow_plan(
        opening_cash=D("1000") + plan.reserve_needed,
        receipts=[m.cash_in for m in plan.months],
        payments=[m.cash_out for m in plan.months],
    )
    assert safer.negative_months == ()
    assert safer.lowest_closing == D("0.00")


def test_no_warning() -> None:
    plan = cash_flow_plan(opening_cash="0", receipts="100", payments="60", months=24)
    assert len(plan.months) == 24
    assert not plan.has_warning
    assert plan.reserve_needed == D("0.00")
    assert plan.closing_cash == D("960.00")


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"receipts": ["1"] * 11}, "receipts", "wrong_length"),
        ({"payments": {"rent": ["1"] * 13}}, "payments.rent", "wrong_length"),
        ({"payments": {"rent": "-5"}}, "payments.rent", "must_not_be_negative"),
        ({"receipts": ["1"] * 11 + ["x"]}, "receipts", "invalid_number"),
        ({"opening_cash": 1.5}, "opening_cash", "invalid_number"),
        ({"months": 0}, "months", "out_of_range"),
    ],
)
def test_bad_input(kwargs: dict[str, object], field: str, code: str) -> None:
    arguments: dict[str, object] = {"opening_cash": "0", "receipts": "0", "payments": "0", **kwargs}
    with pytest.raises(FinanceInputError) as error:
        cash_flow_plan(**arguments)  # type: ignore[arg-type]
    assert (error.value.field, error.value.code) == (field, code)


amounts = st.lists(st.decimals(min_value=D(0), max_value=D("50000"), places=2), min_size=12, max_size=12)


@given(
    opening=st.decimals(min_value=D("-5000"), max_value=D("50000"), places=2),
    receipts=amounts,
    payments=amounts,
)
def test_balances_roll_forward(
    opening: Decimal,
    receipts: list[Decimal],
    payments: list[Decimal],
) -> None:
    plan = cash_flow_plan(opening_cash=opening, receipts=receipts, payments=payments)
    balance = opening
    for month in plan.months:
        assert month.opening == balance
        assert month.net == month.cash_in - month.cash_out
        assert month.closing == month.opening + month.net
        balance = month.closing
    assert plan.closing_cash == opening + plan.total_in - plan.total_out
    assert plan.negative_months == tuple(m.month for m in plan.months if m.closing < 0)
    assert plan.lowest_closing == min(m.closing for m in plan.months)
    assert plan.reserve_needed == max(D(0), -plan.lowest_closing)
