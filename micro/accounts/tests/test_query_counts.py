"""SQL queries per page stay small and do not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, make_invitation, member

pytestmark = pytest.mark.django_db

BOUND = 10


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(slug="alpha")


@pytest.fixture
def partner_admin(organisation: Organisation) -> User:
    return member(organisation, Role.PARTNER_ADMIN)


@pytest.mark.parametrize("path", ["/en/", "/en/about/", "/en/accounts/login/"])
def test_public_pages_stay_under_the_bound(client: Client, django_assert_max_num_queries, path: str) -> None:
    for index in range(6):
        OrganisationFactory.create(name=f"Partner {index}")

    with django_assert_max_num_queries(BOUND):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/en/", "/en/about/", "/en/accounts/profile/", "/en/organisations/alpha/members/"])
def test_signed_in_pages_stay_under_the_bound(
    client: Client, partner_admin: User, django_assert_max_num_queries, path: str
) -> None:
    client.force_login(partner_admin)

    with django_assert_max_num_queries(BOUND):
        assert client.get(path).status_code == 200


def grow_to(organisation: Organisation, members: int) -> None:
    """Members (and as many pending invitations) until ``organisation`` has ``members`` memberships."""
    while organisation.memberships.count() < members:
        member(organisation, Role.OPERATOR)
        make_invitation(organisation=organisation)


def test_member_list_queries_do_not_grow_with_the_members(
    client: Client, partner_admin: User, organisation: Organisation, django_assert_max_num_queries
) -> None:
    client.force_login(partner_admin)
    grow_to(organisation, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/organisations/alpha/members/").status_code == 200
    grow_to(organisation, 30)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/en/organisations/alpha/members/")

    assert len(few.captured_queries) <= BOUND
    assert page.text.count("/members/") >= 30
