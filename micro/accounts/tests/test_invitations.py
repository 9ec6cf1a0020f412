"""Invitations: the email and its link, accepting once, dead links, roles a partner admin may grant, bad input."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from micro.accounts import services
from micro.accounts.models import Invitation, Membership, Organisation, Role, User
from micro.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory, make_invitation, member
from micro.core.models import AuditEvent

pytestmark = pytest.mark.django_db

INVALID = "This invitation link is no longer valid. Ask for a new one."
NEW_PASSWORD = "a-long-and-private-passphrase"


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(name="Alpha", slug="alpha")


@pytest.fixture
def partner_admin(organisation: Organisation) -> User:
    return member(organisation, Role.PARTNER_ADMIN, preferred_language="en")


def invite_url(language: str = "en") -> str:
    return f"/{language}/organisations/alpha/members/invite/"


def accept_data(**overrides: str) -> dict[str, str]:
    return {"full_name": "Nadia Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **overrides}


def link_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL.rstrip("/")) + r"(/\S+)", body)
    assert match, body
    return match.group(1)


def test_partner_admin_invites_an_operator_by_email_in_their_language(
    client: Client, partner_admin: User, organisation: Organisation, django_capture_on_commit_callbacks
) -> None:
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url("it"), {"email": " Nadia@Example.org ", "role": Role.OPERATOR})

    assert response.status_code == 302
    assert response["Location"] == "/it/organisations/alpha/members/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.language) == ("nadia@example.org", Role.OPERATOR, "it")
    assert invitation.invited_by == partner_admin
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    with translation.override("it"):
        assert message.subject == gettext("You are invited to the MICRO platform")
    assert message.to == ["nadia@example.org"]
    assert organisation.name in message.body
    path = link_path(str(message.body))
    assert path.startswith("/it/accounts/invitation/")
    assert AuditEvent.objects.filter(action="invitation.create", actor=partner_admin).count() == 1

    page = Client().get(path)

    assert page.status_code == 200
    assert "nadia@example.org" in page.text
    assert 'lang="it"' in page.text


def test_invitation_email_link_opens_in_english_for_an_english_inviter(
    client: Client, partner_admin: User, django_capture_on_commit_callbacks
) -> None:
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url("en"), {"email": "nadia@example.org", "role": Role.TRAINER})

    assert mail.outbox[0].subject == "You are invited to the MICRO platform"
    assert link_path(str(mail.outbox[0].body)).startswith("/en/accounts/invitation/")


def test_accepting_creates_the_account_and_membership_and_signs_in(client: Client, organisation: Organisation) -> None:
    invitation, token = make_invitation(
        organisation=organisation, email="nadia@example.org", role=Role.TRAINER, language="es"
    )

    response = client.post(f"/en/accounts/invitation/{token}/", accept_data())

    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    assert user.full_name == "Nadia Newcomer"
    assert user.preferred_language == "es"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).organisation == organisation
    assert Membership.objects.get(user=user).role == Role.TRAINER
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="invitation.accept", actor=user).exists()


def test_new_account_password_works_for_sign_in(organisation: Organisation) -> None:
    _invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")
    Client().post(f"/en/accounts/invitation/{token}/", accept_data())

    response = Client().post("/en/accounts/login/", {"email": "nadia@example.org", "password": NEW_PASSWORD})

    assert response.status_code == 302


def test_doubled_accept_submission_creates_one_user_and_one_membership(
    client: Client, organisation: Organisation
) -> None:
    _invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")
    url = f"/en/accounts/invitation/{token}/"

    first = client.post(url, accept_data())
    second = client.post(url, accept_data())
    third = Client().post(url, accept_data())

    assert first.status_code == 302
    assert second["Location"] == "/en/accounts/profile/"
    assert third["Location"].startswith("/en/accounts/login/")
    assert User.objects.filter(email="nadia@example.org").count() == 1
    assert Membership.objects.filter(user__email="nadia@example.org").count() == 1


def test_the_person_who_just_accepted_is_taken_to_their_profile_on_a_repeat(
    client: Client, organisation: Organisation
) -> None:
    _invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")
    url = f"/en/accounts/invitation/{token}/"
    client.post(url, accept_data())

    again = client.get(url)

    assert again.status_code == 302
    assert again["Location"] == "/en/accounts/profile/"


@pytest.mark.parametrize(
    "mismatch",
    [{"password2": "something-else-entirely"}, {"password1": "short", "password2": "short"}, {"full_name": ""}],
)
def test_invalid_accept_form_creates_nothing(
    client: Client, organisation: Organisation, mismatch: dict[str, str]
) -> None:
    invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")

    response = client.post(f"/en/accounts/invitation/{token}/", accept_data(**mismatch))

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert not User.objects.filter(email="nadia@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def dead_token(kind: str, organisation: Organisation) -> str:
    if kind == "unknown":
        return "this-token-was-never-issued"
    if kind == "huge":
        return "x" * 10_000
    if kind == "expired":
        return make_invitation(organisation=organisation, expires_at=timezone.now() - timedelta(minutes=1))[1]
    return make_invitation(organisation=organisation, revoked_at=timezone.now())[1]


@pytest.mark.parametrize("kind", ["expired", "revoked", "unknown", "huge"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_dead_invitation_links_answer_410_with_a_clear_message(
    client: Client, organisation: Organisation, kind: str, method: str
) -> None:
    token = dead_token(kind, organisation)
    users = User.objects.count()

    response = getattr(client, method)(f"/en/accounts/invitation/{token}/", accept_data())

    assert response.status_code == 410
    assert INVALID in response.text
    assert User.objects.count() == users
    assert not Membership.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(
    client: Client, partner_admin: User, django_capture_on_commit_callbacks
) -> None:
    client.force_login(partner_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(), {"email": "nadia@example.org", "role": Role.OPERATOR})
        client.post(invite_url(), {"email": "nadia@example.org", "role": Role.TRAINER})
    old_link, new_link = (link_path(str(message.body)) for message in mail.outbox)

    assert Client().get(old_link).status_code == 410
    assert Client().get(new_link).status_code == 200


def test_existing_account_accepts_after_signing_in(client: Client, organisation: Organisation) -> None:
    person = UserFactory.create(email="known@example.org")
    _invitation, token = make_invitation(organisation=organisation, email="known@example.org", role=Role.TRAINER)
    url = f"/en/accounts/invitation/{token}/"

    anonymous = client.post(url, accept_data())
    assert anonymous.status_code == 200
    assert not Membership.objects.exists()

    client.force_login(person)
    response = client.post(url)

    assert response.status_code == 302
    assert Membership.objects.get(user=person).role == Role.TRAINER
    assert User.objects.filter(email="known@example.org").count() == 1


def test_invitation_for_someone_else_is_refused_to_a_signed_in_user(client: Client, organisation: Organisation) -> None:
    client.force_login(UserFactory.create(email="intruder@example.org"))
    invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")

    response = client.post(f"/en/accounts/invitation/{token}/")

    assert response.status_code == 200
    assert "This invitation was sent to another email address." in response.text
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_partner_admin_is_offered_only_trainer_and_operator(client: Client, partner_admin: User) -> None:
    client.force_login(partner_admin)

    page = client.get(invite_url()).text

    assert f'value="{Role.OPERATOR}"' in page
    assert f'value="{Role.TRAINER}"' in page
    assert f'value="{Role.COORDINATOR}"' not in page
    assert f'value="{Role.PARTNER_ADMIN}"' not in page


def test_coordinator_is_offered_every_role(client: Client, organisation: Organisation) -> None:
    client.force_login(member(organisation, Role.COORDINATOR))

    page = client.get(invite_url()).text

    for role in Role:
        assert f'value="{role}"' in page


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_ADMIN])
def test_partner_admin_cannot_forge_a_higher_role(
    client: Client, partner_admin: User, role: str, django_capture_on_commit_callbacks
) -> None:
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), {"email": "boss@example.org", "role": role})

    assert response.status_code in {200, 403}
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_service_refuses_a_role_the_inviter_cannot_grant(
    partner_admin: User, organisation: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            organisation=organisation,
            email="boss@example.org",
            role=Role.COORDINATOR,
            invited_by=partner_admin,
            language="en",
        )
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_gives_a_form_error(
    client: Client, partner_admin: User, organisation: Organisation, django_capture_on_commit_callbacks
) -> None:
    existing = member(organisation, Role.OPERATOR, email="already@example.org")
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), {"email": existing.email.upper(), "role": Role.TRAINER})

    assert response.status_code == 200
    assert "This person is already a member of the organisation." in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


HUGE = "x" * 10_000


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "", "role": ""},
        {"email": "not-an-email", "role": Role.OPERATOR},
        {"email": "nadia@", "role": Role.OPERATOR},
        {"email": HUGE + "@example.org", "role": Role.OPERATOR},
        {"email": "nadia@example.org", "role": HUGE},
        {"email": "<script>alert(1)</script>@example.org", "role": Role.OPERATOR},
        {"email": "x'; DROP TABLE accounts_user; --@example.org", "role": Role.OPERATOR},
        {"email": "nadia@example.org", "role": "operator' OR '1'='1"},
        {"email": "nadia@example.org", "role": "<script>alert(1)</script>"},
    ],
    ids=[
        "missing",
        "empty",
        "malformed",
        "no-domain",
        "huge-email",
        "huge-role",
        "script-email",
        "sql-email",
        "sql-role",
        "script-role",
    ],
)
def test_bad_invitation_input_gives_an_error_and_writes_nothing(
    client: Client, partner_admin: User, data: dict[str, str], django_capture_on_commit_callbacks
) -> None:
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), data)

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert "<script>alert(1)" not in response.text
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation.create").exists()
    assert mail.outbox == []


def test_unusual_but_valid_address_is_stored_exactly(
    client: Client, partner_admin: User, django_capture_on_commit_callbacks
) -> None:
    address = "o'brien+drop-table--@example.org"
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), {"email": address, "role": Role.OPERATOR})

    assert response.status_code == 302
    assert Invitation.objects.get().email == address
    assert User.objects.count() == 1
    assert mail.outbox[0].to == [address]


def test_revoking_an_invitation_kills_its_link(client: Client, partner_admin: User, organisation: Organisation) -> None:
    invitation, token = make_invitation(organisation=organisation)
    client.force_login(partner_admin)

    response = client.post(f"/en/organisations/alpha/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 302
    assert Client().get(f"/en/accounts/invitation/{token}/").status_code == 410
    assert AuditEvent.objects.filter(action="invitation.revoke", actor=partner_admin).count() == 1


def test_revoke_answers_only_post(client: Client, partner_admin: User, organisation: Organisation) -> None:
    invitation, _token = make_invitation(organisation=organisation)
    client.force_login(partner_admin)

    response = client.get(f"/en/organisations/alpha/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_pending_invitations_show_on_the_member_list(
    client: Client, partner_admin: User, organisation: Organisation
) -> None:
    pending, _token = make_invitation(organisation=organisation, email="pending@example.org")
    make_invitation(organisation=organisation, email="gone@example.org", revoked_at=timezone.now())
    client.force_login(partner_admin)

    page = client.get("/en/organisations/alpha/members/").text

    assert pending.email in page
    assert "gone@example.org" not in page


def test_signed_in_invitee_is_offered_a_one_click_accept(client: Client, organisation: Organisation) -> None:
    person = UserFactory.create(email="known@example.org")
    _invitation, token = make_invitation(organisation=organisation, email="known@example.org")
    client.post("/en/accounts/login/", {"email": person.email, "password": PASSWORD})

    page = client.get(f"/en/accounts/invitation/{token}/")

    assert page.status_code == 200
    assert "Accept the invitation" in page.text


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_parallel_accept_submissions_create_one_user_and_one_membership() -> None:
    organisation = OrganisationFactory.create()
    _invitation, token = make_invitation(organisation=organisation, email="nadia@example.org")
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(Client().post(f"/en/accounts/invitation/{token}/", accept_data()).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(statuses) == 4
    assert statuses.count(302) >= 1
    assert User.objects.filter(email="nadia@example.org").count() == 1
    assert Membership.objects.filter(user__email="nadia@example.org").count() == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_ADMIN])
def test_partner_admin_cannot_withdraw_an_invitation_to_a_higher_role(
    client: Client, partner_admin: User, organisation: Organisation, role: str
) -> None:
    invitation, token = make_invitation(organisation=organisation, role=role)
    client.force_login(partner_admin)

    response = client.post(f"/en/organisations/alpha/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Client().get(f"/en/accounts/invitation/{token}/").status_code == 200


def test_partner_admin_cannot_replace_an_invitation_to_a_higher_role(
    client: Client, partner_admin: User, organisation: Organisation, django_capture_on_commit_callbacks
) -> None:
    senior, token = make_invitation(organisation=organisation, email="future.boss@example.org", role=Role.PARTNER_ADMIN)
    client.force_login(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), {"email": "future.boss@example.org", "role": Role.OPERATOR})

    assert response.status_code == 200
    assert "This person already has an invitation that only a coordinator can change." in unescape(response.text)
    assert list(Invitation.objects.values_list("pk", flat=True)) == [senior.pk]
    assert mail.outbox == []
    assert Client().get(f"/en/accounts/invitation/{token}/").status_code == 200
