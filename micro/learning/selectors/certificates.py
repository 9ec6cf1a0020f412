"""Reads of certificates: the completion rules, what the progress page offers, and scoped lookups.

Completion rules. A course is complete for a learner when every live lesson of its live modules
is read and every live activity of those lessons is passed (``ActivityProgress.completed_at``:
the quiz attempt, scenario run or reviewed assignment reached the activity's pass mark). A learner
enrolled in a cohort of the course earns the certificate through the cohort, which also asks for
the cohort's post-test to be done (one finished attempt; the post-test measures learning gain, so
its score is not a pass mark).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.http import Http404

from micro.accounts.permissions import is_coordinator
from micro.learning import permissions
from micro.learning.models import (
    Attempt,
    AttemptStatus,
    Cohort,
    Competence,
    CompetenceScore,
    Course,
    Enrolment,
    RubricCriterion,
)
from micro.learning.models.certificates import Certificate
from micro.learning.selectors.courses import Outline, course_outlines_for_learner


@dataclass
class Completion:
    """Where one learner stands against the certificate rules of one course (or cohort)."""

    course: Course
    cohort: Cohort | None
    lessons_total: int
    lessons_done: int
    post_test_done: bool
    minutes: int = 0
    certificate: Certificate | None = None

    @property
    def post_test_required(self) -> bool:
        return self.cohort is not None and self.cohort.post_test_id is not None

    @property
    def complete(self) -> bool:
        lessons_ok = self.lessons_total > 0 and self.lessons_done == self.lessons_total
        return lessons_ok and (self.post_test_done or not self.post_test_required)

    @property
    def lessons_left(self) -> int:
        return self.lessons_total - self.lessons_done


def _lessons_done(outline: Outline) -> int:
    """Lessons read whose live activities are all passed (not merely tried)."""
    return sum(1 for state in outline.lessons if state.read and all(a.completed for a in state.activities))


def _finished_post_tests(learner: Any, cohorts: list[Cohort]) -> set[int]:
    """Ids of the cohorts (among ``cohorts``) whose post-test ``learner`` has finished, in one query."""
    post_tests = {cohort.post_test_id: cohort.pk for cohort in cohorts if cohort.post_test_id is not None}
    if not post_tests:
        return set()
    finished = (
        Attempt.objects.filter(activity_id__in=list(post_tests), learner=learner)
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    return {post_tests[activity_id] for activity_id in finished}


def completions_for_learner(learner: Any, outlines: list[Outline] | None = None) -> list[Completion]:
    """One entry per course the learner sees (per cohort where they are enrolled), with the
    certificate already issued for it. Three queries besides the outlines, whatever the data size."""
    if outlines is None:
        outlines = course_outlines_for_learner(learner)
    if not getattr(learner, "is_authenticated", False) or not outlines:
        return []
    course_ids = [outline.course.pk for outline in outlines]
    cohorts_by_course: dict[int, list[Cohort]] = {}
    for enrolment in Enrolment.objects.filter(learner=learner, cohort__course_id__in=course_ids).select_related(
        "cohort"
    ):
        cohorts_by_course.setdefault(enrolment.cohort.course_id, []).append(enrolment.cohort)
    finished = _finished_post_tests(learner, [c for cohorts in cohorts_by_course.values() for c in cohorts])
    issued = {
        (certificate.course_id, certificate.cohort_id): certificate
        for certificate in Certificate.objects.filter(learner=learner, course_id__in=course_ids)
    }
    completions = []
    for outline in outlines:
        done = _lessons_done(outline)
        for cohort in cohorts_by_course.get(outline.course.pk, [None]):  # type: ignore[list-item]
            completions.append(
                Completion(
                    course=outline.course,
                    cohort=cohort,
                    lessons_total=len(outline.lessons),
                    lessons_done=done,
                    post_test_done=cohort is not None and cohort.pk in finished,
                    minutes=outline.minutes,
                    certificate=issued.get((outline.course.pk, cohort.pk if cohort else None)),
                )
            )
    return completions


def completion_for(learner: Any, course: Course, cohort: Cohort | None) -> Completion:
    """The learner's standing for one course (or one cohort of it); 404 if they cannot have it:
    a course they do not see, a cohort they are not enrolled in, or the course without the cohort
    when they follow it in a cohort."""
    for completion in completions_for_learner(learner):
        same_cohort = (completion.cohort.pk if completion.cohort else None) == (cohort.pk if cohort else None)
        if completion.course.pk == course.pk and same_cohort:
            return completion
    raise Http404


def certificate_list_for_learner(learner: Any) -> list[Certificate]:
    """Every certificate of the learner, newest first (their texts come from the credential)."""
    if not getattr(learner, "is_authenticated", False):
        return []
    return list(Certificate.objects.filter(learner=learner).select_related("course", "cohort"))


def certificate_get_public(public_id: uuid.UUID) -> Certificate | None:
    """Any certificate by its public id (the verification page shows only what the credential says)."""
    return Certificate.objects.filter(public_id=public_id).first()


def revoked_certificates() -> list[tuple[uuid.UUID, datetime]]:
    """``(public_id, revoked_at)`` of every revoked certificate, oldest revocation first: what the
    public revocation list shows (no names, no reasons). One query on two columns."""
    rows = (
        Certificate.objects.filter(revoked_at__isnull=False)
        .order_by("revoked_at", "public_id")
        .values_list("public_id", "revoked_at")
    )
    return [(public_id, revoked_at) for public_id, revoked_at in rows if revoked_at is not None]


def achievement_get_public(course_slug: str, cohort_id: int | None) -> Certificate:
    """A certificate issued for the achievement (the course, or the course in that cohort), with
    its course and cohort, so the public achievement page answers only for definitions a credential
    points to: no draft course and no cohort name is revealed by guessing addresses. One query;
    404 when there is none."""
    certificates = Certificate.objects.filter(course__slug=course_slug)
    if cohort_id is None:
        certificates = certificates.filter(cohort__isnull=True)
    else:
        certificates = certificates.filter(cohort_id=cohort_id)
    certificate = certificates.select_related("course", "cohort").order_by("pk").first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_get_for_holder(user: Any, public_id: uuid.UUID) -> Certificate:
    """The certificate for its holder, or for those who may see the holder's records; else 404."""
    certificate = Certificate.objects.filter(public_id=public_id).select_related("learner", "course").first()
    if certificate is None or not permissions.can_view_learner_record(user, certificate.learner):
        raise Http404
    return certificate


