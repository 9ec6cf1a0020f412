"""Helpers for the plan tests: a journey bound to a test client's session, plans with inputs."""

from __future__ import annotations

import secrets
from typing import Any

from django.test import Client

from micro.pathway.models import Journey
from micro.pathway.services import SESSION_KEY, hash_code
from micro.plans.models import BusinessPlan

WORKED_SALES = {
    "price": "12",
    "variable_cost": "7",
    "units": ["500"] * 12,
    "growth_year2": "",
    "growth_year3": "",
    "fixed_costs": [{"label": "Rent and bills", "amount": "2400"}],
    "owner_drawings": "",
    "opening_cash": "",
}
WORKED_LOAN = {
    "principal": "10000",
    "annual_rate": "6.9",
    "months": "48",
    "method": "french",
    "grace_months": "0",
    "grace_mode": "interest_only",
    "fees": "",
}
WORKED_BUDGET = {
    "uses": [
        {"label": "Oven", "kind": "equipment", "amount": "8000"},
        {"label": "Registration", "kind": "setup", "amount": "500"},
        {"label": "Flour and packaging", "kind": "stock", "amount": "1500"},
        {"label": "Three months of costs", "kind": "reserve", "amount": "2000"},
    ],
    "own_funds": "2000",
    "microloan": "10000",
    "grants": "",
    "family_loans": "",
}


def make_journey(language: str = "en") -> Journey:
    return Journey.objects.create(code_hash=hash_code(secrets.token_hex(8)), language=language)


def bind(client: Client, journey: Journey) -> Journey:
    session = client.session
    session[SESSION_KEY] = journey.pk
    session.save()
    return journey


def make_plan(
    journey: Journey | None = None, *, title: str = "", sections: dict[str, str] | None = None, **inputs: Any
) -> BusinessPlan:
    return BusinessPlan.objects.create(
        journey=journey or make_journey(), title=title, sections=sections or {}, inputs=inputs
    )


def worked_plan(journey: Journey | None = None, **overrides: Any) -> BusinessPlan:
    inputs = {"budget": WORKED_BUDGET, "sales": WORKED_SALES, "loan": WORKED_LOAN, **overrides}
    return make_plan(journey, title="Bakery Hope", **inputs)
