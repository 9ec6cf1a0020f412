"""Reads of cohorts, always scoped: a trainer sees their cohorts, a learner the cohorts they are
enrolled in, a coordinator every cohort. A cohort outside this scope is a 404, never a 403."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Q, QuerySet
from django.http import Http404

from micro.accounts.permissions import is_coordinator
from micro.learning import gain, permissions
from micro.learning.gain import CohortGain
from micro.learning.models import (
    SURVEY_ITEMS,
    Attempt,
    AttemptStatus,
    Attendance,
    Cohort,
    CohortSession,
    Competence,
    Enrolment,
    Phase,
    SelfAssessment,
    SurveyResponse,
)


def cohort_list_for(user: Any) -> QuerySet[Cohort]:
    qs = Cohort.objects.select_related("course")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_coordinator(user):
        return qs.all()
    visible = Cohort.objects.filter(Q(trainers=user) | Q(enrolments__learner=user)).values("pk")
    return qs.filter(pk__in=visible)


@dataclass
class CohortView:
    cohort: Cohort
    can_manage: bool
    sessions: list[CohortSession]
    enrolments: list[Enrolment] = field(default_factory=list)
    my_attendance: dict[int, str] = field(default_factory=dict)


def cohort_get_for(user: Any, cohort_id: int) -> CohortView:
    """The cohort with its schedule; its learners only for those who manage it. Fixed query count."""
    cohort = Cohort.objects.select_related("course").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    trainer_ids = set(cohort.trainers.values_list("pk", flat=True))
    enrolments = list(cohort.enrolments.select_related("learner", "organisation"))
    learner_ids = {e.learner_id for e in enrolments}
    if not permissions.can_view_cohort(user, trainer_ids=trainer_ids, learner_ids=learner_ids):
        raise Http404
    can_manage = permissions.can_manage_cohort(user, trainer_ids=trainer_ids)
    sessions = list(cohort.sessions.select_related("module"))
    view = CohortView(cohort=cohort, can_manage=can_manage, sessions=sessions)
    if can_manage:
        view.enrolments = enrolments
    else:
        view.my_attendance = dict(
            Attendance.objects.filter(session__cohort=cohort, learner=user).values_list("session_id", "status")
        )
    return view


@dataclass
class AttendanceSheet:
    cohort: Cohort
    session: CohortSession
    enrolments: list[Enrolment]
    statuses: dict[int, str]


def attendance_sheet_for(user: Any, cohort_id: int, session_id: int) -> AttendanceSheet:
    """A live session's attendance, for those who manage the cohort (404 for anyone else)."""
    view = cohort_get_for(user, cohort_id)
    if not view.can_manage:
        raise Http404
    session = next((s for s in view.sessions if s.pk == session_id and s.kind == "live"), None)
    if session is None:
        raise Http404
    statuses = dict(Attendance.objects.filter(session=session).values_list("learner_id", "status"))
    return AttendanceSheet(cohort=view.cohort, session=session, enrolments=view.enrolments, statuses=statuses)


# --- pre/post tests, self-assessment and survey --------------------------------------------------


def cohort_competences(cohort: Cohort) -> list[Competence]:
    """The competences the cohort's course teaches (those of its lessons), in framework order."""
    return list(
        Competence.objects.filter(lessons__module__course_id=cohort.course_id, lessons__is_retired=False)
        .distinct()
        .order_by("area__order", "order", "code")
    )


def enrolment_get_for_learner(user: Any, cohort_id: int) -> Enrolment:
    """The user's own enrolment in the cohort (404 if they are not enrolled)."""
    enrolment = Enrolment.objects.select_related("cohort__course").filter(cohort_id=cohort_id, learner=user).first()
    if enrolment is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return enrolment


def self_assessment_for(cohort: Cohort, learner: Any, phase: str) -> dict[int, int]:
    return dict(
        SelfAssessment.objects.filter(cohort=cohort, learner=learner, phase=phase).values_list("competence_id", "level")
    )


@dataclass
class GainRow:
    enrolment: Enrolment
    pre: Decimal | None
    post: Decimal | None
    raw: Decimal | None
    normalised: Decimal | None
    self_before: Decimal | None
    self_after: Decimal | None


@dataclass
class GainReport:
    rows: list[GainRow]
    cohort: CohortGain
    survey_count: int
    survey_means: dict[str, Decimal]


def _finished_scores(activity_id: int | None, learner_ids: set[int], *, best: bool) -> dict[int, Decimal]:
    """Per learner: the first finished attempt (pre-test) or the best one (post-test)."""
    if activity_id is None or not learner_ids:
        return {}
    scores: dict[int, Decimal] = {}
    rows = (
        Attempt.objects.filter(activity_id=activity_id, learner_id__in=learner_ids)
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .order_by("number")
        .values_list("learner_id", "percent")
    )
    for learner_id, percent in rows:
        if learner_id not in scores or (best and percent > scores[learner_id]):
            scores[learner_id] = percent
    return scores


def cohort_gain_report(view: CohortView) -> GainReport:
    """Learning gain per learner and for the cohort, and the survey's averages. Fixed query count."""
    cohort = view.cohort
    learner_ids = {e.learner_id for e in view.enrolments}
    pre = _finished_scores(cohort.pre_test_id, learner_ids, best=False)
    post = _finished_scores(cohort.post_test_id, learner_ids, best=True)
    self_means = {
        (row["learner_id"], row["phase"]): Decimal(str(row["mean"])).quantize(Decimal("0.1"))
        for row in SelfAssessment.objects.filter(cohort=cohort)
        .values("learner_id", "phase")
        .annotate(mean=Avg("level"))
    }
    rows = [
        GainRow(
            enrolment=e,
            pre=pre.get(e.learner_id),
            post=post.get(e.learner_id),
            raw=gain.raw_gain(pre.get(e.learner_id), post.get(e.learner_id)),
            normalised=gain.normalised_gain(pre.get(e.learner_id), post.get(e.learner_id)),
            self_before=self_means.get((e.learner_id, Phase.BEFORE)),
            self_after=self_means.get((e.learner_id, Phase.AFTER)),
        )
        for e in view.enrolments
    ]
    answers = list(SurveyResponse.objects.filter(cohort=cohort).values_list("answers", flat=True))
    means: dict[str, Decimal] = {}
    for item in SURVEY_ITEMS:
        values = [int(a[item]) for a in answers if item in a]
        if values:
            means[item] = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))
    return GainReport(
        rows=rows,
        cohort=gain.cohort_gain((r.pre, r.post) for r in rows),
        survey_count=len(answers),
        survey_means=means,
    )
