"""The large data set of the benchmark: journeys with plans, learners with attempts, practices,
registrations, and a few certificates.

Everything is written with ``bulk_create`` in batches (no services, no audit rows, no e-mails), so
10,000 journeys and 20,000 registrations take seconds, not minutes. Rows are additive and carry
unique, generated keys: running it twice doubles the data instead of failing. The exception is the
handful of certificates: they are issued by the certificate service itself (signed credential,
audit row, xAPI statement), after the completion records it reads are written in bulk, so that
``bench.work`` times the PDF of a real certificate. Each run certifies learners who have none yet.

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... .venv/bin/python -m bench.generate \
        --journeys 10000 --learners 2000 --practices 5000 --registrations 20000 --certificates 5 \
        --sessions 200 --sessions-file /tmp/sessions.json

The sessions are real server-side sessions of bench learners (operators), so that the load test
does not spend its time in Argon2 sign-ins; they must be made with the SECRET_KEY of the server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BATCH = 2000
BENCH_ORGANISATION_SLUG = "bench-partner"
BENCH_EVENT_SLUG = "bench-open"  # the conference the load test registers for (no real limit)
ARCHIVE_EVENT_COUNT = 4
LEARNER_EMAIL = "bench-learner-{n}@bench.micro.example"
# Certificates alternate these languages, so the PDF is timed left to right and right to left.
CERTIFICATE_LANGUAGES = ("en", "ar")
# Where certificates are signed when the configured key is missing and may not be generated (the
# bench runs with production settings on a machine that has no production key). Ignored by git.
BENCH_SIGNING_KEY_PATH = ROOT / "bench" / "tmp" / "certificate-signing-key.pem"


@dataclass
class Scale:
    """How many rows of each kind to add."""

    journeys: int = 10_000
    learners: int = 2_000
    practices: int = 5_000
    registrations: int = 20_000
    certificates: int = 5

    def validate(self) -> None:
        for name, value in asdict(self).items():
            if not 0 <= value <= 1_000_000:
                raise ValueError(f"{name} must be between 0 and 1,000,000, not {value}")


@dataclass
class Generated:
    """What was written, and how long each part took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _timed(result: Generated, name: str, work: Any) -> None:
    started = time.perf_counter()
    result.counts[name] = work()
    result.seconds[name] = round(time.perf_counter() - started, 3)


def bench_organisation() -> Any:
    from micro.accounts.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        slug=BENCH_ORGANISATION_SLUG,
        defaults={"name": "Bench partner (generated)", "country": "IT", "require_two_factor": False},
    )
    return organisation


def add_journeys(count: int) -> int:
    """Anonymous journeys at different points of the path, each with a worked business plan."""
    from micro.pathway.models import Journey, PathCountry, Step
    from micro.plans.models import BusinessPlan
    from micro.plans.tests.factories import WORKED_BUDGET, WORKED_LOAN, WORKED_SALES

    step_keys = [f"{stage}/{step}" for stage, step in Step.objects.values_list("stage__slug", "slug")] or ["a/b"]
    countries = list(PathCountry.values)
    languages = ["it", "en", "ar", "uk", "fr", "es", "de", "ro", "tr", "nl"]
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        journeys = [
            Journey(
                code_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                language=languages[(written + i) % len(languages)],
                country=countries[(written + i) % len(countries)],
                readiness={"idea": 3, "money": 2},
                answers={"01-idea/01-your-idea": {"idea_summary": f"Business idea {written + i}"}},
                completed_steps=step_keys[: (written + i) % len(step_keys)],
            )
            for i in range(size)
        ]
        Journey.objects.bulk_create(journeys)
        BusinessPlan.objects.bulk_create(
            BusinessPlan(
                journey=journey,
                title=f"Bench business {written + i}",
                sections={"summary": "A small bakery with a delivery service."},
                inputs={"budget": WORKED_BUDGET, "sales": WORKED_SALES, "loan": WORKED_LOAN},
            )
            for i, journey in enumerate(journeys)
        )
        written += size
    return written


