"""The cached two-factor all-clear gives no grace period when someone else changes what a user needs.

Real locmem cache, real views, real commit hooks (run through django_capture_on_commit_callbacks,
since a test's transaction never commits).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts import middleware, selectors, services
from micro.accounts.models import Membership, Organisation, Role, User
from micro.accounts.tests.factories import (
    OrganisationFactory,
    UserFactory,
    confirmed_device,
    make_invitation,
    member,
)

pytestmark = pytest.mark.django_db

PAGE = "/en/about/"
TWO_FACTOR = "/en/accounts/two-factor/"
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory.create(name="Alpha", slug="alpha")


@pytest.fixture
def coordinator() -> User:
    return member(OrganisationFactory.create(name="Coordination", slug="coordination"), Role.COORDINATOR)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    """What the end of the outermost transaction does in production: run the commit hooks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def browse(client: Client) -> None:
    """Two ordinary page views: the first checks and caches the all-clear, the second uses it."""
    assert client.get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(PAGE).status_code == 200
    assert not two_factor_queries(second)


def two_factor_queries(captured: CaptureQueriesContext) -> list[str]:
    """The middleware's check (selectors.user_must_set_up_two_factor), not a page listing organisations."""
    return [
        sql
        for sql in (query["sql"] for query in captured.captured_queries)
        if "otp_totp" in sql
        or (sql.startswith('SELECT 1 AS "a" FROM "accounts_membership"') and "require_two_factor" in sql)
    ]


def member_with_a_dormant_strict_membership(organisation: Organisation) -> tuple[User, Membership]:
    """An operator of another organisation with an inactive membership in ``organisation``, which requires 2FA."""
    organisation.require_two_factor = True
    organisation.save()
    operator = member(OrganisationFactory.create(name="Beta", slug="beta"), Role.OPERATOR)
    strict = Membership.objects.create(user=operator, organisation=organisation, role=Role.OPERATOR, is_active=False)
    return operator, strict


