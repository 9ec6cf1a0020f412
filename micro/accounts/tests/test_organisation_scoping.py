"""Member management is scoped to the organisations a person administers; coordinators see all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client

from micro.accounts.models import Invitation, Membership, Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, make_invitation, member

pytestmark = pytest.mark.django_db


@dataclass
class Partner:
    organisation: Organisation
    admin: User
    operator: User
    membership: Membership
    invitation: Invitation


def make_partner(name: str) -> Partner:
    organisation = OrganisationFactory.create(name=name, slug=name.lower())
    admin = member(organisation, Role.PARTNER_ADMIN)
    operator = member(organisation, Role.OPERATOR)
    invitation, _token = make_invitation(organisation=organisation, invited_by=admin)
    return Partner(organisation, admin, operator, operator.memberships.get(), invitation)


@pytest.fixture
def a() -> Partner:
    return make_partner("Alpha")


@pytest.fixture
def b() -> Partner:
    return make_partner("Beta")


def member_requests(slug: str, membership_pk: int, invitation_pk: int) -> list[tuple[str, str, dict[str, str]]]:
    """Every member-management request, aimed at ``slug`` and the given membership and invitation."""
    base = f"/en/organisations/{slug}"
    return [
        ("get", f"{base}/members/", {}),
        ("post", f"{base}/members/", {"require_two_factor": "on"}),
        ("get", f"{base}/members/invite/", {}),
        ("post", f"{base}/members/invite/", {"email": "newcomer@example.org", "role": Role.OPERATOR}),
        ("get", f"{base}/members/{membership_pk}/", {}),
        ("post", f"{base}/members/{membership_pk}/", {"role": Role.TRAINER}),
        ("post", f"{base}/invitations/{invitation_pk}/revoke/", {}),
    ]


def snapshot() -> list[object]:
    """Everything a member request could change."""
    return [
        sorted(Membership.objects.values_list("pk", "role", "is_active")),
        sorted(Invitation.objects.values_list("pk", "email", "revoked_at")),
        sorted(Organisation.objects.values_list("pk", "require_two_factor")),
        User.objects.count(),
        len(mail.outbox),
    ]


def send(client: Client, method: str, url: str, data: dict[str, str]) -> int:
    return getattr(client, method)(url, data).status_code


def test_partner_admin_cannot_reach_another_organisation_by_its_slug(client: Client, a: Partner, b: Partner) -> None:
    client.force_login(a.admin)
    before = snapshot()

    for method, url, data in member_requests(b.organisation.slug, b.membership.pk, b.invitation.pk):
        assert send(client, method, url, data) in {403, 404}, (method, url)

    assert snapshot() == before


def test_partner_admin_cannot_reach_another_organisations_records_under_their_own_slug(
    client: Client, a: Partner, b: Partner
) -> None:
    client.force_login(a.admin)
    before = snapshot()

    for method, url, data in member_requests(a.organisation.slug, b.membership.pk, b.invitation.pk)[4:]:
        assert send(client, method, url, data) in {403, 404}, (method, url)

    assert snapshot() == before


def test_partner_admin_does_not_see_other_organisations_in_their_list(client: Client, a: Partner, b: Partner) -> None:
    client.force_login(a.admin)

    page = client.get("/en/organisations/").text
    members = client.get(f"/en/organisations/{a.organisation.slug}/members/").text

    assert a.organisation.name in page
    assert b.organisation.name not in page
    assert a.operator.email in members
    assert b.operator.email not in members
    assert b.invitation.email not in members


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.TRAINER])
def test_operators_and_trainers_cannot_manage_even_their_own_organisation(
    client: Client, a: Partner, role: str
) -> None:
    staff = member(a.organisation, role)
    client.force_login(staff)
    before = snapshot()

    for method, url, data in member_requests(a.organisation.slug, a.membership.pk, a.invitation.pk):
        assert send(client, method, url, data) in {403, 404}, (method, url)

    assert snapshot() == before


def test_a_deactivated_partner_admin_loses_access(client: Client, a: Partner) -> None:
    Membership.objects.filter(user=a.admin).update(is_active=False)
    client.force_login(a.admin)

    for method, url, data in member_requests(a.organisation.slug, a.membership.pk, a.invitation.pk):
        assert send(client, method, url, data) in {403, 404}, (method, url)


def test_coordinator_manages_every_organisation(client: Client, a: Partner, b: Partner) -> None:
    coordinator = member(a.organisation, Role.COORDINATOR)
    client.force_login(coordinator)

    for method, url, data in member_requests(b.organisation.slug, b.membership.pk, b.invitation.pk):
        assert send(client, method, url, data) in {200, 302}, (method, url)

    b.membership.refresh_from_db()
    b.invitation.refresh_from_db()
    b.organisation.refresh_from_db()
    assert b.membership.role == Role.TRAINER
    assert b.invitation.revoked_at is not None
    assert b.organisation.require_two_factor is True
    assert Invitation.objects.filter(organisation=b.organisation, email="newcomer@example.org").exists()


def test_coordinator_lists_every_organisation(client: Client, a: Partner, b: Partner) -> None:
    client.force_login(member(a.organisation, Role.COORDINATOR))

    page = client.get("/en/organisations/").text

    assert a.organisation.name in page
    assert b.organisation.name in page


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, a: Partner) -> None:
    before = snapshot()

    for method, url, data in [
        *member_requests(a.organisation.slug, a.membership.pk, a.invitation.pk),
        ("get", "/en/organisations/", {}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/en/accounts/login/?next="), (method, url)

    assert snapshot() == before


def test_unknown_organisation_answers_404(client: Client, a: Partner) -> None:
    client.force_login(member(a.organisation, Role.COORDINATOR))

    assert client.get("/en/organisations/no-such-partner/members/").status_code == 404
