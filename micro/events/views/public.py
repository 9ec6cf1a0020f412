"""Conferences, public side: the programme, registration without an account and the personal link.

Thin: parse, call a service or selector, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from micro.events import emails, exports, forms, permissions, selectors, services
from micro.events.models import Material, RegistrationStatus
from micro.events.views.common import active_language, add_errors, posted_data

# --- public pages --------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.event_list_public()
    return render(request, "events/list.html", {"upcoming": upcoming, "past": past})


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_public(slug, request.user)
    sessions = list(event.sessions.all())
    context = {
        "event": event,
        "loc": event.localized(),
        "sessions": sessions,
        "speakers": list(event.speakers.all()),
        "materials": [m for m in event.materials.all() if m.session_id is None],
        "practice_links": list(event.practice_links.all()),
        "counts": selectors.public_counts(event),
        "is_open": services.registration_is_open(event),
        "is_past": event.ends_at < timezone.now(),
        "can_manage": permissions.can_manage_event(request.user, event),
    }
    return render(request, "events/detail.html", context)


@require_GET
def event_privacy(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_registration(slug)
    return render(request, "events/privacy.html", {"event": event})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_registration(slug)
    questions = list(event.questions.all())
    form = forms.RegistrationForm(posted_data(request), event=event, questions=questions)
    is_open = services.registration_is_open(event)
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            registration, token = services.registration_create(
                event=event,
                full_name=data["full_name"],
                email=data["email"],
                organisation_name=data["organisation_name"],
                category=data["category"],
                language=active_language(),
                interpretation_language=data.get("interpretation_language", ""),
                needs=data["needs"],
                answers=form.answers(),
                privacy_accepted=data["privacy"],
                list_consent=data["list_consent"],
                followup_consent=data["followup_consent"],
                idempotency_key=data["idempotency_key"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            # A resent form (same key) lands here too, with the first registration: same message, same link.
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered. We have sent a confirmation to your email address."))
            else:
                messages.success(
                    request,
                    _(
                        "The conference is full: you are on the waiting list. We will email you as soon as a place is free."
                    ),
                )
            return redirect("events:registration", token=token)
    if request.method == "POST":
        form.renew_idempotency_key()  # nothing was stored under the old key
    response = render(request, "events/register.html", {"event": event, "form": form, "is_open": is_open})
    # The page holds a one-time key for one person: no shared cache may hand it to another.
    patch_cache_control(response, private=True)
    return response


@require_http_methods(["GET", "POST"])
def resend_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Lost the personal link: it is sent again to the address (the page says the same either way)."""
    event = selectors.event_get_for_registration(slug)
    form = forms.ResendLinkForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        services.registration_resend_link(event=event, email=form.cleaned_data["email"])
        messages.success(
            request, _("If this address is registered, its personal link is on its way. Check your inbox.")
        )
        return redirect("events:detail", slug=event.slug)
    return render(request, "events/resend_link.html", {"event": event, "form": form})


def _registration_or_404(token: str) -> Any:
    registration = services.registration_find(token=token)
    if registration is None:
        raise Http404
    return registration


@require_GET
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    questions = list(event.questions.all())
    answers = []
    for question in questions:
        value = (registration.answers or {}).get(str(question.pk))
        if value:
            answers.append(
                {"label": question.localized().get("label", ""), "value": exports.answer_text(question, value)}
            )
    context = {
        "registration": registration,
        "event": event,
        "token": token,
        "answers": answers,
        "qr": emails.qr_svg_data_uri(registration) if registration.status == RegistrationStatus.CONFIRMED else "",
        "checkin": getattr(registration, "checkin", None),
        "is_past": event.ends_at < timezone.now(),
    }
    response = render(request, "events/registration.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    questions = list(event.questions.all())
    form = forms.RegistrationForm(
        posted_data(request),
        event=event,
        questions=questions,
        editing=True,
        initial=forms.RegistrationForm.initial_for(registration),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_update(
                registration=registration,
                full_name=data["full_name"],
                organisation_name=data["organisation_name"],
                category=data["category"],
                interpretation_language=data.get("interpretation_language", ""),
                needs=data["needs"],
                answers=form.answers(),
                list_consent=data["list_consent"],
                followup_consent=data["followup_consent"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("events:registration", token=token)
    return render(
        request,
        "events/registration_edit.html",
        {"registration": registration, "event": event, "form": form, "token": token},
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    if request.method == "POST":
        if registration.status == RegistrationStatus.CANCELLED:
            messages.info(request, _("This registration was already cancelled."))
        else:
            try:
                services.registration_cancel(registration=registration, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Your registration is cancelled. Thank you for telling us: your place goes to someone on the waiting list."
                    ),
                )
        return redirect("events:registration", token=token)
    return render(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "event": registration.event, "token": token},
    )


@require_GET
def registration_ics(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    with timezone.override(registration.event.time_zone):
        body = emails.ics_bytes(registration, link=request.build_absolute_uri())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="conference.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def registration_data(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own data as a JSON download."""
    registration = _registration_or_404(token)
    data = services.registration_export(registration=registration, request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def registration_erase(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    form = forms.ConfirmForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        services.registration_erase(registration=registration, request=request)
        messages.success(request, _("Your registration and all its data are deleted. The link no longer works."))
        return redirect("events:detail", slug=event.slug)
    return render(
        request,
        "events/registration_erase.html",
        {"registration": registration, "event": event, "form": form, "token": token},
    )


@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    material = Material.objects.select_related("event").filter(pk=pk).first()
    if material is None:
        raise Http404
    selectors.event_get_public(material.event.slug, request.user)  # drafts stay hidden
    from micro.events.uploads import CONTENT_TYPES

    response: HttpResponse | FileResponse = FileResponse(
        material.file.open("rb"),
        content_type=CONTENT_TYPES.get(material.file_type, "application/octet-stream"),
        as_attachment=True,
        filename=material.file_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
