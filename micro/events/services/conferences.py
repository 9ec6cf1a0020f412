"""Writes about the conference itself: details, texts in each language, programme, speakers,
extra questions, and after the event its materials, summary and the practices presented."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from micro.accounts.models import Organisation, User
from micro.core.content_i18n import STATUS_DRAFT, STATUS_REVIEWED
from micro.core.services import audit_record
from micro.events import languages, permissions
from micro.events.models import Category, Event, Material, PracticeLink, Question, QuestionKind, Session, Speaker
from micro.events.uploads import UploadError, check_material

EVENT_FIELDS = (
    "slug",
    "title",
    "status",
    "city",
    "venue_name",
    "venue_address",
    "map_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "languages",
    "interpretation",
    "capacity",
    "category_capacity",
    "registration_closes_at",
    "retention_days",
    "retention_action",
    "reminder_days_before",
)
RESERVED_SLUGS = frozenset({"manage", "r", "materials", "new"})
EVENT_TEXT_KEYS = ("title", "description", "summary")
MAX_TEXT = 20_000
MAX_RETENTION_DAYS = 3 * 365


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def upload_error_message(code: str) -> str:
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than 20 MB. Save it as a smaller PDF and try again."),
        "unknown_type": _(
            "This file type is not accepted. Send a PDF, a PowerPoint (.pptx), a Word document (.docx) or an OpenDocument file (.odp, .odt)."
        ),
        "extension_mismatch": _(
            "The file's content does not match its name's extension. Save it again in the right format."
        ),
    }
    return messages.get(code, messages["unknown_type"])


def _ensure_manager(actor: Any, event: Event) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied


def _validate_event(event: Event) -> None:
    errors: dict[str, str] = {}
    if event.slug in RESERVED_SLUGS:
        errors["slug"] = _("This short name is reserved. Choose another one.")
    if event.time_zone not in time_zones():
        errors["time_zone"] = _("Choose a time zone from the list, for example Europe/Rome.")
    codes = set(languages.CODES)
    if not isinstance(event.languages, list) or any(code not in codes for code in event.languages):
        errors["languages"] = _("Choose languages from the list.")
    if not isinstance(event.interpretation, list) or any(code not in codes for code in event.interpretation):
        errors["interpretation"] = _("Choose languages from the list.")
    limits = event.category_capacity
    if not isinstance(limits, dict) or any(
        key not in Category.values or not isinstance(value, int) or value < 0 for key, value in limits.items()
    ):
        errors["category_capacity"] = _("Places per category must be whole numbers of zero or more.")
    elif any(value > event.capacity for value in limits.values()):
        errors["category_capacity"] = _("A category cannot have more places than the conference.")
    if event.ends_at and event.starts_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    if event.registration_closes_at and event.ends_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = _("Registration must close before the conference ends.")
    if event.retention_days > MAX_RETENTION_DAYS:
        errors["retention_days"] = _("Keep registrations for at most three years.")
    if errors:
        raise ValidationError(errors)


def _apply(event: Event, data: Mapping[str, Any]) -> None:
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.languages = list(dict.fromkeys(event.languages or []))
    event.interpretation = list(dict.fromkeys(event.interpretation or []))
    event.category_capacity = {k: v for k, v in (event.category_capacity or {}).items() if v is not None}


@transaction.atomic
def event_create(
    *,
    organisation: Organisation,
    actor: Any,
    data: Mapping[str, Any],
    texts: Mapping[str, str] | None = None,
    text_language: str = "",
    request: HttpRequest | None = None,
) -> Event:
    """A new conference of ``organisation``; ``texts`` (title, description) in ``text_language``."""
    if not permissions.can_create_event(actor, organisation):
        raise PermissionDenied
    event = Event(organisation=organisation)
    _apply(event, data)
    _validate_event(event)
    event.full_clean()
    if texts:
        event.translations = {
            (text_language or settings.LANGUAGE_CODE): _clean_texts(texts, EVENT_TEXT_KEYS, STATUS_REVIEWED)
        }
    event.save()
    audit_record(action="event.create", actor=actor, obj=event, organisation_id=organisation.pk, request=request)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Event:
    """Change the conference; more places move people up from the waiting list at once."""
    from micro.events.services.registrations import promote_waitlisted

    _ensure_manager(actor, event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _apply(locked, data)
    _validate_event(locked)
    locked.full_clean()
    locked.save()
    audit_record(
        action="event.update", actor=actor, obj=locked, organisation_id=locked.organisation_id, request=request
    )
    promote_waitlisted(event=locked, request=request)
    return locked


def event_set_organisers(
    *, event: Event, actor: Any, organisers: list[User], request: HttpRequest | None = None
) -> None:
    if not permissions.can_name_organisers(actor, event):
        raise PermissionDenied
    event.organisers.set(organisers)
    audit_record(
        action="event.organisers",
        actor=actor,
        obj=event,
        organisation_id=event.organisation_id,
        request=request,
        detail={"organisers": [user.pk for user in organisers]},
    )


def _clean_texts(texts: Mapping[str, Any], keys: tuple[str, ...], status: str) -> dict[str, Any]:
    cleaned: dict[str, Any] = {key: str(texts.get(key) or "").strip()[:MAX_TEXT] for key in keys}
    cleaned = {key: value for key, value in cleaned.items() if value}
    cleaned["status"] = STATUS_REVIEWED if status == STATUS_REVIEWED else STATUS_DRAFT
    return cleaned


def _set_language_texts(obj: Any, language: str, texts: Mapping[str, Any], keys: tuple[str, ...], status: str) -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ValidationError({"language": _("Choose one of the platform's languages.")})
    cleaned = _clean_texts(texts, keys, status)
    translations = dict(obj.translations or {})
    extra = {key: value for key, value in translations.get(language, {}).items() if key not in (*keys, "status")}
    if len(cleaned) == 1 and not extra:
        translations.pop(language, None)  # every text emptied: the language falls back again
    else:
        translations[language] = {**extra, **cleaned}
    obj.translations = translations


def event_set_texts(
    *,
    event: Event,
    actor: Any,
    language: str,
    texts: Mapping[str, Any],
    status: str,
    request: HttpRequest | None = None,
) -> Event:
    """Title, description and results summary in one language, marked draft or reviewed."""
    _ensure_manager(actor, event)
    _set_language_texts(event, language, texts, EVENT_TEXT_KEYS, status)
    event.save(update_fields=["translations", "updated_at"])
    audit_record(
        action="event.texts",
        actor=actor,
        obj=event,
        organisation_id=event.organisation_id,
        request=request,
        detail={"language": language},
    )
    return event


# --- programme -----------------------------------------------------------------------------


@transaction.atomic
def speaker_save(
    *,
    event: Event,
    actor: Any,
    name: str,
    affiliation: str = "",
    language: str,
    bio: str = "",
    status: str = STATUS_REVIEWED,
    speaker: Speaker | None = None,
) -> Speaker:
    _ensure_manager(actor, event)
    if speaker is not None and speaker.event_id != event.pk:
        raise PermissionDenied
    speaker = speaker or Speaker(event=event)
    speaker.name = name.strip()
    speaker.affiliation = affiliation.strip()
    _set_language_texts(speaker, language, {"bio": bio}, ("bio",), status)
    speaker.full_clean()
    speaker.save()
    return speaker


def speaker_delete(*, event: Event, actor: Any, speaker: Speaker) -> None:
    _ensure_manager(actor, event)
    if speaker.event_id != event.pk:
        raise PermissionDenied
    speaker.delete()


@transaction.atomic
def session_save(
    *,
    event: Event,
    actor: Any,
    data: Mapping[str, Any],
    language: str,
    texts: Mapping[str, Any],
    status: str = STATUS_REVIEWED,
    session: Session | None = None,
) -> Session:
    """A programme slot: time, room, language, speakers; its title and abstract in ``language``."""
    _ensure_manager(actor, event)
    if session is not None and session.event_id != event.pk:
        raise PermissionDenied
    session = session or Session(event=event)
    session.starts_at = data["starts_at"]
    session.ends_at = data["ends_at"]
    session.room = str(data.get("room") or "").strip()
    session.language = str(data.get("language") or "")
    if session.language and session.language not in languages.CODES:
        raise ValidationError({"language": _("Choose languages from the list.")})
    if session.ends_at < session.starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if not texts.get("title") and not (session.translations or {}):
        raise ValidationError({"title": _("Give the session a title.")})
    _set_language_texts(session, language, texts, ("title", "abstract"), status)
    session.full_clean()
    session.save()
    speakers = list(data.get("speakers") or [])
    if any(speaker.event_id != event.pk for speaker in speakers):
        raise PermissionDenied
    session.speakers.set(speakers)
    return session


def session_delete(*, event: Event, actor: Any, session: Session) -> None:
    _ensure_manager(actor, event)
    if session.event_id != event.pk:
        raise PermissionDenied
    session.delete()


@transaction.atomic
def question_save(
    *,
    event: Event,
    actor: Any,
    kind: str,
    required: bool,
    order: int,
    language: str,
    label: str,
    help_text: str = "",
    options: list[str] | None = None,
    status: str = STATUS_REVIEWED,
    question: Question | None = None,
) -> Question:
    """An extra registration question. Choice options are matched across languages by their position."""
    _ensure_manager(actor, event)
    if question is not None and question.event_id != event.pk:
        raise PermissionDenied
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    options = [option.strip()[:200] for option in (options or []) if option.strip()][:30]
    if kind == QuestionKind.CHOICE and len(options) < 2:
        raise ValidationError({"options": _("A choice needs at least two options, one per line.")})
    if not label.strip():
        raise ValidationError({"label": _("Write the question.")})
    question = question or Question(event=event)
    if question.pk and kind == QuestionKind.CHOICE and question.option_count and len(options) != question.option_count:
        raise ValidationError(
            {"options": _("Give as many options as the question already has, in the same order, one per line.")}
        )
    question.kind = kind
    question.required = required
    question.order = order
    if kind == QuestionKind.CHOICE:
        question.option_count = len(options)
    _set_language_texts(question, language, {"label": label, "help": help_text}, ("label", "help"), status)
    if kind == QuestionKind.CHOICE:
        question.translations[language]["options"] = options
    question.full_clean()
    question.save()
    return question


def question_delete(*, event: Event, actor: Any, question: Question) -> None:
    _ensure_manager(actor, event)
    if question.event_id != event.pk:
        raise PermissionDenied
    question.delete()


# --- after the event -------------------------------------------------------------------------


@transaction.atomic
def material_add(
    *,
    event: Event,
    actor: Any,
    title: str,
    upload: Any,
    session: Session | None = None,
    request: HttpRequest | None = None,
) -> Material:
    """Slides or a document, checked for size and type by its content."""
    _ensure_manager(actor, event)
    if session is not None and session.event_id != event.pk:
        raise PermissionDenied
    try:
        checked = check_material(upload)
    except UploadError as error:
        raise ValidationError({"file": upload_error_message(error.code)}) from error
    material = Material(
        event=event,
        session=session,
        title=(title or "").strip()[:200] or checked.name,
        file_name=checked.name,
        file_type=checked.kind,
        size=checked.size,
    )
    upload.seek(0)
    material.file.save(f"{uuid.uuid4().hex}.{checked.kind}", ContentFile(upload.read()), save=False)
    material.full_clean()
    material.save()
    audit_record(
        action="event.material_add", actor=actor, obj=material, organisation_id=event.organisation_id, request=request
    )
    return material


def material_remove(*, event: Event, actor: Any, material: Material, request: HttpRequest | None = None) -> None:
    _ensure_manager(actor, event)
    if material.event_id != event.pk:
        raise PermissionDenied
    audit_record(
        action="event.material_remove",
        actor=actor,
        obj=material,
        organisation_id=event.organisation_id,
        request=request,
    )
    material.file.delete(save=False)
    material.delete()


def practice_link_add(*, event: Event, actor: Any, url: str, title: str) -> PracticeLink:
    """A best practice presented at the conference, linked by address (the practices app is separate)."""
    _ensure_manager(actor, event)
    link = PracticeLink(event=event, url=url.strip(), title=title.strip())
    if not link.url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": _("Enter a web address starting with https://")})
    link.full_clean()
    link.save()
    return link


def practice_link_remove(*, event: Event, actor: Any, link: PracticeLink) -> None:
    _ensure_manager(actor, event)
    if link.event_id != event.pk:
        raise PermissionDenied
    link.delete()
