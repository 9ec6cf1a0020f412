"""axe-core on the migrant path and the plan builder, in Arabic (right to left) and Italian, with real content.

Every stage page, one step of each kind (with its result shown under the form where the step has
one, and a worksheet with errors), the plan builder pages with numbers in them, "My journey" and a country's
figures. Serious and critical violations fail the test; lesser ones are printed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import (
    BLOCKING_IMPACTS,
    E2E,
    axe_violations,
    content_data,
    describe_violation,
    expected_dir,
    lang_dir,
    path_steps,
)

pytestmark = E2E

COUNTRY = {"ar": "ES", "it": "IT"}
STEP_OF_KIND = {
    "text": "00-welcome/01-how-it-works",
    "readiness": "00-welcome/02-readiness",
    "worksheet": "01-idea/01-your-idea",
    "country": "03-rules/00-country",
    "plan": "04-plan/05-build-my-plan",
    "eligibility": "05-microcredit/03-eligibility-check",
}


UNGROUPED_CHOICES = """() => [
  ...[...document.querySelectorAll('main input[type=radio]')]
    .filter((radio) => !radio.closest('fieldset')?.querySelector(':scope > legend')?.textContent.trim())
    .map((radio) => radio.name),
  ...[...document.querySelectorAll('main label[for=""]')].map((label) => label.textContent.trim().slice(0, 30)),
]"""


class Audit:
    def __init__(self, page: Any, lang: str) -> None:
        self.page, self.lang = page, lang
        self.blocking: list[str] = []
        self.lesser: list[str] = []
        self.checked: list[str] = []

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url

    def submit(self, form: Any) -> None:
        with self.page.expect_navigation():
            form.locator("button[type=submit]").first.click()
        self.page.wait_for_load_state()

    def check(self, name: str) -> None:
        assert lang_dir(self.page) == (self.lang, expected_dir(self.lang)), self.page.url
        for violation in axe_violations(self.page):
            line = f"{self.lang} {name} ({self.page.url.split('/', 3)[-1]}): {describe_violation(violation)}"
            (self.blocking if violation["impact"] in BLOCKING_IMPACTS else self.lesser).append(line)
        # axe does not ask it, screen readers need it: a choice is read with its question.
        orphans = self.page.evaluate(UNGROUPED_CHOICES)
        if orphans:
            self.blocking.append(
                f"{self.lang} {name}: choices without a fieldset and legend, or labels for nothing: {orphans}"
            )
        self.checked.append(name)


def _first_options(form: Any) -> None:
    names = form.evaluate("f => [...new Set([...f.querySelectorAll('input[type=radio]')].map(r => r.name))]")
    for name in names:
        form.locator(f"input[type=radio][name='{name}']").first.check()


@pytest.mark.parametrize("lang", ["ar", "it"])
def test_path_and_plan_pages_have_no_serious_accessibility_violations(
    lang: str, new_context: Any, problems: Any, path_content: None
) -> None:
    country = COUNTRY[lang]
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    audit = Audit(page, lang)
    start = f"/{lang}/start"

    audit.open(f"{start}/")
    audit.check("path home")
    stages = sorted({stage for stage, _slug, _header in path_steps(lang, country)})
    for stage in stages:
        audit.open(f"{start}/{stage}/")
        audit.check(f"stage {stage}")

    audit.open(f"{start}/{STEP_OF_KIND['text']}/")
    audit.check("step text")

    audit.open(f"{start}/{STEP_OF_KIND['readiness']}/")
    form = page.locator("main form.questionnaire")
    _first_options(form)
    audit.submit(form)
    assert page.locator("main section[aria-labelledby=readiness-result]").count() == 1
    audit.check("step readiness, result")

    audit.open(f"{start}/{STEP_OF_KIND['worksheet']}/")
    audit.check("step worksheet")
    audit.submit(page.locator("main form.worksheet"))  # empty: the required answer is missing
    assert page.locator("main .field-error").count() >= 1
    audit.check("step worksheet, errors")

    audit.open(f"{start}/{STEP_OF_KIND['country']}/")
    audit.check("step country")
    page.locator(f"main input[name=country][value={country}]").check()
    audit.submit(page.locator("main form").first)

    audit.open(f"{start}/03-rules/")
    audit.check("stage 03-rules with the country steps")
    chooser = next(f"{st}/{slug}" for st, slug, h in path_steps(lang, country) if h.get("kind") == "legal_form_chooser")
    audit.open(f"{start}/{chooser}/")
    form = page.locator("main form").filter(has=page.locator("input[name=owners]"))
    _first_options(form)
    audit.submit(form)
    assert page.locator("main ol.ranking > li").count() >= 2
    audit.check("step legal_form_chooser, ranking")

    audit.open(f"{start}/{STEP_OF_KIND['eligibility']}/")
    form = page.locator("main form").filter(has=page.locator("input[type=radio]"))
    for question in content_data(f"microcredit/{country}.{lang}.yaml")["eligibility"]:
        # The blocking answer everywhere: the result lists every blocker with its advice.
        form.locator(f"input[name='{question['key']}'][value={question.get('blocking_answer', 'no')}]").check()
    audit.submit(form)
    assert page.locator("main section[aria-labelledby=eligibility-result] li").count() >= 1
    audit.check("step eligibility, not yet")

    audit.open(f"{start}/{STEP_OF_KIND['plan']}/")
    audit.check("step plan")

    plan = f"{start}/plan"
    audit.open(f"{plan}/")
    audit.check("plan overview, empty")
    audit.open(f"{plan}/sections/")
    page.locator("#id_title").fill("Bici" if lang == "it" else "دراجات")
    audit.submit(page.locator("form.plan-form"))
    audit.check("plan sections")
    audit.open(f"{plan}/budget/")
    page.locator("#id_use_1_label").fill("Attrezzi" if lang == "it" else "أدوات")
    page.locator("#id_use_1_amount").fill("12000")
    page.locator("#id_own_funds").fill("2000")
    page.locator("#id_microloan").fill("10000")
    audit.submit(page.locator("form.plan-form"))
    audit.check("plan budget")
    audit.open(f"{plan}/sales/")
    for selector, value in (
        ("#id_price", "12"),
        ("#id_variable_cost", "4"),
        ("#id_units_all", "100"),
        ("#id_fixed_1_label", "Affitto" if lang == "it" else "الإيجار"),
        ("#id_fixed_1_amount", "900"),
        ("#id_owner_drawings", "1200"),
    ):
        page.locator(selector).fill(value)
    audit.submit(page.locator("form.plan-form"))
    audit.check("plan sales, cash runs out")
    page.locator("#id_price").fill("abc")
    audit.submit(page.locator("form.plan-form"))
    assert page.locator("main .form-errors").count() >= 1
    audit.check("plan sales, errors")
    audit.open(f"{plan}/loan/")
    page.locator("#id_principal").fill("10000")
    page.locator("#id_annual_rate").fill("6,9" if lang == "it" else "6.9")
    page.locator("#id_months").fill("48")
    audit.submit(page.locator("form.plan-form"))
    audit.check("plan loan")
    audit.open(f"{plan}/results/")
    page.locator("main details.plan-schedule summary").click()
    audit.check("plan results")
    audit.open(f"{plan}/")
    audit.check("plan overview, with numbers")

    audit.open(f"{start}/journey/")
    audit.check("my journey")
    audit.open(f"{start}/rules/{country}/")
    audit.check("figures and sources")

    print(
        f"\naxe on {len(audit.checked)} path pages ({lang}), lesser violations:"
        + ("".join(f"\n  {line}" for line in audit.lesser) or " none")
    )
    assert not audit.blocking, "\n".join(audit.blocking)
    assert problems.all() == [], "console errors or CSP violations on the path pages"


# Elements sticking out of the viewport; what sits inside a scrollable table region scrolls with it.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1)
      && !el.closest('.skip-link, .visually-hidden') && !el.parentElement.closest('.table-scroll');
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""
RESUME_CODE = "K7MP4QXR2T"


def _resumed_journey_with_plan(lang: str) -> str:
    """A journey with a country, a legal-form answer and a whole plan, to be resumed with RESUME_CODE."""
    from micro.pathway.models import Journey
    from micro.pathway.services import hash_code
    from micro.plans.tests.factories import worked_plan

    country = COUNTRY[lang]
    chooser = next(f"{st}/{slug}" for st, slug, h in path_steps(lang, country) if h.get("kind") == "legal_form_chooser")
    journey = Journey.objects.create(
        code_hash=hash_code(RESUME_CODE),
        language=lang,
        country=country,
        answers={chooser: {"owners": "single", "protect_assets": "no"}},
        completed_steps=[chooser],
    )
    plan = worked_plan(journey)
    plan.title = "Panificio Speranza" if lang == "it" else "مخبز الأمل"
    plan.save(update_fields=["title"])
    return chooser


@pytest.mark.parametrize("lang", ["ar", "it"])
def test_step_and_results_fit_a_phone_and_mirror_in_arabic(
    lang: str, new_context: Any, artifacts_dir: Any, path_content: None
) -> None:
    chooser = _resumed_journey_with_plan(lang)
    page = new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True
    ).new_page()
    page.goto(f"/{lang}/start/")
    page.locator("#id_code").fill(RESUME_CODE)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    pages = {"step": f"/{lang}/start/{chooser}/", "plan-results": f"/{lang}/start/plan/results/"}
    for name, url in pages.items():
        page.goto(url)
        assert lang_dir(page) == (lang, expected_dir(lang))
        if name == "step":
            assert page.locator("main ol.ranking > li").count() >= 2
            assert page.locator("main .prose .rule a").count() >= 1
            # The step navigation follows the reading direction: "back" at the start, "next" at the end.
            back = page.locator("nav.step-nav a[rel=prev]").bounding_box()
            ahead = page.locator("nav.step-nav a[rel=next]").bounding_box()
            assert back is not None and ahead is not None
            assert (back["x"] > ahead["x"]) == (lang == "ar"), (back, ahead)
        else:
            assert page.locator("main .plan-instalment").count() == 1
            page.locator("main details.plan-schedule summary").click()
        # Headings and the first breadcrumb link start on the right in Arabic, on the left in Italian.
        heading = page.evaluate(
            "() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('main h1'));"
            " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
        )
        width = page.evaluate("document.documentElement.clientWidth")
        if lang == "ar":
            assert heading[1] > width - 40, heading
        else:
            assert heading[0] < 40, heading
        page.screenshot(path=str(artifacts_dir / f"path-{name}-{lang}-390.png"), full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        assert page.evaluate(OVERFLOWING) == [], (name, 390)

    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for name, url in pages.items():
        page.goto(url)
        if name == "plan-results":
            page.locator("main details.plan-schedule summary").click()
        page.screenshot(path=str(artifacts_dir / f"path-{name}-{lang}-320.png"), full_page=True)
        width, sticking_out = page.evaluate("document.scrollingElement.scrollWidth"), page.evaluate(OVERFLOWING)
        if width > 320 or sticking_out:
            too_wide[url] = (width, sticking_out)
    assert not too_wide, too_wide
