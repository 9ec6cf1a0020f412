"""The migrant path end to end at the HTTP level: content, journeys, worksheets, guidance, sharing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.accounts.tests.factories import MembershipFactory, UserFactory
from micro.core.models import AuditEvent
from micro.pathway.content import content_import
from micro.pathway.models import GlossaryTerm, Journey, JourneyShare, Rule, Step

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _start_journey(client: Client) -> str:
    """Save the first worksheet and read the resume code shown once on the journey page."""
    client.post("/en/start/01-idea/01-describe/", {"idea_summary": "Tailoring shop", "price": "25"})
    page = client.get("/en/start/journey/").content.decode()
    match = CODE.search(page)
    assert match, "the resume code is shown after the first save"
    return match.group(0)


def test_import_is_idempotent_and_removes_deleted_items(content_pack: Path) -> None:
    counts = (Step.objects.count(), Rule.objects.count(), GlossaryTerm.objects.count())
    content_import(root=content_pack)
    assert (Step.objects.count(), Rule.objects.count(), GlossaryTerm.objects.count()) == counts
    (content_pack / "path/01-idea/01-describe.en.md").unlink()
    content_import(root=content_pack)
    assert not Step.objects.filter(slug="01-describe").exists()


def test_import_reports_broken_files_without_half_writing(content_pack: Path) -> None:
    (content_pack / "path/01-idea/09-broken.en.md").write_text("no header here", encoding="utf-8")
    report = content_import(root=content_pack)
    assert any("09-broken" in error for error in report.errors)


def test_path_home_lists_stages_and_works_without_a_journey(client: Client, content_pack: Path) -> None:
    response = client.get("/en/start/")
    assert response.status_code == 200
    assert "My idea" in response.content.decode()
    assert not Journey.objects.exists(), "reading creates nothing"


def test_step_renders_glossary_link_and_dated_rule_with_source(client: Client, content_pack: Path) -> None:
    html = client.get("/en/start/00-welcome/01-hello/").content.decode()
    assert 'href="/en/start/glossary/microcredit/"' in html
    assert "75,000" in html and "https://example.org/it" in html and "to be confirmed" in html


def test_arabic_step_is_rtl_and_marks_a_draft_translation(client: Client, content_pack: Path) -> None:
    html = client.get("/ar/start/00-welcome/01-hello/").content.decode()
    assert 'dir="rtl"' in html and "مرحبا" in html
    assert 'class="notice notice-draft"' in html


def test_missing_language_falls_back_visibly(client: Client, content_pack: Path) -> None:
    html = client.get("/ar/start/01-idea/01-describe/").content.decode()
    assert "Describe" in html
    assert 'role="note"' in html


def test_worksheet_saves_once_and_keeps_answers(client: Client, content_pack: Path) -> None:
    code = _start_journey(client)
    assert Journey.objects.count() == 1
    client.post("/en/start/01-idea/01-describe/", {"idea_summary": "Tailoring shop", "price": "25"})
    journey = Journey.objects.get()
    assert journey.answers["01-idea/01-describe"] == {"idea_summary": "Tailoring shop", "price": "25"}
    assert journey.completed_steps.count("01-idea/01-describe") == 1
    assert len(code) == 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"idea_summary": "", "price": "10"}, "This field is required"),
        ({"idea_summary": "x", "price": "-5"}, "zero or a positive number"),
        ({"idea_summary": "x", "price": "abc"}, "Enter a number"),
        ({"idea_summary": "x", "price": "1e400"}, "Enter a number"),
        ({"idea_summary": "x", "price": "99999999999"}, "too large"),
        ({"idea_summary": "x" * 3001, "price": "1"}, "at most 3000"),
    ],
)
def test_worksheet_bad_input_keeps_what_was_typed_and_saves_nothing(
    client: Client, content_pack: Path, data: dict[str, str], message: str
) -> None:
    response = client.post("/en/start/01-idea/01-describe/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Journey.objects.exists()


def test_worksheet_accepts_locale_amounts(client: Client, content_pack: Path) -> None:
    client.post("/it/start/01-idea/01-describe/", {"idea_summary": "Sartoria", "price": "1.234,56"})
    assert Journey.objects.get().answers["01-idea/01-describe"]["price"] == "1234.56"


def test_hostile_text_is_stored_and_rendered_escaped(client: Client, content_pack: Path) -> None:
    hostile = "<script>alert(1)</script>' OR 1=1; DROP TABLE pathway_journey;--"
    client.post("/en/start/01-idea/01-describe/", {"idea_summary": hostile, "price": ""})
    html = client.get("/en/start/01-idea/01-describe/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Journey.objects.get().answers["01-idea/01-describe"]["idea_summary"] == hostile


def test_resume_code_brings_the_journey_back_in_another_browser(content_pack: Path) -> None:
    first = Client()
    code = _start_journey(first)
    other = Client()
    response = other.post("/en/start/", {"code": code.lower().replace("-", " ")}, follow=True)
    assert "Welcome back" in response.content.decode()
    assert "Tailoring shop" in other.get("/en/start/01-idea/01-describe/").content.decode()


def test_wrong_resume_codes_are_refused_then_throttled(client: Client, content_pack: Path) -> None:
    for _attempt in range(20):
        response = client.post("/en/start/", {"code": "AAAA-AAAA-AA"})
        assert "We found no journey" in response.content.decode()
    response = client.post("/en/start/", {"code": "AAAA-AAAA-AA"})
    assert "Too many wrong codes" in response.content.decode()


@pytest.mark.parametrize("code", ["", "x" * 1000, "<script>", "' OR 1=1 --"])
def test_malformed_resume_codes_are_a_form_error(client: Client, content_pack: Path, code: str) -> None:
    response = client.post("/en/start/", {"code": code})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_readiness_scores_and_routes_to_the_weakest_area(client: Client, content_pack: Path) -> None:
    client.post("/en/start/00-welcome/02-readiness/", {"savings": "c", "why": "a"})
    journey = Journey.objects.get()
    assert journey.readiness["start_stage"] == "05-microcredit"
    html = client.get("/en/start/00-welcome/02-readiness/").content.decode()
    assert "Save first." in html and "/en/start/05-microcredit/" in html


def test_readiness_with_missing_or_forged_answers_is_refused(client: Client, content_pack: Path) -> None:
    response = client.post("/en/start/00-welcome/02-readiness/", {"savings": "zzz"})
    assert "Select a valid choice" in response.content.decode()
    assert not Journey.objects.exists()


def test_country_choice_filters_country_steps(client: Client, content_pack: Path) -> None:
    assert "Right to work it" not in client.get("/en/start/03-rules/").content.decode()
    response = client.post("/en/start/03-rules/00-country/", {"country": "IT"})
    assert response.status_code == 302 and response["Location"].endswith("/en/start/03-rules/it-1-right-to-work/")
    stage = client.get("/en/start/03-rules/").content.decode()
    assert "Right to work it" in stage and "Right to work es" not in stage
    assert client.post("/en/start/03-rules/00-country/", {"country": "FR"}).status_code == 200


def test_unverified_facts_are_shown_in_a_box(client: Client, content_pack: Path) -> None:
    client.post("/en/start/03-rules/00-country/", {"country": "IT"})
    html = client.get("/en/start/03-rules/it-1-right-to-work/").content.decode()
    assert "Still being checked" in html and "A fact to check" in html


def test_legal_form_chooser_ranks_limited_liability_first_when_asked(client: Client, content_pack: Path) -> None:
    client.post("/en/start/03-rules/00-country/", {"country": "IT"})
    html = client.post(
        "/en/start/03-rules/it-2-legal-forms/", {"owners": "single", "protect_assets": "yes"}, follow=True
    ).content.decode()
    assert html.index("Small company") < html.index("Sole trader")


def test_eligibility_says_not_yet_with_advice(client: Client, content_pack: Path) -> None:
    client.post("/en/start/03-rules/00-country/", {"country": "IT"})
    html = client.post(
        "/en/start/05-microcredit/03-eligibility/", {"residence": "no", "plan": "yes"}, follow=True
    ).content.decode()
    assert "Not yet" in html and "Check your permit first." in html
    html = client.post(
        "/en/start/05-microcredit/03-eligibility/", {"residence": "yes", "plan": "yes"}, follow=True
    ).content.decode()
    assert "You can ask for a microcredit" in html and "75,000" in html


def test_unknown_stage_or_step_is_404(client: Client, content_pack: Path) -> None:
    assert client.get("/en/start/99-nothing/").status_code == 404
    assert client.get("/en/start/01-idea/nothing/").status_code == 404


def test_share_claim_read_and_withdraw(client: Client, content_pack: Path) -> None:
    _start_journey(client)
    page = client.post("/en/start/journey/", {"purpose": "Loan request", "days": "30"}).content.decode()
    share_code = CODE.findall(page)[-1]
    operator: Any = UserFactory()
    MembershipFactory(user=operator, role="operator")
    adviser = Client()
    adviser.force_login(operator)
    response = adviser.post("/en/shared/", {"code": share_code})
    assert response.status_code == 302
    detail = adviser.get(response["Location"])
    assert detail.status_code == 200 and "Tailoring shop" in detail.content.decode()
    assert AuditEvent.objects.filter(action="journey_share.read").count() == 1
    journey_page = client.get("/en/start/journey/").content.decode()
    assert "used by an adviser" in journey_page
    share = JourneyShare.objects.get()
    client.post(f"/en/start/journey/shares/{share.pk}/withdraw/")
    assert adviser.get(response["Location"]).status_code == 404


def test_share_code_cannot_be_claimed_by_a_second_operator(client: Client, content_pack: Path) -> None:
    _start_journey(client)
    page = client.post("/en/start/journey/", {"purpose": "Loan", "days": "7"}).content.decode()
    share_code = CODE.findall(page)[-1]
    first, second = Client(), Client()
    for user_client in (first, second):
        user: Any = UserFactory()
        MembershipFactory(user=user, role="operator")
        user_client.force_login(user)
    assert first.post("/en/shared/", {"code": share_code}).status_code == 302
    response = second.post("/en/shared/", {"code": share_code})
    assert response.status_code == 200 and "does not work" in response.content.decode()
    share = JourneyShare.objects.get()
    assert second.get(f"/en/shared/{share.pk}/").status_code == 404


def test_people_without_a_staff_role_cannot_open_shares(client: Client, content_pack: Path) -> None:
    user: Any = UserFactory()
    client.force_login(user)
    assert client.get("/en/shared/").status_code == 403


@pytest.mark.parametrize(("purpose", "days"), [("", "30"), ("ok", "365"), ("ok", "abc"), ("x" * 500, "7")])
def test_share_form_bad_input(client: Client, content_pack: Path, purpose: str, days: str) -> None:
    _start_journey(client)
    response = client.post("/en/start/journey/", {"purpose": purpose, "days": days})
    assert response.status_code == 200
    assert not JourneyShare.objects.exists()


def test_delete_removes_everything(client: Client, content_pack: Path) -> None:
    code = _start_journey(client)
    client.post("/en/start/journey/", {"purpose": "Loan", "days": "7"})
    client.post("/en/start/journey/delete/")
    assert not Journey.objects.exists() and not JourneyShare.objects.exists()
    assert "We found no journey" in Client().post("/en/start/", {"code": code}).content.decode()


def test_only_a_hash_of_the_resume_code_is_stored(client: Client, content_pack: Path) -> None:
    code = _start_journey(client)
    journey = Journey.objects.get()
    assert code.replace("-", "") not in journey.code_hash


def test_step_page_query_count_is_bounded(client: Client, content_pack: Path, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _start_journey(client)
    with django_assert_max_num_queries(10):
        assert client.get("/en/start/00-welcome/01-hello/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/en/start/").status_code == 200


def test_a_rule_past_its_validity_says_it_may_have_changed(client: Client, content_pack: Path) -> None:
    import datetime as dt

    Rule.objects.filter(key="IT.microcredit.max_amount").update(valid_to=dt.date(2025, 12, 31))
    html = client.get("/en/start/00-welcome/01-hello/").content.decode()
    assert "may have changed" in html


def test_rules_page_lists_figures_with_sources(client: Client, content_pack: Path) -> None:
    html = client.get("/en/start/rules/IT/").content.decode()
    assert "Max microcredit" in html and "https://example.org/it" in html
    assert client.get("/en/start/rules/XX/").status_code == 404
    assert client.get("/it/start/rules/it/").status_code == 200


def test_the_adviser_sees_the_shared_plan_with_its_numbers(client: Client, content_pack: Path) -> None:
    _start_journey(client)
    journey = Journey.objects.get()
    from micro.plans.models import BusinessPlan

    BusinessPlan.objects.create(
        journey=journey,
        title="Sartoria Amina",
        sections={"summary": "A tailoring shop"},
        inputs={"loan": {"principal": "10000", "annual_rate": "6.9", "months": "48", "method": "french"}},
    )
    page = client.post("/en/start/journey/", {"purpose": "Loan request", "days": "30"}).content.decode()
    share_code = CODE.findall(page)[-1]
    operator: Any = UserFactory()
    MembershipFactory(user=operator, role="operator")
    adviser = Client()
    adviser.force_login(operator)
    detail = adviser.post("/en/shared/", {"code": share_code}, follow=True).content.decode()
    assert "Sartoria Amina" in detail and "A tailoring shop" in detail
    assert "239.00" in detail or "239,00" in detail


def test_a_signed_in_migrant_keeps_the_journey_with_the_account(client: Client, content_pack: Path) -> None:
    _start_journey(client)
    migrant: Any = UserFactory()
    client.force_login(migrant)
    response = client.post("/en/start/journey/keep/", follow=True)
    assert "kept with your account" in response.content.decode()
    assert Journey.objects.get().user == migrant
    other_device = Client()
    other_device.force_login(migrant)
    assert "Tailoring shop" in other_device.get("/en/start/01-idea/01-describe/").content.decode()
    stranger: Any = UserFactory()
    third = Client()
    third.force_login(stranger)
    assert "Tailoring shop" not in third.get("/en/start/01-idea/01-describe/").content.decode()


def test_keeping_needs_a_sign_in(client: Client, content_pack: Path) -> None:
    _start_journey(client)
    response = client.post("/en/start/journey/keep/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Journey.objects.get().user is None


def test_steps_and_readiness_show_entrecomp_competences(client: Client, content_pack: Path) -> None:
    Step.objects.filter(slug="01-hello").update(competences=["financial_economic_literacy"])
    assert "2.4 Financial and economic literacy" in client.get("/en/start/00-welcome/01-hello/").content.decode()
    client.post("/en/start/00-welcome/02-readiness/", {"savings": "c", "why": "a"})
    assert "2.3 Mobilising resources" in client.get("/en/start/00-welcome/02-readiness/").content.decode()


def test_withdrawing_another_journeys_share_changes_nothing(content_pack: Path) -> None:
    owner, intruder = Client(), Client()
    _start_journey(owner)
    owner.post("/en/start/journey/", {"purpose": "Loan", "days": "7"})
    _start_journey(intruder)
    share = JourneyShare.objects.get()
    intruder.post(f"/en/start/journey/shares/{share.pk}/withdraw/")
    intruder.post("/en/start/journey/shares/999999/withdraw/")
    share.refresh_from_db()
    assert share.revoked_at is None


def test_a_content_re_import_shows_at_once_though_the_html_is_cached(client: Client, content_pack: Path) -> None:
    step_file = content_pack / "path/00-welcome/01-hello.en.md"
    stage_file = content_pack / "path/00-welcome/_stage.en.md"
    first_stage = client.get("/en/start/00-welcome/").content.decode()
    first_step = client.get("/en/start/00-welcome/01-hello/").content.decode()
    assert "<p>Intro</p>" in client.get("/en/start/00-welcome/").content.decode(), "served from the cache"
    assert "<p>Intro</p>" in first_stage and 'href="/en/start/glossary/microcredit/"' in first_step

    stage_file.write_text(stage_file.read_text(encoding="utf-8").replace("Intro", "A **fresh** intro"), "utf-8")
    step_file.write_text(step_file.read_text(encoding="utf-8").replace("Read about", "Learn about"), "utf-8")
    content_import(root=content_pack)
    assert "<strong>fresh</strong>" in client.get("/en/start/00-welcome/").content.decode()
    step = client.get("/en/start/00-welcome/01-hello/").content.decode()
    assert "Learn about" in step and 'href="/en/start/glossary/microcredit/"' in step

    # A term removed from the pack loses its links although the step text is unchanged.
    for glossary_file in (content_pack / "glossary").glob("microcredit.*.md"):
        glossary_file.unlink()
    content_import(root=content_pack)
    step = client.get("/en/start/00-welcome/01-hello/").content.decode()
    assert "Learn about microcredit" in step and "/glossary/microcredit/" not in step


def test_stage_page_without_links_or_figures_reads_no_glossary_or_rules(client: Client, content_pack: Path) -> None:
    client.get("/en/start/01-idea/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/start/01-idea/").status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "pathway_glossaryterm" not in tables and "pathway_rule" not in tables
