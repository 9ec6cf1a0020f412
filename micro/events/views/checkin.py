"""Check-in at the door, by QR payload or by name, with idempotency keys."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from micro.events import forms, selectors, services
from micro.events.services import checkin as checkin_service
from micro.events.views.common import audit_organiser_read, in_event_zone, parse_int

# --- check-in --------------------------------------------------------------------------------


def _checkin_message(result: checkin_service.CheckInResult) -> str:
    name = result.registration.full_name if result.registration else ""
    at = time_format(timezone.localtime(result.checked_in_at), "TIME_FORMAT") if result.checked_in_at else ""
    if result.outcome == checkin_service.CHECKED_IN:
        return _("%(name)s is checked in.") % {"name": name}
    if result.outcome == checkin_service.ALREADY:
        return _("%(name)s was already checked in at %(time)s.") % {"name": name, "time": at}
    if result.outcome == checkin_service.OTHER_EVENT:
        return _("This ticket is for another conference.")
    if result.outcome == checkin_service.NOT_CONFIRMED:
        return _("%(name)s has no confirmed place (waiting list or cancelled).") % {"name": name}
    return _("No registration has this code. Check the code or search by name.")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
@in_event_zone
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    result = None
    if request.method == "POST":
        form = forms.CheckInForm(request.POST)
        registration_id = parse_int(request.POST.get("registration"))
        if registration_id is not None or form.is_valid():
            result = services.checkin_record(
                event=event,
                actor=request.user,
                idempotency_key=request.POST.get("idempotency_key", ""),
                code=request.POST.get("code", "") if registration_id is None else "",
                registration_id=registration_id,
                request=request,
            )
            message = _checkin_message(result)
            if _wants_json(request):
                return JsonResponse(
                    {
                        "outcome": result.outcome,
                        "ok": result.ok,
                        "message": message,
                        "registration": result.registration.pk if result.registration else None,
                    }
                )
            (messages.success if result.ok else messages.error)(request, message)
            query = request.POST.get("q", "")
            target = reverse("events:checkin", kwargs={"slug": event.slug})
            return redirect(target + (f"?q={query}" if query else ""))
        if _wants_json(request):
            return JsonResponse({"outcome": "invalid", "ok": False, "message": _("Enter a code.")}, status=400)
    search = forms.CheckInSearchForm(request.GET or None)
    found = selectors.registration_search(event, search.cleaned_data["q"]) if search.is_valid() else []
    stats = selectors.event_stats(event)
    context = {
        "event": event,
        "form": forms.CheckInForm(initial={"idempotency_key": uuid.uuid4().hex}),
        "search": search,
        "found": found,
        "query": request.GET.get("q", "")[:100],
        "new_key": uuid.uuid4().hex,
        "recent": selectors.recent_checkins(event),
        "stats": stats,
    }
    return render(request, "events/checkin.html", context)


@login_required
@require_GET
@in_event_zone
def checkin_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone with a place on one compact page, to load on the phone before the doors open."""
    event = selectors.event_get_for_organiser(request.user, slug)
    people = list(selectors.checkin_list(event))
    audit_organiser_read(request, event, "event_registration.checkin_list", len(people))
    if request.GET.get("format") == "json":
        data = {
            "event": event.pk,
            "generated_at": timezone.now().isoformat(),
            "people": [
                {
                    "id": r.pk,
                    "code": r.checkin_code,
                    "name": r.full_name,
                    "organisation": r.organisation_name,
                    "category": r.category,
                    "checked_in_at": r.checkin.checked_in_at.isoformat() if hasattr(r, "checkin") else None,
                }
                for r in people
            ],
        }
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    else:
        response = render(request, "events/checkin_list.html", {"event": event, "people": people})
    response["Cache-Control"] = "private, no-store"
    return response
