"""The demo loader: refuses to run in production mode, creates the partners and accounts once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from micro.accounts.demo import DEMO_USERS, PARTNERS
from micro.accounts.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), User.objects.count(), Membership.objects.count()


def test_demo_loader_refuses_to_run_with_debug_off() -> None:
    assert settings.DEBUG is False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_load", stdout=StringIO())

    assert counts() == (0, 0, 0)


@override_settings(DEBUG=True)
def test_demo_loader_creates_the_six_partners_and_six_accounts_once() -> None:
    call_command("demo_load", stdout=StringIO())
    first = counts()
    call_command("demo_load", stdout=StringIO())

    assert counts() == first
    assert first[0] == 6
    assert set(Organisation.objects.values_list("slug", flat=True)) == {slug for slug, *_rest in PARTNERS}
    # Only the published demo accounts can sign in; the other operators of the pilot cohort
    # (micro/learning/demo.py) exist for the trainer's dashboard and have no usable password.
    can_sign_in = {user.email for user in User.objects.all() if user.has_usable_password()}
    assert can_sign_in == {email for email, *_rest in DEMO_USERS}
    assert User.objects.get(email="coordinator@demo.micro.example").is_staff


@override_settings(DEBUG=True)
def test_demo_password_signs_in() -> None:
    call_command("demo_load", stdout=StringIO())

    response = Client().post(
        "/en/accounts/login/", {"email": "operator@demo.micro.example", "password": settings.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/it/accounts/profile/"


@override_settings(DEBUG=True)
def test_demo_loader_restores_a_changed_demo_role() -> None:
    call_command("demo_load", stdout=StringIO())
    Membership.objects.filter(user__email="partner@demo.micro.example").update(role="operator", is_active=False)

    call_command("demo_load", stdout=StringIO())

    membership = Membership.objects.get(user__email="partner@demo.micro.example")
    assert (membership.role, membership.is_active) == ("partner_admin", True)