def sent_to_set_up(client: Client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response["Location"] == TWO_FACTOR


def test_the_second_page_view_costs_no_two_factor_query(organisation: Organisation) -> None:
    client = signed_in(member(organisation, Role.OPERATOR))

    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as second:
        client.get(PAGE)

    assert len(two_factor_queries(first)) == 1
    assert two_factor_queries(second) == []
    # The first view may also read the "two-factor" revision (once a second per worker).
    assert len(second.captured_queries) in (len(first.captured_queries) - 1, len(first.captured_queries) - 2)


def test_policy_switched_on_by_a_coordinator_applies_at_the_next_request_in_every_session(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator = member(organisation, Role.OPERATOR)
    laptop, phone = signed_in(operator), signed_in(operator)
    browse(laptop)
    browse(phone)

    with commit():
        services.organisation_set_two_factor(organisation=organisation, required=True, actor=coordinator)

    assert sent_to_set_up(laptop)
    assert sent_to_set_up(phone)


def test_policy_switched_on_through_the_members_page_applies_at_once(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator = signed_in(member(organisation, Role.OPERATOR))
    browse(operator)

    with commit():
        response = signed_in(coordinator).post("/en/organisations/alpha/members/", {"require_two_factor": "on"})

    assert response.status_code == 302
    assert sent_to_set_up(operator)


def test_a_doubled_policy_submission_still_applies(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator = signed_in(member(organisation, Role.OPERATOR))
    browse(operator)

    for _attempt in range(2):
        with commit():
            services.organisation_set_two_factor(organisation=organisation, required=True, actor=coordinator)

    assert sent_to_set_up(operator)
    assert sent_to_set_up(operator)


def test_members_of_another_organisation_stay_signed_in_and_pay_one_check_at_most(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    """Another organisation's policy change voids every all-clear through the shared "two-factor"
    revision (other workers cannot tell whose changed): the outsider pays one check, then none."""
    outsider = signed_in(member(OrganisationFactory.create(name="Beta", slug="beta"), Role.OPERATOR))
    browse(outsider)

    with commit():
        services.organisation_set_two_factor(organisation=organisation, required=True, actor=coordinator)
    with CaptureQueriesContext(connection) as after:
        response = outsider.get(PAGE)
    with CaptureQueriesContext(connection) as later:
        outsider.get(PAGE)

    assert response.status_code == 200
    assert len(two_factor_queries(after)) <= 1
    assert two_factor_queries(later) == []


def test_membership_switched_on_in_a_strict_organisation_applies_at_once(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator, strict = member_with_a_dormant_strict_membership(organisation)
    client = signed_in(operator)
    browse(client)

    with commit():
        services.membership_update(membership=strict, role=Role.TRAINER, is_active=True, actor=coordinator)

    assert sent_to_set_up(client)


def test_membership_switched_on_through_the_edit_page_applies_at_once(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator, strict = member_with_a_dormant_strict_membership(organisation)
    client = signed_in(operator)
    browse(client)

    with commit():
        response = signed_in(coordinator).post(
            f"/en/organisations/alpha/members/{strict.pk}/", {"role": Role.OPERATOR, "is_active": "on"}
        )

    assert response.status_code == 302
    assert sent_to_set_up(client)


def test_accepting_an_invitation_to_a_strict_organisation_applies_to_the_other_sessions(
    organisation: Organisation, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    person = member(OrganisationFactory.create(name="Beta", slug="beta"), Role.OPERATOR)
    _invitation, token = make_invitation(organisation=organisation, email=person.email, role=Role.TRAINER)
    phone = signed_in(person)
    browse(phone)

    with commit():
        services.invitation_accept(token=token, user=person)

    assert sent_to_set_up(phone)


def test_removing_the_only_device_while_the_policy_requires_one_applies_at_once(
    organisation: Organisation, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    operator = member(organisation, Role.OPERATOR)
    confirmed_device(operator)
    client = signed_in(operator)
    browse(client)

    with commit():
        services.totp_device_remove(user=operator)

    assert sent_to_set_up(client)


def test_reactivating_an_account_drops_its_all_clear(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator = member(organisation, Role.OPERATOR)
    client = signed_in(operator)
    browse(client)
    # A policy written past the services (a loader, the shell) waits for CLEAR_SECONDS ...
    Organisation.objects.filter(pk=organisation.pk).update(require_two_factor=True)
    assert client.get(PAGE).status_code == 200

    # ... but any service touching the account renews the version.
    with commit():
        services.user_set_active(user=operator, is_active=True, actor=coordinator)

    assert sent_to_set_up(client)


def test_the_version_is_renewed_only_when_the_change_commits(
    organisation: Organisation, coordinator: User, django_capture_on_commit_callbacks: Commit
) -> None:
    user = member(organisation, Role.OPERATOR)
    operator = signed_in(user)
    browse(operator)
    version_key = selectors.two_factor_version_cache_key(user.pk)
    token = cache.get(version_key)
    with django_capture_on_commit_callbacks() as hooks:
        services.organisation_set_two_factor(organisation=organisation, required=True, actor=coordinator)

    # Not committed yet: the token is still the old one (another worker reading the old rows now
    # could still cache an all-clear with it) ...
    assert cache.get(version_key) == token
    for hook in hooks:
        hook()
    # ... and the commit replaces it, voiding what was cached meanwhile.
    assert cache.get(version_key) != token
    assert sent_to_set_up(operator)


def test_a_lost_version_token_trusts_no_all_clear(organisation: Organisation) -> None:
    operator = member(organisation, Role.OPERATOR)
    client = signed_in(operator)
    browse(client)
    Organisation.objects.filter(pk=organisation.pk).update(require_two_factor=True)

    cache.delete(selectors.two_factor_version_cache_key(operator.pk))  # evicted by the cache

    assert sent_to_set_up(client)


@pytest.mark.parametrize("forged", [True, "", None, 0, "x" * 10_000])
def test_a_forged_all_clear_without_the_current_token_is_not_trusted(organisation: Organisation, forged: Any) -> None:
    organisation.require_two_factor = True
    organisation.save()
    operator = member(organisation, Role.OPERATOR)
    client = signed_in(operator)
    session_key = client.session.session_key
    assert session_key
    cache.set(middleware.all_clear_cache_key(session_key, operator.pk), forged)

    assert sent_to_set_up(client)


# ---- the Django admin -------------------------------------------------------------------------


@pytest.fixture
def superuser_client() -> Client:
    return signed_in(UserFactory.create(is_staff=True, is_superuser=True))


def organisation_form(organisation: Organisation, **changes: str) -> dict[str, str]:
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "country": organisation.country,
        "city": organisation.city,
        "website": organisation.website,
        "description": organisation.description,
        "is_partner": "on" if organisation.is_partner else "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_policy_switched_on_in_the_admin_applies_at_once(
    organisation: Organisation, superuser_client: Client, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator = signed_in(member(organisation, Role.OPERATOR))
    browse(operator)

    with commit():
        response = superuser_client.post(
            f"/en/admin/accounts/organisation/{organisation.pk}/change/",
            organisation_form(organisation, require_two_factor="on"),
        )

    assert response.status_code == 302, response.content[:2000]
    organisation.refresh_from_db()
    assert organisation.require_two_factor
    assert sent_to_set_up(operator)


def test_device_deleted_in_the_admin_applies_at_once(
    organisation: Organisation, superuser_client: Client, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    organisation.require_two_factor = True
    organisation.save()
    operator = member(organisation, Role.OPERATOR)
    device = confirmed_device(operator)
    client = signed_in(operator)
    browse(client)

    with commit():
        response = superuser_client.post(f"/en/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert sent_to_set_up(client)


def test_membership_switched_on_in_the_user_admin_applies_at_once(
    organisation: Organisation, superuser_client: Client, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    operator, strict = member_with_a_dormant_strict_membership(organisation)
    relaxed = Membership.objects.get(user=operator, is_active=True)
    client = signed_in(operator)
    browse(client)
    inline = "memberships"
    data = {
        "email": operator.email,
        "full_name": operator.full_name,
        "preferred_language": "en",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        f"{inline}-TOTAL_FORMS": "2",
        f"{inline}-INITIAL_FORMS": "2",
        f"{inline}-MIN_NUM_FORMS": "0",
        f"{inline}-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, membership in enumerate([relaxed, strict]):
        data |= {
            f"{inline}-{index}-id": str(membership.pk),
            f"{inline}-{index}-user": str(operator.pk),
            f"{inline}-{index}-organisation": str(membership.organisation_id),
            f"{inline}-{index}-role": membership.role,
            f"{inline}-{index}-is_active": "on",
        }

    with commit():
        response = superuser_client.post(f"/en/admin/accounts/user/{operator.pk}/change/", data)

    assert response.status_code == 302, response.content[:3000]
    strict.refresh_from_db()
    assert strict.is_active
    assert sent_to_set_up(client)


def test_another_worker_without_a_shared_cache_notices_through_the_database(
    organisation: Organisation, coordinator: User, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    """Without REDIS_URL each worker has its own cache: the new token never reaches the others, so
    the "two-factor" revision in the database (re-read at most once a second) voids their all-clears."""
    from micro.core import revisions

    operator = member(organisation, Role.OPERATOR)
    client = signed_in(operator)
    browse(client)
    version_key = selectors.two_factor_version_cache_key(operator.pk)
    token_in_the_other_worker = cache.get(version_key)

    with commit():
        services.organisation_set_two_factor(organisation=organisation, required=True, actor=coordinator)
    cache.set(version_key, token_in_the_other_worker, selectors.TWO_FACTOR_VERSION_SECONDS)  # not shared
    revisions.forget(revisions.TWO_FACTOR)  # its next read of the database number

    assert sent_to_set_up(client)
