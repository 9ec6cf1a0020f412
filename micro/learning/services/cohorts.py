"""Cohorts: enrolment and attendance.

Cohorts, their trainers and schedule are set up by coordinators in the admin; these services do
the writes that carry a rule:

* a learner is enrolled once per cohort, from an organisation in which they hold a role;
* attendance is taken by a trainer of the cohort (or a coordinator) at a live session, only for
  learners enrolled in that cohort; recording the same sheet twice leaves one row per learner.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from micro.accounts.permissions import active_roles
from micro.core.services import audit_record
from micro.learning import permissions
from micro.learning.models import (
    SURVEY_ITEMS,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    Enrolment,
    Phase,
    SelfAssessment,
    SessionKind,
    SurveyResponse,
)


@transaction.atomic
def enrolment_add(*, cohort: Cohort, learner: Any, organisation: Any, actor: Any = None) -> Enrolment:
    if organisation.pk not in active_roles(learner):
        raise ValidationError(_("This person is not a member of that organisation."))
    enrolment, created = Enrolment.objects.get_or_create(
        cohort=cohort, learner=learner, defaults={"organisation": organisation}
    )
    if created:
        audit_record(action="learning.enrolment_add", actor=actor, obj=enrolment, organisation_id=organisation.pk)
    return enrolment


@transaction.atomic
def attendance_record(*, session: CohortSession, by: Any, statuses: dict[int, str]) -> int:
    """Record ``{learner_id: status}`` for a live session; returns the number of rows changed."""
    if session.kind != SessionKind.LIVE:
        raise ValidationError(_("Attendance is taken at live sessions only."))
    trainer_ids = set(session.cohort.trainers.values_list("pk", flat=True))
    if not permissions.can_manage_cohort(by, trainer_ids=trainer_ids):
        raise PermissionDenied
    enrolled = set(session.cohort.enrolments.values_list("learner_id", flat=True))
    if not set(statuses) <= enrolled:
        raise ValidationError(_("Someone on this list is not in the cohort."))
    if not set(statuses.values()) <= set(AttendanceStatus.values):
        raise ValidationError(_("Select a valid choice."))
    existing = {a.learner_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
    changed = 0
    for learner_id, status in statuses.items():
        row = existing.get(learner_id)
        if row is None:
            Attendance.objects.create(session=session, learner_id=learner_id, status=status, recorded_by=by)
            changed += 1
        elif row.status != status:
            row.status = status
            row.recorded_by = by
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
            changed += 1
    if changed:
        audit_record(action="learning.attendance_record", actor=by, obj=session, detail={"changed": changed})
    return changed


@transaction.atomic
def self_assessment_save(*, enrolment: Enrolment, phase: str, levels: dict[int, int]) -> int:
    """Save the learner's 1-5 rating of each competence of the course for ``phase``. Saving the
    same answers again changes nothing; returns the number of rows written."""
    from micro.learning.selectors.cohorts import cohort_competences

    if phase not in Phase.values:
        raise ValidationError(_("Select a valid choice."))
    allowed = {c.pk for c in cohort_competences(enrolment.cohort)}
    if not set(levels) <= allowed or not all(isinstance(v, int) and 1 <= v <= 5 for v in levels.values()):
        raise ValidationError(_("Select a valid choice."))
    existing = {
        s.competence_id: s
        for s in SelfAssessment.objects.select_for_update().filter(
            cohort=enrolment.cohort, learner=enrolment.learner, phase=phase
        )
    }
    written = 0
    for competence_id, level in levels.items():
        row = existing.get(competence_id)
        if row is None:
            SelfAssessment.objects.create(
                cohort=enrolment.cohort,
                learner=enrolment.learner,
                phase=phase,
                competence_id=competence_id,
                level=level,
            )
            written += 1
        elif row.level != level:
            row.level = level
            row.save(update_fields=["level", "updated_at"])
            written += 1
    return written


MAX_SURVEY_COMMENT = 2000


def survey_submit(*, enrolment: Enrolment, answers: dict[str, int], comment: str) -> SurveyResponse:
    """One response per learner and cohort; a second one is refused and changes nothing."""
    if set(answers) != set(SURVEY_ITEMS) or not all(isinstance(v, int) and 1 <= v <= 5 for v in answers.values()):
        raise ValidationError(_("Select a valid choice."))
    if len(comment) > MAX_SURVEY_COMMENT:
        raise ValidationError(_("The comment is too long."))
    response = SurveyResponse(cohort=enrolment.cohort, learner=enrolment.learner, answers=answers, comment=comment)
    try:
        with transaction.atomic():
            if SurveyResponse.objects.filter(cohort=enrolment.cohort, learner=enrolment.learner).exists():
                raise IntegrityError
            response.full_clean(exclude=["cohort", "learner"])
            response.save()
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None
    return response
