"""The trainer dashboard: who sees it, what it says (behind, stuck, idle, work to review, item
analysis, gain, attendance), its CSV exports (formula injection), and its SQL query count with
20 and with 2,000 learners - with the lesson page measured on the same data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from micro.accounts.models import Membership, Organisation, Role, User
from micro.core.models import AuditEvent
from micro.learning.models import (
    Activity,
    ActivityKind,
    ActivityProgress,
    Answer,
    AnswerStatus,
    Attempt,
    AttemptStatus,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    Enrolment,
    LessonProgress,
    SessionKind,
    Submission,
)
from micro.learning.models.discussions import DiscussionPost, DiscussionThread
from micro.learning.selectors.dashboard import cohort_dashboard_for
from micro.learning.tests.conftest import member, signed_in
from micro.learning.tests.factories import World, texts

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'


def make_cohort(world: World, trainer: User | None, *, name: str = "Pilot") -> Cohort:
    """A cohort that started 30 days ago; its online module was due 10 days ago; one live session."""
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        course=world.course,
        name=name,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        pre_test=world.quiz,
    )
    if trainer is not None:
        cohort.trainers.add(trainer)
    now = timezone.now()
    CohortSession.objects.create(
        cohort=cohort,
        kind=SessionKind.ONLINE,
        module=world.module,
        starts_at=now - dt.timedelta(days=25),
        ends_at=now - dt.timedelta(days=10),
    )
    CohortSession.objects.create(
        cohort=cohort, kind=SessionKind.LIVE, title="Kick-off", place="Rome", starts_at=now - dt.timedelta(days=20)
    )
    return cohort


def add_learners(world: World, cohort: Cohort, organisation: Organisation, count: int, *, start: int = 0) -> list[User]:
    """``count`` learners with realistic records, written with bulk_create (2,000 in a few seconds).

    Learner *i*: completed every lesson when i % 3 == 0 (the others are behind), is stuck on the
    scenario when i % 4 == 1, has a finished quiz attempt whose answers follow their ability, has a
    pending submission when i % 10 == 2, and is marked absent at the live session when i % 5 == 0.
    """
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{start + i}@example.org", full_name=f"Learner {start + i:05d}", password="!")
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=Role.OPERATOR) for user in users]
    )
    Enrolment.objects.bulk_create([Enrolment(cohort=cohort, learner=user, organisation=organisation) for user in users])
    lessons = [world.lesson, world.scenario_lesson, world.assignment_lesson]
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(
                learner=user,
                lesson=lesson,
                read_at=now - dt.timedelta(days=2),
                completed_at=now - dt.timedelta(days=2) if (start + i) % 3 == 0 else None,
            )
            for i, user in enumerate(users)
            for lesson in lessons
        ]
    )
    ActivityProgress.objects.bulk_create(
        [
            ActivityProgress(activity=world.scenario, learner=user, tries=3)
            for i, user in enumerate(users)
            if (start + i) % 4 == 1
        ]
    )
    questions = list(world.questions.values())
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                activity=world.quiz,
                learner=user,
                number=1,
                seed=1,
                question_ids=[q.pk for q in questions],
                status=AttemptStatus.SUBMITTED,
                finished_at=now,
            )
            for user in users
        ]
    )
    answers = []
    for i, attempt in enumerate(attempts):
        ability = (start + i) % len(questions)
        for rank, q in enumerate(questions):
            right = rank < ability
            answers.append(
                Answer(
                    attempt=attempt,
                    question=q,
                    status=AnswerStatus.CORRECT if right else AnswerStatus.INCORRECT,
                    points=q.points if right else Decimal(0),
                    max_points=q.points,
                )
            )
    Answer.objects.bulk_create(answers)
    Submission.objects.bulk_create(
        [
            Submission(activity=world.assignment, learner=user, number=1, text="My analysis")
            for i, user in enumerate(users)
            if (start + i) % 10 == 2
        ]
    )
    live = cohort.sessions.get(kind=SessionKind.LIVE)
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=live,
                learner=user,
                status=AttendanceStatus.ABSENT if (start + i) % 5 == 0 else AttendanceStatus.PRESENT,
            )
            for i, user in enumerate(users)
        ]
    )
    return users


def dashboard_url(cohort: Cohort) -> str:
    return reverse("learning:cohort_dashboard", args=[cohort.pk])


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(queries)


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cohort_dashboard", "cohort_dashboard_csv", "item_analysis_csv"])
def test_only_the_cohorts_trainers_and_coordinators_get_in(
    world: World,
    trainer: User,
    far_trainer: User,
    coordinator: User,
    operator: User,
    organisation: Organisation,
    name: str,
) -> None:
    cohort = make_cohort(world, trainer)
    Enrolment.objects.create(cohort=cohort, learner=operator, organisation=organisation)
    url = reverse(f"learning:{name}", args=[cohort.pk])
    assert signed_in(trainer).get(url).status_code == 200
    assert signed_in(coordinator).get(url).status_code == 200
    assert signed_in(far_trainer).get(url).status_code == 404  # a trainer sees only their cohorts
    assert signed_in(operator).get(url).status_code == 404  # an enrolled learner is not a trainer
    assert Client().get(url).status_code == 302  # to the login page
    assert signed_in(trainer).get(reverse(f"learning:{name}", args=[999999])).status_code == 404
    assert signed_in(trainer).post(url).status_code == 405


def test_another_cohort_of_the_same_trainer_does_not_leak(
    world: World, trainer: User, far_trainer: User, organisation: Organisation
) -> None:
    mine = make_cohort(world, trainer, name="Mine")
    theirs = make_cohort(world, far_trainer, name="Theirs")
    add_learners(world, theirs, organisation, 3)
    page = signed_in(trainer).get(dashboard_url(mine))
    assert page.context["board"].learners == []
    assert b"Learner 0000" not in page.content
    assert signed_in(trainer).get(dashboard_url(theirs)).status_code == 404


def test_cohort_page_links_to_the_dashboard_for_trainers_only(
    world: World, trainer: User, operator: User, organisation: Organisation
) -> None:
    cohort = make_cohort(world, trainer)
    Enrolment.objects.create(cohort=cohort, learner=operator, organisation=organisation)
    url = reverse("learning:cohort", args=[cohort.pk])
    assert dashboard_url(cohort).encode() in signed_in(trainer).get(url).content
    assert dashboard_url(cohort).encode() not in signed_in(operator).get(url).content


# --- what it shows -----------------------------------------------------------------------------


def test_behind_stuck_idle_pending_and_attendance(world: World, trainer: User, organisation: Organisation) -> None:
    cohort = make_cohort(world, trainer)
    users = add_learners(world, cohort, organisation, 12)
    quiet = users[3]  # completed everything (3 % 3 == 0) but nothing for 20 days
    LessonProgress.objects.filter(learner=quiet).update(
        read_at=timezone.now() - dt.timedelta(days=20), completed_at=timezone.now() - dt.timedelta(days=20)
    )
    board = cohort_dashboard_for(trainer, cohort.pk)
    rows = {row.enrolment.learner_id: row for row in board.learners}
    assert board.due_lessons == 3
    assert {u.pk for u in users if not rows[u.pk].behind} == {users[i].pk for i in (0, 3, 6, 9)}
    assert rows[users[0].pk].percent == 100 and rows[users[1].pk].percent == 0
    assert [s.activity.pk for s in rows[users[1].pk].stuck] == [world.scenario.pk]
    assert {row.enrolment.learner_id for row in board.stuck} == {users[i].pk for i in (1, 5, 9)}
    assert [row.enrolment.learner_id for row in board.idle] == [quiet.pk]
    assert rows[quiet.pk].idle_days == 20
    assert sorted(s.learner_id for s in board.pending) == [users[2].pk]
    assert rows[users[0].pk].absences == 1 and rows[users[1].pk].absences == 0
    (line,) = board.attendance
    assert (line.present, line.absent, line.excused, line.unrecorded) == (9, 3, 0, 0)


def test_the_lesson_holding_the_post_test_is_not_due_before_the_end(
    world: World, trainer: User, organisation: Organisation
) -> None:
    cohort = make_cohort(world, trainer)
    cohort.post_test = world.quiz  # lives in world.lesson
    cohort.save()
    add_learners(world, cohort, organisation, 2)
    board = cohort_dashboard_for(trainer, cohort.pk)
    assert board.due_lessons == 2
    assert all(row.due_total == 2 and row.lessons_total == 3 for row in board.learners)


def test_page_shows_review_links_item_analysis_method_and_gain(
    world: World, trainer: User, organisation: Organisation
) -> None:
    cohort = make_cohort(world, trainer)
    users = add_learners(world, cohort, organisation, 14)
    # Four learners took the post-test too: 40 % before, 70 % after.
    post_test = Activity.objects.create(
        lesson=world.lesson, slug="post-test", kind=ActivityKind.QUIZ, order=9, translations=texts(title="Post")
    )
    cohort.post_test = post_test
    cohort.save()
    Attempt.objects.filter(learner__in=users[:4]).update(percent=Decimal(40))
    for user in users[:4]:
        Attempt.objects.create(
            activity=post_test, learner=user, number=1, seed=2, status=AttemptStatus.SUBMITTED, percent=Decimal(70)
        )
    response = signed_in(trainer).get(dashboard_url(cohort))
    html = response.content.decode()
    board = response.context["board"]
    pending = board.pending[0]
    assert reverse("learning:review", args=[pending.pk]) in html
    assert "corrected point-biserial" in html
    assert reverse("learning:cohort_dashboard_csv", args=[cohort.pk]) in html
    assert reverse("learning:item_analysis_csv", args=[cohort.pk]) in html
    assert reverse("learning:xapi_export", kwargs={"cohort_id": cohort.pk}) in html
    items = {item.question.key: item for item in board.items}
    assert set(items) == set(world.questions)
    assert all(item.stats.responses == 14 for item in items.values())  # the first attempt only
    # The ability pattern makes the first question the easiest and every question discriminate.
    assert items["single"].stats.difficulty > items["matching"].stats.difficulty
    assert all(item.stats.discrimination is None or item.stats.discrimination > 0 for item in items.values())
    assert board.gain.cohort.learners == 4
    assert board.gain.cohort.mean_pre == Decimal("40.00")
    assert board.gain.cohort.mean_post == Decimal("70.00")
    assert board.gain.cohort.normalised == Decimal("0.50")
    assert AuditEvent.objects.filter(action="learning.cohort.dashboard", actor=trainer).count() == 1


def test_the_cohort_trainer_reviews_learners_of_every_organisation_in_the_cohort(
    world: World, trainer: User, coordinator: User, organisation: Organisation, other_organisation: Organisation
) -> None:
    cohort = make_cohort(world, trainer)
    add_learners(world, cohort, other_organisation, 3)  # learners of another organisation
    (pending,) = Submission.objects.all()
    review = reverse("learning:review", args=[pending.pk])
    assert review in signed_in(trainer).get(dashboard_url(cohort)).content.decode()
    assert signed_in(trainer).get(review).status_code == 200  # the rule the dashboard follows
    assert review in signed_in(coordinator).get(dashboard_url(cohort)).content.decode()
    # A trainer of the same organisation who does not train this cohort: no review.
    stranger = member(organisation, Role.TRAINER, email="stranger-trainer@example.org")
    assert signed_in(stranger).get(review).status_code == 404


def test_a_question_with_a_wrong_key_is_flagged(world: World, trainer: User, organisation: Organisation) -> None:
    cohort = make_cohort(world, trainer)
    users = add_learners(world, cohort, organisation, 14)
    tf = world.questions["tf"]
    # Strong learners (many right answers) get "tf" wrong, weak ones get it right.
    for attempt in Attempt.objects.filter(learner__in=users):
        right = Answer.objects.filter(attempt=attempt, status=AnswerStatus.CORRECT).exclude(question=tf).count()
        flipped = right < 3
        Answer.objects.filter(attempt=attempt, question=tf).update(
            status=AnswerStatus.CORRECT if flipped else AnswerStatus.INCORRECT,
            points=tf.points if flipped else Decimal(0),
        )
    board = cohort_dashboard_for(trainer, cohort.pk)
    flagged = {item.question.key: item.stats.flag for item in board.flagged_items}
    assert flagged.get("tf") == "negative"
    assert "dashboard-flagged" in signed_in(trainer).get(dashboard_url(cohort)).content.decode()


def test_empty_cohort_renders(world: World, trainer: User) -> None:
    cohort = make_cohort(world, trainer)
    response = signed_in(trainer).get(dashboard_url(cohort))
    assert response.status_code == 200
    assert "Nobody is enrolled yet." in response.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                signed_in(trainer)
                .get(reverse("learning:item_analysis_csv", args=[cohort.pk]))
                .content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 1  # the header


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "99999", "1' OR '1'='1", "<script>", "9" * 400])
def test_malformed_page_numbers_fall_back(world: World, trainer: User, organisation: Organisation, page: str) -> None:
    cohort = make_cohort(world, trainer)
    add_learners(world, cohort, organisation, 3)
    response = signed_in(trainer).get(dashboard_url(cohort), {"page": page})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_progress_csv_neutralises_formulas(world: World, trainer: User, organisation: Organisation) -> None:
    cohort = make_cohort(world, trainer)
    users = add_learners(world, cohort, organisation, 5)
    User.objects.filter(pk=users[0].pk).update(full_name=HOSTILE_NAME)
    User.objects.filter(pk=users[1].pk).update(full_name="+1 SUM(A1:A9)")
    User.objects.filter(pk=users[2].pk).update(full_name="@cmd|' /C calc'!A0")
    organisation.name = "-2+3"
    organisation.save()
    rows = read_csv(signed_in(trainer).get(reverse("learning:cohort_dashboard_csv", args=[cohort.pk])))
    assert rows[0][:3] == ["Learner", "E-mail", "Organisation"]
    assert len(rows) == 6
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + HOSTILE_NAME in cells
    assert "'+1 SUM(A1:A9)" in cells and "'@cmd|' /C calc'!A0" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Learner 00004"][8] == "no" or by_name["Learner 00004"][8] == "yes"
    assert AuditEvent.objects.filter(action="learning.cohort.export_progress").count() == 1


def test_item_csv_has_one_row_per_question_and_neutralises_prompts(
    world: World, trainer: User, organisation: Organisation
) -> None:
    cohort = make_cohort(world, trainer)
    add_learners(world, cohort, organisation, 6)
    single = world.questions["single"]
    single.translations["en"]["prompt"] = "=1+1 is it two?"
    single.save()
    rows = read_csv(signed_in(trainer).get(reverse("learning:item_analysis_csv", args=[cohort.pk])))
    assert len(rows) == 1 + len(world.questions)
    prompts = [row[2] for row in rows[1:]]
    assert "'=1+1 is it two?" in prompts
    assert all(row[3] == "6" for row in rows[1:])
    assert "corrected point-biserial" in rows[0][5]


# --- SQL queries do not grow with the learners --------------------------------------------------


def test_query_counts_with_20_and_2000_learners(
    world: World, trainer: User, operator: User, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = make_cohort(world, trainer)
    Enrolment.objects.create(cohort=cohort, learner=operator, organisation=organisation)
    users = add_learners(world, cohort, organisation, 19)  # 20 with the operator
    thread = DiscussionThread.objects.create(
        cohort=cohort, lesson=world.lesson, author=users[0], title="Annuity?", last_posted_at=timezone.now()
    )
    DiscussionPost.objects.bulk_create(
        [DiscussionPost(thread=thread, author=u, body="Me too", body_html="<p>Me too</p>") for u in users]
    )
    lesson_url = reverse("learning:lesson", args=[world.course.slug, world.module.slug, world.lesson.slug])
    trainer_client, operator_client = signed_in(trainer), signed_in(operator)
    trainer_client.get(dashboard_url(cohort))
    operator_client.get(lesson_url)
    dashboard_20 = count_queries(trainer_client, dashboard_url(cohort))
    lesson_20 = count_queries(operator_client, lesson_url)
    assert "19 unread messages" in operator_client.get(lesson_url).content.decode()

    more = add_learners(world, cohort, organisation, 1980, start=19)
    DiscussionPost.objects.bulk_create(
        [DiscussionPost(thread=thread, author=u, body="Me too", body_html="<p>Me too</p>") for u in more]
    )
    assert Enrolment.objects.filter(cohort=cohort).count() == 2000
    dashboard_2000 = count_queries(trainer_client, dashboard_url(cohort))
    lesson_2000 = count_queries(operator_client, lesson_url)
    assert "1999 unread messages" in operator_client.get(lesson_url).content.decode()
    board = trainer_client.get(dashboard_url(cohort)).context["board"]
    assert len(board.learners) == 2000 and all(item.stats.responses == 1999 for item in board.items)
    with capsys.disabled():
        print(
            f"\nSQL queries - dashboard: {dashboard_20} (20 learners), {dashboard_2000} (2,000 learners); "
            f"lesson page: {lesson_20} (20 learners), {lesson_2000} (2,000 learners)"
        )
    assert dashboard_2000 == dashboard_20
    assert lesson_2000 == lesson_20
    assert dashboard_20 <= 30 and lesson_20 <= 16


DASHBOARD_BOUND = 26


@pytest.mark.parametrize("name", ["cohort_dashboard", "cohort_dashboard_csv", "item_analysis_csv"])
def test_dashboard_and_exports_stay_under_the_bound(
    world: World, trainer: User, organisation: Organisation, django_assert_max_num_queries: Any, name: str
) -> None:
    cohort = make_cohort(world, trainer)
    add_learners(world, cohort, organisation, 30)
    client = signed_in(trainer)
    url = reverse(f"learning:{name}", args=[cohort.pk])
    client.get(url)
    with django_assert_max_num_queries(DASHBOARD_BOUND):
        assert client.get(url).status_code == 200
