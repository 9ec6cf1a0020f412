"""The PDF, read back with pypdf: title, headings in the reader's language, right-to-left Arabic, the same loan numbers."""

from __future__ import annotations

import html
import io
import re
import time
import unicodedata

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from micro.pathway.models import Journey
from micro.plans import pdf
from micro.plans.selectors import plan_results
from micro.plans.tests.factories import WORKED_LOAN, worked_plan

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مخبز الأمل"


def read(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, unicodedata.normalize("NFKC", text)


def shown_value(page: str, css_class: str) -> str:
    match = re.search(rf'class="{css_class}">([^<]+)<', page)
    assert match, css_class
    return unicodedata.normalize("NFKC", html.unescape(match.group(1)))


def download(client: Client, language: str) -> bytes:
    response = client.get(f"/{language}/start/plan/business-plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="business-plan.pdf"'
    return response.content


def test_english_pdf_has_the_title_headings_and_the_loan_numbers_of_the_results_page(
    client: Client, journey: Journey
) -> None:
    plan = worked_plan(journey)
    plan.sections = {"summary": "Fresh bread every morning <b>near the station</b>."}
    plan.save()
    results_page = client.get("/en/start/plan/results/").text
    instalment = shown_value(results_page, "plan-instalment")
    total_interest = shown_value(results_page, "plan-total-interest")
    assert (instalment, total_interest) == ("€239.00", "€1,471.95")

    reader, text = read(download(client, "en"))

    assert "Bakery Hope" in text
    assert "Business plan" in text
    assert "Profit and loss for three years" in text
    assert "Fresh bread every morning <b>near the station</b>." in text
    assert instalment in text
    assert total_interest in text
    assert "computed by the MICRO platform" in text
    assert "estimates" in text
    assert "Repayment schedule" in text and "Show the full repayment schedule" not in text
    assert reader.root_object.get("/Lang") == "en"
    assert reader.metadata is not None and "Bakery Hope" in (reader.metadata.title or "")


def test_italian_pdf_is_in_italian_with_italian_numbers(client: Client, journey: Journey) -> None:
    worked_plan(journey)
    results_page = client.get("/it/start/plan/results/").text
    instalment = shown_value(results_page, "plan-instalment")
    total_interest = shown_value(results_page, "plan-total-interest")

    reader, text = read(download(client, "it"))

    assert reader.root_object.get("/Lang") == "it"
    with translation.override("it"):
        heading = gettext("Profit and loss for three years")
        title = gettext("Business plan")
    assert heading in text
    assert title in text
    assert "239,00" in instalment and instalment in text
    assert "1.471,95" in total_interest and total_interest in text


def test_arabic_pdf_is_right_to_left_and_its_text_comes_back_as_arabic(client: Client, journey: Journey) -> None:
    plan = worked_plan(journey)
    plan.title = ARABIC_TITLE
    plan.sections = {"summary": "خبز طازج كل صباح"}
    plan.save()

    reader, text = read(download(client, "ar"))

    assert reader.root_object.get("/Lang") == "ar"
    arabic = [char for char in text if "\u0600" <= char <= "\u06ff"]
    assert len(arabic) >= len(ARABIC_TITLE.replace(" ", ""))
    assert all(word in text or word[::-1] in text for word in ARABIC_TITLE.split())
    source = pdf.render_plan_html(plan=plan, results=plan_results(plan), language="ar")
    assert '<html lang="ar" dir="rtl">' in source


def test_the_pdf_loads_only_its_own_fonts() -> None:
    fetcher = pdf._fetcher()
    for url in ("file:///etc/passwd", "https://example.com/x.css", "http://127.0.0.1/"):
        with pytest.raises(ValueError, match="Only the plan fonts"):
            fetcher.fetch(url)
    font = fetcher.fetch(pdf.FONT_REGULAR.as_uri())
    try:
        assert font.read(4) == b"\x00\x01\x00\x00"
    finally:
        font.close()
    assert (pdf.FONT_DIR / "LICENSE").is_file()


def test_no_plan_means_no_pdf_but_a_message(client: Client, journey: Journey) -> None:
    response = client.get("/en/start/plan/business-plan.pdf", follow=True)

    assert response.redirect_chain == [("/en/start/plan/", 302)]
    assert "Save at least one page of your plan before you download it." in response.text


def test_pdf_build_time(capsys: pytest.CaptureFixture[str]) -> None:
    plan = worked_plan(loan={**WORKED_LOAN, "months": "84"})
    plan.sections = {"summary": "Bread. " * 400, "risks": "Flour prices. " * 200}
    results = plan_results(plan)

    pdf.render_plan_pdf(plan=plan, results=results, language="en")  # warm-up: fonts and imports
    timings = {}
    for language in ("en", "ar"):
        started = time.perf_counter()
        content = pdf.render_plan_pdf(plan=plan, results=results, language=language)
        timings[language] = time.perf_counter() - started
        assert content.startswith(b"%PDF")
    with capsys.disabled():
        print(
            f"\nPDF build time (84-month schedule, long sections): "
            f"en {timings['en']:.2f} s, ar {timings['ar']:.2f} s, {len(content) // 1024} KB"
        )
    assert max(timings.values()) < 30
