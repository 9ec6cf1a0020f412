"""Two partner organisations with one person per role each and an object of every kind on both sides.

"Own" objects belong to organisation A (where the signed-in people work, or to the migrant's own
journey); "other" objects belong to organisation B. The permission matrix asks every URL for both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import Client

from micro.accounts.models import Membership, Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, make_invitation, member
from micro.events.tests.factories import EventFactory, register
from micro.learning import services as learning_services
from micro.learning.models import Cohort, CohortSession, SessionKind
from micro.learning.tests.factories import World, build_world
from micro.pathway.content import content_import
from micro.pathway.models import Journey
from micro.pathway.services import share_create
from micro.pathway.tests.conftest import build_pack
from micro.plans.tests.factories import bind, make_journey, worked_plan
from micro.practices.models import Status
from micro.practices.tests.factories import draft, quick

ROLES = ("anonymous", "operator", "trainer", "partner_admin", "coordinator", "migrant")
ABSENT = 999_999


@dataclass
class Side:
    """The objects of one organisation (or one journey)."""

    organisation: Organisation
    membership: Membership
    invitation_id: int
    invitation_token: str
    event_slug: str
    registration_token: str
    practice_id: int
    practice_slug: str
    cohort_id: int
    cohort_session_id: int
    attempt_id: int
    journey: Journey
    share_id: int


@dataclass
class PermissionWorld:
    own: Side
    other: Side
    users: dict[str, User]
    learning: World
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(raise_request_exception=False)
            if role == "migrant":
                bind(client, self.own.journey)
            elif role != "anonymous":
                client.force_login(self.users[role])
            self.clients[role] = client
        return self.clients[role]


def make_cohort(
    learning: World, trainer: User, learner: User, organisation: Organisation
) -> tuple[Cohort, CohortSession]:
    cohort = Cohort.objects.create(
        course=learning.course,
        name=f"Cohort {organisation.slug}",
        starts_on=dt.date(2026, 1, 10),
        ends_on=dt.date(2026, 3, 10),
    )
    cohort.trainers.add(trainer)
    learning_services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
    session = CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.LIVE,
        title="Kick-off",
        place="Rome",
        starts_at=dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC),
    )
    return cohort, session


def _side(organisation: Organisation, people: dict[str, User], learning: World, claimer: User) -> Side:
    invitation, token = make_invitation(organisation=organisation, email=f"new@{organisation.slug}.example.org")
    event = EventFactory.create(organisation=organisation, slug=f"conference-{organisation.slug}")
    _registration, registration_token = register(event, email=f"guest@{organisation.slug}.example.org")
    practice = draft(people["partner_admin"], organisation)
    public = quick(organisation, title=f"Published practice of {organisation.slug}", status=Status.PUBLISHED)
    cohort, session = make_cohort(learning, people["trainer"], people["operator"], organisation)
    attempt = learning_services.attempt_start(activity=learning.quiz, learner=people["operator"])
    journey = make_journey()
    worked_plan(journey)
    share, _code = share_create(journey=journey, purpose="Preparing my loan request", days=30)
    share.claimed_by = claimer
    share.claimed_organisation_name = organisation.name
    share.claimed_at = share.created_at
    share.save()
    return Side(
        organisation=organisation,
        membership=Membership.objects.get(user=people["operator"], organisation=organisation),
        invitation_id=invitation.pk,
        invitation_token=token,
        event_slug=event.slug,
        registration_token=registration_token,
        practice_id=practice.pk,
        practice_slug=public.slug,
        cohort_id=cohort.pk,
        cohort_session_id=session.pk,
        attempt_id=attempt.pk,
        journey=journey,
        share_id=share.pk,
    )


def build_permission_world(tmp_path: Path) -> PermissionWorld:
    report = content_import(root=build_pack(tmp_path / "content"))
    assert not report.errors, report.errors
    learning = build_world()
    own_org = OrganisationFactory.create(slug="own-partner", name="Own partner")
    other_org = OrganisationFactory.create(slug="other-partner", name="Other partner")
    roles = {
        "operator": Role.OPERATOR,
        "trainer": Role.TRAINER,
        "partner_admin": Role.PARTNER_ADMIN,
        "coordinator": Role.COORDINATOR,
    }
    own_people: dict[str, Any] = {}
    other_people: dict[str, Any] = {}
    for name, role in roles.items():
        extra = {"is_staff": True, "is_superuser": True} if name == "coordinator" else {}
        own_people[name] = member(own_org, role, email=f"{name}@own.example.org", **extra)
        other_people[name] = member(other_org, role, email=f"{name}@other.example.org")
    own = _side(own_org, own_people, learning, claimer=own_people["operator"])
    other = _side(other_org, other_people, learning, claimer=other_people["operator"])
    return PermissionWorld(own=own, other=other, users=own_people, learning=learning)
