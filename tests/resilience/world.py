"""Two partner organisations with one person per role each and an object of every kind on both sides.

"Own" objects belong to organisation A (where the signed-in people work, or to the migrant's own
journey); "other" objects belong to organisation B. The permission matrix asks every URL for both.

On each side the operator is enrolled in the organisation's cohort (trained by its trainer), has
opened a discussion thread on a lesson of it, and holds an issued certificate for the course in
that cohort: progress written through the progress services, the certificate through
``certificate_issue``, as the claim button does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client

from micro.accounts.models import Membership, Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, make_invitation, member
from micro.events.tests.factories import EventFactory, register
from micro.learning import services as learning_services
from micro.learning.models import Activity, Cohort, CohortSession, Lesson, SessionKind
from micro.learning.services.certificates import certificate_issue
from micro.learning.services.discussions import thread_start
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
    certificate_public_id: uuid.UUID
    thread_id: int
    post_id: int
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


def complete_course(learning: World, learner: User) -> None:
    """Read every live lesson of the course and pass every live activity, through the progress
    services (what the certificate's completion rules read). One transaction, as their callers."""
    lessons = Lesson.objects.filter(module__course=learning.course, is_retired=False, module__is_retired=False)
    with transaction.atomic():
        for lesson in lessons:
            learning_services.lesson_mark_read(lesson=lesson, learner=learner)
        for activity in Activity.objects.filter(lesson__in=lessons, is_retired=False):
            learning_services.activity_result_record(
                activity=activity, learner=learner, result_percent=Decimal(80), completed=True, tally=None
            )


def _side(organisation: Organisation, people: dict[str, User], learning: World, claimer: User) -> Side:
    invitation, token = make_invitation(organisation=organisation, email=f"new@{organisation.slug}.example.org")
    event = EventFactory.create(organisation=organisation, slug=f"conference-{organisation.slug}")
    _registration, registration_token = register(event, email=f"guest@{organisation.slug}.example.org")
    practice = draft(people["partner_admin"], organisation)
    public = quick(organisation, title=f"Published practice of {organisation.slug}", status=Status.PUBLISHED)
    cohort, session = make_cohort(learning, people["trainer"], people["operator"], organisation)
    attempt = learning_services.attempt_start(activity=learning.quiz, learner=people["operator"])
    complete_course(learning, people["operator"])
    certificate, _created = certificate_issue(
        learner=people["operator"], course=learning.course, cohort=cohort, issued_by=people["operator"], language="en"
    )
    thread, _created = thread_start(
        cohort=cohort,
        lesson=learning.lesson,
        author=people["operator"],
        title=f"Question of {organisation.slug}",
        body="How do I explain the annual percentage rate to a client?",
    )
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
        certificate_public_id=certificate.public_id,
        thread_id=thread.pk,
        post_id=thread.posts.get().pk,
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
