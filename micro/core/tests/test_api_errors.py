"""Every refusal of the JSON API has one translated shape, and the schema lists every status it answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from micro.core.schemas import LOCALE_NUMBER_PATTERN

LOAN = "/api/finance/loan"
BREAK_EVEN = "/api/finance/break-even"
GOOD_LOAN = {"principal": "10000", "annual_rate": "6.9", "months": "48"}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _assert_error_out(body: dict[str, Any]) -> None:
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
        for messages in body["errors"].values()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/events/no-such-event", "/api/practices/no-such-practice", "/api/events/" + "x" * 500]
)
def test_not_found_is_an_error_out_in_the_callers_language(client: Client, path: str) -> None:
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    italian = client.get(path, HTTP_ACCEPT_LANGUAGE="it")
    assert english.status_code == italian.status_code == 404
    assert english["Content-Type"] == "application/json; charset=utf-8"
    _assert_error_out(english.json())
    assert english.json()["errors"] == {}
    assert english.json()["detail"] == "Page not found"
    assert italian.json()["detail"] != english.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"), ({"offset": "-1"}, "offset"), ({"q": "x" * 201}, "q")],
)
def test_a_parameter_refused_by_the_schema_names_its_field(client: Client, params: dict[str, str], field: str) -> None:
    english = client.get("/api/practices/", params, HTTP_ACCEPT_LANGUAGE="en")
    italian = client.get("/api/practices/", params, HTTP_ACCEPT_LANGUAGE="it")
    assert english.status_code == italian.status_code == 422
    _assert_error_out(english.json())
    assert list(english.json()["errors"]) == [field]
    assert english.json()["errors"][field] != italian.json()["errors"][field]


@pytest.mark.django_db
def test_schema_messages_name_the_limit_in_the_callers_words(client: Client) -> None:
    assert client.get("/api/practices/", {"limit": "101"}).json()["errors"] == {
        "limit": ["Ensure this value is less than or equal to 100."]
    }
    assert client.get("/api/practices/", {"limit": "1.5"}).json()["errors"] == {"limit": ["Enter a whole number."]}
    assert client.get("/api/finance/loan", {**GOOD_LOAN, "principal": "x"}).json()["errors"] == {
        "principal": ["Enter a number, for example 1250 or 1250,50."]
    }


@pytest.mark.parametrize("empty", ["", "   "])
@pytest.mark.parametrize("field", ["principal", "annual_rate", "months"])
def test_an_empty_or_missing_amount_is_refused_by_the_schema(client: Client, field: str, empty: str) -> None:
    blank = client.get(LOAN, {**GOOD_LOAN, field: empty})
    missing = client.get(LOAN, {key: value for key, value in GOOD_LOAN.items() if key != field})
    for response in (blank, missing):
        assert response.status_code == 422
        _assert_error_out(response.json())
        assert list(response.json()["errors"]) == [field]
    assert missing.json()["errors"][field] == ["This field is required."]


@pytest.mark.parametrize(
    "value", ["abc", "1e309", "<script>alert(1)</script>", "1 2 3 x", "--5", "5-", "nul\x00", "9" * 41, "9" * 1_000_000]
)
def test_an_amount_that_is_not_a_number_is_refused_without_echoing_it(client: Client, value: str) -> None:
    response = client.get(BREAK_EVEN, {"fixed_costs": value, "price": "12", "variable_cost": "7"})
    assert response.status_code == 422
    _assert_error_out(response.json())
    assert list(response.json()["errors"]) == ["fixed_costs"]
    assert "<script>" not in response.content.decode()
    assert len(response.content) < 1000


@pytest.mark.parametrize(
    "params",
    [
        {"principal": "١٠٠٠٠", "annual_rate": "٦٫٩", "months": "٤٨"},  # Arabic-Indic digits and decimal mark
        {"principal": " 10 000,00 ", "annual_rate": "6,9", "months": "48"},
        {"principal": "10’000.00", "annual_rate": "6.9", "months": "48.0"},
        {"principal": "+10000", "annual_rate": "6.9", "months": "48"},
        {**GOOD_LOAN, "fees": "", "grace_months": ""},  # empty optional amounts still mean 0
    ],
)
def test_callers_that_worked_before_the_schema_still_work(client: Client, params: dict[str, str]) -> None:
    response = client.get(LOAN, params, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content
    assert response.json()["installment"] == "239.00"


def test_a_refusal_by_the_endpoint_has_the_same_shape_as_one_by_the_schema(client: Client) -> None:
    by_the_core = client.get(LOAN, {**GOOD_LOAN, "principal": "0"})
    by_the_endpoint = client.get(LOAN, {**GOOD_LOAN, "months": "12.5"})
    by_the_schema = client.get(LOAN, {**GOOD_LOAN, "method": "flat"})
    for response in (by_the_core, by_the_endpoint, by_the_schema):
        assert response.status_code == 422
        _assert_error_out(response.json())
    assert by_the_core.json()["detail"] == by_the_schema.json()["detail"]
    assert list(by_the_core.json()["errors"]) == ["principal"]
    assert by_the_endpoint.json()["errors"] == {"months": ["Enter a whole number."]}
    assert by_the_schema.json()["errors"]["method"] == ["Choose one of: french, italian."]


def test_too_many_calls_answer_429_with_retry_after_in_the_callers_language(client: Client) -> None:
    answers = [client.get(BREAK_EVEN, {"fixed_costs": "1", "price": "2", "variable_cost": "1"}) for _ in range(125)]
    english = next(response for response in answers if response.status_code == 429)
    italian = client.get(
        BREAK_EVEN, {"fixed_costs": "1", "price": "2", "variable_cost": "1"}, HTTP_ACCEPT_LANGUAGE="it"
    )
    assert italian.status_code == 429
    assert int(english["Retry-After"]) > 0
    assert english.json()["detail"] == f"Please try again in {english['Retry-After']} seconds."
    _assert_error_out(english.json())
    assert english.json()["detail"] != italian.json()["detail"]


def test_the_schema_declares_every_answer_with_the_shared_error(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    expected = {
        "/api/meta": {"200"},
        "/api/finance/loan": {"200", "422", "429"},
        "/api/finance/break-even": {"200", "422", "429"},
        "/api/practices/": {"200", "422", "503"},
        "/api/practices/codes": {"200"},
        "/api/practices/{slug}": {"200", "400", "404", "503"},
        "/api/events/": {"200", "503"},
        "/api/events/{slug}": {"200", "400", "404", "503"},
    }
    assert {path: set(operation["get"]["responses"]) for path, operation in schema["paths"].items()} == expected
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, statuses in expected.items():
        responses = schema["paths"][path]["get"]["responses"]
        for status in statuses - {"200", "400"}:
            assert responses[status]["content"]["application/json"]["schema"] == error_ref, (path, status)
    loan = {parameter["name"]: parameter for parameter in schema["paths"][LOAN]["get"]["parameters"]}
    for name in ("principal", "annual_rate", "months"):
        assert loan[name]["required"] is True
        assert loan[name]["schema"]["pattern"] == LOCALE_NUMBER_PATTERN
        assert loan[name]["schema"]["minLength"] == 1
    assert loan["method"]["schema"]["enum"] == ["french", "italian"]
