"""Assignments: learners submit text or a checked file; trainers review against the rubric.

* A learner has at most one submission waiting for review; after a review that returns the work,
  they may submit a new version (``number`` + 1); after an accepted review, nothing more.
* ``max_attempts`` limits the number of versions.
* A submission is reviewed once (a doubled review form is refused and changes nothing); every
  criterion of the rubric needs one of its own levels.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.core.services import audit_record
from micro.learning import permissions, selectors
from micro.learning.models import (
    Activity,
    ActivityKind,
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionMode,
    SubmissionStatus,
)
from micro.learning.scoring import Tally, percent, rubric_total
from micro.learning.services.progress import activity_progress_lock, activity_result_record
from micro.learning.services.xapi import xapi_submission_reviewed, xapi_submission_submitted
from micro.learning.uploads import UploadError, check_upload

MAX_TEXT_LENGTH = 20_000
MAX_COMMENT_LENGTH = 5_000


def upload_error_message(code: str) -> str:
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than 5 MB. Make it smaller (for example save it as PDF) and try again."),
        "unknown_type": _(
            "This file type is not accepted. Send a PDF, a Word document (.docx), an OpenDocument text (.odt) or a plain text file (.txt)."
        ),
        "extension_mismatch": _(
            "The file's content does not match its name's extension. Save it again in the right format."
        ),
    }
    return messages.get(code, messages["unknown_type"])


@transaction.atomic
def submission_submit(
    *, activity: Activity, learner: Any, text: str = "", upload: Any = None, now: datetime | None = None
) -> Submission:
    """Hand in a (new version of the) assignment."""
    now = now or timezone.now()
    if activity.kind != ActivityKind.ASSIGNMENT:
        raise ValidationError(_("This activity is not an assignment."))
    text = (text or "").strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_("The text is too long."))
    if activity.submission_mode == SubmissionMode.TEXT and not text:
        raise ValidationError(_("Write your answer in the text box."))
    if activity.submission_mode == SubmissionMode.FILE and upload is None:
        raise ValidationError(_("Choose a file to upload."))
    if not text and upload is None:
        raise ValidationError(_("Write your answer or choose a file to upload."))
    if activity.submission_mode == SubmissionMode.TEXT and upload is not None:
        raise ValidationError(_("This assignment takes text only."))
    checked = None
    if upload is not None:
        try:
            checked = check_upload(upload)
        except UploadError as error:
            raise ValidationError(upload_error_message(error.code)) from None
    activity_progress_lock(activity=activity, learner=learner)
    if selectors.lesson_prerequisites_missing(learner, activity.lesson):
        raise ValidationError(_("Complete the lessons this one builds on first."))
    previous = Submission.objects.filter(activity=activity, learner=learner).order_by("-number").first()
    if previous is not None and previous.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Your work is already handed in and waits for review."))
    if previous is not None and previous.status == SubmissionStatus.PASSED:
        raise ValidationError(_("This assignment is already accepted."))
    used = previous.number if previous else 0
    if activity.max_attempts is not None and used >= activity.max_attempts:
        raise ValidationError(
            ngettext(
                "You have handed in the %(count)d version this assignment allows.",
                "You have handed in all %(count)d versions this assignment allows.",
                activity.max_attempts,
            )
            % {"count": activity.max_attempts}
        )
    submission = Submission(activity=activity, learner=learner, number=used + 1, text=text)
    if checked is not None:
        submission.file_name = checked.name
        submission.file_type = checked.kind
        submission.file_size = checked.size
    submission.full_clean(exclude=["file"])
    if checked is not None:
        upload.seek(0)
        # A random stored name: the learner's file name is kept only as a label.
        submission.file.save(f"{uuid.uuid4().hex}.{checked.kind}", ContentFile(upload.read()), save=False)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        if submission.file:
            submission.file.delete(save=False)
        raise ValidationError(_("Your work is already handed in and waits for review.")) from None
    xapi_submission_submitted(submission=submission)
    return submission


@transaction.atomic
def submission_review(
    *,
    submission: Submission,
    reviewer: Any,
    levels: dict[int, int],
    comments: dict[int, str] | None = None,
    overall: str = "",
    decision: str,
    request: Any = None,
    now: datetime | None = None,
) -> Review:
    """Review ``submission``: one level per rubric criterion, comments, accept or return it."""
    now = now or timezone.now()
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("activity__lesson", "learner")
        .get(pk=submission.pk)
    )
    if not permissions.can_review_submission(reviewer, locked):
        raise ValidationError(_("You cannot review this learner's work."))
    if locked.status != SubmissionStatus.SUBMITTED or Review.objects.filter(submission=locked).exists():
        raise ValidationError(_("This submission has already been reviewed."))
    if decision not in ReviewDecision.values:
        raise ValidationError(_("Choose whether to accept the work or return it."))
    if len(overall or "") > MAX_COMMENT_LENGTH:
        raise ValidationError(_("The comments are too long."))
    criteria = selectors.rubric_for(locked.activity)
    chosen = []
    for criterion in criteria:
        level_id = levels.get(criterion.pk)
        level = next((lvl for lvl in criterion.levels.all() if lvl.pk == level_id), None)
        if level is None:
            raise ValidationError(_("Choose a level for every criterion."))
        comment = ((comments or {}).get(criterion.pk) or "").strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            raise ValidationError(_("The comments are too long."))
        chosen.append((criterion, level, comment))
    maxima = [max((lvl.points for lvl in criterion.levels.all()), default=Decimal(0)) for criterion in criteria]
    points, maximum = rubric_total([level.points for _criterion, level, _comment in chosen], maxima)
    review = Review(
        submission=locked,
        reviewer=reviewer,
        decision=decision,
        comments=(overall or "").strip(),
        points=points,
        max_points=maximum,
        percent=percent(points, maximum),
    )
    review.full_clean()
    review.save()
    tally = Tally()
    for (criterion, level, comment), criterion_max in zip(chosen, maxima, strict=True):
        score = ReviewScore(review=review, criterion=criterion, level=level, points=level.points, comment=comment)
        score.full_clean()
        score.save()
        for competence in criterion.competences.all():
            tally.add(competence.code, level.points, criterion_max)
    locked.status = SubmissionStatus.PASSED if decision == ReviewDecision.PASSED else SubmissionStatus.RETURNED
    locked.full_clean()
    locked.save(update_fields=["status", "updated_at"])
    activity_result_record(
        activity=locked.activity,
        learner=locked.learner,
        result_percent=review.percent,
        completed=decision == ReviewDecision.PASSED,
        tally=tally,
        replace_scores="latest",
        now=now,
    )
    audit_record(
        action="learning.submission.review",
        actor=reviewer,
        obj=locked,
        request=request,
        detail={"decision": decision, "percent": str(review.percent)},
    )
    xapi_submission_reviewed(review=review)
    return review