def can_revoke_certificates(user: Any) -> bool:
    """Revocation is a coordinator's decision."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and is_coordinator(user))


def can_issue_certificate(user: Any, *, learner: Any, cohort: Cohort | None) -> bool:
    """The learner themself, a coordinator, or a trainer of the cohort (for that cohort's learners)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk == learner.pk:
        return permissions.is_learner(user)
    if is_coordinator(user):
        return True
    return cohort is not None and cohort.trainers.filter(pk=user.pk).exists()


def certificate_get_for_revoker(user: Any, public_id: uuid.UUID) -> Certificate:
    if not can_revoke_certificates(user):
        raise Http404
    certificate = Certificate.objects.filter(public_id=public_id).select_related("learner", "course").first()
    if certificate is None:
        raise Http404
    return certificate


@dataclass
class CompetenceResult:
    competence: Competence
    percent: Decimal | None


def course_competences(course: Course) -> list[Competence]:
    """The competences a course develops: those its live lessons, activities, questions and rubric
    criteria are tagged with, in framework order."""
    lessons = Q(lessons__module__course=course, lessons__is_retired=False, lessons__module__is_retired=False)
    activities = Q(
        activities__lesson__module__course=course, activities__is_retired=False, activities__lesson__is_retired=False
    )
    questions = Q(questions__bank__course=course, questions__is_retired=False)
    ids: set[int] = set()
    for developed in (lessons, activities, questions):
        ids |= set(Competence.objects.filter(developed).values_list("pk", flat=True))
    ids |= set(
        RubricCriterion.competences.through.objects.filter(
            rubriccriterion__activity__lesson__module__course=course, rubriccriterion__activity__is_retired=False
        ).values_list("competence_id", flat=True)
    )
    return list(Competence.objects.filter(pk__in=ids).select_related("area").order_by("area__order", "order", "code"))


def competence_results_for(learner: Any, course: Course) -> list[CompetenceResult]:
    """The course's competences with the learner's share of points earned in the course (two queries)."""
    competences = course_competences(course)
    totals = {
        row["competence_id"]: row
        for row in CompetenceScore.objects.filter(
            learner=learner, activity__lesson__module__course=course, competence__in=competences
        )
        .values("competence_id")
        .annotate(points=Sum("points"), max_points=Sum("max_points"))
    }
    results = []
    for competence in competences:
        row = totals.get(competence.pk)
        percent = None
        if row and row["max_points"]:
            percent = (Decimal(100) * row["points"] / row["max_points"]).quantize(Decimal(1))
        results.append(CompetenceResult(competence=competence, percent=percent))
    return results
