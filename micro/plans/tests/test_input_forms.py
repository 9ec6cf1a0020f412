"""Every numeric input of the budget, sales and loan pages, through the real pages: blank, negative, zero,
huge, not a number, HTML, and the reader's own separators. Bad input shows a message next to the field,
keeps what was typed and changes nothing; good input is stored as a language-neutral number."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from micro.pathway.models import Journey
from micro.plans.models import BusinessPlan

pytestmark = pytest.mark.django_db

BASE: dict[str, dict[str, str]] = {
    "budget": {"use_1_label": "Oven", "use_1_kind": "equipment", "use_1_amount": "1000", "own_funds": "500"},
    "sales": {
        "price": "12",
        "variable_cost": "7",
        "units_all": "500",
        "fixed_1_label": "Rent",
        "fixed_1_amount": "2400",
    },
    "loan": {
        "principal": "10000",
        "annual_rate": "6.9",
        "months": "48",
        "method": "french",
        "grace_months": "0",
        "grace_mode": "interest_only",
        "fees": "0",
    },
}
FIELDS = [
    ("budget", "use_1_amount"),
    ("budget", "own_funds"),
    ("budget", "microloan"),
    ("budget", "grants"),
    ("budget", "family_loans"),
    ("sales", "price"),
    ("sales", "variable_cost"),
    ("sales", "units_all"),
    ("sales", "units_5"),
    ("sales", "growth_year2"),
    ("sales", "growth_year3"),
    ("sales", "fixed_1_amount"),
    ("sales", "owner_drawings"),
    ("sales", "opening_cash"),
    ("loan", "principal"),
    ("loan", "annual_rate"),
    ("loan", "months"),
    ("loan", "grace_months"),
    ("loan", "fees"),
]
TYPED = {
    "empty": "",
    "negative": "-5",
    "zero": "0",
    "huge": "100000000000000000000",
    "exponent": "1e20",
    "text": "abc",
    "html": "<script>alert(1)</script>",
}
NOT_A_NUMBER = "Enter a number, for example 1250 or 1250,50."
SAVED = None


def expected_outcome(part: str, field: str, case: str) -> str | None:
    """The message the user must see next to the field, or ``None`` when the value is saved."""
    if case in ("text", "html", "exponent"):
        return NOT_A_NUMBER
    if case == "huge":
        return "Enter a value between"
    if case == "negative":
        return (
            SAVED if field in ("opening_cash", "growth_year2", "growth_year3") else "Enter zero or a positive number."
        )
    if case == "zero":
        return {"price": "Enter a number greater than zero.", "months": "Enter a value between 1 and 600."}.get(field)
    # empty
    return {
        "months": "Enter the number of months to see the repayments.",
        "annual_rate": "Enter the annual rate (0 if the loan is interest-free).",
    }.get(field)


def stored(plan: BusinessPlan, part: str, field: str) -> Any:
    data = plan.inputs[part]
    if field == "use_1_amount":
        return data["uses"][0]["amount"]
    if field == "fixed_1_amount":
        return data["fixed_costs"][0]["amount"]
    if field == "units_5":
        return data["units"][4] if data["units"] else ""
    if field == "units_all":
        return data["units"][0] if data["units"] else ""
    return data[field]


def post(client: Client, part: str, changes: dict[str, str], language: str = "en", version: int = 1) -> Any:
    data = {**BASE[part], **changes, "version": str(version)}
    if part == "sales" and "units_5" in changes:
        data.pop("units_all")
    return client.post(f"/{language}/start/plan/{part}/", data)


def error_block(page: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">(.*?)</div>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


@pytest.mark.parametrize(("part", "field"), FIELDS)
@pytest.mark.parametrize("case", list(TYPED))
def test_every_numeric_input(client: Client, journey: Journey, part: str, field: str, case: str) -> None:
    typed = TYPED[case]
    response = post(client, part, {field: typed})
    outcome = expected_outcome(part, field, case)
    plan = BusinessPlan.objects.filter(journey=journey).first()

    if outcome is SAVED:
        assert response.status_code == 302, error_block(response.text, field) or response.text[:500]
        assert plan is not None
        assert stored(plan, part, field) == typed
        return
    assert response.status_code == 200
    assert outcome in error_block(response.text, field)
    assert plan is None or part not in plan.inputs, "refused input must change nothing"
    # What was typed stays in the field, escaped.
    assert f'value="{html.escape(typed)}"' in response.text or (typed == "" and f'name="{field}"' in response.text)
    assert "<script>alert(1)</script>" not in response.text


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("it", "1.234,56"),
        ("de", "1234,56"),
        ("fr", "1 234,56"),
        ("en", "1,234.56"),
        ("en", "1234.56"),
        ("es", "1234,56"),
        ("ar", "١٢٣٤٫٥٦"),
    ],
)
@pytest.mark.parametrize(
    ("part", "field"),
    [
        ("budget", "use_1_amount"),
        ("budget", "own_funds"),
        ("sales", "price"),
        ("sales", "fixed_1_amount"),
        ("loan", "principal"),
    ],
)
def test_amounts_in_the_readers_format_are_the_same_number(
    client: Client, journey: Journey, language: str, typed: str, part: str, field: str
) -> None:
    response = post(client, part, {field: typed}, language=language)

    assert response.status_code == 302, error_block(response.text, field)
    plan = BusinessPlan.objects.get(journey=journey)
    assert stored(plan, part, field) == "1234.56"


def test_italian_values_come_back_in_italian_and_resaving_them_changes_nothing(
    client: Client, journey: Journey
) -> None:
    post(client, "loan", {"principal": "12.500,50", "annual_rate": "6,9"}, language="it")
    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.inputs["loan"]["principal"] == "12500.5"
    assert plan.inputs["loan"]["annual_rate"] == "6.9"

    page = client.get("/it/start/plan/loan/").text
    assert 'value="12500,5"' in page
    assert 'value="6,9"' in page
    again = post(client, "loan", {"principal": "12500,5", "annual_rate": "6,9"}, language="it", version=plan.version)
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2


def test_the_error_is_in_the_readers_language(client: Client, journey: Journey) -> None:
    response = post(client, "sales", {"price": "dodici"}, language="it")

    with translation.override("it"):
        expected = gettext(NOT_A_NUMBER)
    assert expected in error_block(response.text, "price")
    assert '<html lang="it"' in response.text


@pytest.mark.parametrize("part", ["budget", "sales", "loan"])
def test_an_empty_form_is_saved_as_blanks(client: Client, journey: Journey, part: str) -> None:
    response = client.post(f"/en/start/plan/{part}/", {"version": "1"})

    assert response.status_code == 302
    plan = BusinessPlan.objects.get(journey=journey)
    assert part in plan.inputs
    assert client.get("/en/start/plan/results/").status_code == 200


def test_same_every_month_fills_the_twelve_months(client: Client, journey: Journey) -> None:
    post(client, "sales", {"units_all": "40", "units_3": "99"})

    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.inputs["sales"]["units"] == ["40"] * 12


def test_months_one_by_one_without_the_shortcut(client: Client, journey: Journey) -> None:
    data = {**BASE["sales"], "units_all": "", "version": "1"}
    data.update({f"units_{month}": str(month * 10) for month in range(1, 13)})
    client.post("/en/start/plan/sales/", data)

    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.inputs["sales"]["units"] == [str(month * 10) for month in range(1, 13)]


def test_whole_months_and_cents_are_enforced(client: Client, journey: Journey) -> None:
    months = post(client, "loan", {"months": "12,5"}, language="it")
    cents = post(client, "loan", {"fees": "10.555"})

    with translation.override("it"):
        whole = gettext("Enter a whole number.")
    assert whole in error_block(months.text, "months")
    assert "Use at most two decimals (cents)." in error_block(cents.text, "fees")


@pytest.mark.parametrize(
    ("part", "changes", "field", "message"),
    [
        (
            "sales",
            {"price": "7", "variable_cost": "7"},
            "price",
            "The price must be higher than the variable cost per unit: otherwise each sale loses money.",
        ),
        ("sales", {"price": "5", "variable_cost": "9"}, "price", "The price must be higher than the variable cost"),
        ("loan", {"fees": "10000"}, "fees", "The fees must be lower than the amount borrowed."),
        ("loan", {"fees": "20000"}, "fees", "The fees must be lower than the amount borrowed."),
        ("loan", {"grace_months": "48"}, "grace_months", "The grace period must be shorter than the loan"),
        ("loan", {"months": "601"}, "months", "Enter a value between 0 and 600."),
        ("loan", {"annual_rate": "101"}, "annual_rate", "Enter a value between 0 and 100."),
        ("loan", {"principal": "10000000.01"}, "principal", "Enter a value between 0 and 10,000,000."),
    ],
)
def test_combinations_the_finance_core_refuses_show_its_message_next_to_the_field(
    client: Client, journey: Journey, part: str, changes: dict[str, str], field: str, message: str
) -> None:
    response = post(client, part, changes)

    assert response.status_code == 200
    assert message in error_block(response.text, field)
    plan = BusinessPlan.objects.filter(journey=journey).first()
    assert plan is None or part not in plan.inputs


def test_labels_with_html_are_stored_as_typed_and_shown_escaped(client: Client, journey: Journey) -> None:
    label = '<img src=x onerror="alert(1)">Oven'
    post(client, "budget", {"use_1_label": label})
    post(client, "sales", {"fixed_1_label": "<b>Rent</b>"}, version=2)

    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.inputs["budget"]["uses"][0]["label"] == label
    for path in ("/en/start/plan/budget/", "/en/start/plan/results/", "/en/start/plan/sales/"):
        page = client.get(path).text
        assert "<img src=x" not in page
        assert "<b>Rent</b>" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Oven" in client.get("/en/start/plan/results/").text
