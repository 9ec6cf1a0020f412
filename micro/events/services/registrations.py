"""Registrations: sign up without an account, change, cancel, the waiting list, export and erasure,
reminders and the retention purge.

Every write that can change who has a place locks the conference row first
(``select_for_update``), so parallel registrations, cancellations and promotions see one
consistent count and nobody is overbooked. Emails leave after the commit, through a task.

A phone may send the registration form twice (the worker died after the commit, the answer never
arrived, the person presses again). The form carries a one-time key (only its hash is stored, unique):
the same key, for the same conference and address, returns the first registration and its personal
link, with no second row and no second email.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from micro.core.services import audit_record
from micro.events import tokens
from micro.events.models import (
    Category,
    Event,
    EventStatus,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    RetentionAction,
)

MAX_ANSWER = 2000
LINK_RESEND_SECONDS = 10 * 60
MAX_REMINDER_DAYS = 30
_IDEMPOTENCY_KEY = re.compile(r"[0-9a-f]{32}")


def new_idempotency_key() -> str:
    """A one-time key for one rendering of the registration form."""
    return uuid.uuid4().hex


def clean_idempotency_key(key: object) -> str:
    """The key if it is one we could have issued, else "" (an absent key: the submission is handled as before)."""
    text = key.strip().lower() if isinstance(key, str) else ""
    return text if _IDEMPOTENCY_KEY.fullmatch(text) else ""


def _enqueue_email(registration_id: int, kind: str) -> None:
    from micro.events.tasks import send_registration_email

    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id=registration_id, kind=kind))


def _audit(
    action: str, registration: Registration, request: HttpRequest | None, actor: Any = None, **detail: Any
) -> None:
    audit_record(
        action=action,
        actor=actor,
        obj=registration,
        organisation_id=registration.event.organisation_id,
        request=request,
        detail={"event": registration.event_id, **detail},
    )


def registration_is_open(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED or event.ends_at <= now:
        return False
    return event.registration_closes_at is None or event.registration_closes_at > now


def clean_answers(questions: list[Question], answers: Mapping[str, Any]) -> dict[str, str]:
    """Answers keyed by question id; unknown keys dropped, lengths capped, choices checked."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = str(answers.get(str(question.pk), "") or "").strip()[:MAX_ANSWER]
        if (
            question.kind == QuestionKind.CHOICE
            and value
            and value not in {str(i) for i in range(question.option_count)}
        ):
            errors[question.field_name] = _("Choose one of the options.")
        if question.kind == QuestionKind.YES_NO and value not in ("", "yes", "no"):
            errors[question.field_name] = _("Answer yes or no.")
        if question.required and not value:
            errors[question.field_name] = _("This field is required.")
        if value:
            cleaned[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _confirmed_counts(event: Event) -> tuple[int, Counter[str]]:
    rows = event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list("category", flat=True)
    counts = Counter(rows)
    return sum(counts.values()), counts


def _has_place(event: Event, category: str, total: int, counts: Counter[str]) -> bool:
    if total >= event.capacity:
        return False
    limit = (event.category_capacity or {}).get(category)
    return limit is None or counts[category] < limit


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("organisation").get(pk=event.pk)


def _consent(previous: datetime | None, given: bool, now: datetime) -> datetime | None:
    if not given:
        return None
    return previous or now


def _validate_personal(event: Event, *, full_name: str, category: str, interpretation_language: str) -> None:
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["full_name"] = _("Write your name.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if interpretation_language and interpretation_language not in (event.interpretation or []):
        errors["interpretation_language"] = _("This conference offers no interpretation into that language.")
    if errors:
        raise ValidationError(errors)


class _AlreadyRegistered(Exception):
    pass


class _KeyUsedElsewhere(Exception):
    """The form's key already belongs to another conference, another address or a cancelled registration."""


def _registration_for_key(event: Event, key_hash: str, email: str) -> Registration | None:
    """The registration this same form already made here, None when the key is new.

    A key that made something else (another conference or address: a page shared by a cache, a
    tampered form; or a registration cancelled since) is refused, never answered with that registration.
    """
    made = Registration.objects.filter(idempotency_key_hash=key_hash).first()
    if made is None:
        return None
    if made.event_id != event.pk or made.email != email or made.status == RegistrationStatus.CANCELLED:
        raise _KeyUsedElsewhere
    made.event = event
    return made


def _with_link(registration: Registration) -> tuple[Registration, str]:
    return registration, tokens.registration_token(registration.public_id, registration.link_nonce)


def registration_create(
    *,
    event: Event,
    full_name: str,
    email: str,
    category: str,
    language: str,
    organisation_name: str = "",
    interpretation_language: str = "",
    needs: str = "",
    answers: Mapping[str, Any] | None = None,
    privacy_accepted: bool,
    list_consent: bool = False,
    followup_consent: bool = False,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Registration, str]:
    """Register someone. Returns the registration (confirmed or on the waiting list) and its personal link token.

    The same address twice is refused with a clear message (nothing is stored), and the personal
    link is sent again to that address, after the refused transaction is rolled back. The same
    form sent again (same ``idempotency_key``) is not a second registration: it returns the first
    one and its link, and sends nothing.
    """
    email = (email or "").strip().lower()
    key = clean_idempotency_key(idempotency_key)
    try:
        return _registration_create(
            event=event,
            full_name=full_name,
            email=email,
            category=category,
            language=language,
            organisation_name=organisation_name,
            interpretation_language=interpretation_language,
            needs=needs,
            answers=answers,
            privacy_accepted=privacy_accepted,
            list_consent=list_consent,
            followup_consent=followup_consent,
            key_hash=tokens.hash_token(key) if key else None,
            request=request,
            now=now or timezone.now(),
        )
    except _KeyUsedElsewhere:
        raise ValidationError(
            _("This form was already sent once. Check your details and send it again."), code="form_used"
        ) from None
    except _AlreadyRegistered:
        registration_resend_link(event=event, email=email)
        raise ValidationError(
            {
                "email": _(
                    "This email address is already registered for this conference. We have sent its personal link to it again: use it to see or change the registration."
                )
            }
        ) from None


@transaction.atomic
def _registration_create(
    *,
    event: Event,
    full_name: str,
    email: str,
    category: str,
    language: str,
    organisation_name: str,
    interpretation_language: str,
    needs: str,
    answers: Mapping[str, Any] | None,
    privacy_accepted: bool,
    list_consent: bool,
    followup_consent: bool,
    key_hash: str | None,
    request: HttpRequest | None,
    now: datetime,
) -> tuple[Registration, str]:
    if not privacy_accepted:
        raise ValidationError({"privacy": _("To register, please accept the privacy notice.")})
    locked = _lock_event(event)
    # After the lock: a parallel copy of this form has committed by now, and is found.
    made = _registration_for_key(locked, key_hash, email) if key_hash else None
    if made is not None:
        return _with_link(made)
    if not registration_is_open(locked, now):
        raise ValidationError(_("Registration for this conference is closed."))
    _validate_personal(locked, full_name=full_name, category=category, interpretation_language=interpretation_language)
    questions = list(locked.questions.all())
    cleaned_answers = clean_answers(questions, answers or {})
    live = locked.registrations.filter(email=email, anonymised_at__isnull=True).exclude(
        status=RegistrationStatus.CANCELLED
    )
    if email and live.exists():
        raise _AlreadyRegistered
    total, counts = _confirmed_counts(locked)
    confirmed = _has_place(locked, category, total, counts)
    nonce = tokens.new_nonce()
    registration = Registration(
        event=locked,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
        category=category,
        full_name=full_name.strip(),
        email=email,
        organisation_name=organisation_name.strip(),
        language=(language or "en")[:10],
        interpretation_language=interpretation_language,
        needs=needs.strip(),
        answers=cleaned_answers,
        privacy_accepted_at=now,
        list_consent_at=now if list_consent else None,
        followup_consent_at=now if followup_consent else None,
        link_nonce=nonce,
        checkin_code=tokens.new_checkin_code(),
        confirmed_at=now if confirmed else None,
        idempotency_key_hash=key_hash,
    )
    token = tokens.registration_token(registration.public_id, nonce)
    registration.token_hash = tokens.hash_token(token)
    # Field rules here; uniqueness and the one-live-registration rule are the database's
    # constraints (checked above for a clear message, enforced below by the IntegrityError).
    registration.full_clean(exclude=["event"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the constraint behind the check above, or a colliding random code or key
        made = _registration_for_key(locked, key_hash, email) if key_hash else None
        if made is not None:
            return _with_link(made)
        raise _AlreadyRegistered from error
    _audit("event_registration.create", registration, request, status=registration.status)
    _enqueue_email(registration.pk, "confirmed" if confirmed else "waitlisted")
    return registration, token


def registration_find(*, token: str) -> Registration | None:
    """The registration a personal link opens, or None for a forged, replaced or erased link."""
    if not tokens.token_is_well_formed(token):
        return None
    return (
        Registration.objects.select_related("event", "event__organisation", "checkin")
        .filter(token_hash=tokens.hash_token(token), anonymised_at__isnull=True)
        .first()
    )


def registration_resend_link(*, event: Event, email: str) -> None:
    """Send the personal link again to the address it belongs to (at most once every ten minutes)."""
    registration = (
        event.registrations.filter(email=(email or "").strip().lower(), anonymised_at__isnull=True)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        return
    key = f"events:resend:{registration.pk}"
    if cache.add(key, 1, LINK_RESEND_SECONDS):
        _enqueue_email(registration.pk, "link")


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    full_name: str,
    category: str,
    organisation_name: str = "",
    interpretation_language: str = "",
    needs: str = "",
    answers: Mapping[str, Any] | None = None,
    list_consent: bool = False,
    followup_consent: bool = False,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """The registrant changes their details or consents (a consent set to no is withdrawn)."""
    now = now or timezone.now()
    event = _lock_event(registration.event)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration is cancelled. Register again to take part."))
    if event.ends_at <= now:
        raise ValidationError(_("This conference is over; the registration can no longer be changed."))
    _validate_personal(event, full_name=full_name, category=category, interpretation_language=interpretation_language)
    freed = False
    if category != locked.category and locked.status == RegistrationStatus.CONFIRMED:
        _total, counts = _confirmed_counts(event)
        limit = (event.category_capacity or {}).get(category)
        if limit is not None and counts[category] >= limit:
            raise ValidationError({"category": _("There is no place left in this category.")})
        freed = (event.category_capacity or {}).get(locked.category) is not None
    before = {
        "full_name": locked.full_name,
        "organisation_name": locked.organisation_name,
        "category": locked.category,
        "interpretation_language": locked.interpretation_language,
        "needs": locked.needs,
        "answers": locked.answers,
        "list_consent": locked.list_consent_at is not None,
        "followup_consent": locked.followup_consent_at is not None,
    }
    locked.full_name = full_name.strip()
    locked.organisation_name = organisation_name.strip()
    locked.category = category
    locked.interpretation_language = interpretation_language
    locked.needs = needs.strip()
    locked.answers = clean_answers(list(event.questions.all()), answers or {})
    locked.list_consent_at = _consent(locked.list_consent_at, list_consent, now)
    locked.followup_consent_at = _consent(locked.followup_consent_at, followup_consent, now)
    locked.full_clean()
    locked.save()
    after = {
        "full_name": locked.full_name,
        "organisation_name": locked.organisation_name,
        "category": locked.category,
        "interpretation_language": locked.interpretation_language,
        "needs": locked.needs,
        "answers": locked.answers,
        "list_consent": locked.list_consent_at is not None,
        "followup_consent": locked.followup_consent_at is not None,
    }
    changed = sorted(key for key in before if before[key] != after[key])
    _audit("event_registration.update", locked, request, changed=changed)
    if freed:
        promote_waitlisted(event=event, request=request, now=now)
    return locked


def promote_waitlisted(
    *, event: Event, request: HttpRequest | None = None, now: datetime | None = None
) -> list[Registration]:
    """Give free places to the waiting list, first come first served (the caller holds the event lock)."""
    now = now or timezone.now()
    if event.ends_at <= now or event.status != EventStatus.PUBLISHED:
        return []
    total, counts = _confirmed_counts(event)
    promoted: list[Registration] = []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED, anonymised_at__isnull=True).order_by(
        "created_at", "pk"
    )
    for registration in waiting.select_for_update():
        if total >= event.capacity:
            break
        if not _has_place(event, registration.category, total, counts):
            continue
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        total += 1
        counts[registration.category] += 1
        registration.event = event
        _audit("event_registration.promote", registration, request)
        _enqueue_email(registration.pk, "promoted")
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, request: HttpRequest | None = None, now: datetime | None = None
) -> list[Registration]:
    """ "I can no longer attend." Frees the place for the waiting list. Doing it twice changes nothing."""
    now = now or timezone.now()
    event = _lock_event(registration.event)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        return []
    if event.ends_at <= now:
        raise ValidationError(_("This conference is over; the registration can no longer be changed."))
    was_confirmed = locked.status == RegistrationStatus.CONFIRMED
    locked.status = RegistrationStatus.CANCELLED
    locked.cancelled_at = now
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    _audit("event_registration.cancel", locked, request)
    _enqueue_email(locked.pk, "cancelled")
    return promote_waitlisted(event=event, request=request, now=now) if was_confirmed else []


def registration_data(registration: Registration) -> dict[str, Any]:
    """Everything stored about the registrant, for their own JSON download."""
    event = registration.event
    questions = {str(q.pk): q for q in event.questions.all()}
    answers = []
    for key, value in (registration.answers or {}).items():
        question = questions.get(key)
        label = question.localized().get("label", key) if question else key
        answers.append({"question": label, "answer": value})
    checkin = getattr(registration, "checkin", None)

    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "conference": {"title": event.title, "city": event.city, "starts_at": stamp(event.starts_at)},
        "organiser": event.organisation.name,
        "registration": {
            "status": registration.status,
            "category": registration.category,
            "full_name": registration.full_name,
            "email": registration.email,
            "organisation": registration.organisation_name,
            "language": registration.language,
            "interpretation_language": registration.interpretation_language,
            "accessibility_or_interpretation_needs": registration.needs,
            "answers": answers,
            "registered_at": stamp(registration.created_at),
            "confirmed_at": stamp(registration.confirmed_at),
            "cancelled_at": stamp(registration.cancelled_at),
            "reminder_sent_at": stamp(registration.reminder_sent_at),
            "checked_in_at": stamp(checkin.checked_in_at) if checkin else None,
        },
        "consents": {
            "privacy_notice": stamp(registration.privacy_accepted_at),
            "participant_list": stamp(registration.list_consent_at),
            "follow_up": stamp(registration.followup_consent_at),
        },
        "retention": {
            "days_after_the_end": event.retention_days,
            "then": event.retention_action,
        },
    }


def registration_export(*, registration: Registration, request: HttpRequest | None = None) -> dict[str, Any]:
    data = registration_data(registration)
    _audit("event_registration.export", registration, request)
    return data


@transaction.atomic
def registration_erase(*, registration: Registration, request: HttpRequest | None = None) -> None:
    """Delete the registration and everything in it at the registrant's request; their place goes to the waiting list."""
    event = _lock_event(registration.event)
    locked = Registration.objects.select_for_update().filter(pk=registration.pk).first()
    if locked is None:
        return
    was_confirmed = locked.status == RegistrationStatus.CONFIRMED
    audit_record(
        action="event_registration.erase",
        obj=locked,
        organisation_id=event.organisation_id,
        request=request,
        detail={"event": event.pk},
    )
    locked.delete()
    if was_confirmed:
        promote_waitlisted(event=event, request=request)


# --- scheduled work ---------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminder to every confirmed registrant whose conference is near. Running twice sends nothing twice."""
    from micro.events.emails import send_registration_email

    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=MAX_REMINDER_DAYS),
        reminder_days_before__gt=0,
    )
    for event in events:
        if event.starts_at - timedelta(days=event.reminder_days_before) > now:
            continue
        pending = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
        for pk in list(pending):
            # Claim the row first: a second run (or a parallel worker) finds it taken.
            claimed = Registration.objects.filter(
                pk=pk, reminder_sent_at__isnull=True, status=RegistrationStatus.CONFIRMED
            ).update(reminder_sent_at=now)
            if claimed:
                send_registration_email(pk, "reminder")
                sent += 1
    return sent


def registrations_purge(*, now: datetime | None = None) -> int:
    """Anonymise or delete the registrations of conferences whose retention period is over."""
    now = now or timezone.now()
    purged = 0
    for event in Event.objects.filter(ends_at__lt=now).select_related("organisation"):
        if event.ends_at + timedelta(days=event.retention_days) > now:
            continue
        with transaction.atomic():
            remaining = event.registrations.filter(anonymised_at__isnull=True)
            if event.retention_action == RetentionAction.DELETE:
                count = event.registrations.count()
                event.registrations.all().delete()
            else:
                count = remaining.update(
                    full_name="",
                    email="",
                    organisation_name="",
                    interpretation_language="",
                    needs="",
                    answers={},
                    privacy_accepted_at=None,
                    list_consent_at=None,
                    followup_consent_at=None,
                    link_nonce="",
                    token_hash=None,
                    checkin_code=None,
                    idempotency_key_hash=None,
                    anonymised_at=now,
                )
            if count or event.purged_at is None:
                Event.objects.filter(pk=event.pk).update(purged_at=now)
                audit_record(
                    action="event_registrations.purge",
                    obj=event,
                    organisation_id=event.organisation_id,
                    detail={"count": count, "action": event.retention_action},
                )
            purged += count
    return purged
