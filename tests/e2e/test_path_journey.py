"""A migrant walks the whole info-training path on a phone, builds a business plan with a loan and takes the PDF.

Only data we control is asserted on: titles and figures from the content packs under content/,
the text the visitor types, numbers, URLs, and the structure of the pages (lang, dir, landmarks).
The UI catalogues are translated in parallel, so no UI string is compared.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import (
    BLOCKING_IMPACTS,
    CONTENT,
    E2E,
    amounts,
    axe_violations,
    content_data,
    content_header,
    describe_violation,
    expected_dir,
    lang_dir,
    path_steps,
)

pytestmark = E2E

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Visitor:
    """What one visitor types: in their own language, so it can be found again in the plan and the PDF."""

    lang: str
    country: str
    text: str  # worksheet answers
    word: str  # a word of ``text`` to look for in the PDF
    title: str  # the plan's name
    rate: str  # 6.9 % typed the visitor's way
    budget: tuple[tuple[str, str, str], ...]  # (label, kind, amount)
    fixed: tuple[tuple[str, str], ...]  # (label, amount per month)


VISITORS = {
    "it": Visitor(
        lang="it",
        country="IT",
        text="Ripariamo e vendiamo biciclette usate agli studenti del quartiere",
        word="biciclette",
        title="Officina Bici Amina",
        rate="6,9",
        budget=(
            ("Attrezzi da officina", "equipment", "5000"),
            ("Iscrizione e licenze", "setup", "1000"),
            ("Biciclette usate", "stock", "3000"),
            ("Riserva di cassa", "reserve", "3000"),
        ),
        fixed=(("Affitto", "600"), ("Telefono", "50"), ("Commercialista", "100")),
    ),
    "ar": Visitor(
        lang="ar",
        country="ES",
        text="نصلح الدراجات المستعملة ونبيعها للطلاب في الحي",
        word="الدراجات",
        title="ورشة أمينة للدراجات",
        rate="6.9",
        budget=(
            ("أدوات الورشة", "equipment", "5000"),
            ("التسجيل والتراخيص", "setup", "1000"),
            ("دراجات مستعملة", "stock", "3000"),
            ("احتياطي نقدي", "reserve", "3000"),
        ),
        fixed=(("الإيجار", "600"), ("الهاتف", "50"), ("المحاسب", "100")),
    ),
}
OWN_FUNDS, LOAN, RATE, MONTHS = "2000", Decimal(10000), Decimal("6.9"), 48
PRICE, VARIABLE_COST, UNITS, DRAWINGS = "12", "4", "400", "1200"
LIVE_PRICE = "15"  # typed on the sales page to see the summary recalculated without a reload


def french_instalment(principal: Decimal, annual_percent: Decimal, months: int) -> Decimal:
    rate = annual_percent / 100 / 12
    return (principal * rate / (1 - (1 + rate) ** -months)).quantize(Decimal("0.01"))


@dataclass
class Walk:
    """The visitor's browser tab: every page it lands on must have the language and direction of the visitor."""

    page: Any
    lang: str
    visited: list[str] = field(default_factory=list)

    def landed(self) -> None:
        self.page.wait_for_load_state()
        assert lang_dir(self.page) == (self.lang, expected_dir(self.lang)), self.page.url
        assert self.page.locator("main#main h1").count() == 1, self.page.url
        self.visited.append(self.page.url)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.landed()

    def follow(self, locator: Any) -> None:
        """Click a link or a submit button of the page and wait for the page it leads to."""
        assert locator.count() == 1, f"{self.page.url}: {locator}"
        with self.page.expect_navigation():
            locator.click()
        self.landed()

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)


def _answer_form(form: Any, text: str) -> None:
    """Fill every field of a content-made form: texts with ``text``, amounts with numbers, first option of choices."""
    for index, area in enumerate(form.locator("textarea").all()):
        area.fill(f"{text} ({index + 1})")
    for box in form.locator("input[type=text]").all():
        box.fill("1200" if box.get_attribute("inputmode") == "decimal" else text)
    names = form.evaluate("f => [...new Set([...f.querySelectorAll('input[type=radio]')].map(r => r.name))]")
    for name in names:
        form.locator(f"input[type=radio][name='{name}']").first.check()


