"""audit_record appends one row that says who did what to which object, when and from where."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from micro.core.models import AuditEvent
from micro.core.services import audit_record, client_ip

pytestmark = pytest.mark.django_db


def test_audit_record_writes_one_row_with_actor_object_and_address(rf: RequestFactory) -> None:
    user = get_user_model().objects.create_user(email="auditor@example.org", password="x")
    request = rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Tester/1.0")
    request.user = user

    event = audit_record(action="case.read", obj=user, organisation_id=7, request=request, detail={"field": "phone"})

    assert AuditEvent.objects.count() == 1
    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk
    assert stored.actor == user
    assert stored.actor_label == "auditor@example.org"
    assert stored.action == "case.read"
    assert (stored.object_type, stored.object_id, stored.object_label) == ("accounts.user", str(user.pk), str(user))
    assert stored.organisation_id == 7
    assert stored.ip_address == "198.51.100.4"
    assert stored.user_agent == "Tester/1.0"
    assert stored.detail == {"field": "phone"}
    assert stored.created_at is not None
    assert "case.read" in str(stored)


def test_audit_record_without_a_signed_in_user_is_anonymous(rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="2001:db8::1")
    request.user = AnonymousUser()

    event = audit_record(action="page.view", request=request)

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.ip_address == "2001:db8::1"
    assert (event.object_type, event.object_id) == ("", "")


def test_audit_record_trims_oversized_values(rf: RequestFactory) -> None:
    request = rf.get("/", HTTP_USER_AGENT="A" * 5_000)
    request.user = AnonymousUser()

    event = audit_record(action="x" * 500, request=request)

    event.refresh_from_db()
    assert len(event.action) == 64
    assert len(event.user_agent) == 300


def test_audit_record_without_a_request_has_no_address() -> None:
    event = audit_record(action="task.run")

    event.refresh_from_db()
    assert event.ip_address is None
    assert event.user_agent == ""


def test_audit_row_survives_the_deletion_of_its_actor() -> None:
    user = get_user_model().objects.create_user(email="leaver@example.org", password="x")
    event = audit_record(action="profile.update", actor=user, obj=user)

    user.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "leaver@example.org"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "198.51.100.4"}, "198.51.100.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 127.0.0.1"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.1, 203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "198.51.100.4"),
        ({"REMOTE_ADDR": "198.51.100.4", "HTTP_X_REAL_IP": "203.0.113.9"}, "198.51.100.4"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"}, "127.0.0.1"),
        ({"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
        ({"REMOTE_ADDR": ""}, None),
        ({"REMOTE_ADDR": "not-an-address"}, None),
    ],
)
def test_client_ip_believes_forwarded_headers_only_from_the_proxy(
    rf: RequestFactory, meta: dict[str, str], expected: str | None
) -> None:
    request = rf.get("/")
    request.META.update(meta)

    assert client_ip(request) == expected


def test_client_ip_follows_the_trusted_proxies_setting(rf: RequestFactory, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "127.0.0.1"


def test_audit_record_keeps_working_with_a_garbled_peer_address(rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="unix:/run/gunicorn.sock")
    request.user = AnonymousUser()

    event = audit_record(action="page.view", request=request)

    assert event.ip_address is None
