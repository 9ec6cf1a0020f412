"""Sign every stored credential again with the current key and addresses (after the key or
SITE_URL changed, or to give credentials issued earlier their revocation status entry and their
own achievement id)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micro.learning.services.certificates import certificates_resign


class Command(BaseCommand):
    help = (
        "Re-sign every certificate's credential with the current signing key and issuer addresses, "
        "adding the revocation list entry (credentialStatus) and the achievement id of its course or cohort "
        "where an older credential lacks them. The content stays the same; holders download the new "
        "credential file."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = certificates_resign()
        self.stdout.write(f"Signed {count} credentials again.")
