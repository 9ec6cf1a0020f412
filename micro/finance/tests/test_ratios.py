"""Repayment capacity: the DOMAIN.md 4.2 f DSCR example and the verdict thresholds."""

from decimal import Decimal

import pytest

from micro.finance import (
    DEFAULT_THRESHOLDS,
    FinanceInputError,
    Thresholds,
    Verdict,
    current_ratio,
    debt_service_coverage,
    debt_to_equity,
    dscr_verdict,
    gross_margin_ratio,
    instalment_share,
    instalment_share_verdict,
    instalment_to_revenue,
    loan_to_investment,
    own_contribution_ratio,
    payback_period_years,
    repayment_capacity,
)

D = Decimal


def test_domain_dscr_example() -> None:
    """€520 monthly surplus / €239 instalment = 2.18."""
    assert debt_service_coverage("520", "239") == D("2.18")
    assert dscr_verdict(D("2.18")) is Verdict.OK


@pytest.mark.parametrize(
    ("dscr", "verdict"),
    [
        ("0.50", Verdict.INSUFFICIENT),
        ("1.00", Verdict.INSUFFICIENT),  # "> 1 is the minimum"
        ("1.01", Verdict.BORDERLINE),
        ("1.19", Verdict.BORDERLINE),
        ("1.20", Verdict.OK),
    ],
)
def test_dscr_thresholds(dscr: str, verdict: Verdict) -> None:
    assert dscr_verdict(D(dscr)) is verdict


@pytest.mark.parametrize(
    ("share", "verdict"),
    [
        (None, Verdict.INSUFFICIENT),
        ("0.50", Verdict.OK),
        ("0.5001", Verdict.BORDERLINE),
        ("0.70", Verdict.BORDERLINE),
        ("0.7001", Verdict.INSUFFICIENT),
    ],
)
def test_share_thresholds(share: str | None, verdict: Verdict) -> None:
    assert instalment_share_verdict(None if share is None else D(share)) is verdict


def test_thresholds_are_data() -> None:
    strict = Thresholds(dscr_preferred=D("1.50"), instalment_share_maximum=D("0.60"))
    assert dscr_verdict(D("1.30")) is Verdict.OK
    assert dscr_verdict(D("1.30"), strict) is Verdict.BORDERLINE
    assert DEFAULT_THRESHOLDS.dscr_minimum == D("1.00")


def test_repayment_capacity_combines_business_and_household() -> None:
    result = repayment_capacity(
        instalment="239",
        business_surplus="520",
        other_household_income="300",
        household_living_costs="450",
        monthly_revenue="3000",
    )
    assert result.dscr == D("2.18")
    assert result.dscr_verdict is Verdict.OK
    assert result.free_income == D("370")
    assert result.instalment_share == D("0.6459")
    assert result.instalment_share_verdict is Verdict.BORDERLINE
    assert result.verdict is Verdict.BORDERLINE  # the worse of the two
    assert result.instalment_to_revenue == D("0.0797")


def test_no_free_income_is_insufficient() -> None:
    result = repayment_capacity(instalment="239", business_surplus="520", household_living_costs="800")
    assert result.instalment_share is None
    assert result.verdict is Verdict.INSUFFICIENT
    assert instalment_share("100", "-50") is None


def test_other_ratios() -> None:
    assert own_contribution_ratio("1500", "16800") == D("0.0893")
    assert loan_to_investment("15000", "16800") == D("0.8929")
    assert gross_margin_ratio("1000", "350") == D("0.6500")
    assert current_ratio("1500", "1000") == D("1.50")
    assert debt_to_equity("10000", "2500") == D("4.00")
    assert payback_period_years("16800", "6000") == D("2.80")
    assert instalment_to_revenue("239", "3000") == D("0.0797")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: debt_service_coverage("520", "0"), "debt_service"),
        (lambda: repayment_capacity(instalment="0", business_surplus="1"), "instalment"),
        (lambda: instalment_share("0", "100"), "instalment"),
        (lambda: current_ratio("1", "0"), "current_liabilities"),
        (lambda: payback_period_years("100", "-1"), "annual_net_cash_flow"),
        (lambda: instalment_to_revenue("1", "0"), "monthly_revenue"),
    ],
)
def test_zero_denominators_are_input_errors(call: object, field: str) -> None:
    assert callable(call)
    with pytest.raises(FinanceInputError) as error:
        call()
    assert error.value.field == field
