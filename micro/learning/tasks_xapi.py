"""Background forwarding of xAPI statements to the external learning record store.

Enqueued after each recorded statement when ``XAPI_LRS_ENDPOINT`` is set (the database worker runs
it in production; the immediate backend of development runs it right after the request's commit).
Statements a failed run left pending are sent by the next run: ``deploy/systemd/micro-xapi-forward.timer``
runs ``manage.py xapi_forward --if-configured`` every five minutes, so they also go when no new
event arrives.
"""

from __future__ import annotations

from django.tasks import task

from micro.learning.services import xapi as xapi_services


@task
def xapi_forward_pending() -> int:
    """Forward every pending statement; returns how many were sent."""
    return xapi_services.statements_forward().sent