def _reveal(page: Any, selector: str) -> Any:
    """The field, after opening the "More lines" fold that hides it, as a visitor would."""
    field = page.locator(selector)
    if not field.is_visible():
        page.locator("details.plan-more", has=field).locator("summary").click()
    return field


def _check_step_heading(walk: Walk, stage: str, slug: str, header: dict[str, Any]) -> None:
    assert walk.path() == f"/{walk.lang}/start/{stage}/{slug}/"
    assert walk.page.locator("main h1").inner_text().strip() == header["title"].strip()
    assert walk.page.locator("nav.step-nav a[rel=next], nav.step-nav a[rel=prev]").count() >= 1


def _visit_stage(walk: Walk, stage: str, expected: list[str]) -> None:
    """Open the stage page from the breadcrumb (or the path home), check its steps, open the first one."""
    lang = walk.lang
    link = f"main a[href='/{lang}/start/{stage}/']"
    walk.follow(walk.page.locator(link).first)
    assert walk.path() == f"/{lang}/start/{stage}/"
    stage_title = content_header(f"path/{stage}/_stage.{lang}.md")["title"]
    assert walk.page.locator("main h1").inner_text().strip() == stage_title.strip()
    hrefs = walk.page.locator("main ol.step-list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"/{lang}/start/{stage}/{slug}/" for slug in expected]
    walk.follow(walk.page.locator("main ol.step-list a").first)


def _dated_figure(walk: Walk, body_of: str) -> None:
    """The first {{rule:…}} of the step is shown with its value, the day it was recorded and its source link."""
    text = (CONTENT / body_of).read_text(encoding="utf-8").split("---", 2)[2]
    key = re.search(r"\{\{\s*rule:([A-Za-z0-9_.-]+)\s*\}\}", text).group(1)  # type: ignore[union-attr]
    rule = next(r for r in content_data(f"rules/{key.split('.')[0]}.yaml") if r["key"] == key)
    figure = walk.page.locator("main .prose .rule").first
    assert figure.locator("a").get_attribute("href") == rule["source_url"]
    digits = re.sub(r"\D", "", figure.locator("strong").inner_text())
    assert digits.startswith(re.sub(r"\D", "", str(rule["value"]).split(".")[0])), (figure.inner_text(), rule)
    assert str(rule["last_verified"].year) in figure.locator("small").inner_text()


def _legal_form_chooser(walk: Walk, visitor: Visitor) -> None:
    form = walk.page.locator("main form").filter(has=walk.page.locator("input[name=owners]"))
    form.locator("input[name=owners][value=single]").check()
    form.locator("input[name=protect_assets][value=no]").check()
    walk.follow(form.locator("button[type=submit]"))
    names = [h.strip() for h in walk.page.locator("main ol.ranking > li h3").all_inner_texts()]
    forms = content_data(f"legal-forms/{visitor.country}.{visitor.lang}.yaml")["forms"]
    assert sorted(names) == sorted(str(f["name"]).strip() for f in forms)
    best = [str(f["name"]).strip() for f in forms if f["owners"] in ("single", "any") and not f["limited_liability"]]
    assert names[0] in best, names


def _eligibility(walk: Walk, visitor: Visitor) -> None:
    data = content_data(f"microcredit/{visitor.country}.{visitor.lang}.yaml")
    form = walk.page.locator("main form").filter(has=walk.page.locator("input[type=radio]"))
    for question in data["eligibility"]:
        answer = "yes" if str(question.get("blocking_answer", "no")) == "no" else "no"
        form.locator(f"input[name='{question['key']}'][value={answer}]").check()
    walk.follow(form.locator("button[type=submit]"))
    result = walk.page.locator("main section[aria-labelledby=eligibility-result]")
    assert result.count() == 1
    assert result.locator("li").count() == 0, "all answers are the non-blocking ones: no blocker expected"
    shown = walk.page.locator("main").inner_text()
    for provider in data["providers"]:
        assert str(provider["name"]).strip() in shown


def _readiness(walk: Walk) -> None:
    form = walk.page.locator("main form.questionnaire")
    _answer_form(form, "")
    walk.follow(form.locator("button[type=submit]"))
    dimensions = content_data(f"assessments/readiness.{walk.lang}.yaml")["dimensions"]
    result = walk.page.locator("main section[aria-labelledby=readiness-result]")
    assert result.locator("ul.result-list > li").count() == len(dimensions)
    titles = result.locator("ul.result-list > li > strong").all_inner_texts()
    assert [t.strip() for t in titles] == [str(d["title"]).strip() for d in dimensions]


def _plan(walk: Walk, visitor: Visitor, tmp_path: Path) -> dict[str, Decimal]:
    """Builder, sections, budget, sales (with the live summary), loan, results and the PDF."""
    lang, page = walk.lang, walk.page
    walk.follow(page.locator(f"main a.button[href='/{lang}/start/plan/']"))
    assert walk.path() == f"/{lang}/start/plan/"

    walk.follow(page.locator(f"nav.plan-nav a[href='/{lang}/start/plan/sections/']"))
    page.locator("#id_title").fill(visitor.title)
    page.locator("#id_summary").fill(visitor.text)
    walk.follow(page.locator("form.plan-form button[type=submit]"))
    assert page.locator("#id_title").input_value() == visitor.title

    walk.follow(page.locator(f"form.plan-form .actions a[href='/{lang}/start/plan/budget/']"))
    for index, (label, kind, amount) in enumerate(visitor.budget, 1):
        _reveal(page, f"#id_use_{index}_label").fill(label)
        page.locator(f"#id_use_{index}_kind").select_option(kind)
        page.locator(f"#id_use_{index}_amount").fill(amount)
    page.locator("#id_own_funds").fill(OWN_FUNDS)
    page.locator("#id_microloan").fill(str(LOAN))
    walk.follow(page.locator("form.plan-form > .actions button[type=submit]"))
    assert page.locator("#id_use_1_label").input_value() == visitor.budget[0][0]
    assert page.locator("#id_use_4_amount").input_value() == visitor.budget[3][2]

    walk.follow(page.locator(f"form.plan-form .actions a[href='/{lang}/start/plan/sales/']"))
    page.locator("#id_price").fill(PRICE)
    page.locator("#id_variable_cost").fill(VARIABLE_COST)
    page.locator("#id_units_all").fill(UNITS)
    for index, (label, amount) in enumerate(visitor.fixed, 1):
        _reveal(page, f"#id_fixed_{index}_label").fill(label)
        page.locator(f"#id_fixed_{index}_amount").fill(amount)
    page.locator("#id_owner_drawings").fill(DRAWINGS)
    _live_summary(page, lang)
    walk.follow(page.locator("form.plan-form > .actions button[type=submit]"))
    assert page.locator("#id_price").input_value() == LIVE_PRICE

    walk.follow(page.locator(f"form.plan-form .actions a[href='/{lang}/start/plan/loan/']"))
    page.locator("#id_principal").fill(str(LOAN))
    page.locator("#id_annual_rate").fill(visitor.rate)
    page.locator("#id_months").fill(str(MONTHS))
    page.locator("input[name=method][value=french]").check()
    walk.follow(page.locator("form.plan-form > .actions button[type=submit]"))
    assert page.locator("#id_annual_rate").input_value() == visitor.rate

    walk.follow(page.locator(f"form.plan-form .actions a[href='/{lang}/start/plan/results/']"))
    instalment_text = page.locator("main .plan-instalment").inner_text()
    interest_text = page.locator("main .plan-total-interest").inner_text()
    [instalment], [interest] = amounts(instalment_text), amounts(interest_text)
    assert instalment == french_instalment(LOAN, RATE, MONTHS), instalment_text
    assert Decimal("900") < interest < Decimal("1600"), interest_text
    assert abs(instalment * MONTHS - LOAN - interest) <= Decimal("0.05"), (instalment, interest)
    schedule_rows = page.locator("main table.plan-schedule-table tbody tr")
    assert schedule_rows.count() == MONTHS
    # The budget is balanced (12,000 needed, 2,000 own money + 10,000 loan): totals appear in the uses/sources tables.
    assert Decimal(12000) in amounts(page.locator("main section[aria-labelledby=result-budget]").inner_text())

    with page.expect_download() as info:
        page.locator(f"main .actions a[href='/{lang}/start/plan/business-plan.pdf']").click()
    download = info.value
    assert download.suggested_filename == "business-plan.pdf"
    target = tmp_path / f"business-plan-{lang}.pdf"
    download.save_as(target)
    _check_pdf(target, visitor, instalment, interest)
    return {"instalment": instalment, "interest": interest}


def _live_summary(page: Any, lang: str) -> None:
    """htmx: a change on the sales page posts the form and swaps in only the summary; the page stays."""

    def live(response: Any) -> bool:
        request = response.request
        return bool(
            response.url.endswith(f"/{lang}/start/plan/sales/")
            and request.method == "POST"
            and request.headers.get("hx-request") == "true"
        )

    def typed_price(response: Any) -> bool:
        return (
            live(response) and re.search(rf"(^|&)price={LIVE_PRICE}(&|$)", response.request.post_data or "") is not None
        )

    page.evaluate("() => { window.__samePage = true; document.getElementById('plan-summary').dataset.old = '1'; }")
    before = page.locator("#plan-summary").inner_text()
    with page.expect_response(typed_price) as answer:
        page.locator("#id_price").fill(LIVE_PRICE)
        page.locator("#id_price").dispatch_event("change")
    assert answer.value.status == 200
    # htmx queues the last change behind a request in flight: the typed price is the last answer to land.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request')"
        " && document.getElementById('plan-summary') && !document.getElementById('plan-summary').dataset.old"
    )
    assert page.evaluate("window.__samePage === true"), "the live recalculation must not reload the page"
    assert page.locator("#plan-summary").count() == 1
    after = page.locator("#plan-summary").inner_text()
    assert after != before
    # Break-even sales per month with the typed price: fixed costs 750 / margin ratio (11 / 15) = 1,022.73.
    assert Decimal("1022.73") in amounts(after), after


