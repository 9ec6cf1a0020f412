"""The builder pages: without JavaScript, with htmx live recalculation, bounded SQL, no inline script or style."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.pathway.models import Journey
from micro.plans.models import BusinessPlan
from micro.plans.tests.factories import WORKED_BUDGET, worked_plan

pytestmark = pytest.mark.django_db

PAGES = ["", "sections/", "budget/", "sales/", "loan/", "results/"]
INPUT_PAGES = ["budget/", "sales/", "loan/"]
QUERY_BOUND = 6
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_a_plan_and_with_one(client: Client, journey: Journey, path: str) -> None:
    assert client.get(f"/en/start/plan/{path}").status_code == 200
    worked_plan(journey)
    page = client.get(f"/en/start/plan/{path}")
    assert page.status_code == 200
    assert 'aria-current="page"' in page.text


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_or_style(client: Client, journey: Journey, path: str) -> None:
    worked_plan(journey)
    page = client.get(f"/en/start/plan/{path}").text

    assert "style=" not in page
    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " on" + "click=" not in page


@pytest.mark.parametrize("path", PAGES)
def test_htmx_is_loaded_only_on_the_input_pages(client: Client, journey: Journey, path: str) -> None:
    page = client.get(f"/en/start/plan/{path}").text
    loaded = '<script src="/static/vendor/htmx-2.0.11.min.js" defer></script>' in page
    assert loaded is (path in INPUT_PAGES)
    if loaded:
        assert 'hx-trigger="change delay:400ms"' in page
        assert f'hx-post="/en/start/plan/{path}"' in page


def test_a_change_posts_back_and_gets_only_the_summary_without_saving(client: Client, journey: Journey) -> None:
    plan = worked_plan(journey)
    data = {"version": "1", "price": "15", "variable_cost": "7", "units_all": "500", "fixed_1_amount": "2400"}
    response = client.post("/en/start/plan/sales/", data, headers=HTMX)

    assert response.status_code == 200
    text = html.unescape(response.text)
    assert text.lstrip().startswith('<section id="plan-summary"')
    assert "<html" not in text
    assert "Calculated from the values in the form. Press Save to keep them." in text
    assert "300 units, €4,500.00 of sales" in text  # 2400 / (15 - 7) = 300
    plan.refresh_from_db()
    assert plan.inputs["sales"]["price"] == "12"
    assert plan.version == 1


def test_the_live_summary_lists_field_errors_and_finance_refusals(client: Client, journey: Journey) -> None:
    typed = client.post("/en/start/plan/sales/", {"version": "1", "price": "abc"}, headers=HTMX)
    refused = client.post("/en/start/plan/sales/", {"version": "1", "price": "5", "variable_cost": "9"}, headers=HTMX)
    loan = client.post(
        "/en/start/plan/loan/",
        {"version": "1", "principal": "1000", "annual_rate": "5", "months": "12", "fees": "1000"},
        headers=HTMX,
    )

    assert 'href="#id_price"' in typed.text and "Enter a number, for example 1250 or 1250,50." in typed.text
    assert 'href="#id_price"' in refused.text and "The price must be higher" in refused.text
    assert 'href="#id_fees"' in loan.text and "The fees must be lower than the amount borrowed." in loan.text
    assert not BusinessPlan.objects.exists()


def test_the_budget_preview_shows_the_gap(client: Client, journey: Journey) -> None:
    data = {
        "version": "1",
        "use_1_label": "Van",
        "use_1_kind": "equipment",
        "use_1_amount": "5000",
        "own_funds": "1000",
    }
    text = html.unescape(client.post("/en/start/plan/budget/", data, headers=HTMX).text)

    assert "Still to find" in text and "€4,000.00" in text


def test_the_saved_message_and_redirect_after_a_normal_submit(client: Client, journey: Journey) -> None:
    response = client.post("/en/start/plan/budget/", {"version": "1", "use_1_amount": "900"}, follow=True)

    assert response.redirect_chain == [("/en/start/plan/budget/", 302)]
    assert "Your plan is saved." in response.text


def test_the_overview_shows_progress_and_links(client: Client, journey: Journey) -> None:
    worked_plan(journey).__class__.objects.filter(journey=journey).update(sections={"summary": "Bread"})
    page = html.unescape(client.get("/en/start/plan/").text)

    assert '<progress id="plan-progress" max="11" value="4">' in page
    assert "4 of 11 parts done" in page
    assert "Bakery Hope" in page
    for name in ("sections", "budget", "sales", "loan", "results", "business-plan.pdf"):
        assert f'href="/en/start/plan/{name}' in page
    assert 'href="/en/start/"' in page


def test_the_budget_page_keeps_eight_lines(client: Client, journey: Journey) -> None:
    page = client.get("/en/start/plan/budget/").text

    assert 'name="use_8_amount"' in page and 'name="use_9_amount"' not in page


@pytest.mark.parametrize("path", PAGES)
def test_queries_are_bounded_without_and_with_a_plan(
    client: Client, journey: Journey, django_assert_max_num_queries, path: str
) -> None:
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(f"/en/start/plan/{path}").status_code == 200
    worked_plan(journey)
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(f"/en/start/plan/{path}").status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_queries_do_not_grow_with_the_plan(client: Client, journey: Journey, path: str) -> None:
    plan = worked_plan(journey, budget={**WORKED_BUDGET, "uses": WORKED_BUDGET["uses"][:1]})
    with CaptureQueriesContext(connection) as small:
        client.get(f"/en/start/plan/{path}")
    lines = [{"label": f"Item {index}", "kind": "equipment", "amount": "100"} for index in range(8)]
    plan.inputs = {**plan.inputs, "budget": {**WORKED_BUDGET, "uses": lines}}
    plan.sections = {"summary": "x" * 3000, "risks": "y" * 3000}
    plan.save()
    with CaptureQueriesContext(connection) as large:
        client.get(f"/en/start/plan/{path}")
    assert len(large) == len(small)


def test_live_recalculation_and_saving_are_bounded(
    client: Client, journey: Journey, django_assert_max_num_queries
) -> None:
    worked_plan(journey)
    data = {"version": "1", "principal": "5000", "annual_rate": "5", "months": "24"}
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.post("/en/start/plan/loan/", data, headers=HTMX).status_code == 200
    with django_assert_max_num_queries(QUERY_BOUND + 4):
        assert client.post("/en/start/plan/loan/", data).status_code == 302


def test_the_plan_page_from_the_path_resolves(client: Client, db: None) -> None:
    from django.urls import reverse

    assert reverse("plans:builder") == "/en/start/plan/"
    assert reverse("plans:pdf") == "/en/start/plan/business-plan.pdf"
