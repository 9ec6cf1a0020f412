"""Who may do what with accounts and organisations. Pure functions of (user, object)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from micro.accounts.models import Invitation, Membership, Organisation, Role


def remember_roles(user: Any, roles: dict[int, str]) -> None:
    """Keeps ``active_roles`` for this request, read along with the user (accounts.backends)."""
    user._micro_roles = roles


def active_roles(user: Any) -> dict[int, str]:
    """organisation id → role for the user's active memberships, cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_micro_roles", None)
    if cached is None:
        # In SQL: every signed-in page asks, and the ORM took longer to build this query than
        # PostgreSQL took to run it.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT organisation_id, role FROM {Membership._meta.db_table}"  # noqa: S608 - table name from the model
                " WHERE user_id = %s AND is_active",
                [user.pk],
            )
            cached = dict(cursor.fetchall())
        user._micro_roles = cached
    return cached


def is_coordinator(user: Any) -> bool:
    return Role.COORDINATOR in active_roles(user).values()


def has_staff_role(user: Any) -> bool:
    return bool(active_roles(user))


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    if is_coordinator(user):
        return True
    return active_roles(user).get(organisation.pk) == Role.PARTNER_ADMIN


def invitable_roles(user: Any, organisation: Organisation) -> list[str]:
    """Coordinators may grant every role; partner admins only trainer and operator."""
    if is_coordinator(user):
        return [choice.value for choice in Role]
    if active_roles(user).get(organisation.pk) == Role.PARTNER_ADMIN:
        return [Role.TRAINER.value, Role.OPERATOR.value]
    return []


def can_edit_membership(user: Any, membership: Membership) -> bool:
    """Coordinators edit every membership; partner admins only those holding a role they could grant.

    Their own membership stays open to them (the service refuses any change with a clear message),
    but a partner admin cannot demote or deactivate a coordinator or a fellow partner admin.
    """
    if not can_manage_members(user, membership.organisation):
        return False
    if is_coordinator(user) or membership.user_id == user.pk:
        return True
    return membership.role in invitable_roles(user, membership.organisation)


def can_revoke_invitation(user: Any, invitation: Invitation) -> bool:
    """Only who could have sent an invitation may withdraw (or replace) it."""
    if not can_manage_members(user, invitation.organisation):
        return False
    return invitation.role in invitable_roles(user, invitation.organisation)


def can_set_two_factor_policy(user: Any, organisation: Organisation) -> bool:
    return is_coordinator(user)
