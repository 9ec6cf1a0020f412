"""An operator's pilot course from the pre-test to a verified certificate, in a real Chromium, in Italian.

Omar (operator, CESFOR) opens his cohort at ``/it/``, takes the pre-test, reads the lessons, does
a quiz typing the numeric answer the Italian way (``1.234,56``), plays a scenario and hands in an
assignment; Teresa (trainer, CESFOR) accepts it; Omar gets his certificate; a visitor without an
account checks it on the public verification page, where a credential with the holder's name
changed is rejected. axe finds nothing serious or critical on any page on the way, no page breaks
the Content-Security-Policy, and the learning events were recorded as xAPI statements the trainer
can export.

Only data the test typed, form field names, URLs, classes and ARIA roles are asserted on: the UI
catalogues are translated in parallel, so no UI string is compared.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.support import BLOCKING_IMPACTS, E2E, axe_violations, describe_violation

pytestmark = E2E

NUMERIC_ANSWER_IT = "1.234,56"
ASSIGNMENT_TEXT = "Capacità di rimborso: entrate 2.100 €, spese 1.450 €, margine 650 € al mese."


class Pages:
    """Collects axe findings for every page the test lands on."""

    def __init__(self) -> None:
        self.blocking: list[str] = []
        self.seen: list[str] = []

    def check(self, page: Any, name: str) -> None:
        page.wait_for_load_state()
        assert page.locator("main#main h1").count() >= 1, page.url
        self.seen.append(name)
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING_IMPACTS:
                self.blocking.append(f"{name} ({page.url}): {describe_violation(violation)}")


def it_en(it: str, en: str, **extra: Any) -> dict[str, Any]:
    """Texts in Italian and English, both reviewed."""
    return {"it": {"title": it, "status": "reviewed", **extra}, "en": {"title": en, "status": "reviewed"}}


@pytest.fixture
def pilot(demo_data: None) -> dict[str, Any]:
    """A small course (entry lesson with the pre-test; a lesson with a quiz, a scenario and an
    assignment) and a cohort with the demo operator and the demo trainer of CESFOR."""
    from micro.accounts.models import Organisation, User
    from micro.learning import services
    from micro.learning.models import (
        Activity,
        ActivityKind,
        Choice,
        Cohort,
        Course,
        Lesson,
        Module,
        Question,
        QuestionBank,
        QuestionKind,
        QuizPart,
        RubricCriterion,
        RubricLevel,
        ScenarioChoice,
        ScenarioNode,
        SubmissionMode,
    )

    operator = User.objects.get(email="operator@demo.micro.example")
    trainer = User.objects.get(email="trainer@demo.micro.example")
    cesfor = Organisation.objects.get(slug="cesfor")
    course = Course.objects.create(
        slug="percorso-pilota", is_published=True, translations=it_en("Percorso pilota", "Pilot course")
    )
    module = Module.objects.create(course=course, slug="finanza", translations=it_en("Finanza", "Finance"))
    entry = Lesson.objects.create(
        module=module,
        slug="ingresso",
        order=1,
        translations=it_en("Benvenuto", "Welcome", body="Prima del corso, un breve **test d'ingresso**."),
    )
    loans = Lesson.objects.create(
        module=module,
        slug="prestito",
        order=2,
        translations=it_en(
            "Il piano di rimborso", "The repayment plan", body="## Costi fissi\n\nDividi i costi fissi per due."
        ),
    )
    bank = QuestionBank.objects.create(course=course, slug="banca", translations=it_en("Domande", "Questions"))
    true_false = Question.objects.create(
        bank=bank,
        key="garanzie",
        kind=QuestionKind.TRUE_FALSE,
        translations={"it": {"prompt": "Il microcredito richiede garanzie reali.", "status": "reviewed"}},
    )
    Choice.objects.create(question=true_false, key="true", order=0, is_correct=False, translations={})
    Choice.objects.create(question=true_false, key="false", order=1, is_correct=True, translations={})
    numeric = Question.objects.create(
        bank=QuestionBank.objects.create(course=course, slug="calcoli", translations=it_en("Calcoli", "Sums")),
        key="meta-costi",
        kind=QuestionKind.NUMERIC,
        numeric_answer=Decimal("1234.56"),
        numeric_tolerance=Decimal("0.005"),
        unit="EUR",
        points=Decimal(2),
        translations={
            "it": {"prompt": "I costi fissi sono 2.469,12 €. Quanto fa la metà?", "status": "reviewed"},
            "en": {"prompt": "Fixed costs are €2,469.12. What is half of it?", "status": "reviewed"},
        },
    )
    pre_test = Activity.objects.create(
        lesson=entry, slug="test-ingresso", kind=ActivityKind.QUIZ, translations=it_en("Test d'ingresso", "Pre-test")
    )
    QuizPart.objects.create(activity=pre_test, bank=bank)
    quiz = Activity.objects.create(
        lesson=loans, slug="quiz", kind=ActivityKind.QUIZ, order=1, translations=it_en("Quiz sui costi", "Cost quiz")
    )
    QuizPart.objects.create(activity=quiz, bank=numeric.bank)
    scenario = Activity.objects.create(
        lesson=loans,
        slug="colloquio",
        kind=ActivityKind.SCENARIO,
        order=2,
        pass_percent=50,
        translations=it_en("Il primo colloquio", "The first meeting", debrief="Ascoltare viene prima."),
    )
    start = ScenarioNode.objects.create(
        activity=scenario,
        key="inizio",
        is_start=True,
        translations={"it": {"title": "Inizio", "text": "La cliente arriva con un interprete.", "status": "reviewed"}},
    )
    end = ScenarioNode.objects.create(
        activity=scenario,
        key="fine",
        order=1,
        translations={"it": {"title": "Fine", "text": "Il colloquio si chiude.", "status": "reviewed"}},
    )
    for order, (key, text, points) in enumerate(
        [("ascolta", "Parlo alla cliente, non all'interprete.", 3), ("ignora", "Parlo solo all'interprete.", 0)]
    ):
        ScenarioChoice.objects.create(
            node=start,
            key=key,
            order=order,
            next_node=end,
            scores={"IC-1": points},
            translations={"it": {"text": text, "feedback": "Nota.", "status": "reviewed"}},
        )
    assignment = Activity.objects.create(
        lesson=loans,
        slug="analisi",
        kind=ActivityKind.ASSIGNMENT,
        order=3,
        submission_mode=SubmissionMode.TEXT,
        translations=it_en("Analisi di un caso", "A case analysis", instructions="Scrivi l'analisi."),
    )
    criterion = RubricCriterion.objects.create(
        activity=assignment, key="numeri", translations=it_en("Numeri corretti", "Right numbers")
    )
    for order, (key, points) in enumerate([("debole", 0), ("buono", 2)]):
        RubricLevel.objects.create(
            criterion=criterion, key=key, order=order, points=Decimal(points), translations=it_en(key, key)
        )
    cohort = Cohort.objects.create(
        course=course,
        name="Pilota Roma 2026",
        starts_on=dt.date(2026, 1, 10),
        ends_on=dt.date(2026, 12, 10),
        pre_test=pre_test,
    )
    cohort.trainers.add(trainer)
    services.enrolment_add(cohort=cohort, learner=operator, organisation=cesfor)
    return {
        "operator": operator,
        "trainer": trainer,
        "cohort": cohort,
        "course": course,
        "entry": entry,
        "loans": loans,
        "pre_test": pre_test,
        "quiz": quiz,
        "scenario": scenario,
        "assignment": assignment,
        "true_false": true_false,
        "numeric": numeric,
        "criterion": criterion,
    }


def _submit(page: Any, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).last.click()


def _read_lesson(page: Any, pages: Pages, lesson: Any, name: str) -> None:
    page.goto(f"/it/learn/percorso-pilota/finanza/{lesson.slug}/")
    pages.check(page, name)
    _submit(page, "main form.actions button[type=submit]")


def _take_quiz(page: Any, pages: Pages, activity_id: int, name: str, answer: Any) -> None:
    page.goto(f"/it/learn/activities/{activity_id}/")
    pages.check(page, f"{name} (activity)")
    _submit(page, f"form[action='/it/learn/activities/{activity_id}/start/'] button[type=submit]")
    assert re.search(r"/it/learn/attempts/\d+/$", page.url), page.url
    pages.check(page, f"{name} (attempt)")
    answer(page)
    _submit(page, "main form button[name=submit]")
    assert re.search(r"/it/learn/attempts/\d+/results/$", page.url), page.url
    pages.check(page, f"{name} (results)")


def test_an_operator_goes_from_the_pre_test_to_a_verified_certificate(
    new_context: Any, live_server: Any, pilot: dict[str, Any], sign_in_cookie: Any, problems: Any
) -> None:
    from micro.learning import xapi
    from micro.learning.models import ActivityProgress, Attempt, ScenarioRun, Submission
    from micro.learning.models.certificates import Certificate
    from micro.learning.models.xapi import XapiStatement

    pages = Pages()
    operator, trainer, cohort = pilot["operator"], pilot["trainer"], pilot["cohort"]

    # 1. Omar opens his cohort, in Italian, and takes the pre-test from there.
    learner_context = new_context()
    sign_in_cookie(learner_context, operator)
    page = learner_context.new_page()
    page.goto(f"/it/learn/cohorts/{cohort.pk}/")
    assert page.locator("html").get_attribute("lang") == "it"
    pages.check(page, "cohort")
    with page.expect_navigation():
        page.locator(f"main a[href='/it/learn/activities/{pilot['pre_test'].pk}/']").click()
    _take_quiz(
        page,
        pages,
        pilot["pre_test"].pk,
        "pre-test",
        lambda p: p.locator(f"input[name=q{pilot['true_false'].pk}][value=false]").check(),
    )
    pre = Attempt.objects.get(activity=pilot["pre_test"], learner=operator)
    assert (pre.status, pre.passed) == ("submitted", True)

    # 2. He reads the entry lesson and the lesson on repayment plans.
    _read_lesson(page, pages, pilot["entry"], "entry lesson")
    _read_lesson(page, pages, pilot["loans"], "lesson")

    # 3. The quiz: the answer typed the Italian way.
    _take_quiz(
        page,
        pages,
        pilot["quiz"].pk,
        "quiz",
        lambda p: p.locator(f"input[name=q{pilot['numeric'].pk}]").fill(NUMERIC_ANSWER_IT),
    )
    attempt = Attempt.objects.get(activity=pilot["quiz"], learner=operator)
    assert (attempt.percent, attempt.passed) == (Decimal(100), True), "1.234,56 must read as 1234.56 in Italian"
    answer = attempt.answers.get()
    assert (answer.response, answer.status, answer.language) == (NUMERIC_ANSWER_IT, "correct", "it")

    # 4. The scenario.
    page.goto(f"/it/learn/activities/{pilot['scenario'].pk}/")
    pages.check(page, "scenario (activity)")
    _submit(page, f"form[action='/it/learn/activities/{pilot['scenario'].pk}/play/'] button[type=submit]")
    assert re.search(r"/it/learn/runs/\d+/$", page.url), page.url
    pages.check(page, "scenario (step)")
    page.locator("input[name=choice][value=ascolta]").check()
    _submit(page)
    pages.check(page, "scenario (debrief)")
    run = ScenarioRun.objects.get(activity=pilot["scenario"], learner=operator)
    assert run.finished_at is not None and run.percent == Decimal(100)

    # 5. The assignment.
    page.goto(f"/it/learn/activities/{pilot['assignment'].pk}/")
    pages.check(page, "assignment")
    page.locator("textarea[name=text]").fill(ASSIGNMENT_TEXT)
    _submit(page)
    submission = Submission.objects.get(activity=pilot["assignment"], learner=operator)
    assert (submission.text, submission.status) == (ASSIGNMENT_TEXT, "submitted")
    pages.check(page, "assignment (handed in)")

    # 6. Teresa reviews it and accepts it.
    trainer_context = new_context()
    sign_in_cookie(trainer_context, trainer)
    reviewer = trainer_context.new_page()
    reviewer.goto("/it/learn/reviews/")
    pages.check(reviewer, "review queue")
    with reviewer.expect_navigation():
        reviewer.locator(f"main a[href='/it/learn/reviews/{submission.pk}/']").click()
    pages.check(reviewer, "review")
    assert ASSIGNMENT_TEXT in reviewer.locator("main").inner_text()
    good = pilot["criterion"].levels.get(key="buono")
    reviewer.locator(f"input[name=level_{pilot['criterion'].pk}][value='{good.pk}']").check()
    reviewer.locator("textarea[name=comments]").fill("Analisi chiara, numeri giusti.")
    reviewer.locator("input[name=decision][value=passed]").check()
    _submit(reviewer, "main form.review-form button[type=submit]")
    submission.refresh_from_db()
    assert submission.status == "passed"
    assert ActivityProgress.objects.filter(learner=operator, completed_at__isnull=False).count() == 4

    # The learning events are xAPI statements of the cohort, which its trainer exports.
    exported = reviewer.request.get(f"/it/learn/cohorts/{cohort.pk}/xapi/")
    assert exported.status == 200
    statements = exported.json()
    assert len(statements) == XapiStatement.objects.filter(cohort=cohort).count()
    verbs = [(s["verb"]["id"], s["object"]["id"].rsplit("/", 1)[-1]) for s in statements]
    for expected in [
        (xapi.PASSED.iri, "test-ingresso"),
        (xapi.EXPERIENCED.iri, "ingresso"),
        (xapi.COMPLETED.iri, "ingresso"),
        (xapi.EXPERIENCED.iri, "prestito"),
        (xapi.PASSED.iri, "quiz"),
        (xapi.COMPLETED.iri, "colloquio"),
        (xapi.SUBMITTED.iri, "analisi"),
        (xapi.PASSED.iri, "analisi"),
        (xapi.COMPLETED.iri, "prestito"),
    ]:
        assert verbs.count(expected) == 1, (expected, verbs)
    quiz_statement = next(s for s in statements if s["object"]["id"].endswith("/activities/quiz"))
    assert quiz_statement["result"]["score"]["scaled"] == 1.0
    assert quiz_statement["context"]["language"] == "it"
    assert quiz_statement["context"]["registration"] == str(xapi.registration_id(cohort.pk))
    assert operator.email not in exported.text()
    assert learner_context.new_page().request.get(f"/it/learn/cohorts/{cohort.pk}/xapi/").status == 404

    # 7. Omar gets his certificate from his progress page.
    page.goto("/it/learn/progress/")
    pages.check(page, "progress")
    _submit(page, "#certificates form[action='/it/learn/certificates/claim/'] button[type=submit]")
    certificate = Certificate.objects.get(learner=operator, course=pilot["course"])
    pages.check(page, "progress (certificate)")
    verify_path = f"/it/learn/certificates/{certificate.public_id}/"
    earned = reviewer.request.get(f"/it/learn/cohorts/{cohort.pk}/xapi/").json()
    assert [s["object"]["id"].rsplit("/", 1)[-1] for s in earned if s["verb"]["id"] == xapi.EARNED.iri] == [
        "certificate"
    ]
    assert page.locator(f"#certificates a[href='{verify_path}']").count() == 1

    # 8. A visitor without an account checks it on the public verification page.
    visitor = new_context().new_page()
    visitor.goto(verify_path)
    pages.check(visitor, "verification")
    status = visitor.locator("main p[role=status]")
    assert status.count() == 1 and "notice" in (status.get_attribute("class") or "")
    assert operator.full_name in visitor.locator("main").inner_text()

    # The credential file as issued passes the check …
    credential = visitor.request.get(f"{verify_path}credential.json").json()
    visitor.locator("textarea[name=credential]").fill(json.dumps(credential))
    _submit(visitor, "main form button[type=submit]")
    pages.check(visitor, "verification (genuine credential)")
    status = visitor.locator("main p[role=status]")
    assert status.count() == 1 and "notice" in (status.get_attribute("class") or ""), status.inner_text()

    # … and with the holder's name changed it is rejected.
    tampered = json.loads(json.dumps(credential))
    names = [
        identifier
        for identifier in tampered["credentialSubject"].get("identifier", [])
        if identifier.get("identityType") == "name"
    ]
    assert names, tampered["credentialSubject"]
    for identifier in names:
        identifier["identityHash"] = "Mario Rossi"
    visitor.locator("textarea[name=credential]").fill(json.dumps(tampered))
    _submit(visitor, "main form button[type=submit]")
    pages.check(visitor, "verification (tampered credential)")
    status = visitor.locator("main p[role=status]")
    assert status.count() == 1 and "plan-warning" in (status.get_attribute("class") or ""), status.inner_text()
    assert "Mario Rossi" not in visitor.locator("main p[role=status]").inner_text()

    # 9. The same pages in Arabic on a 320 px phone: right to left, the number and the JSON left to
    # right, nothing wider than the screen, and the holder's email nowhere.
    phone = new_context(viewport={"width": 320, "height": 640}).new_page()
    for path, name in (
        (f"/ar/learn/certificates/{certificate.public_id}/", "verification (ar, 320 px)"),
        ("/ar/learn/certificates/check/", "credential check (ar, 320 px)"),
        ("/ar/learn/certificates/competences/", "competences (ar, 320 px)"),
    ):
        phone.goto(path)
        pages.check(phone, name)
        assert phone.locator("html").get_attribute("dir") == "rtl", path
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
        assert operator.email not in phone.content()
        assert phone.locator("textarea[name=credential][dir=ltr]").count() in {0, 1}
    phone.goto(f"/ar/learn/certificates/{certificate.public_id}/")
    number = phone.locator(f"main span[dir=ltr]:text-is('{certificate.public_id}')")
    assert number.count() == 1 and number.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert phone.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"

    # 10. The coordinator revokes it; the visitor's page and the credential check say so, with the reason.
    from micro.accounts.models import User

    coordinator_context = new_context()
    sign_in_cookie(coordinator_context, User.objects.get(email="coordinator@demo.micro.example"))
    coordinator_page = coordinator_context.new_page()
    coordinator_page.goto(f"{verify_path}revoke/")
    pages.check(coordinator_page, "revoke")
    coordinator_page.locator("textarea[name=reason]").fill("Valutazione ripetuta")
    _submit(coordinator_page)
    visitor.goto(verify_path)
    pages.check(visitor, "verification (revoked)")
    assert "plan-warning" in (visitor.locator("main p[role=status]").get_attribute("class") or "")
    assert "Valutazione ripetuta" in visitor.locator("main").inner_text()
    visitor.locator("textarea[name=credential]").fill(json.dumps(credential))
    _submit(visitor, "main form button[type=submit]")
    pages.check(visitor, "verification (revoked credential)")
    assert "Valutazione ripetuta" in visitor.locator("main p[role=status]").inner_text()

    assert problems.all() == []
    assert pages.blocking == [], "\n".join(pages.blocking)
    assert len(pages.seen) >= 20
