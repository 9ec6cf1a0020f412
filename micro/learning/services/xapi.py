"""Writes of xAPI learning records: record a statement for each learning event, forward to an LRS.

Recording: each learning service calls one ``xapi_<event>`` function. It builds and validates the
statement at once (inside the caller's transaction, so it sees the same rows) and stores it with
``transaction.on_commit``: a write that is rolled back records nothing. The statement id comes
from the event, so a doubled event stores one statement. A statement that fails validation is a
programming error: it is logged and skipped, and never blocks the learner.

Forwarding (:func:`statements_forward`): when ``XAPI_LRS_ENDPOINT`` is set, pending statements are
POSTed in batches to ``<endpoint>/statements`` (xAPI 1.0.3, basic auth). A run first *claims* its
batch with one conditional UPDATE, so two runs at the same time never send the same statement; a
sent batch is marked forwarded and never sent again; a failed batch stays pending with its error
and the run stops, to be retried by the next run; a batch the store refuses is sent one by one,
so one bad statement never blocks the queue. The one way to send a statement twice is a run that
outlives its claim (a store slower than the lease); the copy has the same statement id, which an
LRS must not store twice (xAPI 1.0.3, 2.2.1).
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from micro.learning import xapi
from micro.learning.models import Activity, Attempt, Cohort, Enrolment, Lesson, LessonProgress, Review, ScenarioRun
from micro.learning.models import Submission as AssignmentSubmission
from micro.learning.models.xapi import XapiStatement
from micro.learning.scoring import passed
from micro.learning.xapi import ActivityRef, Score

logger = logging.getLogger(__name__)

ERROR_LENGTH = 500


# --- references to the content ---------------------------------------------------------------


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _course_ref(course: Any) -> ActivityRef:
    return ActivityRef(xapi.activity_iri("courses", course.slug), "course", xapi.names_of(course.translations))


def _module_ref(module: Any) -> ActivityRef:
    return ActivityRef(
        xapi.activity_iri("courses", module.course.slug, "modules", module.slug),
        "module",
        xapi.names_of(module.translations),
    )


def _lesson_ref(lesson: Lesson) -> ActivityRef:
    module = lesson.module
    return ActivityRef(
        xapi.activity_iri("courses", module.course.slug, "modules", module.slug, "lessons", lesson.slug),
        "lesson",
        xapi.names_of(lesson.translations),
    )


def _activity_ref(activity: Activity) -> ActivityRef:
    lesson = activity.lesson
    module = lesson.module
    return ActivityRef(
        xapi.activity_iri(
            "courses", module.course.slug, "modules", module.slug, "lessons", lesson.slug, "activities", activity.slug
        ),
        str(activity.kind),
        xapi.names_of(activity.translations),
    )


def _cohort_ref(cohort: Cohort, language: str) -> ActivityRef:
    return ActivityRef(xapi.activity_iri("cohorts", str(cohort.pk)), "cohort", {language: cohort.name})


def _learner_cohort(learner_id: int, course_id: int) -> Cohort | None:
    """The cohort in which the learner follows the course (the latest one if several)."""
    enrolment = (
        Enrolment.objects.filter(learner_id=learner_id, cohort__course_id=course_id)
        .select_related("cohort")
        .order_by("-cohort__starts_on", "-cohort_id")
        .first()
    )
    return enrolment.cohort if enrolment is not None else None


# --- recording -------------------------------------------------------------------------------


def _store(*, statement: dict[str, Any], learner_id: int, cohort_id: int | None, timestamp: datetime) -> None:
    row = XapiStatement(
        statement_id=statement["id"],
        learner_id=learner_id,
        cohort_id=cohort_id,
        verb=statement["verb"]["id"],
        statement=statement,
        timestamp=timestamp,
    )
    row.full_clean(exclude=["learner", "cohort"], validate_unique=False, validate_constraints=False)
    # The same event again (a retried request, a doubled click) has the same id: ignored.
    XapiStatement.objects.bulk_create([row], ignore_conflicts=True)
    if lrs_configured():
        from micro.learning.tasks_xapi import xapi_forward_pending

        xapi_forward_pending.enqueue()


def _record(
    *,
    event_key: str,
    learner_id: int,
    verb: xapi.Verb,
    target: ActivityRef,
    course: Any,
    timestamp: datetime,
    parents: list[ActivityRef] | None = None,
    cohort: Cohort | None = None,
    instructor_id: int | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Build and validate now; store once the caller's transaction commits."""
    language = _language()
    if cohort is None:
        cohort = _learner_cohort(learner_id, course.pk)
    grouping = [_course_ref(course)]
    if cohort is not None:
        grouping.append(_cohort_ref(cohort, language))
    try:
        statement = xapi.build_statement(
            event_key=event_key,
            learner_id=learner_id,
            verb=verb,
            target=target,
            timestamp=timestamp,
            language=language,
            parents=parents,
            grouping=grouping,
            cohort_id=cohort.pk if cohort is not None else None,
            instructor_id=instructor_id,
            result=result,
        )
    except xapi.StatementInvalid:
        logger.exception("xAPI statement for %s is invalid and was not recorded", event_key)
        return None
    cohort_id = cohort.pk if cohort is not None else None
    transaction.on_commit(
        lambda: _store(statement=statement, learner_id=learner_id, cohort_id=cohort_id, timestamp=timestamp)
    )
    return statement


