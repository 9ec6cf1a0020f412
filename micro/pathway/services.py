"""Every write of the migrant path: journeys, answers, progress, shares."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from micro.core.services import audit_record, client_ip
from micro.pathway.models import Journey, JourneyShare, PathCountry

SESSION_KEY = "micro_journey_id"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to copy by hand
CODE_LENGTH = 10
RESUME_ATTEMPTS_PER_HOUR = 20
SHARE_MAX_DAYS = 90
MAX_ANSWER_LENGTH = 5000


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def format_code(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def journey_start(*, request: HttpRequest, language: str) -> tuple[Journey, str]:
    """A new journey bound to this browser session. Returns it with its resume code (shown once)."""
    code = _new_code()
    journey = Journey.objects.create(code_hash=hash_code(code), language=language[:10])
    request.session[SESSION_KEY] = journey.pk
    request.session["micro_new_code"] = format_code(code)
    return journey, format_code(code)


def journey_for_writing(*, request: HttpRequest, language: str) -> Journey:
    """The session's journey, started on the first thing the visitor saves."""
    journey_id = request.session.get(SESSION_KEY)
    journey = Journey.objects.filter(pk=journey_id).first() if journey_id else None
    if journey is None:
        journey, _code = journey_start(request=request, language=language)
    return journey


def resume_is_throttled(request: HttpRequest) -> bool:
    return int(cache.get(f"resume-fail:{client_ip(request)}", 0)) >= RESUME_ATTEMPTS_PER_HOUR


def journey_resume(*, request: HttpRequest, code: str) -> Journey | None:
    """Attach the journey with this code to the session; count failures per address against guessing."""
    if resume_is_throttled(request):
        raise ValidationError(_("Too many wrong codes. Wait an hour and try again."))
    normalised = normalise_code(code)
    journey = (
        Journey.objects.filter(code_hash=hash_code(normalised)).first() if len(normalised) == CODE_LENGTH else None
    )
    if journey is None:
        key = f"resume-fail:{client_ip(request)}"
        cache.set(key, int(cache.get(key, 0)) + 1, 3600)
        return None
    request.session.cycle_key()
    request.session[SESSION_KEY] = journey.pk
    journey.last_seen_at = timezone.now()
    journey.save(update_fields=["last_seen_at"])
    return journey


def journey_new_code(*, request: HttpRequest, journey: Journey) -> str:
    """Replace the resume code (for example after writing the old one somewhere unsafe)."""
    code = _new_code()
    journey.code_hash = hash_code(code)
    journey.save(update_fields=["code_hash", "updated_at"])
    request.session["micro_new_code"] = format_code(code)
    return format_code(code)


def journey_attach_user(*, request: HttpRequest, journey: Journey) -> Journey:
    """Keep the journey with the signed-in account, so it comes back at sign-in without the code."""
    if not request.user.is_authenticated:
        raise ValidationError(_("Sign in first."))
    if journey.user_id not in (None, request.user.pk):
        raise ValidationError(_("This journey is kept with another account."))
    journey.user = request.user  # type: ignore[assignment]
    journey.save(update_fields=["user", "updated_at"])
    audit_record(action="journey.attach_account", request=request, detail={"journey": journey.pk})
    return journey


def journey_set_country(*, journey: Journey, country: str) -> Journey:
    if country not in PathCountry.values:
        raise ValidationError({"country": _("Choose one of the four countries.")})
    journey.country = country
    journey.save(update_fields=["country", "updated_at"])
    return journey


def journey_save_answers(*, journey: Journey, step_key: str, answers: dict[str, Any]) -> Journey:
    """Store a worksheet's answers; saving the same answers twice changes nothing."""
    clean = {str(key)[:60]: str(value)[:MAX_ANSWER_LENGTH] for key, value in answers.items()}
    with transaction.atomic():
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        locked.answers = {**locked.answers, step_key: clean}
        if step_key not in locked.completed_steps:
            locked.completed_steps = [*locked.completed_steps, step_key]
        locked.save(update_fields=["answers", "completed_steps", "updated_at"])
    return locked


def journey_complete_step(*, journey: Journey, step_key: str) -> Journey:
    with transaction.atomic():
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        if step_key not in locked.completed_steps:
            locked.completed_steps = [*locked.completed_steps, step_key]
            locked.save(update_fields=["completed_steps", "updated_at"])
    return locked


def journey_save_readiness(*, journey: Journey, result: dict[str, Any], step_key: str) -> Journey:
    journey.readiness = result
    journey.save(update_fields=["readiness", "updated_at"])
    return journey_complete_step(journey=journey, step_key=step_key)


@transaction.atomic
def journey_delete(*, request: HttpRequest, journey: Journey) -> None:
    """Delete the journey and everything in it (answers, plan, shares). Nothing is kept."""
    audit_record(action="journey.delete", request=request, detail={"journey": journey.pk})
    journey.delete()
    request.session.pop(SESSION_KEY, None)
    request.session.pop("micro_new_code", None)


def share_create(*, journey: Journey, purpose: str, days: int) -> tuple[JourneyShare, str]:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say why you share, for example: preparing my loan request.")})
    if not 1 <= days <= SHARE_MAX_DAYS:
        raise ValidationError({"days": _("Choose between 1 and 90 days.")})
    code = _new_code()
    share = JourneyShare.objects.create(
        journey=journey,
        code_hash=hash_code(code),
        purpose=purpose[:200],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return share, format_code(code)


def share_withdraw(*, journey: Journey, share_id: int) -> None:
    JourneyShare.objects.filter(journey=journey, pk=share_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def share_claim(*, request: HttpRequest, code: str) -> JourneyShare | None:
    """An operator enters a share code and gets read access, until expiry or withdrawal."""
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH or resume_is_throttled(request):
        return None
    share = JourneyShare.objects.select_for_update().filter(code_hash=hash_code(normalised)).first()
    if share is None or not share.is_active or (share.claimed_by_id and share.claimed_by_id != request.user.pk):
        key = f"resume-fail:{client_ip(request)}"
        cache.set(key, int(cache.get(key, 0)) + 1, 3600)
        return None
    if share.claimed_by_id is None:
        share.claimed_by = request.user  # type: ignore[assignment]
        membership = request.user.memberships.select_related("organisation").filter(is_active=True).first()  # type: ignore[union-attr]
        share.claimed_organisation_name = membership.organisation.name[:200] if membership else ""
        share.claimed_at = timezone.now()
        share.save(update_fields=["claimed_by", "claimed_organisation_name", "claimed_at", "updated_at"])
    audit_record(action="journey_share.claim", request=request, obj=share)
    return share


def share_record_access(*, request: HttpRequest, share: JourneyShare) -> None:
    JourneyShare.objects.filter(pk=share.pk).update(last_accessed_at=timezone.now())
    audit_record(action="journey_share.read", request=request, obj=share, detail={"journey": share.journey_id})
