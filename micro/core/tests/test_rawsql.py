"""micro.core.rawsql.select_instances gives the same instances as the ORM, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from micro.accounts.models import User
from micro.core.rawsql import select_instances

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[User]:
    return [
        User.objects.create_user(email=f"p{n}@example.org", password="a long enough password 1", is_staff=n == 1)
        for n in range(3)
    ]


def test_rows_become_model_instances_with_converted_values(people: list[User]) -> None:
    with CaptureQueriesContext(connection) as queries:
        found = select_instances(
            User,
            alias="u",
            where="u.email LIKE %s",
            params=["p%@example.org"],
            extra=[("doubled", "u.id * 2")],
            order_by="u.email DESC",
        )
    assert len(queries) == 1
    assert [person.email for person in found] == ["p2@example.org", "p1@example.org", "p0@example.org"]
    for person in found:
        expected = User.objects.get(pk=person.pk)
        for field in User._meta.concrete_fields:
            assert getattr(person, field.attname) == getattr(expected, field.attname), field.name
        assert type(person.date_joined) is type(expected.date_joined)
        assert person.doubled == person.pk * 2
    assert [person.is_staff for person in found] == [False, True, False]


def test_values_are_parameters_never_sql(people: list[User]) -> None:
    hostile = "x' OR '1'='1"
    assert select_instances(User, alias="u", where="u.email = %s", params=[hostile]) == []
    assert User.objects.count() == 3


def test_no_row_is_an_empty_list() -> None:
    assert select_instances(User, alias="u", where="u.id = %s", params=[1]) == []
