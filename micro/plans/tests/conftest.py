from __future__ import annotations

import pytest
from django.test import Client

from micro.pathway.models import Journey
from micro.plans.tests.factories import bind, make_journey


@pytest.fixture
def journey(client: Client, db: None) -> Journey:
    """A journey bound to the test client's browser session."""
    return bind(client, make_journey())
