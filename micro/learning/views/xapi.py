"""Views of the xapi area; its routes are listed in ``routes`` at the foot of the module."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from micro.core.services import audit_record
from micro.learning.selectors import xapi as xapi_selectors
from micro.learning.views.courses import learner_required


@require_GET
@learner_required
def xapi_export(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    """The cohort's xAPI statements as a JSON array, for its trainers and coordinators (404 for others).

    Streamed: a cohort with many statements costs no more memory than a small one.
    """
    cohort = xapi_selectors.cohort_for_xapi_export(request.user, cohort_id)
    audit_record(action="learning.xapi.export", obj=cohort, request=request)
    response = StreamingHttpResponse(
        xapi_selectors.statements_json_array(xapi_selectors.statements_for_cohort(cohort)),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-xapi.json"'
    response["Cache-Control"] = "private, no-store"
    return response


routes: list[URLPattern] = [
    path("cohorts/<int:cohort_id>/xapi/", xapi_export, name="xapi_export"),
]
