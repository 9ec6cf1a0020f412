"""The signed-in user is read in plain SQL (micro/accounts/backends.py) and then is request.user itself
(micro/accounts/middleware.py AuthenticationMiddleware); Django's rules on sessions still hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from micro.accounts import backends
from micro.accounts.middleware import AuthenticationMiddleware
from micro.accounts.models import User
from micro.core.sessions import SessionStore

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password 1"


@pytest.fixture
def user() -> User:
    person = User.objects.create_user(email="reader@example.org", password=PASSWORD, full_name="Amina Reader")
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    return person


def test_the_backend_is_the_only_one() -> None:
    assert settings.AUTHENTICATION_BACKENDS == [backends.PATH]


def test_the_user_read_in_sql_equals_the_orm_one_field_by_field(user: User) -> None:
    expected = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        found = backends.UserBackend().get_user(user.pk)
    assert len(queries) == 1
    assert isinstance(found, User) and found._state.adding is False and found._state.db == "default"
    for field in User._meta.concrete_fields:
        mine, theirs = getattr(found, field.attname), getattr(expected, field.attname)
        assert mine == theirs and type(mine) is type(theirs), field.name
    assert found.last_login is not None and timezone.is_aware(found.last_login)  # a datetime on SQLite too
    assert found.is_active is True and found.is_staff is False  # booleans, not 1 and 0


@pytest.mark.parametrize("user_id", ["", "abc", "1; DROP TABLE accounts_user; --", "<script>", "9" * 40, None, "1.5"])
def test_ids_that_cannot_be_a_users_are_nobody(user: User, user_id: Any) -> None:
    assert backends.UserBackend().get_user(user_id) is None
    assert User.objects.filter(pk=user.pk).exists()


def test_an_unknown_or_inactive_user_is_nobody(user: User) -> None:
    assert backends.UserBackend().get_user(user.pk + 1000) is None
    assert backends.UserBackend().get_user(str(user.pk)) == user  # the session keeps the id as text
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backends.UserBackend().get_user(user.pk) is None


def test_signing_in_stores_this_backend_and_the_user_is_then_the_model_itself(user: User) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == backends.PATH
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert type(response.wsgi_request.user) is User and response.wsgi_request.user == user


def _session_for(user: User, backend_path: str) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend_path
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def test_a_session_of_djangos_own_backend_signs_in_again(user: User) -> None:
    """The one-time effect documented in deploy/README.md: such a session is a visitor's."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = _session_for(user, "django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_changed_password_still_signs_the_session_out(user: User) -> None:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = _session_for(user, backends.PATH)
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.set_password("another long password 2")
    user.save()
    assert client.get(reverse("accounts:profile")).status_code == 302


def _request_with_session(session: SessionBase) -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = session
    AuthenticationMiddleware(lambda _request: HttpResponse()).process_request(request)
    return request


def test_the_lazy_user_is_replaced_by_the_user_once_read(user: User) -> None:
    session = SessionStore(_session_for(user, backends.PATH))
    request = _request_with_session(session)
    assert isinstance(request.__dict__["user"], SimpleLazyObject)  # nothing read yet
    assert request.user.is_authenticated
    assert type(request.__dict__["user"]) is User and request.user == user


def test_a_login_during_the_request_keeps_its_own_user(user: User) -> None:
    request = _request_with_session(SessionStore())
    proxy = request.user
    login(request, user, backend=backends.PATH)
    signed_in = request.user
    assert proxy.is_authenticated  # read late, from the session login() just wrote
    assert request.user is signed_in  # not overwritten by the late read


def test_a_visitor_stays_anonymous(user: User) -> None:
    request = _request_with_session(SessionStore())
    assert not request.user.is_authenticated
    assert isinstance(request.__dict__["user"], AnonymousUser)


def test_the_active_roles_come_in_the_same_statement(user: User) -> None:
    from micro.accounts.models import Membership, Organisation, Role
    from micro.accounts.permissions import active_roles

    rome = Organisation.objects.create(name="Rome", slug="rome", country="IT")
    leipzig = Organisation.objects.create(name="Leipzig", slug="leipzig", country="DE")
    madrid = Organisation.objects.create(name="Madrid", slug="madrid", country="ES")
    Membership.objects.create(user=user, organisation=rome, role=Role.TRAINER)
    Membership.objects.create(user=user, organisation=leipzig, role=Role.OPERATOR)
    Membership.objects.create(user=user, organisation=madrid, role=Role.OPERATOR, is_active=False)
    with CaptureQueriesContext(connection) as queries:
        found = backends.UserBackend().get_user(user.pk)
        roles = active_roles(found)
    assert len(queries) == 1
    assert roles == {rome.pk: Role.TRAINER, leipzig.pk: Role.OPERATOR}
    assert not hasattr(found, "_membership_role")


def test_a_user_without_membership_has_no_roles_and_one_instance(user: User) -> None:
    from micro.accounts.permissions import active_roles

    found = backends.UserBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert active_roles(found) == {}
    assert len(queries) == 0
