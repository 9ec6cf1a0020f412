"""Reads about accounts that carry a rule (scoping, throttling, two-factor policy)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts import permissions
from micro.accounts.models import Invitation, LoginFailure, Membership, Organisation


def organisation_list_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_partner=True).order_by("country", "name")


def organisation_count_public() -> int:
    return organisation_list_public().count()


def organisation_list_managed_by(user: Any) -> QuerySet[Organisation]:
    if permissions.is_coordinator(user):
        return Organisation.objects.order_by("country", "name")
    ids = [org_id for org_id, role in permissions.active_roles(user).items() if role == "partner_admin"]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def organisation_get_managed(user: Any, slug: str) -> Organisation:
    """The organisation if ``user`` may manage its members; 404 otherwise, so others' exist silently."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not permissions.can_manage_members(user, organisation):
        raise Http404
    return organisation


def membership_list_for_organisation(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("-is_active", "user__email")


def membership_get_in_organisation(organisation: Organisation, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, organisation=organisation)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def invitation_list_pending(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def invitation_get_in_organisation(organisation: Organisation, invitation_id: int) -> Invitation:
    invitation = organisation.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def login_is_throttled(*, email: str, ip_address: str | None) -> bool:
    """True when too many recent failures came for this email or from this address."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    match = Q(email=email.strip().lower())
    if ip_address:
        match |= Q(ip_address=ip_address)
    # The address limit is wider than the per-email one, so a shared office connection is not locked out.
    recent = LoginFailure.objects.filter(match, created_at__gte=since)
    by_email = recent.filter(email=email.strip().lower()).count()
    if by_email >= settings.LOGIN_FAILURE_LIMIT:
        return True
    if ip_address:
        return recent.filter(ip_address=ip_address).count() >= settings.LOGIN_FAILURE_LIMIT * 4
    return False


def user_confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# Every change that can oblige someone to set up two-factor sign-in (policy, membership, device,
# account) writes a new random token under this key once it commits (services.two_factor_version_
# bump*); the middleware trusts a cached all-clear only while it carries the token that is there now.
# A missing key (never written, expired or evicted) means "trust no all-clear", so losing it is safe.
TWO_FACTOR_VERSION_SECONDS = 24 * 3600


def two_factor_version_cache_key(user_pk: object) -> str:
    return f"accounts:two-factor-version:{user_pk}"


def user_must_set_up_two_factor(user: Any) -> bool:
    """Staff whose organisation requires two-factor sign-in but who have no confirmed device yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    required = Membership.objects.filter(user=user, is_active=True, organisation__require_two_factor=True).exists()
    return required and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
