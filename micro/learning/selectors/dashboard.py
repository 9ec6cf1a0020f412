"""The trainer dashboard of a cohort: who is behind, who is stuck on what, work to review, item
analysis of the questions, learning gain and attendance.

Only the cohort's trainers and coordinators reach it (404 for anyone else, like every cohort
read). Every figure comes from a fixed number of queries that each read the whole cohort at
once, so the query count does not grow with the number of learners, lessons or answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from micro.accounts.permissions import is_coordinator
from micro.learning import item_analysis, permissions
from micro.learning.models import (
    Activity,
    ActivityKind,
    ActivityProgress,
    Answer,
    AttemptStatus,
    Attendance,
    AttendanceStatus,
    CohortSession,
    Enrolment,
    Lesson,
    LessonProgress,
    Question,
    SessionKind,
    Submission,
    SubmissionStatus,
)
from micro.learning.selectors.cohorts import CohortView, GainReport, GainRow, cohort_gain_report, cohort_get_for

IDLE_DAYS = 7
STUCK_TRIES = 2


@dataclass
class StuckOn:
    activity: Activity
    tries: int


@dataclass
class LearnerRow:
    enrolment: Enrolment
    lessons_done: int
    lessons_total: int
    due_done: int
    due_total: int
    last_active: datetime | None
    idle_days: int | None
    absences: int
    gain: GainRow | None
    stuck: list[StuckOn] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def behind(self) -> bool:
        """Fewer lessons completed than the schedule asks for by now."""
        return self.due_done < self.due_total

    @property
    def idle(self) -> bool:
        return self.idle_days is not None and self.idle_days >= IDLE_DAYS


@dataclass
class ItemRow:
    activity: Activity
    question: Question
    stats: item_analysis.ItemStats

    @property
    def flagged(self) -> bool:
        return self.stats.flag in {"low", "negative"}


@dataclass
class SessionAttendance:
    session: CohortSession
    present: int
    absent: int
    excused: int
    unrecorded: int


@dataclass
class Dashboard:
    view: CohortView
    learners: list[LearnerRow]
    pending: list[Submission]
    reviewable: set[int]
    items: list[ItemRow]
    gain: GainReport
    attendance: list[SessionAttendance]
    due_lessons: int
    now: datetime
    idle_days: int = IDLE_DAYS
    stuck_tries: int = STUCK_TRIES
    method: str = item_analysis.METHOD
    low_discrimination: float = item_analysis.LOW_DISCRIMINATION
    min_responses: int = item_analysis.MIN_RESPONSES

    @property
    def cohort(self) -> Any:
        return self.view.cohort

    @property
    def behind(self) -> list[LearnerRow]:
        return [row for row in self.learners if row.behind]

    @property
    def stuck(self) -> list[LearnerRow]:
        return [row for row in self.learners if row.stuck]

    @property
    def idle(self) -> list[LearnerRow]:
        return [row for row in self.learners if row.idle]

    @property
    def flagged_items(self) -> list[ItemRow]:
        return [item for item in self.items if item.flagged]


def _course_lessons(course_id: int, post_test_id: int | None = None) -> dict[int, tuple[int, bool]]:
    """lesson id → (module id, holds the cohort's post-test) of the live lessons of the course."""
    holds_post_test = Exists(Activity.objects.filter(lesson=OuterRef("pk"), pk=post_test_id or 0))
    return {
        pk: (module_id, end)
        for pk, module_id, end in Lesson.objects.filter(
            module__course_id=course_id, is_retired=False, module__is_retired=False
        )
        .annotate(end=holds_post_test)
        .values_list("pk", "module_id", "end")
    }


def _due_lessons(lessons: dict[int, tuple[int, bool]], sessions: list[CohortSession], now: datetime) -> set[int]:
    """Lessons of the online modules whose time is over (or, without an end, has begun). The
    lesson holding the post-test is left out: it can only be completed at the end of the course."""
    modules = _due_modules(sessions, now)
    return {pk for pk, (module_id, end) in lessons.items() if module_id in modules and not end}


def _due_modules(sessions: list[CohortSession], now: datetime) -> set[int]:
    """Modules of the online sessions whose time is over (or, without an end, has begun)."""
    return {
        s.module_id
        for s in sessions
        if s.kind == SessionKind.ONLINE and s.module_id is not None and (s.ends_at or s.starts_at) <= now
    }


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _learner_rows(view: CohortView, sessions: list[CohortSession], now: datetime, gain: GainReport) -> list[LearnerRow]:
    cohort = view.cohort
    learners = Enrolment.objects.filter(cohort=cohort).values("learner_id")
    lessons = _course_lessons(cohort.course_id, cohort.post_test_id)
    due_lessons = _due_lessons(lessons, sessions, now)

    done: dict[int, set[int]] = defaultdict(set)
    last: dict[int, datetime | None] = {}
    for learner_id, lesson_id, read_at, completed_at in LessonProgress.objects.filter(
        learner_id__in=learners, lesson_id__in=list(lessons)
    ).values_list("learner_id", "lesson_id", "read_at", "completed_at"):
        if completed_at is not None:
            done[learner_id].add(lesson_id)
        last[learner_id] = _latest(last.get(learner_id), read_at, completed_at)

    stuck: dict[int, list[StuckOn]] = defaultdict(list)
    for progress in (
        ActivityProgress.objects.filter(
            learner_id__in=learners,
            activity__lesson__module__course_id=cohort.course_id,
            activity__is_retired=False,
        )
        .select_related("activity")
        .order_by("activity__lesson__module__order", "activity__lesson__order", "activity__order")
    ):
        last[progress.learner_id] = _latest(last.get(progress.learner_id), progress.updated_at)
        if progress.completed_at is None and progress.tries >= STUCK_TRIES:
            stuck[progress.learner_id].append(StuckOn(activity=progress.activity, tries=progress.tries))

    absences = Counter(
        dict(
            Attendance.objects.filter(session__cohort=cohort, status=AttendanceStatus.ABSENT)
            .values("learner_id")
            .annotate(n=Count("pk"))
            .values_list("learner_id", "n")
        )
    )
    gain_rows = {row.enrolment.learner_id: row for row in gain.rows}
    started = timezone.make_aware(datetime.combine(cohort.starts_on, datetime.min.time()))
    rows = []
    for enrolment in view.enrolments:
        learner_id = enrolment.learner_id
        active = last.get(learner_id)
        since = active or max(enrolment.enrolled_at, started)
        idle_days = (now - since).days if now >= started else None
        rows.append(
            LearnerRow(
                enrolment=enrolment,
                lessons_done=len(done[learner_id]),
                lessons_total=len(lessons),
                due_done=len(done[learner_id] & due_lessons),
                due_total=len(due_lessons),
                last_active=active,
                idle_days=idle_days,
                absences=absences[learner_id],
                gain=gain_rows.get(learner_id),
                stuck=stuck.get(learner_id, []),
            )
        )
    return rows


def _pending_submissions(view: CohortView) -> list[Submission]:
    return list(
        Submission.objects.filter(
            status=SubmissionStatus.SUBMITTED,
            activity__lesson__module__course_id=view.cohort.course_id,
            learner_id__in=Enrolment.objects.filter(cohort=view.cohort).values("learner_id"),
        )
        .select_related("learner", "activity")
        .order_by("created_at", "pk")
    )


def _reviewable(user: Any, pending: list[Submission]) -> set[int]:
    """Submissions whose review page ``user`` may open (see ``permissions.can_review_learner``: the
    cohort's trainers review its learners; coordinators review everyone)."""
    if is_coordinator(user):
        return {s.pk for s in pending if s.learner_id != user.pk}
    reachable = permissions.cohort_learner_ids(user)
    return {s.pk for s in pending if s.learner_id in reachable and s.learner_id != user.pk}


def _quiz_ids(view: CohortView) -> set[int]:
    cohort = view.cohort
    ids = set(
        Activity.objects.filter(
            lesson__module__course_id=cohort.course_id, kind=ActivityKind.QUIZ, is_retired=False
        ).values_list("pk", flat=True)
    )
    return ids | {pk for pk in (cohort.pre_test_id, cohort.post_test_id) if pk is not None}


def cohort_item_analysis(view: CohortView) -> list[ItemRow]:
    """Statistics of every question of the course's quizzes (and the cohort's pre/post tests),
    over each learner's *first* finished attempt at each quiz: later attempts are practice on
    questions already seen and would make items look easier than they are."""
    quiz_ids = _quiz_ids(view)
    if not quiz_ids:
        return []
    rows = list(
        Answer.objects.filter(
            attempt__activity_id__in=quiz_ids,
            attempt__learner_id__in=Enrolment.objects.filter(cohort=view.cohort).values("learner_id"),
        )
        .exclude(attempt__status=AttemptStatus.IN_PROGRESS)
        .values_list(
            "attempt_id",
            "attempt__learner_id",
            "attempt__activity_id",
            "attempt__number",
            "question_id",
            "points",
            "max_points",
        )
    )
    first: dict[tuple[int, int], int] = {}
    for _attempt, learner_id, activity_id, number, *_rest in rows:
        key = (learner_id, activity_id)
        first[key] = min(first.get(key, number), number)
    per_quiz: dict[int, list[item_analysis.Response]] = defaultdict(list)
    for attempt_id, learner_id, activity_id, number, question_id, points, max_points in rows:
        if first[(learner_id, activity_id)] == number:
            per_quiz[activity_id].append(
                item_analysis.Response(attempt_id, question_id, float(points), float(max_points))
            )
    question_ids = {response.item for responses in per_quiz.values() for response in responses}
    questions = Question.objects.in_bulk(list(question_ids))
    activities = Activity.objects.in_bulk(list(per_quiz))
    items = []
    for activity_id in sorted(per_quiz, key=lambda pk: (activities[pk].order, pk)):
        for stats in item_analysis.analyse(per_quiz[activity_id]):
            question = questions.get(stats.item)  # type: ignore[call-overload]
            if question is not None:
                items.append(ItemRow(activity=activities[activity_id], question=question, stats=stats))
    return items


def _attendance(view: CohortView, sessions: list[CohortSession]) -> list[SessionAttendance]:
    counts: dict[tuple[int, str], int] = {
        (row["session_id"], row["status"]): row["n"]
        for row in Attendance.objects.filter(session__cohort=view.cohort)
        .values("session_id", "status")
        .annotate(n=Count("pk"))
    }
    enrolled = len(view.enrolments)
    summary = []
    for session in sessions:
        if session.kind != SessionKind.LIVE:
            continue
        present = counts.get((session.pk, AttendanceStatus.PRESENT), 0)
        absent = counts.get((session.pk, AttendanceStatus.ABSENT), 0)
        excused = counts.get((session.pk, AttendanceStatus.EXCUSED), 0)
        summary.append(
            SessionAttendance(
                session=session,
                present=present,
                absent=absent,
                excused=excused,
                unrecorded=max(0, enrolled - present - absent - excused),
            )
        )
    return summary


def cohort_manage_get(user: Any, cohort_id: int) -> CohortView:
    """The cohort, for its trainers and coordinators only (404 for anyone else)."""
    view = cohort_get_for(user, cohort_id)
    if not view.can_manage:
        raise Http404
    return view


def cohort_dashboard_for(user: Any, cohort_id: int, *, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    view = cohort_manage_get(user, cohort_id)
    sessions = view.sessions
    gain = cohort_gain_report(view)
    learners = _learner_rows(view, sessions, now, gain)
    if learners:
        due = learners[0].due_total
    else:
        due = len(_due_lessons(_course_lessons(view.cohort.course_id, view.cohort.post_test_id), sessions, now))
    pending = _pending_submissions(view)
    return Dashboard(
        view=view,
        learners=learners,
        pending=pending,
        reviewable=_reviewable(user, pending),
        items=cohort_item_analysis(view),
        gain=gain,
        attendance=_attendance(view, sessions),
        due_lessons=due,
        now=now,
    )


def percent(value: float | None) -> Decimal | None:
    """A 0-1 share as a percentage with one decimal, for pages and exports."""
    return None if value is None else Decimal(str(round(value * 100, 1)))