def add_learners(count: int) -> int:
    """Operators of the bench partner, each with lesson progress and one or two finished quiz attempts."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from micro.accounts.models import Membership, Role, User
    from micro.learning.models import Activity, ActivityProgress, Attempt, Lesson, LessonProgress
    from micro.learning.models.activities import ActivityKind
    from micro.learning.models.records import AttemptStatus
    from micro.learning.scoring import draw_questions
    from micro.learning.selectors.activities import question_pools

    organisation = bench_organisation()
    now = timezone.now()
    unusable = make_password(None)  # nobody signs in with a password: the load test uses ready sessions
    quizzes = [(quiz, question_pools(quiz)) for quiz in Activity.objects.filter(kind=ActivityKind.QUIZ)]
    lessons = list(Lesson.objects.values_list("pk", flat=True))
    start = User.objects.filter(email__startswith="bench-learner-").count()
    written = 0
    while written < count:
        size = min(BATCH // 2, count - written)
        users = User.objects.bulk_create(
            User(
                email=LEARNER_EMAIL.format(n=start + written + i),
                full_name=f"Bench learner {start + written + i}",
                password=unusable,
            )
            for i in range(size)
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=Role.OPERATOR) for user in users
        )
        LessonProgress.objects.bulk_create(
            LessonProgress(learner=user, lesson_id=lesson_id, read_at=now)
            for index, user in enumerate(users)
            for lesson_id in lessons[: 1 + index % max(len(lessons), 1)]
        )
        attempts = []
        progress = []
        for index, user in enumerate(users):
            for quiz, pools in quizzes:
                tries = 1 + index % 2
                for number in range(1, tries + 1):
                    seed = secrets.randbits(48)
                    percent = Decimal((index * 7 + number * 13) % 101)
                    attempts.append(
                        Attempt(
                            activity=quiz,
                            learner=user,
                            number=number,
                            seed=seed,
                            question_ids=draw_questions(pools, seed),
                            status=AttemptStatus.SUBMITTED,
                            finished_at=now,
                            points=percent / 10,
                            max_points=Decimal(10),
                            percent=percent,
                            passed=percent >= quiz.pass_percent,
                        )
                    )
                progress.append(ActivityProgress(activity=quiz, learner=user, tries=tries, best_percent=percent))
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        ActivityProgress.objects.bulk_create(progress, batch_size=BATCH)
        written += size
    return written


def certified_course() -> Any:
    """The course the bench certifies: the first published course that has a live lesson."""
    from micro.learning.models import Course

    live = Course.objects.filter(
        is_published=True, modules__is_retired=False, modules__lessons__is_retired=False
    ).distinct()
    return live.order_by("order", "slug").first()


def signing_settings() -> dict[str, Any]:
    """Settings to sign certificates with: none when the configured key is usable; else a key of the
    bench's own (generated once in ``BENCH_SIGNING_KEY_PATH``). The timed PDF reads the stored
    credential and checks no signature, so the measurement is the same with either key."""
    from django.core.exceptions import ImproperlyConfigured

    from micro.learning import certificates_signing

    try:
        certificates_signing.signing_key()
    except ImproperlyConfigured:
        return {"CERTIFICATE_SIGNING_KEY_PATH": str(BENCH_SIGNING_KEY_PATH), "CERTIFICATE_SIGNING_KEY_GENERATE": True}
    return {}


def add_certificates(count: int) -> int:
    """Certificates of the course for ``count`` bench learners who have none (fewer if fewer are left).

    Their completion records are written in bulk (every live lesson read and completed, every live
    activity passed), then each certificate is issued by ``certificate_issue`` as the learner's own
    claim would, in English and Arabic in turn. The service checks the completion rules itself."""
    from django.test.utils import override_settings
    from django.utils import timezone

    from micro.accounts.models import User
    from micro.learning.models import Activity, ActivityProgress, Enrolment, Lesson, LessonProgress
    from micro.learning.models.certificates import Certificate
    from micro.learning.services.certificates import certificate_issue

    course = certified_course()
    if course is None or count <= 0:
        return 0
    learners = list(
        User.objects.filter(email__startswith="bench-learner-")
        .exclude(pk__in=Certificate.objects.filter(course=course).values("learner_id"))
        .exclude(pk__in=Enrolment.objects.filter(cohort__course=course).values("learner_id"))  # cohort rules differ
        .order_by("pk")[:count]
    )
    if not learners:
        return 0
    lessons = list(
        Lesson.objects.filter(module__course=course, is_retired=False, module__is_retired=False).values_list(
            "pk", flat=True
        )
    )
    activities = list(Activity.objects.filter(lesson_id__in=lessons, is_retired=False).values_list("pk", flat=True))
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(learner=user, lesson_id=lesson, read_at=now, completed_at=now)
            for user in learners
            for lesson in lessons
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["learner", "lesson"],
        update_fields=["read_at", "completed_at"],
    )
    ActivityProgress.objects.bulk_create(
        [
            ActivityProgress(activity_id=activity, learner=user, tries=1, best_percent=Decimal(100), completed_at=now)
            for user in learners
            for activity in activities
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["activity", "learner"],
        update_fields=["best_percent", "completed_at"],
    )
    already = Certificate.objects.filter(course=course).count()
    with override_settings(**signing_settings()):
        for index, learner in enumerate(learners):
            language = CERTIFICATE_LANGUAGES[(already + index) % len(CERTIFICATE_LANGUAGES)]
            certificate_issue(learner=learner, course=course, issued_by=learner, language=language)
    return len(learners)


def add_practices(count: int) -> int:
    """Published practices with varied words and facets, search texts and vectors as the services write them."""
    from micro.accounts.models import Organisation
    from micro.practices.tests.factories import bulk_published

    organisations = list(Organisation.objects.filter(is_partner=True).order_by("pk")) or [bench_organisation()]
    return bulk_published(organisations, count, batch=BATCH) if count else 0


def bench_event(slug: str, title: str, capacity: int) -> Any:
    from django.utils import timezone

    from micro.events.models import Event

    start = timezone.now() + timedelta(days=30)
    event, _created = Event.objects.get_or_create(
        slug=slug,
        defaults={
            "organisation": bench_organisation(),
            "title": title,
            "status": "published",
            "city": "Rome",
            "venue_name": "Sala Bench",
            "venue_address": "Via Nazionale 194, Roma",
            "starts_at": start,
            "ends_at": start + timedelta(hours=8),
            "languages": ["it", "en"],
            "capacity": capacity,
            "translations": {
                "en": {"title": title, "description": "Generated for the benchmark.", "status": "reviewed"}
            },
        },
    )
    return event


def add_registrations(count: int) -> int:
    """Confirmed registrations spread over a few generated conferences (plus the open one for the load)."""
    from django.utils import timezone

    from micro.events.models import Category, Registration

    bench_event(BENCH_EVENT_SLUG, "Bench conference (open)", capacity=2_000_000_000)
    events = [
        bench_event(f"bench-archive-{n}", f"Bench conference {n}", capacity=max(count, 1))
        for n in range(1, ARCHIVE_EVENT_COUNT + 1)
    ]
    categories = list(Category.values)
    now = timezone.now()
    start = Registration.objects.filter(email__endswith="@registrants.bench.example").count()
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        Registration.objects.bulk_create(
            Registration(
                event=events[(start + written + i) % len(events)],
                status="confirmed",
                category=categories[(start + written + i) % len(categories)],
                full_name=f"Registrant {start + written + i}",
                email=f"person{start + written + i}@registrants.bench.example",
                organisation_name="Bench organisation",
                language="it",
                privacy_accepted_at=now,
                confirmed_at=now,
            )
            for i in range(size)
        )
        written += size
    return written


def analyze() -> int:
    """Fresh planner statistics, as autovacuum would have them after a while in production (no rows: 0)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 0


