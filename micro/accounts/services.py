"""Every write about accounts, organisations and memberships."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from itertools import batched
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts import permissions, selectors
from micro.accounts.models import Invitation, LoginFailure, Membership, Organisation, User
from micro.core import revisions
from micro.core.services import audit_record


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_failure_record(*, email: str, ip_address: str | None) -> None:
    """Remember a failed sign-in; rows older than the window go at the same time, so the table stays small."""
    login_failures_purge()
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip_address=ip_address)


def login_failures_clear(*, email: str) -> None:
    LoginFailure.objects.filter(email=email.strip().lower()).delete()


def login_failures_purge(*, older_than_seconds: int | None = None) -> int:
    """Drop failures outside the throttling window; they are useless after it."""
    seconds = older_than_seconds or settings.LOGIN_FAILURE_WINDOW_SECONDS
    deleted, _details = LoginFailure.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=seconds)).delete()
    return deleted


def user_update_profile(
    *, user: User, full_name: str, preferred_language: str, request: HttpRequest | None = None
) -> User:
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["full_name", "preferred_language"])
    audit_record(action="profile.update", actor=user, obj=user, request=request)
    return user


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User,
    language: str,
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the one-time token."""
    if role not in permissions.invitable_roles(invited_by, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    # A new invitation replaces any pending one for the same address, so only one link works;
    # but nobody may replace an invitation to a role they could not have granted themselves.
    pending = Invitation.objects.select_related("organisation").filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    if any(not permissions.can_revoke_invitation(invited_by, invitation) for invitation in pending):
        raise ValidationError({"email": _("This person already has an invitation that only a coordinator can change.")})
    pending.update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        language=language,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        action="invitation.create", actor=invited_by, obj=invitation, organisation_id=organisation.pk, request=request
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation, token


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    with translation.override(invitation.language):
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": token})
        context = {
            "invitation": invitation,
            "link": link,
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "days": settings.INVITATION_VALID_DAYS,
        }
        subject = _("You are invited to the MICRO platform")
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_find(*, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("organisation").filter(token_hash=_hash_token(token)).first()


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = "", request: HttpRequest | None = None
) -> User:
    """Turn a usable invitation into a membership, creating the account when there is none.

    A doubled submission finds the invitation already accepted and changes nothing.
    """
    invitation = Invitation.objects.select_for_update().filter(token_hash=_hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link is no longer valid. Ask for a new one."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account with this email exists already: sign in first, then open the link again.")
            )
        candidate = User(email=invitation.email, full_name=full_name.strip(), preferred_language=invitation.language)
        validate_password(password, candidate)
        candidate.set_password(password)
        candidate.full_clean()
        candidate.save()
        user = candidate
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another email address."))
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    except IntegrityError:
        Membership.objects.filter(user=user, organisation=invitation.organisation).update(
            role=invitation.role, is_active=True
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    two_factor_version_bump(user_ids=[user.pk])
    audit_record(
        action="invitation.accept",
        actor=user,
        obj=invitation,
        organisation_id=invitation.organisation_id,
        request=request,
    )
    return user


def invitation_revoke(*, invitation: Invitation, actor: User, request: HttpRequest | None = None) -> None:
    if not permissions.can_revoke_invitation(actor, invitation):
        raise PermissionDenied
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            action="invitation.revoke",
            actor=actor,
            obj=invitation,
            organisation_id=invitation.organisation_id,
            request=request,
        )


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, is_active: bool, actor: User, request: HttpRequest | None = None
) -> Membership:
    """Change a member's role or switch the membership off. Nobody can lock themselves out."""
    if not permissions.can_edit_membership(actor, membership):
        raise PermissionDenied
    if role != membership.role and role not in permissions.invitable_roles(actor, membership.organisation):
        raise PermissionDenied
    if membership.user_id == actor.pk and (not is_active or role != membership.role):
        raise ValidationError(_("You cannot change your own role or deactivate yourself. Ask another administrator."))
    before = {"role": membership.role, "is_active": membership.is_active}
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    membership.save(update_fields=["role", "is_active", "updated_at"])
    two_factor_version_bump(user_ids=[membership.user_id])
    audit_record(
        action="membership.update",
        actor=actor,
        obj=membership,
        organisation_id=membership.organisation_id,
        request=request,
        detail={"before": before, "after": {"role": role, "is_active": is_active}},
    )
    return membership


@transaction.atomic
def organisation_set_two_factor(
    *, organisation: Organisation, required: bool, actor: User, request: HttpRequest | None = None
) -> Organisation:
    if not permissions.can_set_two_factor_policy(actor, organisation):
        raise PermissionDenied
    organisation.require_two_factor = required
    organisation.save(update_fields=["require_two_factor", "updated_at"])
    two_factor_version_bump_for_organisation(organisation_id=organisation.pk)
    audit_record(
        action="organisation.two_factor",
        actor=actor,
        obj=organisation,
        organisation_id=organisation.pk,
        request=request,
        detail={"required": required},
    )
    return organisation


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user; the previous unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def totp_device_confirm(*, user: User, token: str, request: HttpRequest | None = None) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not token.isdigit() or not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(action="two_factor.enable", actor=user, obj=user, request=request)
    return True


@transaction.atomic
def totp_device_remove(*, user: User, request: HttpRequest | None = None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    two_factor_version_bump(user_ids=[user.pk])
    audit_record(action="two_factor.disable", actor=user, obj=user, request=request)


def totp_verify(*, user: User, token: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return bool(device and token.isdigit() and len(token) <= 8 and device.verify_token(token))


@transaction.atomic
def user_set_active(*, user: User, is_active: bool, actor: Any, request: HttpRequest | None = None) -> User:
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    two_factor_version_bump(user_ids=[user.pk])
    audit_record(action="user.activate" if is_active else "user.deactivate", actor=actor, obj=user, request=request)
    return user


def two_factor_version_bump(*, user_ids: Iterable[object]) -> None:
    """Void every cached two-factor all-clear of these users, in all their sessions, at once.

    Call it from any write that can make someone need two-factor sign-in (policy, membership,
    device, account). The new token is written when the transaction commits: written earlier, a
    request could check the old rows, read the new token and cache an all-clear that is already
    wrong. With a per-process cache (no REDIS_URL) only the worker that made the change hears it
    through the token; the others drop every all-clear when they next read the "two-factor"
    revision from the database (micro.core.revisions, at most a second later).
    """
    ids = frozenset(user_ids)
    if ids:
        revisions.bump(revisions.TWO_FACTOR)  # written with the change, visible when it commits
        transaction.on_commit(lambda: _two_factor_versions_renew(ids))


def two_factor_version_bump_for_organisation(*, organisation_id: int) -> None:
    """The same for every active member; they are listed after the commit, so a membership
    switched on by a transaction that commits in between is not missed."""

    def renew() -> None:
        members = Membership.objects.filter(organisation_id=organisation_id, is_active=True)
        _two_factor_versions_renew(members.values_list("user_id", flat=True).distinct())

    revisions.bump(revisions.TWO_FACTOR)
    transaction.on_commit(renew)


def _two_factor_versions_renew(user_ids: Iterable[object]) -> None:
    for chunk in batched(user_ids, 500):
        cache.set_many(
            {selectors.two_factor_version_cache_key(pk): secrets.token_hex(8) for pk in chunk},
            selectors.TWO_FACTOR_VERSION_SECONDS,
        )