def _check_pdf(path: Path, visitor: Visitor, instalment: Decimal, interest: Decimal) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) >= 2
    assert reader.root_object.get("/Lang") == visitor.lang
    if visitor.lang == "ar":
        # Much more Arabic than what the visitor typed (about 150 letters): the plan's own words are Arabic too.
        arabic = ARABIC.findall(text)
        assert len(arabic) > 1000, (len(arabic), text[:300])
        assert visitor.word in text or visitor.word in unicodedata.normalize("NFKC", text)
    else:
        assert visitor.word in text
        assert visitor.title in text
    figures = amounts(text)
    assert instalment in figures, (instalment, figures[:40])
    assert interest in figures, (interest, figures[:40])


@pytest.mark.parametrize("lang", ["ar", "it"])
def test_new_visitor_walks_the_whole_path(
    lang: str, new_context: Any, problems: Any, path_content: None, tmp_path: Path
) -> None:
    visitor = VISITORS[lang]
    page = new_context(**PHONE).new_page()
    walk = Walk(page, lang)
    walk.goto(f"/{lang}/start/")

    steps = path_steps(lang, visitor.country)
    country_chosen = False
    current_stage = ""
    worksheets: list[str] = []
    numbers: dict[str, Decimal] = {}
    for stage, slug, header in steps:
        if stage != current_stage:
            shown = [s for st, s, h in path_steps(lang, visitor.country if country_chosen else "") if st == stage]
            _visit_stage(walk, stage, shown)
            current_stage = stage
        _check_step_heading(walk, stage, slug, header)
        kind = header.get("kind", "text")
        if kind == "text":
            walk.follow(page.locator("main form.actions button[type=submit]"))
        elif kind == "readiness":
            _readiness(walk)
            walk.follow(page.locator("nav.step-nav a[rel=next]"))
        elif kind == "worksheet":
            form = page.locator("main form.worksheet")
            _answer_form(form, visitor.text)
            worksheets.append(f"{stage}/{slug}")
            walk.follow(form.locator("button[type=submit]"))
        elif kind == "country":
            page.locator(f"main input[name=country][value={visitor.country}]").check()
            walk.follow(page.locator("main form button[type=submit]"))
            country_chosen = True
        elif kind == "legal_form_chooser":
            _dated_figure(walk, f"path/{stage}/{slug}.{lang}.md")
            _legal_form_chooser(walk, visitor)
            walk.follow(page.locator("nav.step-nav a[rel=next]"))
        elif kind == "eligibility":
            _eligibility(walk, visitor)
            walk.follow(page.locator("nav.step-nav a[rel=next]"))
        elif kind == "plan":
            numbers = _plan(walk, visitor, tmp_path)
            # Back to the path from the plan, and on from where the visitor stopped.
            walk.follow(page.locator(f"main a[href='/{lang}/start/plan/']").first)
            walk.follow(page.locator(f"main .actions a[href='/{lang}/start/']"))
            walk.follow(page.locator(f"main a.button[href='/{lang}/start/{stage}/{slug}/']"))
            walk.follow(page.locator("main form.actions button[type=submit]"))
        else:  # pragma: no cover - a new kind of step needs its own branch here
            pytest.fail(f"unknown step kind {kind} ({stage}/{slug})")

    # After the last step: "My journey", with the resume code shown once.
    assert walk.path() == f"/{lang}/start/journey/"
    code = page.locator("main .resume-code").first.inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", code), code
    walk.goto(f"/{lang}/start/journey/")
    assert page.locator("main .resume-code").count() == 0, "the resume code is shown only once"

    # Every step counted as done: the path home shows the full progress bar.
    walk.goto(f"/{lang}/start/")
    progress = page.locator("main progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(len(steps))
    assert len(worksheets) >= 7 and {"01-idea", "02-market"} <= {w.split("/")[0] for w in worksheets}
    assert numbers["instalment"] > 0
    assert len(walk.visited) > len(steps)
    assert problems.all() == [], problems.all()


def test_resume_code_brings_the_journey_back_and_a_share_code_opens_it_to_one_operator(
    new_context: Any, problems: Any, path_content: None
) -> None:
    from micro.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

    lang, visitor = "it", VISITORS["it"]
    worksheet = "01-idea/01-your-idea"
    step_title = content_header(f"path/{worksheet}.{lang}.md")["title"].strip()

    # Monday, on the phone: one worksheet answered and the start-up budget saved.
    first = Walk(new_context(**PHONE).new_page(), lang)
    first.goto(f"/{lang}/start/{worksheet}/")
    _answer_form(first.page.locator("main form.worksheet"), visitor.text)
    first.follow(first.page.locator("main form.worksheet button[type=submit]"))
    first.goto(f"/{lang}/start/plan/budget/")
    label, kind, amount = visitor.budget[0]
    first.page.locator("#id_use_1_label").fill(label)
    first.page.locator("#id_use_1_kind").select_option(kind)
    first.page.locator("#id_use_1_amount").fill(amount)
    first.page.locator("#id_own_funds").fill(amount)
    first.follow(first.page.locator("form.plan-form > .actions button[type=submit]"))
    first.goto(f"/{lang}/start/journey/")
    code = first.page.locator("main .code-card .resume-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", code), code

    # Thursday, on another computer: the code (typed in small letters, without dashes) brings everything back.
    later = Walk(new_context().new_page(), lang)
    later.goto(f"/{lang}/start/")
    assert later.page.locator("main progress").count() == 0, "a new browser has no journey yet"
    later.page.locator("#id_code").fill(code.replace("-", "").lower())
    later.follow(later.page.locator("main form button[type=submit]"))
    assert later.path() == f"/{lang}/start/"
    assert later.page.locator("main progress").get_attribute("value") == "1"
    later.follow(later.page.locator(f"main a.button[href^='/{lang}/start/']"))
    later.goto(f"/{lang}/start/{worksheet}/")
    assert later.page.locator("main form.worksheet textarea").first.input_value() == f"{visitor.text} (1)"
    later.goto(f"/{lang}/start/plan/budget/")
    assert later.page.locator("#id_use_1_label").input_value() == label
    assert later.page.locator("#id_use_1_amount").input_value() == amount
    later.goto(f"/{lang}/start/plan/results/")
    assert Decimal(amount) in amounts(later.page.locator("main section[aria-labelledby=result-budget]").inner_text())

    # A share code for an adviser, with a purpose and a duration.
    later.goto(f"/{lang}/start/journey/")
    assert later.page.locator("main .code-card").count() == 0, "the resume code is not shown again"
    purpose = "Preparazione della richiesta di prestito con Microcredito Roma"
    later.page.locator("#id_purpose").fill(purpose)
    later.page.locator("#id_days").select_option("30")
    later.follow(later.page.locator("main form:has(#id_purpose) button[type=submit]"))
    share_code = later.page.locator("main strong.resume-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", share_code), share_code
    assert share_code != code

    # The operator signs in through the login page and claims the code.
    organisation = OrganisationFactory.create(name="Microcredito Roma Sud")
    operator = UserFactory.create(email="adviser@roma.example", preferred_language=lang)
    MembershipFactory.create(user=operator, organisation=organisation)
    adviser = Walk(new_context().new_page(), lang)
    adviser.page.goto(f"/{lang}/shared/")
    adviser.landed()
    assert adviser.path().startswith(f"/{lang}/accounts/login/"), "the shared plans need a sign-in"
    adviser.page.locator("#id_email").fill(operator.email)
    adviser.page.locator("#id_password").fill(PASSWORD)
    adviser.follow(adviser.page.locator("main form button[type=submit]"))
    assert adviser.path() == f"/{lang}/shared/"
    adviser.page.locator("#id_code").fill(share_code)
    adviser.follow(adviser.page.locator("main form button[type=submit]"))
    shared_url = adviser.path()
    assert re.fullmatch(rf"/{lang}/shared/\d+/", shared_url), shared_url
    main = adviser.page.locator("main")
    assert purpose in main.inner_text()
    assert main.locator("h2").first.inner_text().strip() == step_title
    # Each answer under its question as the content words it, a choice by its label.
    fields = content_header(f"path/{worksheet}.{lang}.md")["fields"]
    first_answers = main.locator("dl").first
    assert [t.strip() for t in first_answers.locator("dt").all_inner_texts()] == [f["label"].strip() for f in fields]
    answers = [a.strip() for a in first_answers.locator("dd").all_inner_texts()]
    assert f"{visitor.text} (1)" in answers
    choice = next(f for f in fields if f.get("type") == "choice")
    assert choice["choices"][0]["label"] in answers
    blocking = [describe_violation(v) for v in axe_violations(adviser.page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], blocking
    # ... and the plan: the start-up budget the migrant saved.
    assert Decimal(amount) in amounts(main.locator("section[aria-labelledby=result-budget]").inner_text())

    # The migrant sees who used the code, and withdraws it.
    later.goto(f"/{lang}/start/journey/")
    access = later.page.locator("main li", has_text=purpose)
    assert organisation.name in access.inner_text()
    later.follow(access.locator("form[action*='/withdraw/'] button[type=submit]"))
    assert later.page.locator("main form[action*='/withdraw/']").count() == 0

    # The operator's page is gone; the list keeps the purpose without a link.
    response = adviser.page.goto(shared_url)
    assert response is not None and response.status == 404
    adviser.goto(f"/{lang}/shared/")
    assert adviser.page.locator(f"main a[href='{shared_url}']").count() == 0
    assert purpose in adviser.page.locator("main").inner_text()

    errors = [line for line in problems.console_errors if "404 (Not Found)" not in line]
    assert errors == [] and problems.page_errors == [] and problems.csp_violations == []
