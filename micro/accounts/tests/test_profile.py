"""Profile: name and language, the UI following the language, hostile and oversized input."""

from __future__ import annotations

from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from micro.accounts.models import Role, User
from micro.accounts.tests.factories import OrganisationFactory, UserFactory, member
from micro.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PROFILE = "/en/accounts/profile/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def user() -> User:
    return UserFactory.create(full_name="Old Name", preferred_language="en")


def test_profile_needs_sign_in(client: Client) -> None:
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={PROFILE}"


def test_updating_name_and_language_switches_the_interface(client: Client, user: User) -> None:
    client.force_login(user)

    response = client.post(PROFILE, {"full_name": "  Nadia Nuova  ", "preferred_language": "it"})

    assert response.status_code == 302
    assert response["Location"] == "/it/accounts/profile/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Nadia Nuova", "it")
    assert AuditEvent.objects.filter(action="profile.update", actor=user).count() == 1

    page = client.get(response["Location"])

    with translation.override("it"):
        saved = gettext("Your profile is saved.")
    assert 'lang="it"' in page.text
    assert saved in unescape(page.text)


def test_arabic_profile_is_right_to_left(client: Client, user: User) -> None:
    client.force_login(user)

    response = client.post(PROFILE, {"full_name": user.full_name, "preferred_language": "ar"}, follow=True)

    assert response.redirect_chain[-1][0] == "/ar/accounts/profile/"
    assert '<html lang="ar" dir="rtl">' in response.text


def test_hostile_name_is_stored_as_typed_and_rendered_escaped(client: Client, user: User) -> None:
    organisation = OrganisationFactory.create(slug="alpha")
    user.memberships.create(organisation=organisation, role=Role.OPERATOR)
    admin = member(organisation, Role.PARTNER_ADMIN)
    client.force_login(user)

    client.post(PROFILE, {"full_name": HOSTILE, "preferred_language": "en"})

    user.refresh_from_db()
    assert user.full_name == HOSTILE
    own_page = client.get(PROFILE).text
    client.force_login(admin)
    members_page = client.get("/en/organisations/alpha/members/").text
    for page in (own_page, members_page):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_empty_name_is_allowed_and_the_email_stands_in(client: Client, user: User) -> None:
    client.force_login(user)

    response = client.post(PROFILE, {"full_name": "   ", "preferred_language": "en"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == ""
    assert str(user) == user.email


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "x" * 10_000, "preferred_language": "it"},
        {"full_name": "Nadia", "preferred_language": "xx"},
        {"full_name": "Nadia", "preferred_language": "x" * 10_000},
        {"full_name": "Nadia\x00Null", "preferred_language": "it"},
        {"full_name": "Nadia"},
        {},
    ],
    ids=["huge-name", "unknown-language", "huge-language", "null-byte", "no-language", "nothing"],
)
def test_bad_profile_input_gives_an_error_and_saves_nothing(client: Client, user: User, data: dict[str, str]) -> None:
    client.force_login(user)

    response = client.post(PROFILE, data)

    assert response.status_code == 200
    assert 'class="error"' in response.text
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Old Name", "en")
    assert not AuditEvent.objects.filter(action="profile.update").exists()


def test_profile_lists_active_memberships_only(client: Client, user: User) -> None:
    active = OrganisationFactory.create(name="Active Partner")
    former = OrganisationFactory.create(name="Former Partner")
    user.memberships.create(organisation=active, role=Role.TRAINER)
    user.memberships.create(organisation=former, role=Role.TRAINER, is_active=False)
    client.force_login(user)

    page = client.get(PROFILE).text

    assert "Active Partner" in page
    assert "Former Partner" not in page


def test_language_options_carry_their_own_lang_attribute() -> None:
    from micro.accounts.forms import ProfileForm

    html = str(ProfileForm()["preferred_language"])
    assert 'value="ar" lang="ar"' in html
    assert 'value="it" lang="it"' in html
