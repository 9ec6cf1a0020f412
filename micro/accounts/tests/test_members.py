"""Member management: role changes and deactivation are audited; nobody locks themselves out or climbs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from micro.accounts import services
from micro.accounts.models import Membership, Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(name="Alpha", slug="alpha")


@pytest.fixture
def partner_admin(organisation: Organisation) -> User:
    return member(organisation, Role.PARTNER_ADMIN)


@pytest.fixture
def operator(organisation: Organisation) -> User:
    return member(organisation, Role.OPERATOR)


def membership_of(user: User) -> Membership:
    return Membership.objects.get(user=user)


def edit_url(membership: Membership) -> str:
    return f"/en/organisations/{membership.organisation.slug}/members/{membership.pk}/"


def test_partner_admin_changes_a_role_and_it_is_audited(client: Client, partner_admin: User, operator: User) -> None:
    membership = membership_of(operator)
    client.force_login(partner_admin)

    response = client.post(edit_url(membership), {"role": Role.TRAINER, "is_active": "on"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.TRAINER
    assert membership.is_active
    event = AuditEvent.objects.get(action="membership.update")
    assert event.actor == partner_admin
    assert event.actor_label == partner_admin.email
    assert (event.object_type, event.object_id) == ("accounts.membership", str(membership.pk))
    assert event.organisation_id == membership.organisation_id
    assert event.ip_address == "203.0.113.7"
    assert event.detail == {
        "before": {"role": Role.OPERATOR, "is_active": True},
        "after": {"role": Role.TRAINER, "is_active": True},
    }


def test_partner_admin_deactivates_a_member_and_it_is_audited(
    client: Client, partner_admin: User, operator: User
) -> None:
    membership = membership_of(operator)
    client.force_login(partner_admin)

    response = client.post(edit_url(membership), {"role": Role.OPERATOR})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    event = AuditEvent.objects.get(action="membership.update")
    assert event.actor == partner_admin
    assert event.ip_address == "127.0.0.1"
    assert event.detail["after"] == {"role": Role.OPERATOR, "is_active": False}


def test_deactivated_member_shows_as_inactive(client: Client, partner_admin: User, operator: User) -> None:
    Membership.objects.filter(user=operator).update(is_active=False)
    client.force_login(partner_admin)

    page = client.get("/en/organisations/alpha/members/").text

    assert "Inactive" in page


@pytest.mark.parametrize(
    "data",
    [
        {"role": Role.PARTNER_ADMIN},
        {"role": Role.OPERATOR, "is_active": "on"},
        {"role": Role.PARTNER_ADMIN, "is_active": ""},
    ],
)
def test_a_user_cannot_demote_or_deactivate_themselves(
    client: Client, partner_admin: User, data: dict[str, str]
) -> None:
    membership = membership_of(partner_admin)
    client.force_login(partner_admin)

    response = client.post(edit_url(membership), data)

    assert response.status_code in {200, 403}
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.PARTNER_ADMIN, True)
    assert not AuditEvent.objects.filter(action="membership.update").exists()


def test_self_deactivation_shows_a_clear_message(client: Client, partner_admin: User) -> None:
    client.force_login(partner_admin)

    response = client.post(edit_url(membership_of(partner_admin)), {"role": Role.PARTNER_ADMIN})

    assert response.status_code == 200
    assert "You cannot change your own role or deactivate yourself." in response.text


def test_coordinator_cannot_demote_themselves(client: Client, organisation: Organisation) -> None:
    coordinator = member(organisation, Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(edit_url(membership_of(coordinator)), {"role": Role.OPERATOR, "is_active": "on"})

    assert response.status_code == 200
    assert membership_of(coordinator).role == Role.COORDINATOR


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_ADMIN, "superuser", "", "x" * 10_000, "operator'; --"])
def test_forged_role_values_are_refused(client: Client, partner_admin: User, operator: User, role: str) -> None:
    membership = membership_of(operator)
    client.force_login(partner_admin)

    response = client.post(edit_url(membership), {"role": role, "is_active": "on"})

    assert response.status_code in {200, 403}
    membership.refresh_from_db()
    assert membership.role == Role.OPERATOR
    assert not AuditEvent.objects.filter(action="membership.update").exists()


@pytest.mark.parametrize("senior_role", [Role.COORDINATOR, Role.PARTNER_ADMIN])
def test_partner_admin_cannot_demote_or_deactivate_a_more_senior_member(
    client: Client, organisation: Organisation, partner_admin: User, senior_role: str
) -> None:
    senior = member(organisation, senior_role)
    membership = membership_of(senior)
    client.force_login(partner_admin)

    for data in ({"role": senior_role}, {"role": Role.OPERATOR, "is_active": "on"}):
        response = client.post(edit_url(membership), data)
        assert response.status_code in {403, 404}

    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (senior_role, True)
    assert not AuditEvent.objects.filter(action="membership.update").exists()


def test_coordinator_may_promote_to_any_role(client: Client, organisation: Organisation, operator: User) -> None:
    client.force_login(member(organisation, Role.COORDINATOR))

    response = client.post(edit_url(membership_of(operator)), {"role": Role.PARTNER_ADMIN, "is_active": "on"})

    assert response.status_code == 302
    assert membership_of(operator).role == Role.PARTNER_ADMIN


def test_membership_service_refuses_a_role_the_actor_cannot_grant(partner_admin: User, operator: User) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_update(
            membership=membership_of(operator), role=Role.COORDINATOR, is_active=True, actor=partner_admin
        )
    assert membership_of(operator).role == Role.OPERATOR


def test_membership_service_refuses_self_lockout(partner_admin: User) -> None:
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=membership_of(partner_admin), role=Role.PARTNER_ADMIN, is_active=False, actor=partner_admin
        )
    assert membership_of(partner_admin).is_active


def test_edit_page_offers_only_grantable_roles(client: Client, partner_admin: User, operator: User) -> None:
    client.force_login(partner_admin)

    page = client.get(edit_url(membership_of(operator))).text

    assert f'value="{Role.TRAINER}"' in page
    assert f'value="{Role.COORDINATOR}"' not in page
    assert f'value="{Role.PARTNER_ADMIN}"' not in page
