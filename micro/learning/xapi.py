"""xAPI 1.0.3 statements of learning events: build them from plain values and validate them.

No database access here; :mod:`micro.learning.services.xapi` gathers the values and stores the
result. Conventions every statement follows, so any learning record store can read them:

* **actor**: an ``account`` whose ``homePage`` is the platform's URL (``SITE_URL``) and whose
  ``name`` is an opaque pseudonym (a keyed hash of the user id), never an email or a name;
* **verb**: IRIs of the ADL vocabulary, Activity Streams (``submit``) and the Tin Can registry
  (``earned``);
* **object**: an Activity whose id lives under ``<SITE_URL>/xapi/activities/`` and is built from
  the content's stable slugs, so ids stay the same across imports and installations;
* **context**: the cohort as ``registration`` (a UUID derived from it) and in ``grouping`` next to
  the course, the lesson's module as ``parent``, and the language the learner used;
* **id**: a UUID derived from the event (e.g. ``attempt:42``), so recording an event twice yields
  the same statement, and a record store that already has it ignores the copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.crypto import salted_hmac
from langcodes import tag_is_valid
from pydantic import ValidationError as PydanticValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

XAPI_VERSION = "1.0.3"
PLATFORM_NAME = "M.I.C.R.O."


@dataclass(frozen=True)
class Verb:
    iri: str
    display: str


EXPERIENCED = Verb("http://adlnet.gov/expapi/verbs/experienced", "experienced")
COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed")
PASSED = Verb("http://adlnet.gov/expapi/verbs/passed", "passed")
FAILED = Verb("http://adlnet.gov/expapi/verbs/failed", "failed")
SUBMITTED = Verb("http://activitystrea.ms/schema/1.0/submit", "submitted")
EARNED = Verb("http://id.tincanapi.com/verb/earned", "earned")

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "scenario": "http://adlnet.gov/expapi/activities/simulation",
    "assignment": "http://adlnet.gov/expapi/activities/performance",
    "cohort": "http://activitystrea.ms/schema/1.0/group",  # the registry's group (Activity Streams)
    "certificate": "http://id.tincanapi.com/activitytype/certificate",
}


class StatementInvalid(ValueError):
    """A built statement that the xAPI models refuse (a programming error, never the learner's)."""


def platform_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def _namespace() -> uuid.UUID:
    """Per installation, so two platforms never derive the same statement id for their events."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{platform_url()}/xapi")


def statement_id(event_key: str) -> uuid.UUID:
    """The statement id of an event, e.g. ``attempt:42``: the same event always gives the same id."""
    return uuid.uuid5(_namespace(), event_key)


def registration_id(cohort_id: int) -> uuid.UUID:
    return uuid.uuid5(_namespace(), f"cohort:{cohort_id}")


def pseudonym(user_id: int) -> str:
    """An opaque, stable name for the learner: a keyed hash of the id, useless without the key."""
    key = getattr(settings, "XAPI_PSEUDONYM_KEY", "") or settings.SECRET_KEY
    return salted_hmac("micro.learning.xapi.actor", str(user_id), secret=key, algorithm="sha256").hexdigest()[:32]


def actor(user_id: int) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": platform_url(), "name": pseudonym(user_id)}}


def activity_iri(*parts: str) -> str:
    return f"{platform_url()}/xapi/activities/" + "/".join(quote(str(part), safe="") for part in parts)


@dataclass(frozen=True)
class ActivityRef:
    """An xAPI Activity: its id, its type (a key of :data:`ACTIVITY_TYPES`) and its names by language."""

    iri: str
    kind: str
    names: dict[str, str]

    def as_xapi(self) -> dict[str, Any]:
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES[self.kind]}
        names = {language: name.strip()[:250] for language, name in self.names.items() if name and name.strip()}
        if names:
            definition["name"] = names
        return {"objectType": "Activity", "id": self.iri, "definition": definition}


def names_of(translations: dict[str, Any] | None, field: str = "title") -> dict[str, str]:
    """The ``field`` text in every language of a translatable content's ``translations``."""
    names = {}
    for language, texts in sorted((translations or {}).items()):
        if not isinstance(texts, dict) or not tag_is_valid(str(language)):
            continue
        text = texts.get(field)
        if isinstance(text, str) and text.strip():
            names[language] = text
    return names


@dataclass(frozen=True)
class Score:
    points: Decimal
    max_points: Decimal
    percent: Decimal

    def as_xapi(self) -> dict[str, Any]:
        scaled = max(Decimal(0), min(Decimal(1), self.percent / 100)).quantize(Decimal("0.0001"))
        score: dict[str, Any] = {"scaled": float(scaled)}
        if self.max_points > 0:
            score.update({"raw": float(self.points), "min": 0.0, "max": float(self.max_points)})
        return score


def iso_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(span: timedelta) -> str:
    seconds = max(Decimal(0), Decimal(str(span.total_seconds()))).quantize(Decimal("0.01"))
    return f"PT{seconds}S"


def extension_iri(name: str) -> str:
    return f"{platform_url()}/xapi/extensions/{name}"


def build_statement(
    *,
    event_key: str,
    learner_id: int,
    verb: Verb,
    target: ActivityRef,
    timestamp: datetime,
    language: str,
    parents: list[ActivityRef] | None = None,
    grouping: list[ActivityRef] | None = None,
    cohort_id: int | None = None,
    instructor_id: int | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One complete statement as JSON-ready data, validated; raises :class:`StatementInvalid`."""
    context: dict[str, Any] = {"platform": PLATFORM_NAME, "language": language or "en"}
    if cohort_id is not None:
        context["registration"] = str(registration_id(cohort_id))
    context_activities: dict[str, Any] = {}
    if parents:
        context_activities["parent"] = [activity.as_xapi() for activity in parents]
    if grouping:
        context_activities["grouping"] = [activity.as_xapi() for activity in grouping]
    if context_activities:
        context["contextActivities"] = context_activities
    if instructor_id is not None:
        context["instructor"] = actor(instructor_id)
    statement: dict[str, Any] = {
        "id": str(statement_id(event_key)),
        "actor": actor(learner_id),
        "verb": {"id": verb.iri, "display": {"en-US": verb.display}},
        "object": target.as_xapi(),
        "context": context,
        "timestamp": iso_timestamp(timestamp),
        "version": XAPI_VERSION,
    }
    if result:
        statement["result"] = result
    validate(statement)
    return statement


def validate(statement: dict[str, Any]) -> None:
    """Check ``statement`` against ralph's xAPI base statement model."""
    try:
        BaseXapiStatement.model_validate(statement)
    except PydanticValidationError as error:
        raise StatementInvalid(str(error)) from error
