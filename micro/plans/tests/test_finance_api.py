"""The public calculators: exact numbers, locale input, a message per bad field, rate limit."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

LOAN = "/api/finance/loan"
BREAK_EVEN = "/api/finance/break-even"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def test_french_loan_matches_the_worked_example(client: Client) -> None:
    response = client.get(LOAN, {"principal": "10000", "annual_rate": "6.9", "months": "48", "method": "french"})
    assert response.status_code == 200
    body = response.json()
    assert body["installment"] == "239.00"
    assert len(body["schedule"]) == 48
    assert body["schedule"][-1]["balance"] == "0.00"
    principal_sum = sum(Decimal(row["principal"]) for row in body["schedule"])
    assert principal_sum == Decimal("10000.00")
    assert Decimal(body["total_paid"]) == Decimal("10000.00") + Decimal(body["total_interest"])
    assert body["apr"] == "7.12"
    for row in body["schedule"]:
        assert Decimal(row["payment"]) == Decimal(row["interest"]) + Decimal(row["principal"])
        assert len(row["payment"].split(".")[1]) == 2


def test_italian_method_has_constant_principal_and_fees_raise_the_apr(client: Client) -> None:
    plain = client.get(LOAN, {"principal": "12000", "annual_rate": "6", "months": "12", "method": "italian"}).json()
    assert {row["principal"] for row in plain["schedule"]} == {"1000.00"}
    with_fees = client.get(
        LOAN, {"principal": "12000", "annual_rate": "6", "months": "12", "method": "italian", "fees": "200"}
    ).json()
    assert Decimal(with_fees["apr"]) > Decimal(plain["apr"])


@pytest.mark.parametrize("grace", ["interest_only", "capitalised"])
def test_grace_periods_end_at_zero(client: Client, grace: str) -> None:
    body = client.get(
        LOAN, {"principal": "5000", "annual_rate": "8", "months": "24", "grace_months": "6", "grace": grace}
    ).json()
    assert len(body["schedule"]) == 24
    assert body["schedule"][-1]["balance"] == "0.00"


def test_locale_decimal_separators_are_accepted(client: Client) -> None:
    german = client.get(
        LOAN, {"principal": "1.234,56", "annual_rate": "6,9", "months": "12"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    english = client.get(
        LOAN, {"principal": "1,234.56", "annual_rate": "6.9", "months": "12"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert german.status_code == english.status_code == 200
    assert german.json() == english.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"principal": "", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "-100", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "0", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "1e309", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "99999999999", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "<script>alert(1)</script>", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "1000; DROP TABLE accounts_user;--", "annual_rate": "5", "months": "12"}, "principal"),
        ({"principal": "1000", "annual_rate": "abc", "months": "12"}, "annual_rate"),
        ({"principal": "1000", "annual_rate": "101", "months": "12"}, "annual_rate"),
        ({"principal": "1000", "annual_rate": "5", "months": "0"}, "months"),
        ({"principal": "1000", "annual_rate": "5", "months": "12.5"}, "months"),
        ({"principal": "1000", "annual_rate": "5", "months": "9999"}, "months"),
        ({"principal": "1000", "annual_rate": "5", "months": "12", "method": "flat"}, "method"),
        ({"principal": "1000", "annual_rate": "5", "months": "12", "grace_months": "12"}, "grace_months"),
        ({"principal": "1000", "annual_rate": "5", "months": "12", "grace": "forever"}, "grace"),
        ({"principal": "1000", "annual_rate": "5", "months": "12", "fees": "-1"}, "fees"),
        ({"principal": "1000", "annual_rate": "5", "months": "12", "fees": "5000"}, "fees"),
    ],
)
def test_bad_loan_parameters_answer_422_naming_the_field(client: Client, params: dict[str, str], field: str) -> None:
    response = client.get(LOAN, params)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert "<script>" not in response.content.decode()


def test_errors_are_in_the_callers_language(client: Client) -> None:
    english = client.get(LOAN, {"principal": "x", "annual_rate": "5", "months": "12"}, HTTP_ACCEPT_LANGUAGE="en")
    italian = client.get(LOAN, {"principal": "x", "annual_rate": "5", "months": "12"}, HTTP_ACCEPT_LANGUAGE="it")
    assert english.json()["errors"]["principal"] != italian.json()["errors"]["principal"]


def test_break_even_matches_the_worked_example(client: Client) -> None:
    response = client.get(BREAK_EVEN, {"fixed_costs": "2400", "price": "12", "variable_cost": "7"})
    assert response.status_code == 200
    assert response.json() == {"units": 480, "revenue": "5760.00", "contribution_margin_ratio": "0.4167"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fixed_costs": "2400", "price": "7", "variable_cost": "7"}, "price"),
        ({"fixed_costs": "2400", "price": "5", "variable_cost": "7"}, "price"),
        ({"fixed_costs": "", "price": "12", "variable_cost": "7"}, "fixed_costs"),
        ({"fixed_costs": "-5", "price": "12", "variable_cost": "7"}, "fixed_costs"),
        ({"fixed_costs": "2400", "price": "zwölf", "variable_cost": "7"}, "price"),
        ({"fixed_costs": "2400", "price": "12", "variable_cost": "-1"}, "variable_cost"),
    ],
)
def test_bad_break_even_parameters_answer_422(client: Client, params: dict[str, str], field: str) -> None:
    response = client.get(BREAK_EVEN, params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_calculators_are_rate_limited(client: Client, settings: object) -> None:
    statuses = [
        client.get(BREAK_EVEN, {"fixed_costs": "1", "price": "2", "variable_cost": "1"}).status_code for _ in range(125)
    ]
    assert statuses[0] == 200
    assert 429 in statuses


def test_calculators_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/finance/loan" in paths
    assert "/api/finance/break-even" in paths
