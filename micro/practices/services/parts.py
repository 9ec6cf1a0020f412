"""Indicators and files of a practice (only while the authors may edit it)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from micro.core.content_i18n import STATUS_REVIEWED
from micro.practices import permissions
from micro.practices.models import (
    Attachment,
    Indicator,
    Practice,
)
from micro.practices.services._common import (
    MAX_ATTACHMENTS,
    MAX_INDICATORS,
    _audit,
    _ensure,
    practice_reindex,
)
from micro.practices.uploads import CheckedFile


@transaction.atomic
def indicator_add(
    *,
    user: Any,
    practice: Practice,
    label: str,
    value: Decimal,
    unit: str,
    measured_on: date,
    token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Indicator:
    """A measured result, labelled in the practice's language. The same ``token`` twice adds it once."""
    _ensure(permissions.can_edit_practice(user, practice))
    if token is not None:
        existing = Indicator.objects.filter(client_token=token, practice=practice).first()
        if existing is not None:
            return existing
    if practice.indicators.count() >= MAX_INDICATORS:
        raise ValidationError(_("A practice can have at most %(count)d indicators.") % {"count": MAX_INDICATORS})
    label = (label or "").strip()
    if not label or len(label) > 200:
        raise ValidationError({"label": _("Name the indicator in at most 200 characters.")})
    indicator = Indicator(
        practice=practice,
        original_language=practice.original_language,
        translations={practice.original_language: {"label": label, "status": STATUS_REVIEWED}},
        value=value,
        unit=(unit or "").strip(),
        measured_on=measured_on,
        order=practice.indicators.count(),
        client_token=token,
    )
    indicator.full_clean()
    indicator.save()
    _audit("practice.indicator_add", user=user, practice=practice, request=request, indicator=indicator.pk)
    practice_reindex(practice=practice)
    return indicator


@transaction.atomic
def indicator_delete(*, user: Any, practice: Practice, indicator_id: int, request: HttpRequest | None = None) -> None:
    _ensure(permissions.can_edit_practice(user, practice))
    deleted, _rows = Indicator.objects.filter(practice=practice, pk=indicator_id).delete()
    if deleted:
        _audit("practice.indicator_delete", user=user, practice=practice, request=request, indicator=indicator_id)
        practice_reindex(practice=practice)


@transaction.atomic
def attachment_add(
    *, user: Any, practice: Practice, checked: CheckedFile, title: str = "", request: HttpRequest | None = None
) -> Attachment:
    """Store a checked file. The same content twice on one practice is stored once."""
    _ensure(permissions.can_edit_practice(user, practice))
    existing = Attachment.objects.filter(practice=practice, sha256=checked.sha256).first()
    if existing is not None:
        return existing
    if practice.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("A practice can have at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    attachment = Attachment(
        practice=practice,
        name=checked.name,
        title=(title or "").strip()[:200],
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    # A random stored name: the visitor's file name is only ever shown, never used as a path.
    extension = checked.name.rsplit(".", 1)[-1]
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(checked.data), save=False)
    attachment.full_clean()
    attachment.save()
    _audit("practice.attachment_add", user=user, practice=practice, request=request, attachment=attachment.pk)
    return attachment


@transaction.atomic
def attachment_delete(*, user: Any, practice: Practice, attachment_id: int, request: HttpRequest | None = None) -> None:
    _ensure(permissions.can_edit_practice(user, practice))
    attachment = Attachment.objects.filter(practice=practice, pk=attachment_id).first()
    if attachment is None:
        return
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
    _audit("practice.attachment_delete", user=user, practice=practice, request=request, attachment=attachment_id)