def generate(scale: Scale) -> Generated:
    """Add ``scale`` rows of each kind; returns the counts and the seconds per kind."""
    from django.db import transaction

    scale.validate()
    result = Generated()
    with transaction.atomic():
        _timed(result, "journeys", lambda: add_journeys(scale.journeys))
        _timed(result, "learners", lambda: add_learners(scale.learners))
        _timed(result, "certificates", lambda: add_certificates(scale.certificates))
        _timed(result, "practices", lambda: add_practices(scale.practices))
        _timed(result, "registrations", lambda: add_registrations(scale.registrations))
    _timed(result, "analyze", analyze)
    return result


def learner_sessions(count: int) -> list[str]:
    """Session keys of ``count`` bench learners, signed in as Django's login() would do it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from micro.accounts.models import User

    keys = []
    for user in User.objects.filter(email__startswith="bench-learner-").order_by("pk")[:count]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "micro.accounts.backends.UserBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None
        keys.append(session.session_key)
    return keys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = Scale()
    for name in asdict(defaults):
        parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
    parser.add_argument("--sessions", type=int, default=0, help="signed-in sessions of bench learners to write")
    parser.add_argument("--sessions-file", type=Path, help="where to write the session keys (JSON list)")
    parser.add_argument("--only-sessions", action="store_true", help="write the sessions, add no data")
    parser.add_argument("--out", type=Path, help="write the counts and times as JSON here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    result = Generated()
    if not args.only_sessions:
        scale = Scale(**{name: getattr(args, name) for name in asdict(defaults)})
        result = generate(scale)
        print("generated: " + ", ".join(f"{n} {k} ({result.seconds[k]:.1f} s)" for k, n in result.counts.items()))
    if args.sessions:
        if args.sessions_file is None:
            parser.error("--sessions needs --sessions-file")
        keys = learner_sessions(args.sessions)
        args.sessions_file.write_text(json.dumps(keys))
        print(f"sessions: {len(keys)} signed-in bench learners")
    if args.out:
        args.out.write_text(json.dumps(asdict(result), indent=2))


if __name__ == "__main__":
    main()
