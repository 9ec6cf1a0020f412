"""Results are the finance core's numbers: the worked example of DOMAIN.md 4.2, the cash warning, loan and ratios."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from micro.finance import (
    Verdict,
    amortisation_schedule,
    break_even,
    cash_flow_plan,
    interest_by_year,
    profit_and_loss,
    repayment_capacity,
    startup_budget,
    survival_break_even,
)
from micro.pathway.models import Journey
from micro.plans import charts
from micro.plans.selectors import plan_progress, plan_results, results_from_inputs
from micro.plans.tests.factories import WORKED_BUDGET, WORKED_LOAN, WORKED_SALES, make_plan, worked_plan

pytestmark = pytest.mark.django_db


def test_break_even_is_the_worked_example_of_the_domain() -> None:
    results = plan_results(make_plan(sales=WORKED_SALES))

    assert results.break_even is not None
    assert results.break_even.units == 480
    assert results.break_even.revenue == Decimal("5760.00")
    assert results.break_even == break_even(fixed_costs="2400", price="12", variable_cost="7")


def test_every_result_equals_the_finance_core_for_the_worked_plan() -> None:
    results = plan_results(worked_plan())

    loan = amortisation_schedule(principal="10000", annual_rate="6.9", months=48)
    assert results.loan == loan
    assert loan.installment == Decimal("239.00")
    assert results.budget == startup_budget(
        fixed_investments={"1": Decimal(8000)},
        setup_costs={"2": Decimal(500)},
        initial_stock={"3": Decimal(1500)},
        working_capital_reserve={"4": Decimal(2000)},
        own_funds=Decimal(2000),
        microloan=Decimal(10000),
    )
    pnl = profit_and_loss(
        revenue=["72000", "72000", "72000"],
        fixed_costs="28800",
        variable_costs=["42000", "42000", "42000"],
        interest=interest_by_year(loan, 3),
        owner_drawings="0",
    )
    assert results.pnl == pnl
    assert results.survival == survival_break_even(
        price="12", variable_cost="7", cash_fixed_costs="2400", loan_instalments="239.00", owner_drawings="0"
    )
    assert results.break_even_year == break_even(
        fixed_costs="28800", price="12", variable_cost="7", expected_revenue="72000"
    )
    assert results.margin_of_safety == Decimal("0.0400")
    month1_in = ["2000", "0", "0", "10000"]  # own funds, grants, family, loan (sales are separate)
    assert results.cash_flow == cash_flow_plan(
        opening_cash="0",
        receipts={"sales": "6000", **{f"m1_{index}": [value] + ["0"] * 11 for index, value in enumerate(month1_in)}},
        payments={
            "variable": "3500",
            "fixed": "2400",
            "instalments": "239.00",
            "month1": ["10000"] + ["0"] * 11,  # equipment 8000 + set-up 500 + stock 1500; the reserve stays as cash
        },
    )
    assert results.debt_service_year == Decimal("2868.00")
    assert results.capacity == repayment_capacity(
        instalment="2868.00", business_surplus=pnl.years[0].ebitda, household_living_costs="0", monthly_revenue="72000"
    )


def test_growth_raises_year_two_and_three() -> None:
    results = plan_results(make_plan(sales={**WORKED_SALES, "growth_year2": "10", "growth_year3": "-50"}))

    assert results.pnl is not None
    assert [year.revenue for year in results.pnl.years] == [
        Decimal("72000.00"),
        Decimal("79200.00"),
        Decimal("39600.00"),
    ]
    assert results.pnl.loss_years == (3,)


def test_the_results_page_shows_the_worked_numbers(client: Client, journey: Journey) -> None:
    worked_plan(journey)
    page = html.unescape(client.get("/en/start/plan/results/").text)

    assert "480" in page
    assert "€5,760.00" in page
    assert "€239.00" in page
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "<details" in page and "Show the full repayment schedule" in page
    assert page.count('<tr><th scope="row">') >= 48
    assert 'style="' not in page


def test_italian_results_use_italian_number_formats(client: Client, journey: Journey) -> None:
    worked_plan(journey)
    page = html.unescape(client.get("/it/start/plan/results/").text)

    assert "5.760,00" in page
    assert "239,00" in page


def test_the_cash_flow_warns_about_months_that_go_negative(client: Client, journey: Journey) -> None:
    budget = {**WORKED_BUDGET, "own_funds": "0", "microloan": "0"}
    worked_plan(journey, budget=budget, loan={})
    results = plan_results(journey.plan)

    assert results.cash_flow is not None
    assert results.cash_flow.negative_months[0] == 1
    page = html.unescape(client.get("/en/start/plan/results/").text)
    assert "Warning: your cash runs out." in page
    assert "The cash goes below zero in" in page
    assert "below zero" in page
    assert 'class="plan-negative"' in page
    assert "Warning: your cash runs out." in html.unescape(client.get("/en/start/plan/sales/").text)


def test_no_warning_when_the_cash_stays_positive(client: Client, journey: Journey) -> None:
    worked_plan(journey, sales={**WORKED_SALES, "opening_cash": "50000"})

    results = plan_results(journey.plan)
    assert results.cash_flow is not None and not results.cash_flow.has_warning
    assert "Warning: your cash runs out." not in html.unescape(client.get("/en/start/plan/results/").text)


def test_a_weak_repayment_capacity_is_said_in_words() -> None:
    results = plan_results(worked_plan(sales={**WORKED_SALES, "owner_drawings": "1500"}))

    assert results.capacity is not None
    assert results.capacity.verdict is Verdict.INSUFFICIENT
    assert results.capacity.instalment_share is None  # no free income left


def test_invalid_stored_combinations_are_reported_per_field_not_raised(client: Client, journey: Journey) -> None:
    make_plan(
        journey,
        sales={**WORKED_SALES, "variable_cost": "15"},
        loan={**WORKED_LOAN, "fees": "10000", "grace_months": "60"},
        budget={"uses": [{"label": "x", "kind": "nonsense", "amount": "abc"}], "own_funds": "zzz"},
    )
    results = plan_results(journey.plan)

    assert set(results.errors) >= {"price", "grace_months"}
    assert results.break_even is None and results.pnl is not None
    for path in ("", "budget/", "sales/", "loan/", "results/"):
        assert client.get(f"/en/start/plan/{path}").status_code == 200


def test_empty_plan_has_no_numbers_and_says_what_is_missing(client: Client, journey: Journey) -> None:
    results = results_from_inputs({})

    assert not results.has_numbers
    assert set(results.missing) == {"budget", "sales", "loan"}
    page = html.unescape(client.get("/en/start/plan/results/").text)
    assert "Enter at least one cost in the start-up budget" in page
    assert "No loan entered." in page


def test_the_budget_checks_uses_against_sources(client: Client, journey: Journey) -> None:
    worked_plan(journey)
    page = html.unescape(client.get("/en/start/plan/results/").text)
    assert results_from_inputs(journey.plan.inputs).budget.gap == Decimal("0.00")  # type: ignore[union-attr]
    assert "Uses and sources are equal" in page

    journey.plan.inputs = {**journey.plan.inputs, "budget": {**WORKED_BUDGET, "own_funds": "500"}}
    journey.plan.save()
    page = html.unescape(client.get("/en/start/plan/results/").text)
    assert "Still to find: €1,500.00" in page


def test_a_budget_loan_that_differs_from_the_loan_page_is_flagged() -> None:
    results = plan_results(worked_plan(loan={**WORKED_LOAN, "principal": "9000"}))

    assert results.loan_differs_from_budget


def test_progress_counts_sections_and_parts() -> None:
    plan = worked_plan()
    plan.sections = {"summary": "A bakery", "risks": "  "}
    progress = plan_progress(plan)

    assert (progress.sections_done, progress.budget_done, progress.sales_done, progress.loan_done) == (
        1,
        True,
        True,
        True,
    )
    assert (progress.done, progress.total) == (4, 11)
    assert plan_progress(None).done == 0


def test_bars_are_scaled_in_steps_and_show_negative_values() -> None:
    bars = charts.bars([("a", Decimal(100)), ("b", Decimal(-50)), ("c", Decimal(0)), ("d", Decimal("0.1"))])

    assert [bar.width for bar in bars] == [100, 50, 0, 5]
    assert [bar.negative for bar in bars] == [False, True, False, False]
    assert bars[0].css_class == "bar-w100"


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_results_render_in_every_ui_language_with_its_direction(client: Client, journey: Journey, code: str) -> None:
    worked_plan(journey)
    page = client.get(f"/{code}/start/plan/results/").text

    direction = "rtl" if code in settings.LANGUAGES_BIDI else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in page
