"""Who may do what with practices. Pure functions of (user, object); no queries beyond the cached roles.

* Authors are the partner admins (and coordinators) of the practice's organisation; they edit it
  while it is a draft or returned, and submit it.
* Reviewers are coordinators and the experts a coordinator named for that practice. Nobody reviews
  a practice of their own organisation or one they wrote.
* Published practices are public.
"""

from __future__ import annotations

from typing import Any

from micro.accounts.models import Role
from micro.accounts.permissions import active_roles, has_staff_role, is_coordinator
from micro.practices.models import Attachment, Practice, Reuse, Status

EDITOR_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_ADMIN})
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
REVIEWABLE = frozenset({Status.SUBMITTED, Status.IN_REVIEW})


def editable_organisation_ids(user: Any) -> set[int]:
    """Organisations in whose name ``user`` may write practices and record reuse."""
    return {org_id for org_id, role in active_roles(user).items() if role in EDITOR_ROLES}


def _assigned_reviewer_ids(practice: Practice) -> set[int]:
    # Uses the prefetched assignments when the selector loaded them.
    return {assignment.reviewer_id for assignment in practice.assignments.all()}


def is_own_practice(user: Any, practice: Practice) -> bool:
    """The user wrote it or could have: an editor of its organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return practice.created_by_id == user.pk or practice.organisation_id in editable_organisation_ids(user)


def is_member_of_practice_organisation(user: Any, practice: Practice) -> bool:
    return practice.organisation_id in active_roles(user)


def is_named_reviewer(user: Any, practice: Practice) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.pk in _assigned_reviewer_ids(practice)


def can_create_practice(user: Any) -> bool:
    return bool(editable_organisation_ids(user))


def can_view_practice(user: Any, practice: Practice) -> bool:
    if practice.status == Status.PUBLISHED:
        return True
    if is_member_of_practice_organisation(user, practice):
        return True
    if practice.status == Status.DRAFT:
        return False
    return is_coordinator(user) or is_named_reviewer(user, practice)


def can_edit_practice(user: Any, practice: Practice) -> bool:
    return practice.status in EDITABLE and practice.organisation_id in editable_organisation_ids(user)


def can_submit_practice(user: Any, practice: Practice) -> bool:
    return can_edit_practice(user, practice)


def is_eligible_reviewer(user: Any, practice: Practice) -> bool:
    """A coordinator or a named expert, who neither wrote it nor belongs to its organisation's editors."""
    if is_own_practice(user, practice):
        return False
    return is_coordinator(user) or is_named_reviewer(user, practice)


def can_review_practice(user: Any, practice: Practice) -> bool:
    """Start a review, score it, publish or return it."""
    return practice.status in REVIEWABLE and is_eligible_reviewer(user, practice)


def can_assign_reviewers(user: Any, practice: Practice) -> bool:
    return is_coordinator(user) and practice.status in (Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED)


def can_read_reviews(user: Any, practice: Practice) -> bool:
    """Authors see the comments on their practice; reviewers see each other's."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        is_member_of_practice_organisation(user, practice) or is_coordinator(user) or is_named_reviewer(user, practice)
    )


def can_read_history(user: Any, practice: Practice) -> bool:
    return can_read_reviews(user, practice)


def can_record_reuse(user: Any, practice: Practice) -> bool:
    """Any partner other than the one that wrote it may say it adopted a published practice."""
    if practice.status != Status.PUBLISHED:
        return False
    return bool(editable_organisation_ids(user) - {practice.organisation_id})


def can_edit_reuse(user: Any, reuse: Reuse) -> bool:
    return reuse.organisation_id in editable_organisation_ids(user)


def can_download_attachment(user: Any, attachment: Attachment) -> bool:
    return can_view_practice(user, attachment.practice)


def can_set_targets(user: Any) -> bool:
    return is_coordinator(user)


def can_view_board(user: Any) -> bool:
    return has_staff_role(user)
