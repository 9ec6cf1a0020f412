"""A retried first save (the answer was lost) finds the plan its first try created instead of making a second one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from micro.pathway.models import Journey
from micro.plans.forms import SAVE_KEY_PATTERN
from micro.plans.models import BusinessPlan
from micro.plans.tests.test_saving import LOAN_FORM

pytestmark = pytest.mark.django_db

SECTIONS = "/en/start/plan/sections/"


def _save_key(client: Client, path: str = SECTIONS) -> str:
    match = re.search(r'name="save_key" value="([^"]+)"', client.get(path).content.decode())
    assert match, "the form carries a one-time save key"
    return match.group(1)


def test_every_form_rendering_carries_a_fresh_well_formed_key(client: Client) -> None:
    first, second = _save_key(client), _save_key(client)
    assert first != second
    assert SAVE_KEY_PATTERN.fullmatch(first)
    for page in ("/en/start/plan/budget/", "/en/start/plan/sales/", "/en/start/plan/loan/"):
        assert SAVE_KEY_PATTERN.fullmatch(_save_key(client, page))


def test_a_retried_first_save_from_a_browser_that_lost_the_answer_makes_one_plan() -> None:
    first_try, retry = Client(), Client()  # the retry never got the session cookie of the first try
    key = _save_key(first_try)
    data = {"title": "Kiosk", "summary": "Phone repairs.", "version": "1", "save_key": key}
    assert first_try.post(SECTIONS, data).status_code == 302
    assert retry.post(SECTIONS, data).status_code == 302
    assert BusinessPlan.objects.count() == 1 and Journey.objects.count() == 1
    plan = BusinessPlan.objects.get()
    assert plan.version == 2  # created, then saved once; the retry changed nothing
    assert "Kiosk" in retry.get(SECTIONS).content.decode()  # the retry's session now holds the plan


def test_the_key_works_for_the_input_pages_too() -> None:
    first_try, retry = Client(), Client()
    key = _save_key(first_try, "/en/start/plan/loan/")
    data = {**LOAN_FORM, "version": "1", "save_key": key}
    assert first_try.post("/en/start/plan/loan/", data).status_code == 302
    assert retry.post("/en/start/plan/loan/", data).status_code == 302
    assert BusinessPlan.objects.count() == 1


def test_different_keys_make_different_plans() -> None:
    one, two = Client(), Client()
    for client in (one, two):
        data = {"title": "Kiosk", "version": "1", "save_key": _save_key(client)}
        assert client.post(SECTIONS, data).status_code == 302
    assert BusinessPlan.objects.count() == 2


def test_an_old_key_is_not_honoured_any_more() -> None:
    first_try, later = Client(), Client()
    key = _save_key(first_try)
    first_try.post(SECTIONS, {"title": "Kiosk", "version": "1", "save_key": key})
    BusinessPlan.objects.update(created_at=timezone.now() - timedelta(hours=1))
    later.post(SECTIONS, {"title": "Kiosk", "version": "1", "save_key": key})
    assert BusinessPlan.objects.count() == 2


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short",
        "a" * 20 + "\n",
        "<script>alert(1)</script>",
        "' OR 1=1--",
        "../../etc/passwd",
        "x" * 5000,
        "a\x00" * 10,
        12345,
    ],
)
def test_a_malformed_key_is_ignored_and_the_save_still_happens(client: Client, key: object) -> None:
    response = client.post(SECTIONS, {"title": "Kiosk", "version": "1", "save_key": key})
    assert response.status_code == 302
    plan = BusinessPlan.objects.get()
    assert plan.first_save_key_hash == "" and plan.title == "Kiosk"


def test_a_doubled_submit_with_the_same_key_in_the_same_session_saves_once(client: Client) -> None:
    data = {"title": "Kiosk", "summary": "Phone repairs.", "version": "1", "save_key": _save_key(client)}
    client.post(SECTIONS, data)
    client.post(SECTIONS, data)
    plan = BusinessPlan.objects.get()
    assert plan.version == 2
