"""Two devices, one plan: saves of different fields merge; the same field changed twice is refused, keeping the input."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from micro.plans import services
from micro.plans.models import BusinessPlan
from micro.plans.tests.factories import WORKED_LOAN, bind, make_journey, make_plan
from micro.plans.tests.test_saving import LOAN_FORM

pytestmark = pytest.mark.django_db

SECTIONS = "/en/start/plan/sections/"
LOAN = "/en/start/plan/loan/"
BUDGET = "/en/start/plan/budget/"
MERGED = "It had been changed on another device meanwhile"
STALE = "This plan was changed on another device or in another tab"
BOTH = "This was also changed on the other device"


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}"(?: value="([^"]*)")?', page)
    assert match, name
    return html.unescape(match.group(1) or "")


def _loaded_form(client: Client, path: str) -> dict[str, str]:
    """What the page's hidden fields carry, as a browser would post them back."""
    page = client.get(path).content.decode()
    return {name: _hidden(page, name) for name in ("version", "save_key", "loaded")}


@pytest.fixture
def devices() -> tuple[Client, Client, BusinessPlan]:
    journey = make_journey()
    plan = make_plan(journey, title="Bakery", sections={"summary": "Bread.", "market": "Neighbours."})
    phone, laptop = Client(), Client()
    bind(phone, journey)
    bind(laptop, journey)
    return phone, laptop, plan


def _sections(**changes: str) -> dict[str, str]:
    return {"title": "Bakery", "summary": "Bread.", "market": "Neighbours.", **changes}


def test_different_sections_from_two_devices_are_merged(devices: tuple[Client, Client, BusinessPlan]) -> None:
    phone, laptop, plan = devices
    on_phone, on_laptop = _loaded_form(phone, SECTIONS), _loaded_form(laptop, SECTIONS)
    assert phone.post(SECTIONS, {**on_phone, **_sections(summary="Bread and cakes.")}).status_code == 302
    response = laptop.post(SECTIONS, {**on_laptop, **_sections(market="Offices nearby.")}, follow=True)
    assert MERGED in response.content.decode()
    plan.refresh_from_db()
    assert plan.sections["summary"] == "Bread and cakes." and plan.sections["market"] == "Offices nearby."
    assert plan.version == 3


def test_the_same_section_changed_on_both_devices_is_refused_and_the_input_kept(
    devices: tuple[Client, Client, BusinessPlan],
) -> None:
    phone, laptop, plan = devices
    on_phone, on_laptop = _loaded_form(phone, SECTIONS), _loaded_form(laptop, SECTIONS)
    phone.post(SECTIONS, {**on_phone, **_sections(summary="Bread and cakes.")})
    response = laptop.post(SECTIONS, {**on_laptop, **_sections(summary="Only pastry.", market="Offices.")})
    page = response.content.decode()
    assert response.status_code == 200
    assert STALE in page and BOTH in page
    assert "Only pastry." in page and "Offices." in page
    plan.refresh_from_db()
    assert (plan.sections["summary"], plan.sections["market"], plan.version) == ("Bread and cakes.", "Neighbours.", 2)
    # Saving the refused form again is a deliberate choice: it replaces the other version.
    assert laptop.post(SECTIONS, {**on_laptop, **_sections(summary="Only pastry."), "version": "2"}).status_code == 302
    plan.refresh_from_db()
    assert plan.sections["summary"] == "Only pastry."


def test_the_same_value_typed_on_both_devices_is_not_a_conflict(devices: tuple[Client, Client, BusinessPlan]) -> None:
    phone, laptop, plan = devices
    on_phone, on_laptop = _loaded_form(phone, SECTIONS), _loaded_form(laptop, SECTIONS)
    phone.post(SECTIONS, {**on_phone, **_sections(summary="Cakes.")})
    assert laptop.post(SECTIONS, {**on_laptop, **_sections(summary="Cakes.")}).status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2  # the second save changed nothing


def test_different_pages_saved_from_an_old_version_are_merged(devices: tuple[Client, Client, BusinessPlan]) -> None:
    phone, laptop, plan = devices
    on_phone, on_laptop = _loaded_form(phone, SECTIONS), _loaded_form(laptop, LOAN)
    phone.post(SECTIONS, {**on_phone, **_sections(summary="Cakes.")})
    assert laptop.post(LOAN, {**on_laptop, **LOAN_FORM}).status_code == 302
    plan.refresh_from_db()
    assert plan.sections["summary"] == "Cakes." and plan.inputs["loan"]["principal"] == "10000"


def test_different_loan_fields_merge_and_the_same_one_conflicts() -> None:
    journey = make_journey()
    plan = make_plan(journey, loan=dict(WORKED_LOAN))
    phone, laptop, tablet = Client(), Client(), Client()
    for client in (phone, laptop, tablet):
        bind(client, journey)
    forms = [_loaded_form(client, LOAN) for client in (phone, laptop, tablet)]
    assert phone.post(LOAN, {**forms[0], **LOAN_FORM, "principal": "12000"}).status_code == 302
    assert laptop.post(LOAN, {**forms[1], **LOAN_FORM, "fees": "150"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.inputs["loan"]["principal"], plan.inputs["loan"]["fees"], plan.version) == ("12000", "150", 3)
    refused = tablet.post(LOAN, {**forms[2], **LOAN_FORM, "principal": "9000"})
    assert refused.status_code == 200 and BOTH in refused.content.decode()
    plan.refresh_from_db()
    assert plan.inputs["loan"]["principal"] == "12000"


@pytest.mark.parametrize(
    "loaded",
    ["garbage", "title=<script>", "title=0123456789abcdef;' OR 1=1--", "x" * 5000, "summary=zzzzzzzzzzzzzzzz"],
)
def test_forged_or_broken_digests_fall_back_to_refusing(
    devices: tuple[Client, Client, BusinessPlan], loaded: Any
) -> None:
    phone, laptop, plan = devices
    on_phone, on_laptop = _loaded_form(phone, SECTIONS), _loaded_form(laptop, SECTIONS)
    phone.post(SECTIONS, {**on_phone, **_sections(summary="Cakes.")})
    response = laptop.post(SECTIONS, {**on_laptop, **_sections(market="Offices."), "loaded": loaded})
    assert response.status_code == 200 and STALE in response.content.decode()
    plan.refresh_from_db()
    assert plan.sections["market"] == "Neighbours."


def test_the_service_merges_only_with_digests() -> None:
    plan = make_plan(title="A", sections={"summary": "one"})
    loaded = services.field_digests(services.section_values(plan))
    services.plan_save_sections(plan=plan, title="A", sections={"summary": "two"}, expected_version=1)
    with pytest.raises(services.StalePlanError):
        services.plan_save_sections(plan=plan, title="B", sections={"summary": "two"}, expected_version=1)
    saved = services.plan_save_sections(
        plan=plan, title="B", sections={"summary": "one"}, expected_version=1, loaded=loaded
    )
    assert saved.merged_save and (saved.title, saved.sections["summary"], saved.version) == ("B", "two", 3)
