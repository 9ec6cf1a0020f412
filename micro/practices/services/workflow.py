"""The review workflow: the only place that changes a practice's status."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from micro.core.content_i18n import STATUS_REVIEWED
from micro.practices import permissions
from micro.practices.models import (
    CRITERIA,
    LONG_TEXT_LIMIT,
    Decision,
    Practice,
    Review,
    ReviewerAssignment,
    Status,
)
from micro.practices.services._common import (
    ALLOWED,
    TransitionError,
    _audit,
    _ensure,
    _log,
    field_label,
    missing_for_submission,
)


def _move(*, practice: Practice, to: str, user: Any, comment: str = "", request: HttpRequest | None = None) -> Practice:
    """The only status change: checks ``ALLOWED`` on the locked row, logs and audits the move."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if to not in ALLOWED[locked.status]:
        raise TransitionError(
            _("A practice that is “%(current)s” cannot become “%(next)s”.")
            % {"current": Status(locked.status).label, "next": Status(to).label},
            code="transition",
        )
    from_status = locked.status
    locked.status = to
    now = timezone.now()
    if to == Status.SUBMITTED:
        locked.submitted_at = now
        locked.review_round += 1
    if to == Status.PUBLISHED:
        locked.published_at = locked.published_at or now
        original = locked.translations.get(locked.original_language, {})
        locked.translations = {**locked.translations, locked.original_language: {**original, "status": STATUS_REVIEWED}}
    locked.full_clean()
    locked.save()
    _log(practice=locked, from_status=from_status, to_status=to, user=user, comment=comment)
    _audit(f"practice.{to}", user=user, practice=locked, request=request, **{"from": from_status, "to": to})
    return locked


@transaction.atomic
def practice_submit(*, user: Any, practice: Practice, request: HttpRequest | None = None) -> Practice:
    """Send a draft (or a returned practice, after changes) to review."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    _ensure(locked.organisation_id in permissions.editable_organisation_ids(user))
    if locked.status in permissions.EDITABLE:
        missing = missing_for_submission(locked)
        if missing:
            raise ValidationError(
                _("Fill in these parts before you submit: %(parts)s.")
                % {"parts": ", ".join(str(field_label(name)) for name in missing)},
                code="incomplete",
            )
    return _move(practice=locked, to=Status.SUBMITTED, user=user, request=request)


@transaction.atomic
def practice_start_review(*, user: Any, practice: Practice, request: HttpRequest | None = None) -> Practice:
    locked = Practice.objects.select_for_update().prefetch_related("assignments").get(pk=practice.pk)
    _ensure(permissions.is_eligible_reviewer(user, locked))
    return _move(practice=locked, to=Status.IN_REVIEW, user=user, request=request)


@transaction.atomic
def review_submit(
    *,
    user: Any,
    practice: Practice,
    scores: dict[str, int],
    comments: dict[str, str],
    comment: str,
    decision: str,
    request: HttpRequest | None = None,
) -> Review:
    """Score the practice on the rubric and publish it or return it to the authors.

    A practice still "submitted" is moved to "in review" first (both moves are logged).
    """
    locked = Practice.objects.select_for_update().prefetch_related("assignments").get(pk=practice.pk)
    _ensure(permissions.is_eligible_reviewer(user, locked))
    if locked.status not in permissions.REVIEWABLE:
        raise TransitionError(_("This practice is not waiting for a review."), code="transition")
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose publish or return.")})
    comment = (comment or "").strip()
    if decision == Decision.RETURN and not comment:
        raise ValidationError({"comment": _("Tell the authors what to change.")})
    if locked.status == Status.SUBMITTED:
        locked = _move(practice=locked, to=Status.IN_REVIEW, user=user, request=request)
    review = Review(
        practice=locked, reviewer=user, round=locked.review_round, decision=decision, comment=comment[:LONG_TEXT_LIMIT]
    )
    for key, _label, _help in CRITERIA:
        score = scores.get(key)
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise ValidationError({key: _("Give a score from 1 to 5.")})
        setattr(review, key, score)
        setattr(review, f"{key}_comment", str(comments.get(key, "") or "").strip()[:LONG_TEXT_LIMIT])
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        raise TransitionError(_("You already reviewed this round."), code="transition") from error
    to = Status.PUBLISHED if decision == Decision.PUBLISH else Status.RETURNED
    _move(practice=locked, to=to, user=user, comment=comment, request=request)
    return review


@transaction.atomic
def reviewer_assign(
    *, user: Any, practice: Practice, reviewer: Any, request: HttpRequest | None = None
) -> ReviewerAssignment:
    """A coordinator names an expert to review ``practice`` (once; naming again changes nothing)."""
    _ensure(permissions.can_assign_reviewers(user, practice))
    if reviewer is None or not reviewer.is_active:
        raise ValidationError({"email": _("We found no active account with this email address.")})
    if permissions.is_own_practice(reviewer, practice):
        raise ValidationError(
            {"email": _("This person belongs to the organisation of the practice and cannot review it.")}
        )
    assignment, created = ReviewerAssignment.objects.get_or_create(
        practice=practice, reviewer=reviewer, defaults={"assigned_by": user}
    )
    if created:
        _audit("practice.assign_reviewer", user=user, practice=practice, request=request, reviewer=reviewer.pk)
    return assignment


@transaction.atomic
def reviewer_unassign(*, user: Any, practice: Practice, assignment_id: int, request: HttpRequest | None = None) -> None:
    _ensure(permissions.can_assign_reviewers(user, practice))
    deleted, _rows = ReviewerAssignment.objects.filter(practice=practice, pk=assignment_id).delete()
    if deleted:
        _audit("practice.unassign_reviewer", user=user, practice=practice, request=request, assignment=assignment_id)
