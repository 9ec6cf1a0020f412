"""People and content for the e-learning tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, member
from micro.learning.content import ImportReport, course_import
from micro.learning.tests.factories import World, build_world

SAMPLE_ROOT = Path(django_settings.BASE_DIR) / "content" / "courses"


@pytest.fixture(autouse=True)
def _isolated_media_cache_and_language(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Uploads in a temporary folder, an empty cache, and English URLs from reverse().

    A request in another language leaves that language active in the thread, so without the
    reset a test that follows an Italian page would reverse /it/ addresses.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(slug="rome-partner", name="Rome partner")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory.create(slug="madrid-partner", name="Madrid partner")


@pytest.fixture
def operator(organisation: Organisation) -> User:
    return member(organisation, Role.OPERATOR, email="operator@example.org")


@pytest.fixture
def other_operator(organisation: Organisation) -> User:
    return member(organisation, Role.OPERATOR, email="colleague@example.org")


@pytest.fixture
def far_operator(other_organisation: Organisation) -> User:
    return member(other_organisation, Role.OPERATOR, email="far@example.org")


@pytest.fixture
def trainer(organisation: Organisation) -> User:
    return member(organisation, Role.TRAINER, email="trainer@example.org")


@pytest.fixture
def far_trainer(other_organisation: Organisation) -> User:
    return member(other_organisation, Role.TRAINER, email="far-trainer@example.org")


@pytest.fixture
def coordinator(other_organisation: Organisation) -> User:
    return member(other_organisation, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(operator: User) -> Client:
    return signed_in(operator)


@pytest.fixture
def sample(db: None) -> ImportReport:
    """The real sample course pack (content/courses/micro-sample) imported alone, so the curriculum does not change its numbers."""
    report = course_import(root=SAMPLE_ROOT, only="micro-sample")
    assert not report.errors, report.errors
    return report