def xapi_lesson_read(*, progress: LessonProgress, lesson: Lesson | None = None) -> dict[str, Any] | None:
    """The learner read the lesson (verb ``experienced``)."""
    if progress.read_at is None:
        return None
    lesson = lesson or progress.lesson
    return _record(
        event_key=f"lesson-read:{progress.learner_id}:{lesson.pk}",
        learner_id=progress.learner_id,
        verb=xapi.EXPERIENCED,
        target=_lesson_ref(lesson),
        course=lesson.module.course,
        timestamp=progress.read_at,
        parents=[_module_ref(lesson.module)],
    )


def xapi_lesson_completed(*, progress: LessonProgress, lesson: Lesson | None = None) -> dict[str, Any] | None:
    """The lesson is complete: read, and every activity of it completed (verb ``completed``)."""
    if progress.completed_at is None:
        return None
    lesson = lesson or progress.lesson
    return _record(
        event_key=f"lesson-completed:{progress.learner_id}:{lesson.pk}",
        learner_id=progress.learner_id,
        verb=xapi.COMPLETED,
        target=_lesson_ref(lesson),
        course=lesson.module.course,
        timestamp=progress.completed_at,
        parents=[_module_ref(lesson.module)],
        result={"completion": True},
    )


def xapi_attempt_finished(*, attempt: Attempt) -> dict[str, Any] | None:
    """A quiz attempt was submitted (or closed at its time limit): ``passed`` or ``failed``, with the score."""
    if attempt.finished_at is None:
        return None
    activity = attempt.activity
    result: dict[str, Any] = {
        "score": Score(attempt.points, attempt.max_points, attempt.percent).as_xapi(),
        "success": bool(attempt.passed),
        "completion": True,
        "duration": xapi.iso_duration(attempt.finished_at - attempt.created_at),
        "extensions": {
            xapi.extension_iri("attempt-number"): attempt.number,
            xapi.extension_iri("closed-at-time-limit"): attempt.status == "timed_out",
        },
    }
    return _record(
        event_key=f"attempt:{attempt.pk}",
        learner_id=attempt.learner_id,
        verb=xapi.PASSED if attempt.passed else xapi.FAILED,
        target=_activity_ref(activity),
        course=activity.lesson.module.course,
        timestamp=attempt.finished_at,
        parents=[_lesson_ref(activity.lesson)],
        result=result,
    )


def xapi_scenario_run_finished(*, run: ScenarioRun) -> dict[str, Any] | None:
    """A scenario run reached its end (verb ``completed``), with its score per competence."""
    if run.finished_at is None:
        return None
    activity = run.activity
    points = sum((Decimal(pair[0]) for pair in (run.scores or {}).values()), Decimal(0))
    maximum = sum((Decimal(pair[1]) for pair in (run.scores or {}).values()), Decimal(0))
    result: dict[str, Any] = {
        "score": Score(points, maximum, run.percent).as_xapi(),
        "success": passed(run.percent, activity.pass_percent),
        "completion": True,
        "duration": xapi.iso_duration(run.finished_at - run.created_at),
        "extensions": {
            xapi.extension_iri("run-number"): run.number,
            xapi.extension_iri("path"): [f"{step['node']}:{step['choice']}" for step in run.path or []],
            xapi.extension_iri("competence-scores"): {
                code: {"raw": float(pair[0]), "max": float(pair[1])}
                for code, pair in sorted((run.scores or {}).items())
            },
        },
    }
    return _record(
        event_key=f"scenario-run:{run.pk}",
        learner_id=run.learner_id,
        verb=xapi.COMPLETED,
        target=_activity_ref(activity),
        course=activity.lesson.module.course,
        timestamp=run.finished_at,
        parents=[_lesson_ref(activity.lesson)],
        result=result,
    )


def xapi_submission_submitted(*, submission: AssignmentSubmission) -> dict[str, Any] | None:
    """A version of an assignment was handed in (verb ``submit``). The work itself stays here."""
    activity = submission.activity
    return _record(
        event_key=f"submission:{submission.pk}",
        learner_id=submission.learner_id,
        verb=xapi.SUBMITTED,
        target=_activity_ref(activity),
        course=activity.lesson.module.course,
        timestamp=submission.created_at,
        parents=[_lesson_ref(activity.lesson)],
        result={"extensions": {xapi.extension_iri("version"): submission.number}},
    )


