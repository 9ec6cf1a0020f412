"""The review workflow: only the allowed moves happen, each one is logged and audited, and a doubled
request is applied once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.core.models import AuditEvent
from micro.practices import services
from micro.practices.models import Decision, Practice, PracticeTransition, Review, Status
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db

ALL = [choice.value for choice in Status]
ALLOWED = {(a, b) for a, targets in services.ALLOWED.items() for b in targets}


def _moves(practice: Practice) -> list[tuple[str, str]]:
    return list(PracticeTransition.objects.filter(practice=practice).values_list("from_status", "to_status"))


def test_allowed_moves_are_exactly_the_documented_workflow() -> None:
    assert {
        ("draft", "submitted"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "published"),
        ("in_review", "returned"),
    } == ALLOWED


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_move_outside_the_workflow_is_refused_and_not_logged(
    start: str, target: str, author: User, alpha: Organisation
) -> None:
    practice = factories.draft(author, alpha)
    Practice.objects.filter(pk=practice.pk).update(status=start, published_at=practice.created_at)
    before = PracticeTransition.objects.count()
    if (start, target) in ALLOWED:
        moved = services._move(practice=practice, to=target, user=author)
        assert moved.status == target
        assert PracticeTransition.objects.count() == before + 1
    else:
        with pytest.raises(services.TransitionError):
            services._move(practice=practice, to=target, user=author)
        assert Practice.objects.get(pk=practice.pk).status == start
        assert PracticeTransition.objects.count() == before


def test_full_cycle_return_resubmit_publish_is_logged_and_audited(
    author: User, alpha: Organisation, coordinator: User
) -> None:
    practice = factories.submitted(author, alpha)
    factories.review(coordinator, practice, Decision.RETURN, comment="Add dated figures to the results.")
    practice.refresh_from_db()
    assert practice.status == Status.RETURNED
    services.practice_update(
        user=author, practice=practice, texts={**factories.TEXTS, "results": "96% repaid by June 2024."}, fields={}
    )
    services.practice_submit(user=author, practice=practice)
    practice = factories.review(coordinator, Practice.objects.get(pk=practice.pk))
    assert practice.status == Status.PUBLISHED and practice.published_at is not None
    assert practice.review_round == 2
    assert _moves(practice) == [
        ("draft", "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "returned"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "published"),
    ]
    returned = PracticeTransition.objects.get(practice=practice, to_status="returned")
    assert returned.actor == coordinator and "dated figures" in returned.comment
    actions = list(
        AuditEvent.objects.filter(object_id=str(practice.pk), object_type="practices.practice")
        .order_by("id")
        .values_list("action", flat=True)
    )
    for action in (
        "practice.create",
        "practice.submitted",
        "practice.in_review",
        "practice.returned",
        "practice.published",
    ):
        assert action in actions
    assert [r.round for r in Review.objects.filter(practice=practice).order_by("round")] == [1, 2]
    # Publication marks the original text as reviewed.
    assert practice.translations["en"]["status"] == "reviewed"


def test_submitting_an_incomplete_practice_names_the_missing_parts(author: User, alpha: Organisation) -> None:
    practice = services.practice_create(
        user=author, organisation=alpha, language="en", texts={"title": "Only a title"}, fields={"theme": "other"}
    )
    with pytest.raises(ValidationError) as caught:
        services.practice_submit(user=author, practice=practice)
    assert "Summary" in str(caught.value) and "Target groups" in str(caught.value)
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT
    assert _moves(practice) == [("draft", "draft")]


def test_returning_needs_a_comment(author: User, alpha: Organisation, coordinator: User) -> None:
    practice = factories.submitted(author, alpha)
    with pytest.raises(ValidationError):
        services.review_submit(
            user=coordinator, practice=practice, scores=factories.SCORES, comments={}, comment=" ", decision="return"
        )
    assert Practice.objects.get(pk=practice.pk).status == Status.SUBMITTED


def test_a_doubled_submit_is_applied_once(client: Client, author: User, alpha: Organisation) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(author)
    first = client.post(f"/en/practices/manage/{practice.pk}/submit/")
    second = client.post(f"/en/practices/manage/{practice.pk}/submit/")
    assert first.status_code == second.status_code == 302
    assert _moves(practice).count(("draft", "submitted")) == 1
    assert Practice.objects.get(pk=practice.pk).review_round == 1


def test_a_doubled_review_is_applied_once(client: Client, author: User, alpha: Organisation, coordinator: User) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    data = {**factories.SCORES, "decision": "publish", "comment": "Fine."}
    assert client.post(f"/en/practices/manage/{practice.pk}/review/", data).status_code == 302
    assert client.post(f"/en/practices/manage/{practice.pk}/review/", data).status_code == 302
    assert Review.objects.filter(practice=practice).count() == 1
    assert _moves(practice).count(("in_review", "published")) == 1


def test_start_review_then_the_authors_see_the_comments(
    client: Client, author: User, alpha: Organisation, coordinator: User
) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    client.post(f"/en/practices/manage/{practice.pk}/start-review/")
    assert Practice.objects.get(pk=practice.pk).status == Status.IN_REVIEW
    client.post(
        f"/en/practices/manage/{practice.pk}/review/",
        {
            **factories.SCORES,
            "clarity_comment": "Say who pays the mentors.",
            "decision": "return",
            "comment": "Nearly.",
        },
    )
    client.force_login(author)
    page = client.get(f"/en/practices/{practice.slug}/").text
    assert "Say who pays the mentors." in page and "Nearly." in page
    edit = client.get(f"/en/practices/manage/{practice.pk}/").text
    assert "Say who pays the mentors." in edit


def test_published_practices_cannot_be_edited_or_resubmitted(
    client: Client, author: User, alpha: Organisation, coordinator: User
) -> None:
    practice = factories.published(author, alpha, coordinator)
    with pytest.raises(services.TransitionError):
        services.practice_submit(user=author, practice=practice)
    client.force_login(author)
    assert client.get(f"/en/practices/manage/{practice.pk}/").status_code == 403
    assert client.post(f"/en/practices/manage/{practice.pk}/", {"title": "Changed"}).status_code == 403
    assert Practice.objects.get(pk=practice.pk).translations["en"]["title"] == factories.TEXTS["title"]
