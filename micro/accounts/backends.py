"""The sign-in backend: Django's ModelBackend, with the per-request user read in plain SQL.

Every signed-in request reads its user, and then its roles. Through the ORM
(``User.objects.get(pk=...)``) building that one-row query took about three times as long in
Python as the plain statement does (micro.core.rawsql). Signing in, passwords and permissions stay Django's; only ``get_user`` is
ours: it returns the same model instance as the ORM would, with the user's active roles read in the
same statement and kept for ``micro.accounts.permissions.active_roles``.

The session stores the backend's dotted path (``PATH``). Sessions written under Django's own
ModelBackend path are not recognised any more: everyone signs in once more after the upgrade that
introduced this backend (deploy/README.md, "Upgrades").
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from micro.accounts.models import Membership
from micro.accounts.permissions import remember_roles
from micro.core.rawsql import select_instances

PATH = "micro.accounts.backends.UserBackend"


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        pk_field: Any = model._meta.pk
        try:
            pk = pk_field.to_python(user_id)
        except (TypeError, ValueError, ValidationError):
            return None  # a session id that cannot be a user's: nobody, as in ModelBackend
        # Beyond the column's range SQLite raises OverflowError; the ORM answers "no such row".
        connection = connections[router.db_for_read(model)]
        low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
        if pk is None or (low is not None and pk < low) or (high is not None and pk > high):
            return None
        # The active memberships come in the same statement (one row each, or one row of NULLs):
        # every signed-in page asks for the roles next, and this saves it a round trip.
        rows = select_instances(
            model,
            alias="u",
            join=f"LEFT JOIN {Membership._meta.db_table} m ON m.user_id = u.id AND m.is_active",
            extra=[("_membership_organisation", "m.organisation_id"), ("_membership_role", "m.role")],
            where=f"u.{connection.ops.quote_name(pk_field.column)} = %s",
            params=[pk],
        )
        if not rows:
            return None
        user = rows[0]
        if not self.user_can_authenticate(user):
            return None
        roles = {row._membership_organisation: row._membership_role for row in rows if row._membership_role}
        del user._membership_organisation, user._membership_role
        remember_roles(user, roles)
        return user
