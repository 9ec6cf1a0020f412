"""The pilot cohort: 20 operators from the four partner countries follow the sample course with
the demo trainer. Only ``manage.py demo_load`` calls this (after ``accounts``' demo).

The cohort started three weeks before the day the demo is loaded: a live kick-off in Rome, the
economic/financial module online (now due), an online meeting, the intercultural module under
way and a closing meeting in Brussels ahead. Learners took the pre-test, read lessons and tried
the loan quiz with results that follow their (invented) ability; a few are behind, two are stuck
on the quiz, one assignment waits for review and a discussion thread is going on. Every write
goes through the services, so the records are what real use would leave; running the loader
twice changes nothing. Names of the operators are fictitious; only the two demo operators of
``micro.accounts.demo`` can sign in.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.utils import timezone

from micro.accounts.models import Membership, Organisation, Role, User
from micro.learning import services
from micro.learning.content import course_import
from micro.learning.models import (
    Activity,
    ActivityProgress,
    Attempt,
    AttemptStatus,
    AttendanceStatus,
    Cohort,
    CohortSession,
    Course,
    Lesson,
    Question,
    QuestionKind,
    ReviewDecision,
    SessionKind,
    Submission,
)
from micro.learning.models.discussions import DiscussionThread
from micro.learning.selectors import questions_by_id, rubric_for
from micro.learning.services import discussions

COURSE = "micro-sample"
COHORT_NAME = "Pilot 2026 – M.I.C.R.O. operators"
TRAINER = "trainer@demo.micro.example"
COORDINATOR = "coordinator@demo.micro.example"  # reviews the work of learners outside her organisation
DEMO_OPERATORS = [
    ("operator@demo.micro.example", "cesfor"),
    ("operator2@demo.micro.example", "accion-contra-el-hambre"),
]
# Fictitious operators without a login: email, name, organisation, language.
PILOT_OPERATORS = [
    ("pilot.rossi@demo.micro.example", "Francesca Rossi", "ente-nazionale-microcredito", "it"),
    ("pilot.bianchi@demo.micro.example", "Marco Bianchi", "ente-nazionale-microcredito", "it"),
    ("pilot.esposito@demo.micro.example", "Giulia Esposito", "cesfor", "it"),
    ("pilot.ricci@demo.micro.example", "Luca Ricci", "cesfor", "it"),
    ("pilot.mbaye@demo.micro.example", "Awa Mbaye", "ente-nazionale-microcredito", "fr"),
    ("pilot.peeters@demo.micro.example", "Lotte Peeters", "mediter", "nl"),
    ("pilot.dubois@demo.micro.example", "Julien Dubois", "mediter", "fr"),
    ("pilot.elamrani@demo.micro.example", "Samira El Amrani", "mediter", "fr"),
    ("pilot.janssens@demo.micro.example", "Pieter Janssens", "mediter", "nl"),
    ("pilot.garcia@demo.micro.example", "Lucía García", "accion-contra-el-hambre", "es"),
    ("pilot.martinez@demo.micro.example", "Javier Martínez", "accion-contra-el-hambre", "es"),
    ("pilot.lopez@demo.micro.example", "Carmen López", "nantik-lum", "es"),
    ("pilot.diop@demo.micro.example", "Moussa Diop", "nantik-lum", "es"),
    ("pilot.schmidt@demo.micro.example", "Anna Schmidt", "wisamar", "de"),
    ("pilot.weber@demo.micro.example", "Jonas Weber", "wisamar", "de"),
    ("pilot.yilmaz@demo.micro.example", "Elif Yılmaz", "wisamar", "de"),
    ("pilot.kovalenko@demo.micro.example", "Oksana Kovalenko", "wisamar", "uk"),
    ("pilot.hoffmann@demo.micro.example", "Katrin Hoffmann", "wisamar", "de"),
]

THREAD_TITLE = "Annuity or flat rate: which one do clients understand?"
THREAD_BODY = (
    "In Madrid many clients compare our offer with a *flat* rate they heard about from friends.\n\n"
    "How do you explain that the **annuity** instalment costs less in total? Do you show the schedule?"
)
REPLIES = [
    (
        TRAINER,
        "Good question. Show two columns side by side: total interest with the flat rate and with the "
        "annuity. The schedule from the lesson makes the difference visible in a minute.",
    ),
    (
        "pilot.peeters@demo.micro.example",
        "In Brussels we print the schedule and let the client circle the month when the interest part "
        "becomes smaller than the capital part. It works well with an interpreter too.",
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _course() -> Course | None:
    course = Course.objects.filter(slug=COURSE).first()
    if course is None:
        course_import(only=COURSE)
        course = Course.objects.filter(slug=COURSE).first()
    return course


def _operators(organisations: dict[str, Organisation]) -> list[tuple[User, Organisation]]:
    people = []
    for email, org_slug in DEMO_OPERATORS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            people.append((user, organisations[org_slug]))
    for email, name, org_slug, language in PILOT_OPERATORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=name, preferred_language=language)
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_slug], defaults={"role": Role.OPERATOR, "is_active": True}
        )
        people.append((user, organisations[org_slug]))
    return people


def _response(question: Question, right: bool) -> Any:
    """What a learner would type: the right answer, or a plausible wrong one."""
    choices = sorted(question.choices.all(), key=lambda c: c.order)
    keys = [c.key for c in choices]
    correct = [c.key for c in choices if c.is_correct]
    wrong = [c.key for c in choices if not c.is_correct]
    if question.kind in {QuestionKind.SINGLE, QuestionKind.TRUE_FALSE}:
        return (correct if right else wrong or keys)[0]
    if question.kind == QuestionKind.MULTIPLE:
        return correct if right else (wrong or keys)[:1]
    if question.kind == QuestionKind.NUMERIC:
        answer = question.numeric_answer or 0
        return str(answer if right else answer * 2 + 1)
    if question.kind == QuestionKind.SHORT_TEXT:
        accepted = question.localized("en").get("accepted") or [""]
        return str(accepted[0]) if right else "I do not know"
    if question.kind == QuestionKind.ORDERING:
        return keys if right else list(reversed(keys))
    if question.kind == QuestionKind.MATCHING:
        return {k: k for k in keys} if right else {k: keys[(i + 1) % len(keys)] for i, k in enumerate(keys)}
    return None


def _take_quiz(activity: Activity, learner: User, ability: float, rng: random.Random, when: datetime) -> Attempt:
    attempt = services.attempt_start(activity=activity, learner=learner, now=when)
    questions = questions_by_id(list(attempt.question_ids))
    responses = {q.pk: _response(q, rng.random() < ability) for q in questions}
    attempt, _finished = services.attempt_submit(
        attempt=attempt, responses=responses, language="en", now=when + timedelta(minutes=12)
    )
    return attempt


# Learners by their place in the list of 20: who keeps up, who is slow, stuck, stopped or late.
AHEAD = {1, 3, 5, 7, 9, 11, 13}  # pass the loan quiz and have the assignment accepted
SLOW = {2, 8, 14}  # read only the first lesson of the module
STUCK = {4, 10}  # fail the loan quiz twice
STOPPED = {15, 16}  # pre-test and one lesson in the first days, then nothing
LATE = {17, 19}  # enrolled late: nothing done yet
ASSIGNMENT_TEXT = (
    "Client: a tailoring workshop asking for 10,000 EUR over 48 months at 6.9 %.\n\n"
    "The monthly instalment is 239 EUR. Expected margin per garment is 18 EUR, fixed costs 1,150 EUR "
    "a month, so the break-even is 64 garments; the workshop sells about 110. After the instalment "
    "the owner keeps about 590 EUR a month: the loan is sustainable if sales stay above 80 garments."
)


def _accept(assignment: Activity, learner: User, reviewer: User, when: datetime) -> None:
    """Hand in the assignment and have it accepted at the top level of every criterion."""
    submission = services.submission_submit(activity=assignment, learner=learner, text=ASSIGNMENT_TEXT, now=when)
    levels = {
        criterion.pk: max(criterion.levels.all(), key=lambda level: level.points).pk
        for criterion in rubric_for(assignment)
    }
    services.submission_review(
        submission=submission,
        reviewer=reviewer,
        levels=levels,
        overall="Clear and correct: the client will understand the numbers.",
        decision=ReviewDecision.PASSED,
        now=when + timedelta(days=1),
    )


def _progress(course: Course, people: list[tuple[User, Organisation]], reviewer: User | None, today: date) -> int:
    """Pre-tests, lessons read, quiz tries and accepted assignments, at simulated times; skipped
    for learners who already have records. Returns the number of quiz attempts made."""
    activities = {a.slug: a for a in Activity.objects.filter(lesson__module__course=course, is_retired=False)}
    lessons = list(
        Lesson.objects.filter(module__course=course, is_retired=False)
        .select_related("module")
        .order_by("module__order", "order")
    )
    # The first module's lessons except the one holding the pre- and post-test.
    first_module = [
        lesson for lesson in lessons if lesson.module.slug == "economic-financial" and lesson.slug != "before-and-after"
    ]
    pre_test, loan_quiz = activities.get("pre-test"), activities.get("loan-quiz")
    assignment = activities.get("repayment-explanation")
    attempts = 0
    for index, (learner, _organisation) in enumerate(people):
        if pre_test is None or index in LATE:
            continue
        if Attempt.objects.filter(activity=pre_test, learner=learner).exists():
            continue
        rng = random.Random(f"micro-pilot-{index}")  # noqa: S311 - repeatable demo data, not secrets
        ability = 0.3 + 0.1 * (index % 6)  # 0.3 … 0.8
        start = _at(today - timedelta(days=20 - index % 3), 10 + index % 6)
        _take_quiz(pre_test, learner, ability, rng, start)
        attempts += 1
        last = start + timedelta(minutes=12)
        if index in STOPPED:
            services.lesson_mark_read(lesson=first_module[0], learner=learner, now=start + timedelta(days=1))
        else:
            recent = today - timedelta(days=index % 4)
            read = first_module[:1] if index in SLOW else first_module
            for offset, lesson in enumerate(read):
                when = _at(recent - timedelta(days=8 - 3 * offset), 18)
                services.lesson_mark_read(lesson=lesson, learner=learner, now=when)
            if loan_quiz is not None and index not in SLOW:
                ahead = index in AHEAD
                tries = 2 if index in STUCK else 1
                for number in range(tries):
                    when = _at(recent - timedelta(days=2 - number), 11)
                    quiz_ability = 0.15 if tries == 2 else (0.95 if ahead else ability)
                    _take_quiz(loan_quiz, learner, quiz_ability, rng, when)
                    attempts += 1
                    last = when + timedelta(minutes=12)
                if ahead and tries == 1 and assignment is not None and reviewer is not None and index != 0:
                    _accept(assignment, learner, reviewer, _at(recent - timedelta(days=1), 15))
        # The summaries carry the simulated time of the last try, not the time of loading.
        ActivityProgress.objects.filter(learner=learner).update(updated_at=last)
    return attempts


def _sessions(cohort: Cohort, course: Course, today: date) -> None:
    if cohort.sessions.exists():
        return
    modules = {m.slug: m for m in course.modules.all()}
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.LIVE,
        title="Kick-off: the pilot, the platform and the pre-test",
        place="Ce.S.F.Or training room, Rome",
        starts_at=_at(today - timedelta(days=21), 9, 30),
        ends_at=_at(today - timedelta(days=21), 13, 0),
    )
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.ONLINE,
        module=modules.get("economic-financial"),
        title="Loans and break-even",
        starts_at=_at(today - timedelta(days=20), 9),
        ends_at=_at(today - timedelta(days=6), 18),
    )
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.LIVE,
        title="Online meeting: questions on the numbers",
        link="https://meet.jit.si/micro-pilot-2026",
        starts_at=_at(today - timedelta(days=5), 16),
        ends_at=_at(today - timedelta(days=5), 17, 30),
    )
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.ONLINE,
        module=modules.get("intercultural"),
        title="Meetings, interpreters and refusals",
        starts_at=_at(today - timedelta(days=4), 9),
        ends_at=_at(today + timedelta(days=12), 18),
    )
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.LIVE,
        title="Closing meeting, post-test and certificates",
        place="Mediter, Brussels",
        starts_at=_at(today + timedelta(days=30), 10),
        ends_at=_at(today + timedelta(days=30), 16),
    )


def _attendance(cohort: Cohort, trainer: User, people: list[tuple[User, Organisation]]) -> None:
    for number, session in enumerate(cohort.sessions.filter(kind=SessionKind.LIVE, starts_at__lte=timezone.now())):
        if session.attendance.exists():
            continue
        statuses: dict[int, str] = {}
        for index, (learner, _organisation) in enumerate(people):
            status: str = AttendanceStatus.PRESENT
            if index in STOPPED or (number == 1 and index % 7 == 3):
                status = AttendanceStatus.ABSENT
            elif index == 8 and number == 0:
                status = AttendanceStatus.EXCUSED
            statuses[learner.pk] = status
        services.attendance_record(session=session, by=trainer, statuses=statuses)


def _submission(course: Course, people: list[tuple[User, Organisation]]) -> None:
    """Omar (the demo operator, same organisation as the demo trainer) handed in his analysis."""
    assignment = Activity.objects.filter(lesson__module__course=course, slug="repayment-explanation").first()
    if assignment is None or not people:
        return
    learner = people[0][0]
    if Submission.objects.filter(activity=assignment, learner=learner).exists():
        return
    services.submission_submit(activity=assignment, learner=learner, text=ASSIGNMENT_TEXT)


def _discussion(course: Course, cohort: Cohort, trainer: User, today: date) -> None:
    if DiscussionThread.objects.filter(cohort=cohort).exists():
        return
    lesson = Lesson.objects.filter(module__course=course, slug="loan-repayment").first()
    author = User.objects.filter(email="operator2@demo.micro.example").first()
    if lesson is None or author is None:
        return
    when = _at(today - timedelta(days=8), 18)
    thread, _created = discussions.thread_start(
        cohort=cohort, lesson=lesson, author=author, title=THREAD_TITLE, body=THREAD_BODY, now=when
    )
    for offset, (email, body) in enumerate(REPLIES, start=1):
        replier = User.objects.filter(email=email).first()
        if replier is not None:
            discussions.post_reply(
                thread=thread, author=replier, body=body, now=when + timedelta(hours=3 * offset), notify=False
            )


def load(stdout: TextIO) -> None:
    course = _course()
    trainer = User.objects.filter(email=TRAINER).first()
    if course is None or trainer is None:
        stdout.write("  learning: the sample course or the demo trainer is missing; no pilot cohort")
        return
    today = timezone.localdate()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    activities = {a.slug: a for a in Activity.objects.filter(lesson__module__course=course, is_retired=False)}
    cohort, created = Cohort.objects.get_or_create(
        course=course,
        name=COHORT_NAME,
        defaults={
            "starts_on": today - timedelta(days=21),
            "ends_on": today + timedelta(days=30),
            "pre_test": activities.get("pre-test"),
            "post_test": activities.get("post-test"),
        },
    )
    cohort.trainers.add(trainer)
    people = _operators(organisations)
    for learner, organisation in people:
        services.enrolment_add(cohort=cohort, learner=learner, organisation=organisation)
    _sessions(cohort, course, today)
    coordinator = User.objects.filter(email=COORDINATOR).first()
    attempts = _progress(course, people, coordinator, today)
    learners = len(people)
    _attendance(cohort, trainer, people)
    _submission(course, people)
    _discussion(course, cohort, trainer, today)
    finished = Attempt.objects.filter(activity__lesson__module__course=course).exclude(status=AttemptStatus.IN_PROGRESS)
    stdout.write(
        f"  learning: pilot cohort {'created' if created else 'kept'} with {learners} operators "
        f"({attempts} new quiz attempts, {finished.count()} in all)"
    )
