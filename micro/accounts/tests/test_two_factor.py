"""Two-factor sign-in: set-up with a real code, the organisation policy and who may change it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts import middleware, services
from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    confirmed_device,
    member,
    totp_code,
    wrong_totp_code,
)
from micro.core import revisions
from micro.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/en/accounts/two-factor/"


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(name="Alpha", slug="alpha")


def pending_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_set_up_page_shows_a_qr_code_and_the_key(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    page = client.get(TWO_FACTOR)

    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    assert page.context["secret"]
    assert pending_device(user)


def test_enabling_with_the_current_code_confirms_the_device(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    client.get(TWO_FACTOR)
    device = pending_device(user)

    response = client.post(TWO_FACTOR, {"action": "confirm", "token": totp_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="two_factor.enable", actor=user).count() == 1


def test_enabled_device_is_asked_for_at_the_next_sign_in(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    client.get(TWO_FACTOR)
    client.post(TWO_FACTOR, {"action": "confirm", "token": totp_code(pending_device(user))})

    response = Client().post("/en/accounts/login/", {"email": user.email, "password": PASSWORD})

    assert response["Location"] == "/en/accounts/login/verify/"


@pytest.mark.parametrize("kind", ["wrong", "letters", "empty"])
def test_enabling_with_a_wrong_code_is_refused(client: Client, kind: str) -> None:
    user = UserFactory.create()
    client.force_login(user)
    client.get(TWO_FACTOR)
    device = pending_device(user)
    token = {"wrong": wrong_totp_code(device), "letters": "abcdef", "empty": ""}[kind]

    response = client.post(TWO_FACTOR, {"action": "confirm", "token": token})

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="two_factor.enable").exists()


def test_a_failed_attempt_keeps_the_same_key_on_screen(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    first = client.get(TWO_FACTOR).context["secret"]
    device = pending_device(user)

    response = client.post(TWO_FACTOR, {"action": "confirm", "token": wrong_totp_code(device)})

    assert response.context["secret"] == first


def test_switching_off_when_not_required(client: Client) -> None:
    user = UserFactory.create()
    confirmed_device(user)
    client.force_login(user)

    response = client.post(TWO_FACTOR, {"action": "disable"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="two_factor.disable", actor=user).exists()


def test_coordinator_sets_the_policy_and_it_is_audited(client: Client, organisation: Organisation) -> None:
    coordinator = member(OrganisationFactory.create(), Role.COORDINATOR)
    confirmed_device(coordinator)
    client.force_login(coordinator)

    response = client.post("/en/organisations/alpha/members/", {"require_two_factor": "on"})

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.require_two_factor
    event = AuditEvent.objects.get(action="organisation.two_factor")
    assert (event.actor, event.object_id, event.detail) == (coordinator, str(organisation.pk), {"required": True})

    client.post("/en/organisations/alpha/members/", {})

    organisation.refresh_from_db()
    assert not organisation.require_two_factor


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.OPERATOR, Role.TRAINER])
def test_non_coordinators_cannot_change_the_policy(client: Client, organisation: Organisation, role: str) -> None:
    client.force_login(member(organisation, role))

    response = client.post("/en/organisations/alpha/members/", {"require_two_factor": "on"})

    assert response.status_code in {200, 403, 404}
    organisation.refresh_from_db()
    assert not organisation.require_two_factor
    assert not AuditEvent.objects.filter(action="organisation.two_factor").exists()


def test_partner_admin_sees_no_policy_form(client: Client, organisation: Organisation) -> None:
    client.force_login(member(organisation, Role.PARTNER_ADMIN))

    page = client.get("/en/organisations/alpha/members/")

    assert page.context["policy_form"] is None
    assert 'name="require_two_factor"' not in page.text


def test_policy_service_refuses_non_coordinators(organisation: Organisation) -> None:
    partner_admin = member(organisation, Role.PARTNER_ADMIN)

    with pytest.raises(PermissionDenied):
        services.organisation_set_two_factor(organisation=organisation, required=True, actor=partner_admin)


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/about/",
        "/en/accounts/profile/",
        "/en/organisations/",
        "/en/organisations/alpha/members/",
        "/it/accounts/profile/",
    ],
)
def test_members_of_a_strict_organisation_are_sent_to_set_up_first(
    client: Client, organisation: Organisation, path: str
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    client.force_login(member(organisation, Role.PARTNER_ADMIN))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/{path.split('/')[1]}/accounts/two-factor/"


def test_an_address_that_leads_nowhere_is_a_404_even_before_set_up(client: Client, organisation: Organisation) -> None:
    organisation.require_two_factor = True
    organisation.save()
    client.force_login(member(organisation, Role.OPERATOR))

    assert client.get("/en/no-such-page/").status_code == 404
    assert client.get("/en/learn/").status_code == 302  # a real page still sends them to set up


def test_strict_organisation_member_can_still_reach_set_up_sign_out_and_health(
    client: Client, organisation: Organisation
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    client.force_login(member(organisation, Role.OPERATOR))

    page = client.get(TWO_FACTOR)

    assert page.status_code == 200
    assert "Your organisation requires two-factor sign-in." in page.text
    assert client.get("/healthz").status_code == 200
    assert client.post("/en/accounts/logout/")["Location"] == "/en/"


def test_confirming_a_device_lifts_the_redirect(client: Client, organisation: Organisation) -> None:
    organisation.require_two_factor = True
    organisation.save()
    user = member(organisation, Role.OPERATOR)
    client.force_login(user)
    client.get("/en/")
    client.get(TWO_FACTOR)

    client.post(TWO_FACTOR, {"action": "confirm", "token": totp_code(pending_device(user))})

    assert client.get("/en/accounts/profile/").status_code == 200


def test_members_cannot_switch_it_off_while_required(client: Client, organisation: Organisation) -> None:
    organisation.require_two_factor = True
    organisation.save()
    user = member(organisation, Role.OPERATOR)
    confirmed_device(user)
    client.force_login(user)

    response = client.post(TWO_FACTOR, {"action": "disable"}, follow=True)

    assert "Your organisation requires two-factor sign-in, so it cannot be switched off." in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="two_factor.disable").exists()


def test_inactive_membership_of_a_strict_organisation_does_not_force_set_up(
    client: Client, organisation: Organisation
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    user = member(organisation, Role.OPERATOR)
    user.memberships.update(is_active=False)
    client.force_login(user)

    assert client.get("/en/accounts/profile/").status_code == 200


def test_people_outside_a_strict_organisation_are_not_redirected(client: Client, organisation: Organisation) -> None:
    organisation.require_two_factor = True
    organisation.save()
    client.force_login(member(OrganisationFactory.create(), Role.OPERATOR))

    assert client.get("/en/accounts/profile/").status_code == 200


def test_the_all_clear_is_kept_in_the_session_for_a_few_minutes(client: Client, organisation: Organisation) -> None:
    user = member(organisation, Role.OPERATOR)
    client.force_login(user)
    revisions.current(revisions.TWO_FACTOR)  # read at most once a second per worker, not per request
    with CaptureQueriesContext(connection) as checked:
        client.get("/en/about/")
    with CaptureQueriesContext(connection) as remembered:
        client.get("/en/about/")
    assert len(remembered.captured_queries) == len(checked.captured_queries) - 1
    organisation.require_two_factor = True
    organisation.save()

    # Within the remembered window a safe request is not checked again ...
    assert client.get("/en/accounts/profile/").status_code == 200
    # ... an unsafe request of one's own drops the all-clear ...
    client.post("/en/accounts/profile/", {})
    assert client.get("/en/accounts/profile/").status_code == 302

    # ... and so does its age.
    organisation.require_two_factor = False
    organisation.save()
    assert client.get("/en/accounts/profile/").status_code == 200
    organisation.require_two_factor = True
    organisation.save()
    assert client.get("/en/accounts/profile/").status_code == 200
    session_key = client.session.session_key
    assert session_key
    cache.delete(middleware.all_clear_cache_key(session_key, user.pk))  # what expiry after CLEAR_SECONDS does
    assert client.get("/en/accounts/profile/").status_code == 302


def test_the_all_clear_of_another_session_is_not_trusted(client: Client, organisation: Organisation) -> None:
    organisation.require_two_factor = True
    organisation.save()
    user = member(organisation, Role.OPERATOR)
    cache.set(middleware.all_clear_cache_key("another-session", user.pk), True)
    client.force_login(user)

    assert client.get("/en/accounts/profile/").status_code == 302
