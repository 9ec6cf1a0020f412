"""Partners and practices: contribution targets and reuse stories."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from micro.accounts.models import Organisation
from micro.core.content_i18n import STATUS_REVIEWED
from micro.core.services import audit_record
from micro.practices import permissions
from micro.practices.models import (
    ContributionTarget,
    Practice,
    Reuse,
)
from micro.practices.services._common import (
    MAX_REUSE_TEXT,
    _audit,
    _ensure,
    _language,
)


@transaction.atomic
def target_set(
    *, user: Any, organisation: Organisation, target: int, due_on: date, request: HttpRequest | None = None
) -> ContributionTarget:
    """Set (or change) how many practices ``organisation`` should contribute, and by when."""
    _ensure(permissions.can_set_targets(user))
    if not isinstance(target, int) or isinstance(target, bool) or not 1 <= target <= 100:
        raise ValidationError({"target": _("Give a number from 1 to 100.")})
    if not organisation.is_partner:
        raise ValidationError({"organisation": _("Targets are for project partners.")})
    record, _created = ContributionTarget.objects.update_or_create(
        organisation=organisation, defaults={"target": target, "due_on": due_on, "set_by": user}
    )
    record.full_clean()
    audit_record(
        action="practice_target.set",
        actor=user,
        obj=record,
        organisation_id=organisation.pk,
        request=request,
        detail={"target": target, "due_on": due_on.isoformat()},
    )
    return record


def _reuse_texts(adaptation: str, outcome: str) -> dict[str, str]:
    adaptation = (adaptation or "").replace("\x00", "").strip()
    outcome = (outcome or "").replace("\x00", "").strip()
    if not adaptation:
        raise ValidationError({"adaptation": _("Say how you adapted the practice.")})
    for name, value in (("adaptation", adaptation), ("outcome", outcome)):
        if len(value) > MAX_REUSE_TEXT:
            raise ValidationError({name: _("Write at most %(limit)d characters.") % {"limit": MAX_REUSE_TEXT}})
    return {"adaptation": adaptation, "outcome": outcome} if outcome else {"adaptation": adaptation}


@transaction.atomic
def reuse_record(
    *,
    user: Any,
    practice: Practice,
    organisation: Organisation,
    language: str,
    adopted_on: date,
    adaptation: str,
    outcome: str = "",
    people_reached: int | None = None,
    token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Reuse:
    """``organisation`` adopted a published practice. The same ``token`` twice records it once."""
    if token is not None:
        existing = Reuse.objects.filter(client_token=token).first()
        if existing is not None:
            _ensure(permissions.can_edit_reuse(user, existing))
            return existing
    _ensure(permissions.can_record_reuse(user, practice))
    if (
        organisation.pk not in permissions.editable_organisation_ids(user)
        or organisation.pk == practice.organisation_id
    ):
        raise PermissionDenied
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The date cannot be in the future.")})
    language = _language(language)
    reuse = Reuse(
        practice=practice,
        organisation=organisation,
        original_language=language,
        translations={language: {**_reuse_texts(adaptation, outcome), "status": STATUS_REVIEWED}},
        adopted_on=adopted_on,
        people_reached=people_reached,
        recorded_by=user,
        client_token=token,
    )
    reuse.full_clean()
    reuse.save()
    _audit("practice.reuse_record", user=user, practice=practice, request=request, reuse=reuse.pk)
    return reuse


@transaction.atomic
def reuse_update(
    *,
    user: Any,
    reuse: Reuse,
    adopted_on: date,
    adaptation: str,
    outcome: str,
    people_reached: int | None,
    request: HttpRequest | None = None,
) -> Reuse:
    """Tell what came of an adoption later on (texts in the language they were first written in)."""
    _ensure(permissions.can_edit_reuse(user, reuse))
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The date cannot be in the future.")})
    reuse.translations = {
        **reuse.translations,
        reuse.original_language: {**_reuse_texts(adaptation, outcome), "status": STATUS_REVIEWED},
    }
    reuse.adopted_on = adopted_on
    reuse.people_reached = people_reached
    reuse.full_clean()
    reuse.save()
    _audit("practice.reuse_update", user=user, practice=reuse.practice, request=request, reuse=reuse.pk)
    return reuse