def xapi_submission_reviewed(*, review: Review) -> dict[str, Any] | None:
    """A trainer reviewed the work: ``passed`` (accepted) or ``failed`` (returned), with the rubric score.

    The learner is the actor; the reviewer appears, pseudonymous, as the context's instructor.
    """
    submission = review.submission
    activity = submission.activity
    accepted = review.decision == "passed"
    result = {
        "score": Score(review.points, review.max_points, review.percent).as_xapi(),
        "success": accepted,
        "completion": accepted,
        "extensions": {
            xapi.extension_iri("version"): submission.number,
            xapi.extension_iri("decision"): str(review.decision),
        },
    }
    return _record(
        event_key=f"review:{review.pk}",
        learner_id=submission.learner_id,
        verb=xapi.PASSED if accepted else xapi.FAILED,
        target=_activity_ref(activity),
        course=activity.lesson.module.course,
        timestamp=review.created_at,
        parents=[_lesson_ref(activity.lesson)],
        instructor_id=review.reviewer_id,
        result=result,
    )


def xapi_certificate_earned(*, certificate: Any) -> dict[str, Any] | None:
    """The learner earned the course certificate (verb ``earned``); for the certificate service.

    The object is the course's certificate. The certificate's public id stays out of the
    statement: it opens the public verification page, which shows the holder's name, so anyone
    reading the record store could put a name on the pseudonym and on all its statements.
    """
    course = certificate.course
    cohort = certificate.cohort if certificate.cohort_id else None
    target = ActivityRef(
        xapi.activity_iri("courses", course.slug, "certificate"), "certificate", xapi.names_of(course.translations)
    )
    return _record(
        event_key=f"certificate:{certificate.public_id}",
        learner_id=certificate.learner_id,
        verb=xapi.EARNED,
        target=target,
        course=course,
        timestamp=certificate.issued_at,
        cohort=cohort,
        result={"success": True, "completion": True},
    )


# --- forwarding ------------------------------------------------------------------------------

DEFAULT_MAX_FORWARD_ATTEMPTS = 5
# Answers that say "this request is refused", not "the store is unavailable": the batch holds a
# statement the store will never accept (400), one whose id it already has (409), or it is too
# large (413). Sending one by one finds the culprit; the rest goes on.
_REFUSED_STATUSES = frozenset({400, 409, 413, 422})


def lrs_configured() -> bool:
    return bool(getattr(settings, "XAPI_LRS_ENDPOINT", ""))


def lrs_statements_url() -> str:
    return str(settings.XAPI_LRS_ENDPOINT).rstrip("/") + "/statements"


def max_forward_attempts() -> int:
    """After this many refusals a statement is *parked*: kept, shown in the admin, never sent again."""
    return max(1, int(getattr(settings, "XAPI_LRS_MAX_ATTEMPTS", DEFAULT_MAX_FORWARD_ATTEMPTS)))


@dataclass
class ForwardReport:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    parked: int = 0
    error: str = ""


class ForwardError(Exception):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def refused(self) -> bool:
        """The store refused these statements (as opposed to being down, misconfigured or denying us)."""
        return self.status in _REFUSED_STATUSES

    @property
    def already_stored(self) -> bool:
        return self.status == 409


def _post(url: str, body: bytes) -> None:
    """POST one batch; raises :class:`ForwardError` unless the store answers 2xx."""
    if not url.startswith(("http://", "https://")):
        raise ForwardError("XAPI_LRS_ENDPOINT must start with http:// or https://")
    credentials = f"{settings.XAPI_LRS_USERNAME}:{settings.XAPI_LRS_PASSWORD}".encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": xapi.XAPI_VERSION,
            "Authorization": "Basic " + base64.b64encode(credentials).decode("ascii"),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.XAPI_LRS_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").strip()
        raise ForwardError(f"HTTP {error.code} from the record store: {detail}".strip(), status=error.code) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ForwardError(f"The record store could not be reached: {reason}") from None
    if not 200 <= status < 300:
        raise ForwardError(f"HTTP {status} from the record store", status=status)


