"""Saving: atomic and validated, a doubled submit saves once, a stale version is refused, text is kept as typed."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from micro.pathway.models import Journey
from micro.plans import services
from micro.plans.models import BusinessPlan
from micro.plans.structure import MAX_SECTION_LENGTH
from micro.plans.tests.factories import WORKED_LOAN, WORKED_SALES, make_journey, make_plan

pytestmark = pytest.mark.django_db

LOAN_FORM = {
    "principal": "10000",
    "annual_rate": "6.9",
    "months": "48",
    "method": "french",
    "grace_months": "0",
    "grace_mode": "interest_only",
    "fees": "",
}


def test_plan_get_or_create_makes_one_plan_per_journey() -> None:
    journey = make_journey()
    first = services.plan_get_or_create(journey=journey)
    second = services.plan_get_or_create(journey=journey)

    assert first.pk == second.pk
    assert first.version == 1
    assert BusinessPlan.objects.count() == 1


def test_the_first_save_starts_a_journey_for_the_session(client: Client) -> None:
    response = client.post("/en/start/plan/loan/", {**LOAN_FORM, "version": "1"})

    assert response.status_code == 302
    plan = BusinessPlan.objects.get()
    assert plan.inputs["loan"]["principal"] == "10000"
    assert client.session["micro_journey_id"] == plan.journey_id


def test_reading_the_pages_creates_nothing(client: Client, db: None) -> None:
    for path in ("", "sections/", "budget/", "sales/", "loan/", "results/"):
        assert client.get(f"/en/start/plan/{path}").status_code == 200
    assert not Journey.objects.exists()
    assert not BusinessPlan.objects.exists()


def test_a_doubled_submit_saves_once(client: Client, journey: Journey) -> None:
    data = {**LOAN_FORM, "version": "1"}
    first = client.post("/en/start/plan/loan/", data)
    second = client.post("/en/start/plan/loan/", data)

    assert first.status_code == second.status_code == 302
    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.version == 2
    assert plan.inputs["loan"]["months"] == "48"


def test_the_same_data_does_not_bump_the_version() -> None:
    plan = make_plan(loan=WORKED_LOAN)
    services.plan_save_inputs(plan=plan, data={"loan": dict(WORKED_LOAN)}, expected_version=1)
    services.plan_save_sections(plan=plan, title="", sections={}, expected_version=1)

    plan.refresh_from_db()
    assert plan.version == 1


def test_a_stale_version_is_refused_and_nothing_is_overwritten() -> None:
    plan = make_plan(sales=WORKED_SALES)
    services.plan_save_inputs(plan=plan, data={"sales": {**WORKED_SALES, "price": "13"}}, expected_version=1)

    other_device = BusinessPlan.objects.get(pk=plan.pk)
    other_device.version = 1  # loaded before the first save
    with pytest.raises(services.StalePlanError) as refused:
        services.plan_save_inputs(
            plan=other_device, data={"sales": {**WORKED_SALES, "price": "14"}}, expected_version=1
        )

    assert refused.value.current_version == 2
    plan.refresh_from_db()
    assert plan.inputs["sales"]["price"] == "13"
    assert plan.version == 2


def test_a_stale_page_shows_a_clear_message_keeps_the_values_and_a_second_save_replaces(
    client: Client, journey: Journey
) -> None:
    make_plan(journey, loan=WORKED_LOAN)
    phone = client.get("/en/start/plan/loan/")
    assert 'name="version" value="1"' in phone.text
    client.post("/en/start/plan/loan/", {**LOAN_FORM, "principal": "9000", "version": "1"})  # the laptop

    refused = client.post("/en/start/plan/loan/", {**LOAN_FORM, "principal": "8000", "version": "1"})

    assert refused.status_code == 200
    assert "was changed on another device or in another tab" in html.unescape(refused.text)
    assert 'value="8000"' in refused.text
    assert 'name="version" value="2"' in refused.text
    assert BusinessPlan.objects.get(journey=journey).inputs["loan"]["principal"] == "9000"

    replaced = client.post("/en/start/plan/loan/", {**LOAN_FORM, "principal": "8000", "version": "2"})
    assert replaced.status_code == 302
    assert BusinessPlan.objects.get(journey=journey).inputs["loan"]["principal"] == "8000"


def test_stale_sections_are_refused() -> None:
    plan = make_plan(title="First")
    services.plan_save_sections(plan=plan, title="Second", sections={"summary": "a"}, expected_version=1)

    with pytest.raises(services.StalePlanError):
        services.plan_save_sections(plan=plan, title="Third", sections={"summary": "b"}, expected_version=1)
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Second", 2)


def test_the_service_refuses_what_the_finance_core_refuses() -> None:
    plan = make_plan()
    with pytest.raises(ValidationError) as refused:
        services.plan_save_inputs(
            plan=plan, data={"sales": {**WORKED_SALES, "variable_cost": "12"}}, expected_version=1
        )

    assert "price" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.inputs == {}
    assert plan.version == 1


def test_unknown_parts_and_long_sections_are_refused() -> None:
    plan = make_plan()
    with pytest.raises(ValidationError):
        services.plan_save_inputs(plan=plan, data={"salary": {}}, expected_version=1)
    with pytest.raises(ValidationError) as too_long:
        services.plan_save_sections(
            plan=plan, title="", sections={"risks": "x" * (MAX_SECTION_LENGTH + 1)}, expected_version=1
        )
    assert "risks" in too_long.value.message_dict


def test_sections_with_html_and_script_are_stored_as_typed_and_shown_escaped(client: Client, journey: Journey) -> None:
    script = "<script>alert('x')</script>"
    data = {"version": "1", "title": f"Bakery {script}", "summary": "<b>Fresh</b> bread\nevery day", "risks": script}
    assert client.post("/en/start/plan/sections/", data).status_code == 302

    plan = BusinessPlan.objects.get(journey=journey)
    assert plan.title == f"Bakery {script}"
    assert plan.sections["summary"] == "<b>Fresh</b> bread\nevery day"
    assert set(plan.sections) == {
        "summary",
        "entrepreneur",
        "product",
        "market",
        "competitors",
        "marketing",
        "organisation",
        "risks",
    }
    for path in ("/en/start/plan/", "/en/start/plan/sections/"):
        page = client.get(path).text
        assert script not in page
        assert "<b>Fresh</b>" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_section_over_the_limit_gets_a_message_and_is_not_saved(client: Client, journey: Journey) -> None:
    response = client.post("/en/start/plan/sections/", {"version": "1", "market": "m" * (MAX_SECTION_LENGTH + 1)})

    assert response.status_code == 200
    assert 'id="id_market_error"' in response.text
    assert not BusinessPlan.objects.filter(journey=journey).exists()


def test_a_form_without_its_version_cannot_overwrite_silently(client: Client, journey: Journey) -> None:
    make_plan(journey, loan=WORKED_LOAN)
    refused = client.post("/en/start/plan/loan/", {**LOAN_FORM, "principal": "7000"})

    assert refused.status_code == 200
    assert "was changed on another device or in another tab" in html.unescape(refused.text)
    assert BusinessPlan.objects.get(journey=journey).inputs["loan"]["principal"] == "10000"
