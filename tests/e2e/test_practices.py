"""A best practice from draft to reuse, in a real Chromium.

A partner admin of Mediter drafts a practice in French and gives it a German translation, submits
it; the coordinator returns it with comments; it is resubmitted and published; a visitor finds it
by a facet and by a German word; Wisamar records that it adopted it. axe finds nothing serious or
critical on the pages on the way, and no page breaks the Content-Security-Policy.

Only data the test typed, form field names, URLs and page structure are asserted on: the UI
catalogues are translated in parallel, so no UI string is compared.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.support import BLOCKING_IMPACTS, E2E, axe_violations, describe_violation

pytestmark = E2E

TITLE_FR = "Atelier des créatrices du quartier"
TITLE_DE = "Werkstatt für Gründerinnen im Viertel"
GERMAN_WORD = "Nachbarschaftskasse"
ADAPTATION = "Wir haben das Atelier auf sechs Abende gekürzt."


class Pages:
    """Collects axe findings for every page the test lands on."""

    def __init__(self) -> None:
        self.blocking: list[str] = []

    def check(self, page: Any, name: str) -> None:
        page.wait_for_load_state()
        assert page.locator("main#main h1").count() >= 1, page.url
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING_IMPACTS:
                self.blocking.append(f"{name} ({page.url}): {describe_violation(violation)}")


def _submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").last.click()


@pytest.fixture
def people(demo_data: None) -> dict[str, Any]:
    from micro.accounts.models import Organisation, Role, User
    from micro.accounts.tests.factories import member

    return {
        "author": member(
            Organisation.objects.get(slug="mediter"),
            Role.PARTNER_ADMIN,
            email="mediter@example.org",
            preferred_language="fr",
        ),
        "adopter": member(Organisation.objects.get(slug="wisamar"), Role.PARTNER_ADMIN, email="wisamar@example.org"),
        "coordinator": User.objects.get(email="coordinator@demo.micro.example"),
    }


def _review(page: Any, pages: Pages, practice_id: int, decision: str, comment: str) -> None:
    page.goto("/en/practices/mine/")
    pages.check(page, "workspace")
    with page.expect_navigation():
        page.locator(f"a[href='/en/practices/manage/{practice_id}/review/']").click()
    pages.check(page, "review")
    for name, score in (("relevance", "4"), ("evidence", "3"), ("transferability", "4"), ("clarity", "5")):
        page.locator(f"input[name={name}][value='{score}']").check()
    page.locator("textarea[name=clarity_comment]").fill("Précisez le coût par participante.")
    page.locator("textarea[name=comment]").fill(comment)
    page.locator(f"input[name=decision][value={decision}]").check()
    _submit(page, ".practice-review-form form")


def test_a_practice_from_french_draft_to_german_search_and_reuse(
    new_context: Any, live_server: Any, people: dict[str, Any], sign_in_cookie: Any, problems: Any
) -> None:
    from micro.practices.models import Practice, PracticeTransition, Reuse

    pages = Pages()

    # 1. Mediter's partner admin drafts the practice in French.
    author_context = new_context()
    sign_in_cookie(author_context, people["author"])
    author = author_context.new_page()
    author.goto("/fr/practices/new/")
    pages.check(author, "create")
    assert author.locator("main select[name=language]").input_value() == "fr"
    author.locator("input[name=title]").fill(TITLE_FR)
    author.locator("textarea[name=summary]").fill("Des femmes du quartier testent leur idée d'entreprise ensemble.")
    author.locator("textarea[name=objectives]").fill("Passer de l'idée au premier client en trois mois.")
    author.locator("textarea[name=activities]").fill(
        "- Un atelier par semaine\n- Une caisse de quartier pour les premiers achats"
    )
    author.locator("textarea[name=results]").fill("22 participantes, 7 activités lancées en 2024.")
    author.locator("textarea[name=transferability]").fill(
        "Il faut une salle, une animatrice et un partenaire de microcrédit."
    )
    author.locator("select[name=country]").select_option("BE")
    author.locator("select[name=theme]").select_option("migrant_training")
    author.locator("input[name=target_groups][value=women]").check()
    author.locator("input[name=legal_statuses][value=international_protection]").check()
    author.locator("input[name=competence_codes]").fill("IC-1, IC-2")
    _submit(author, "form.practice-form")
    match = re.search(r"/fr/practices/manage/(\d+)/$", author.url)
    assert match, author.url
    practice_id = int(match.group(1))
    pages.check(author, "edit")

    # … gives it a German translation …
    with author.expect_navigation():
        author.locator(f"a[href='/fr/practices/manage/{practice_id}/translations/de/']").click()
    pages.check(author, "translate")
    author.locator("input[name=title]").fill(TITLE_DE)
    author.locator("textarea[name=summary]").fill(
        f"Frauen aus dem Viertel erproben ihre Geschäftsidee, mit einer {GERMAN_WORD} für die ersten Einkäufe."
    )
    _submit(author, "form.practice-form")
    assert author.url.endswith(f"/fr/practices/manage/{practice_id}/")

    # … and submits it.
    _submit(author, f"form[action='/fr/practices/manage/{practice_id}/submit/']")
    assert Practice.objects.get(pk=practice_id).status == "submitted"
    pages.check(author, "detail (submitted)")

    # 2. The coordinator returns it with comments.
    reviewer_context = new_context()
    sign_in_cookie(reviewer_context, people["coordinator"])
    reviewer = reviewer_context.new_page()
    _review(reviewer, pages, practice_id, "return", "Ajoutez les chiffres de 2024 et la source.")
    assert Practice.objects.get(pk=practice_id).status == "returned"

    # 3. The author reads the comments, completes the results and submits again.
    author.goto(f"/fr/practices/manage/{practice_id}/")
    assert author.get_by_text("Ajoutez les chiffres de 2024 et la source.").count() >= 1
    author.locator("textarea[name=evidence]").fill("Registre des ateliers 2024, enquête auprès des participantes.")
    _submit(author, "form.practice-form")
    _submit(author, f"form[action='/fr/practices/manage/{practice_id}/submit/']")
    assert Practice.objects.get(pk=practice_id).status == "submitted"

    # 4. The coordinator publishes it.
    _review(reviewer, pages, practice_id, "publish", "Merci, c'est clair.")
    practice = Practice.objects.get(pk=practice_id)
    assert practice.status == "published"
    moves = list(PracticeTransition.objects.filter(practice=practice).values_list("to_status", flat=True))
    assert moves == ["draft", "submitted", "in_review", "returned", "submitted", "in_review", "published"]

    # 5. A visitor, not signed in, finds it by a facet and by a German word.
    visitor = new_context().new_page()
    visitor.goto("/de/practices/")
    pages.check(visitor, "list")
    visitor.locator("input[name=target_group][value=women]").check()
    visitor.locator("input[name=country][value=BE]").check()
    _submit(visitor, "form.practice-search .facets")
    assert "target_group=women" in visitor.url
    titles = visitor.locator(".practice-results .practice-card-title a").all_inner_texts()
    assert TITLE_DE in titles
    visitor.goto("/de/practices/")
    visitor.locator("input[name=q]").fill(GERMAN_WORD.lower())
    _submit(visitor, ".practice-search-box")
    assert visitor.locator(".practice-results .practice-card-title a").all_inner_texts() == [TITLE_DE]
    with visitor.expect_navigation():
        visitor.locator(".practice-results .practice-card-title a").click()
    pages.check(visitor, "detail (published)")
    assert visitor.locator("main h1").inner_text().strip() == TITLE_DE
    assert visitor.locator("main h1").get_attribute("lang") == "de"
    # The parts not translated into German are shown in French, marked as such.
    assert visitor.locator("#part-objectives .prose").get_attribute("lang") == "fr"

    # 6. Wisamar records that it adopted the practice.
    adopter_context = new_context()
    sign_in_cookie(adopter_context, people["adopter"])
    adopter = adopter_context.new_page()
    adopter.goto(f"/de/practices/{practice.slug}/")
    with adopter.expect_navigation():
        adopter.locator(f"a[href='/de/practices/{practice.slug}/adopted/']").click()
    pages.check(adopter, "reuse form")
    adopter.locator("input[name=adopted_on]").fill("2025-03-01")
    adopter.locator("textarea[name=adaptation]").fill(ADAPTATION)
    adopter.locator("textarea[name=outcome]").fill("Neun Teilnehmerinnen, zwei Kredite.")
    _submit(adopter, "main form")
    assert adopter.url.endswith(f"/de/practices/{practice.slug}/#reuse")
    assert adopter.locator("#reuse").get_by_text(ADAPTATION).count() == 1
    reuse = Reuse.objects.get(practice=practice)
    assert reuse.organisation.slug == "wisamar" and reuse.original_language == "de"

    # The coordinator's board and the print view of the page.
    reviewer.goto("/en/practices/board/")
    pages.check(reviewer, "board")
    visitor.emulate_media(media="print")
    assert visitor.locator(".practice-related, .practice-workflow, .site-header").evaluate_all(
        "nodes => nodes.every(n => getComputedStyle(n).display === 'none')"
    )

    assert pages.blocking == []
    assert problems.page_errors == []
    assert problems.csp_violations == []
    assert problems.console_errors == []
