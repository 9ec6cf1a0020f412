"""The platform's WSGI application with a switch that SIGKILLs the worker at a chosen moment.

Only the resilience tests serve this module (``RESILIENCE_KILL_HOOKS=1``), never production. A
request carrying ``X-Resilience-Kill`` dies:

* ``during-write:<table>`` - right after the first INSERT/UPDATE on ``<table>`` ran, before the
  transaction commits (the database rolls it back when the connection drops);
* ``after-commit`` - after the whole response was computed (and every write committed), before a
  single byte reaches the client: the user saw nothing and will press the button again.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

from config.wsgi import application as django_application

ENABLED = os.environ.get("RESILIENCE_KILL_HOOKS") == "1"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_after_write_to(table: str) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        statement = sql.lstrip().upper()
        if statement.startswith(("INSERT", "UPDATE")) and f'"{table.upper()}"' in statement:
            _die()
        return result

    return wrapper


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    mode = environ.get("HTTP_X_RESILIENCE_KILL", "") if ENABLED else ""
    if mode.startswith("during-write:"):
        with connection.execute_wrapper(_kill_after_write_to(mode.partition(":")[2])):
            return django_application(environ, start_response)
    response = django_application(environ, start_response)
    if mode == "after-commit":
        _die()
    return response
