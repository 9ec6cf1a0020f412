"""Who may do what: organisations keep their drafts, only coordinators and named experts review,
and nobody reviews their own organisation's practice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import member
from micro.practices import permissions, services
from micro.practices.models import Practice, ReviewerAssignment, Status
from micro.practices.tests import factories

pytestmark = pytest.mark.django_db


def test_another_organisation_cannot_see_or_edit_a_draft(
    client: Client, author: User, alpha: Organisation, beta_admin: User
) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(beta_admin)
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 404
    assert client.get(f"/en/practices/manage/{practice.pk}/").status_code == 404
    assert client.post(f"/en/practices/manage/{practice.pk}/", {"title": "Taken over"}).status_code == 404
    assert client.post(f"/en/practices/manage/{practice.pk}/submit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.practice_update(user=beta_admin, practice=practice, texts={"title": "Taken over"}, fields={})
    with pytest.raises(PermissionDenied):
        services.practice_submit(user=beta_admin, practice=practice)
    assert Practice.objects.get(pk=practice.pk).translations["en"]["title"] == factories.TEXTS["title"]


def test_anonymous_visitors_see_only_published_practices(
    client: Client, author: User, alpha: Organisation, coordinator: User
) -> None:
    draft = factories.draft(author, alpha, title="Hidden draft")
    published = factories.published(author, alpha, coordinator, title="Open practice")
    assert client.get(f"/en/practices/{draft.slug}/").status_code == 404
    assert client.get(f"/en/practices/{published.slug}/").status_code == 200
    assert client.get("/en/practices/new/").status_code == 302  # to sign in


def test_an_operator_reads_the_organisations_draft_but_cannot_edit_it(
    client: Client, author: User, alpha: Organisation, operator: User
) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(operator)
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 200
    assert client.get(f"/en/practices/manage/{practice.pk}/").status_code == 403
    assert client.get("/en/practices/new/").status_code == 403


def test_a_colleague_partner_admin_may_edit_the_draft(
    client: Client, author: User, colleague: User, alpha: Organisation
) -> None:
    practice = factories.draft(author, alpha)
    assert permissions.can_edit_practice(colleague, practice)


def test_coordinators_do_not_see_others_drafts_but_see_submitted_ones(
    client: Client, author: User, alpha: Organisation, coordinator: User
) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(coordinator)
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 404
    services.practice_submit(user=author, practice=practice)
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 200
    assert client.get(f"/en/practices/manage/{practice.pk}/review/").status_code == 200


@pytest.mark.parametrize("who", ["author", "colleague", "operator", "beta_admin", "expert"])
def test_only_coordinators_and_named_experts_review(
    request: pytest.FixtureRequest, client: Client, who: str, author: User, alpha: Organisation
) -> None:
    practice = factories.submitted(author, alpha)
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(f"/en/practices/manage/{practice.pk}/review/")
    assert response.status_code in (403, 404)
    data = {**factories.SCORES, "decision": "publish"}
    assert client.post(f"/en/practices/manage/{practice.pk}/review/", data).status_code in (403, 404)
    assert client.post(f"/en/practices/manage/{practice.pk}/start-review/").status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.review_submit(
            user=user, practice=practice, scores=factories.SCORES, comments={}, comment="", decision="publish"
        )
    assert Practice.objects.get(pk=practice.pk).status == Status.SUBMITTED


def test_a_named_expert_may_review(
    client: Client, author: User, alpha: Organisation, coordinator: User, expert: User
) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    assert client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": expert.email}).status_code == 302
    assert ReviewerAssignment.objects.filter(practice=practice, reviewer=expert).exists()
    client.force_login(expert)
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 200
    assert client.get("/en/practices/mine/").status_code == 403  # no staff role: no workspace
    response = client.post(f"/en/practices/manage/{practice.pk}/review/", {**factories.SCORES, "decision": "publish"})
    assert response.status_code == 302
    assert Practice.objects.get(pk=practice.pk).status == Status.PUBLISHED


def test_an_expert_is_not_assigned_twice_and_only_coordinators_assign(
    client: Client, author: User, alpha: Organisation, coordinator: User, expert: User, beta_admin: User
) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": expert.email})
    client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": expert.email})
    assert ReviewerAssignment.objects.filter(practice=practice).count() == 1
    client.force_login(beta_admin)
    assert client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": beta_admin.email}).status_code in (
        403,
        404,
    )


def test_authors_cannot_review_their_own_even_as_coordinator_or_named_expert(
    client: Client, lead: Organisation, coordinator: User, alpha: Organisation, author: User
) -> None:
    # A coordinator's own organisation wrote it: the coordinator may not review it.
    own = factories.submitted(coordinator, lead, title="Lead partner practice")
    assert not permissions.can_review_practice(coordinator, own)
    client.force_login(coordinator)
    assert client.get(f"/en/practices/manage/{own.pk}/review/").status_code == 403
    # Nor can a member of the authors' organisation be named as its expert.
    practice = factories.submitted(author, alpha)
    form = client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": author.email})
    assert form.status_code == 200 and "cannot review it" in form.text
    assert not ReviewerAssignment.objects.filter(practice=practice).exists()
    # The workspace does not offer the coordinator their own organisation's practice to review.
    titles = [
        p.pk for p in __import__("micro.practices.selectors", fromlist=["x"]).practice_list_to_review(coordinator)
    ]
    assert own.pk not in titles and practice.pk in titles


def test_only_coordinators_set_targets(client: Client, beta_admin: User, beta: Organisation, coordinator: User) -> None:
    client.force_login(beta_admin)
    assert client.get("/en/practices/board/").status_code == 200
    assert (
        client.post("/en/practices/board/", {"organisation": beta.pk, "target": 5, "due_on": "2030-01-01"}).status_code
        == 403
    )
    client.force_login(coordinator)
    assert (
        client.post("/en/practices/board/", {"organisation": beta.pk, "target": 5, "due_on": "2030-01-01"}).status_code
        == 302
    )


def test_board_is_for_staff_only(client: Client, expert: User) -> None:
    assert client.get("/en/practices/board/").status_code == 302
    client.force_login(expert)
    assert client.get("/en/practices/board/").status_code == 403


def test_reuse_only_by_other_partners_of_published_practices(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, operator: User
) -> None:
    draft = factories.draft(author, alpha, title="Still a draft")
    practice = factories.published(author, alpha, coordinator)
    assert not permissions.can_record_reuse(author, practice)  # its own organisation
    assert not permissions.can_record_reuse(operator, practice)  # operators do not speak for the partner
    assert not permissions.can_record_reuse(beta_admin, draft)
    assert permissions.can_record_reuse(beta_admin, practice)
    client.force_login(author)
    assert client.get(f"/en/practices/{practice.slug}/adopted/").status_code == 403
    client.force_login(beta_admin)
    assert client.get(f"/en/practices/{draft.slug}/adopted/").status_code == 404


def test_attachments_of_unpublished_practices_stay_private(
    client: Client, author: User, alpha: Organisation, beta_admin: User, pdf_bytes: bytes
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from micro.practices.uploads import check_upload

    practice = factories.draft(author, alpha)
    attachment = services.attachment_add(
        user=author, practice=practice, checked=check_upload(SimpleUploadedFile("report.pdf", pdf_bytes))
    )
    assert client.get(f"/en/practices/files/{attachment.pk}/").status_code == 404
    client.force_login(beta_admin)
    assert client.get(f"/en/practices/files/{attachment.pk}/").status_code == 404
    client.force_login(author)
    response = client.get(f"/en/practices/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_inactive_memberships_give_no_rights(author: User, alpha: Organisation) -> None:
    former = member(alpha, Role.PARTNER_ADMIN, email="former@example.org")
    former.memberships.update(is_active=False)
    practice = factories.draft(author, alpha)
    assert not permissions.can_edit_practice(User.objects.get(pk=former.pk), practice)
