"""Generic permission plumbing; the rules themselves live in each app's permissions.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def ensure(allowed: bool) -> None:
    """Raise 403 unless ``allowed``. Views call ``ensure(can_x(user, obj))`` before acting."""
    if not allowed:
        raise PermissionDenied
