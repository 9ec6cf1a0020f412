"""Reads of xAPI statements: a cohort's statements, for the people who run the cohort."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404

from micro.learning import permissions
from micro.learning.models import Cohort
from micro.learning.models.xapi import XapiStatement

EXPORT_CHUNK = 1000


def cohort_for_xapi_export(user: Any, cohort_id: int) -> Cohort:
    """The cohort, if ``user`` is one of its trainers or a coordinator; 404 for anyone else."""
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    trainer_ids = set(cohort.trainers.values_list("pk", flat=True))
    if not permissions.can_manage_cohort(user, trainer_ids=trainer_ids):
        raise Http404
    return cohort


def statements_for_cohort(cohort: Cohort) -> Iterator[dict[str, Any]]:
    """Every statement recorded in the cohort, oldest first, read in chunks (one query)."""
    return (
        XapiStatement.objects.filter(cohort=cohort)
        .order_by("timestamp", "pk")
        .values_list("statement", flat=True)
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def statements_json_array(statements: Iterator[dict[str, Any]]) -> Iterator[str]:
    """The statements as one JSON array, piece by piece, so memory stays flat however many there are."""
    yield "["
    for index, statement in enumerate(statements):
        yield ("," if index else "") + "\n" + json.dumps(statement, ensure_ascii=False)
    yield "\n]\n"
