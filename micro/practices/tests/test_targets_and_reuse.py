"""Contribution targets and the board; reuse stories and the practice page that tells them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.core.models import AuditEvent
from micro.practices import selectors, services
from micro.practices.models import ContributionTarget, Reuse
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db


def _row(organisation: Organisation) -> selectors.BoardRow:
    return next(row for row in selectors.board_rows() if row.organisation == organisation)


def test_board_states(
    author: User, alpha: Organisation, beta: Organisation, coordinator: User, lead: Organisation
) -> None:
    later = factories.today() + timedelta(days=90)
    services.target_set(user=coordinator, organisation=alpha, target=2, due_on=later)
    assert _row(alpha).state == "behind"
    factories.submitted(author, alpha)
    factories.draft(author, alpha, title="Draft")
    assert _row(alpha).state == "behind"
    factories.published(author, alpha, coordinator, title="Published")
    row = _row(alpha)
    assert (row.published, row.pipeline, row.drafts, row.state, row.percent) == (1, 1, 1, "on_track", 50)
    services.target_set(user=coordinator, organisation=alpha, target=1, due_on=later)
    assert _row(alpha).state == "done"
    services.target_set(user=coordinator, organisation=beta, target=1, due_on=factories.today() - timedelta(days=1))
    assert _row(beta).state == "overdue"
    assert _row(lead).state == "no_target"
    assert ContributionTarget.objects.count() == 2
    assert AuditEvent.objects.filter(action="practice_target.set").count() == 3


def test_board_page_shows_targets_and_the_coordinator_form(
    client: Client, coordinator: User, beta_admin: User, beta: Organisation
) -> None:
    services.target_set(user=coordinator, organisation=beta, target=3, due_on=factories.today() + timedelta(days=30))
    client.force_login(beta_admin)
    page = client.get("/en/practices/board/").text
    assert "Beta Bruxelles" in page and "board-state-behind" in page and 'name="target"' not in page
    client.force_login(coordinator)
    assert 'name="target"' in client.get("/en/practices/board/").text


def test_reuse_story_is_recorded_and_shown(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, beta: Organisation
) -> None:
    practice = factories.published(author, alpha, coordinator)
    client.force_login(beta_admin)
    page = client.get(f"/en/practices/{practice.slug}/").text
    assert f"/en/practices/{practice.slug}/adopted/" in page
    response = client.post(
        f"/fr/practices/{practice.slug}/adopted/",
        {
            "organisation": beta.pk,
            "adopted_on": "2025-01-15",
            "adaptation": "Des séances plus courtes, en soirée.",
            "outcome": "Douze prêts la première année.",
            "people_reached": "35",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#reuse")
    reuse = Reuse.objects.get()
    assert reuse.organisation == beta and reuse.translations["fr"]["adaptation"].startswith("Des séances")
    client.logout()
    english = client.get(f"/en/practices/{practice.slug}/").text
    assert "Beta Bruxelles" in english and "Douze prêts" in english
    assert "is not yet available in your language" in english  # the French story, marked as such
    assert "35 people reached" in english
    assert AuditEvent.objects.filter(action="practice.reuse_record").count() == 1
    api = client.get(f"/api/practices/{practice.slug}").json()
    assert api["reuses"][0]["organisation"] == "Beta Bruxelles" and api["reuses"][0]["language"] == "fr"


def test_page_shows_practice_parts_in_the_template_order(
    client: Client, author: User, alpha: Organisation, coordinator: User
) -> None:
    practice = factories.draft(
        author,
        alpha,
        competence_codes=["EF-1"],
        lesson_links=["/en/learn/micro-sample/intercultural/first-meeting/"],
        started_on=factories.today() - timedelta(days=400),
        total_cost="1500.00",
    )
    services.practice_submit(user=author, practice=practice)
    practice = factories.review(coordinator, practice)
    page = client.get(f"/it/practices/{practice.slug}/").text
    positions = [
        page.index(f'id="part-{name}"')
        for name in (
            "objectives",
            "activities",
            "resources",
            "results",
            "evidence",
            "success_factors",
            "transferability",
            "lessons",
            "learning",
        )
    ]
    assert positions == sorted(positions)
    assert 'href="/it/learn/micro-sample/intercultural/first-meeting/"' in page  # the lesson in the reader's language
    assert "EF-1" in page and "1.500,00" in page
