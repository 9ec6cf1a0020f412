"""Who may do what with conferences. Pure functions of (user, object).

An organiser of a conference is a partner admin or a coordinator of the organisation that owns
it, or a person the organisation named on the conference. Only organisers see registrations.
"""

from __future__ import annotations

from typing import Any

from micro.accounts.models import Organisation, Role
from micro.accounts.permissions import active_roles
from micro.events.models import Event

ORGANISER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.COORDINATOR})


def can_create_event(user: Any, organisation: Organisation) -> bool:
    return active_roles(user).get(organisation.pk) in ORGANISER_ROLES


def organisations_for_new_events(user: Any) -> list[int]:
    return [org_id for org_id, role in active_roles(user).items() if role in ORGANISER_ROLES]


def is_named_organiser(user: Any, event: Event) -> bool:
    """Uses the prefetched ``organisers`` when present (selectors prefetch them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache = getattr(event, "_prefetched_objects_cache", {})
    if "organisers" in cache:
        return any(person.pk == user.pk for person in cache["organisers"])
    return event.organisers.filter(pk=user.pk).exists()


def can_manage_event(user: Any, event: Event) -> bool:
    """Edit the conference, see and export its registrations, print badges, check people in."""
    if active_roles(user).get(event.organisation_id) in ORGANISER_ROLES:
        return True
    return is_named_organiser(user, event)


def can_name_organisers(user: Any, event: Event) -> bool:
    """Only the owning organisation's admins and coordinators choose who else organises."""
    return active_roles(user).get(event.organisation_id) in ORGANISER_ROLES
