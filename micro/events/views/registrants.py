"""Conferences, organiser side: the registrants (list, exports, participants, badges). Every read is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from micro.events import badges, exports, forms, selectors
from micro.events.models import RegistrationStatus
from micro.events.views.common import active_language, audit_organiser_read


@login_required
@require_GET
def manage_registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    registrations = list(selectors.registration_list_for_event(event, status=status, category=category))
    audit_organiser_read(request, event, "event_registration.list", len(registrations))
    context = {
        "event": event,
        "registrations": registrations,
        "status": status,
        "category": category,
        "statuses": RegistrationStatus.choices,
        "categories": forms.Category.choices,
    }
    return render(request, "events/manage_registrations.html", context)


def _export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    registrations = list(selectors.registration_list_for_event(event))
    questions = list(event.questions.all())
    audit_organiser_read(request, event, f"event_registration.export_{kind}", len(registrations))
    if kind == "csv":
        response = HttpResponse(exports.to_csv(event, registrations, questions), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(event, registrations, questions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def manage_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(request, slug, "csv")


@login_required
@require_GET
def manage_export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(request, slug, "xlsx")


@login_required
@require_GET
def manage_participants(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable participant list: only those who agreed to appear on it."""
    event = selectors.event_get_for_organiser(request.user, slug)
    participants = list(selectors.participant_list_consented(event))
    audit_organiser_read(request, event, "event_registration.participant_list", len(participants))
    return render(request, "events/manage_participants.html", {"event": event, "participants": participants})


@login_required
@require_GET
def manage_badges(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    registrations = list(selectors.badges_for_event(event))
    audit_organiser_read(request, event, "event_registration.badges", len(registrations))
    pdf = badges.render_badges_pdf(event=event, registrations=registrations, language=active_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badges-{event.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