def _claimable(now: datetime) -> Q:
    return (
        Q(forwarded_at__isnull=True)
        & Q(forward_attempts__lt=max_forward_attempts())
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def _lease(now: datetime, requests: int = 1) -> datetime:
    """How long a claim holds: long enough for ``requests`` POSTs at their time limit, and a margin.

    Short, so the statements of a run that crashed go with the next run."""
    return now + timedelta(seconds=requests * (2 * settings.XAPI_LRS_TIMEOUT) + 60)


def _claim(batch_size: int, now: datetime, skip: set[int]) -> tuple[str, list[XapiStatement]]:
    """Claim up to ``batch_size`` pending statements for this run (one conditional UPDATE).

    The UPDATE repeats the "not claimed" condition, so of two runs that picked the same rows only
    the first to write gets them (PostgreSQL re-checks the condition on rows another transaction
    just changed; SQLite runs one writer at a time); the other run then reads back none of them.
    """
    token = secrets.token_hex(16)
    candidate_ids = list(
        XapiStatement.objects.filter(_claimable(now))
        .exclude(pk__in=skip)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not candidate_ids:
        return token, []
    XapiStatement.objects.filter(_claimable(now), pk__in=candidate_ids).update(
        claim_token=token, claimed_until=_lease(now)
    )
    return token, list(XapiStatement.objects.filter(claim_token=token, forwarded_at__isnull=True).order_by("pk"))


def _body(rows: list[XapiStatement]) -> bytes:
    return json.dumps([row.statement for row in rows], ensure_ascii=False).encode("utf-8")


def _mark_sent(claimed: Any, note: str = "") -> None:
    claimed.update(
        forwarded_at=timezone.now(),
        forward_attempts=F("forward_attempts") + 1,
        last_error=note,
        claim_token="",
        claimed_until=None,
    )


def _mark_failed(claimed: Any, error: str) -> None:
    claimed.update(forward_attempts=F("forward_attempts") + 1, last_error=error, claim_token="", claimed_until=None)


def _send_one_by_one(url: str, token: str, rows: list[XapiStatement], report: ForwardReport, skip: set[int]) -> bool:
    """The store refused a batch: send its statements alone, so one bad statement stops only itself.

    Returns ``False`` when the store itself failed meanwhile (the run stops; the rest is released)."""
    XapiStatement.objects.filter(claim_token=token).update(claimed_until=_lease(timezone.now(), len(rows)))
    for row in rows:
        mine = XapiStatement.objects.filter(pk=row.pk, claim_token=token)
        try:
            _post(url, _body([row]))
        except ForwardError as error:
            if error.already_stored:  # our ids are derived from the event: the store has this one
                _mark_sent(mine, note=str(error)[:ERROR_LENGTH])
                report.sent += 1
                continue
            report.failed += 1
            report.error = str(error)[:ERROR_LENGTH]
            _mark_failed(mine, report.error)
            skip.add(row.pk)
            if not error.refused:
                XapiStatement.objects.filter(claim_token=token).update(claim_token="", claimed_until=None)
                return False
            logger.warning("The record store refused xAPI statement %s: %s", row.statement_id, report.error)
            continue
        _mark_sent(mine)
        report.sent += 1
    return True


def statements_forward(
    *, batch_size: int | None = None, max_batches: int | None = None, now: datetime | None = None
) -> ForwardReport:
    """Send pending statements to the external record store, batch by batch, until none is left.

    When the store is down, denies us or cannot be reached, the run stops: that batch stays
    pending with the error, for the next run. When it *refuses* a batch (400, 409, 413, 422), the
    batch's statements are sent one by one, so a statement it will never accept does not hold
    back the others; such a statement is tried again by later runs and parked after
    ``XAPI_LRS_MAX_ATTEMPTS`` (default 5) refusals. Does nothing when no store is configured.
    """
    report = ForwardReport()
    if not lrs_configured():
        return report
    batch_size = max(1, batch_size or settings.XAPI_LRS_BATCH_SIZE)
    max_batches = max(1, max_batches or settings.XAPI_LRS_MAX_BATCHES)
    url = lrs_statements_url()
    skip: set[int] = set()  # refused in this run: not tried again until the next one
    for _batch in range(max_batches):
        moment = now or timezone.now()
        token, rows = _claim(batch_size, moment, skip)
        if not rows:
            break
        claimed = XapiStatement.objects.filter(claim_token=token, pk__in=[row.pk for row in rows])
        try:
            _post(url, _body(rows))
        except ForwardError as error:
            if error.refused and len(rows) > 1:
                if _send_one_by_one(url, token, rows, report, skip):
                    continue
                break
            if error.already_stored:
                _mark_sent(claimed, note=str(error)[:ERROR_LENGTH])
                report.sent += len(rows)
                continue
            report.failed += len(rows)
            report.error = str(error)[:ERROR_LENGTH]
            _mark_failed(claimed, report.error)
            logger.warning("xAPI forwarding failed for %d statements: %s", len(rows), report.error)
            if error.refused:
                skip.update(row.pk for row in rows)
                continue
            break
        _mark_sent(claimed)
        report.sent += len(rows)
    waiting = XapiStatement.objects.filter(forwarded_at__isnull=True)
    report.pending = waiting.count()
    report.parked = waiting.filter(forward_attempts__gte=max_forward_attempts()).count()
    return report
