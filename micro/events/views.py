"""Conferences: public pages, registration without an account, the personal link, organiser pages
and check-in at the door. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from micro.accounts.models import Organisation, User
from micro.core.permissions import ensure
from micro.core.services import audit_record
from micro.events import badges, emails, exports, forms, permissions, selectors, services
from micro.events.models import Event, Material, Question, RegistrationStatus, Session, Speaker
from micro.events.services import checkin as checkin_service


def _language() -> str:
    return translation.get_language() or "en"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _in_event_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view with the conference's time zone active (forms read and show its local times)."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = Event.objects.filter(slug=slug).values_list("time_zone", flat=True).first()
        with timezone.override(zone or timezone.get_current_timezone_name()):
            return view(request, slug, *args, **kwargs)

    return wrapped


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
    form = forms.RegistrationForm(_posted(request), event=event, questions=questions)
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
                language=_language(),
                interpretation_language=data.get("interpretation_language", ""),
                needs=data["needs"],
                answers=form.answers(),
                privacy_accepted=data["privacy"],
                list_consent=data["list_consent"],
                followup_consent=data["followup_consent"],
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
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
    return render(request, "events/register.html", {"event": event, "form": form, "is_open": is_open})


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET", "POST"])
def resend_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Lost the personal link: it is sent again to the address (the page says the same either way)."""
    event = selectors.event_get_for_registration(slug)
    form = forms.ResendLinkForm(_posted(request))
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
        _posted(request),
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
            _add_errors(form, error)
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
    form = forms.ConfirmForm(_posted(request))
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


# --- organiser pages -----------------------------------------------------------------------


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    events = list(selectors.event_list_for_organiser(request.user))
    can_create = bool(permissions.organisations_for_new_events(request.user))
    if not events and not can_create:
        raise Http404
    return render(request, "events/manage_list.html", {"events": events, "can_create": can_create})


def _organisation_choices(user: Any) -> list[tuple[int, str]]:
    ids = permissions.organisations_for_new_events(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def manage_new(request: HttpRequest) -> HttpResponse:
    choices = _organisation_choices(request.user)
    ensure(bool(choices))
    form = forms.EventForm(_posted(request), organisations=choices, initial={"time_zone": "Europe/Rome"})
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        try:
            event = services.event_create(
                organisation=organisation,
                actor=request.user,
                data=form.event_data(),
                texts={"title": form.cleaned_data["title"], "description": form.cleaned_data["description"]},
                text_language=_language(),
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The conference is created."))
            return redirect("events:manage", slug=event.slug)
    return render(request, "events/manage_event_form.html", {"form": form, "event": None})


@login_required
@require_GET
def manage_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    context = {
        "event": event,
        "stats": selectors.event_stats(event),
        "can_name_organisers": permissions.can_name_organisers(request.user, event),
    }
    return render(request, "events/manage_dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_in_event_zone
def manage_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    form = forms.EventForm(
        _posted(request) if "save_event" in request.POST else None,
        organisations=[],
        editing=True,
        initial=forms.EventForm.initial_for(event),
    )
    organisers_form = forms.OrganisersForm(
        _posted(request) if "save_organisers" in request.POST else None,
        initial={"emails": "\n".join(user.email for user in event.organisers.all())},
    )
    if request.method == "POST" and "save_event" in request.POST and form.is_valid():
        try:
            services.event_update(event=event, actor=request.user, data=form.event_data(), request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage", slug=form.cleaned_data["slug"])
    if request.method == "POST" and "save_organisers" in request.POST and organisers_form.is_valid():
        ensure(permissions.can_name_organisers(request.user, event))
        wanted = organisers_form.email_list()
        found = list(User.objects.filter(email__in=wanted, is_active=True))
        missing = sorted(set(wanted) - {user.email for user in found})
        if missing:
            organisers_form.add_error(
                "emails", _("No account with these addresses: %(emails)s") % {"emails": ", ".join(missing)}
            )
        else:
            services.event_set_organisers(event=event, actor=request.user, organisers=found, request=request)
            messages.success(request, _("Saved."))
            return redirect("events:manage_edit", slug=event.slug)
    context = {
        "form": form,
        "organisers_form": organisers_form,
        "event": event,
        "can_name_organisers": permissions.can_name_organisers(request.user, event),
    }
    return render(request, "events/manage_event_form.html", context)


def _text_language(request: HttpRequest) -> str:
    wanted = request.POST.get("language") or request.GET.get("language") or _language()
    return wanted if wanted in dict(forms._ui_languages()) else "en"


@login_required
@require_http_methods(["GET", "POST"])
def manage_texts(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    language = _text_language(request)
    current = (event.translations or {}).get(language, {})
    form = forms.EventTextsForm(_posted(request), initial={"language": language, **current})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.event_set_texts(
            event=event,
            actor=request.user,
            language=data["language"],
            texts=data,
            status=data["status"],
            request=request,
        )
        messages.success(request, _("Saved."))
        return redirect(reverse("events:manage_texts", kwargs={"slug": event.slug}) + f"?language={data['language']}")
    return render(
        request,
        "events/manage_texts.html",
        {"event": event, "form": form, "language": language, "languages": sorted(event.translations or {})},
    )


@login_required
@require_http_methods(["GET", "POST"])
@_in_event_zone
def manage_programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    language = _text_language(request)
    session_form = forms.SessionForm(
        _posted(request) if "add_session" in request.POST else None,
        event=event,
        initial={"language": language, "starts_at": event.starts_at, "ends_at": event.starts_at},
    )
    speaker_form = forms.SpeakerForm(
        _posted(request) if "add_speaker" in request.POST else None, initial={"language": language}
    )
    if request.method == "POST" and "add_session" in request.POST and session_form.is_valid():
        data = session_form.cleaned_data
        try:
            services.session_save(
                event=event,
                actor=request.user,
                data=session_form.session_data(),
                language=data["language"],
                texts=data,
                status=data["status"],
            )
        except ValidationError as error:
            _add_errors(session_form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage_programme", slug=event.slug)
    if request.method == "POST" and "add_speaker" in request.POST and speaker_form.is_valid():
        data = speaker_form.cleaned_data
        services.speaker_save(
            event=event,
            actor=request.user,
            name=data["name"],
            affiliation=data["affiliation"],
            language=data["language"],
            bio=data["bio"],
            status=data["status"],
        )
        messages.success(request, _("Saved."))
        return redirect("events:manage_programme", slug=event.slug)
    context = {
        "event": event,
        "sessions": list(event.sessions.prefetch_related("speakers")),
        "speakers": list(event.speakers.all()),
        "session_form": session_form,
        "speaker_form": speaker_form,
    }
    return render(request, "events/manage_programme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_in_event_zone
def manage_session(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    session = Session.objects.filter(event=event, pk=pk).first()
    if session is None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        services.session_delete(event=event, actor=request.user, session=session)
        messages.success(request, _("Deleted."))
        return redirect("events:manage_programme", slug=event.slug)
    language = _text_language(request)
    form = forms.SessionForm(_posted(request), event=event, initial=forms.SessionForm.initial_for(session, language))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_save(
                event=event,
                actor=request.user,
                data=form.session_data(),
                language=data["language"],
                texts=data,
                status=data["status"],
                session=session,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage_programme", slug=event.slug)
    return render(
        request, "events/manage_item.html", {"event": event, "form": form, "item": session, "kind": "session"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_speaker(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    speaker = Speaker.objects.filter(event=event, pk=pk).first()
    if speaker is None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        services.speaker_delete(event=event, actor=request.user, speaker=speaker)
        messages.success(request, _("Deleted."))
        return redirect("events:manage_programme", slug=event.slug)
    language = _text_language(request)
    texts = (speaker.translations or {}).get(language, {})
    form = forms.SpeakerForm(
        _posted(request),
        initial={
            "language": language,
            "status": texts.get("status", "reviewed"),
            "name": speaker.name,
            "affiliation": speaker.affiliation,
            "bio": texts.get("bio", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.speaker_save(
            event=event,
            actor=request.user,
            name=data["name"],
            affiliation=data["affiliation"],
            language=data["language"],
            bio=data["bio"],
            status=data["status"],
            speaker=speaker,
        )
        messages.success(request, _("Saved."))
        return redirect("events:manage_programme", slug=event.slug)
    return render(
        request, "events/manage_item.html", {"event": event, "form": form, "item": speaker, "kind": "speaker"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_questions(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    language = _text_language(request)
    edit_id = request.POST.get("question") or request.GET.get("question")
    question = Question.objects.filter(event=event, pk=edit_id).first() if edit_id and edit_id.isdigit() else None
    if request.method == "POST" and question is not None and "delete" in request.POST:
        services.question_delete(event=event, actor=request.user, question=question)
        messages.success(request, _("Deleted."))
        return redirect("events:manage_questions", slug=event.slug)
    initial: dict[str, Any] = {"language": language}
    if question is not None:
        texts = (question.translations or {}).get(language, {})
        initial.update(
            kind=question.kind,
            required=question.required,
            order=question.order,
            label=texts.get("label", ""),
            help_text=texts.get("help", ""),
            options="\n".join(texts.get("options", [])),
            status=texts.get("status", "reviewed"),
        )
    form = forms.QuestionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_save(
                event=event,
                actor=request.user,
                kind=data["kind"],
                required=data["required"],
                order=data["order"],
                language=data["language"],
                label=data["label"],
                help_text=data["help_text"],
                options=form.option_list(),
                status=data["status"],
                question=question,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:manage_questions", slug=event.slug)
    context = {"event": event, "form": form, "questions": list(event.questions.all()), "editing": question}
    return render(request, "events/manage_questions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_results(request: HttpRequest, slug: str) -> HttpResponse:
    """After the conference: materials (checked uploads) and the practices presented (links)."""
    event = selectors.event_get_for_organiser(request.user, slug)
    material_form = forms.MaterialForm(
        _posted(request) if "add_material" in request.POST else None,
        request.FILES if "add_material" in request.POST else None,
        event=event,
    )
    link_form = forms.PracticeLinkForm(_posted(request) if "add_link" in request.POST else None)
    if request.method == "POST":
        if "add_material" in request.POST and material_form.is_valid():
            data = material_form.cleaned_data
            try:
                services.material_add(
                    event=event,
                    actor=request.user,
                    title=data["title"],
                    upload=data["file"],
                    session=data.get("session"),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(material_form, error)
            else:
                messages.success(request, _("The file is added."))
                return redirect("events:manage_results", slug=event.slug)
        elif "add_link" in request.POST and link_form.is_valid():
            try:
                services.practice_link_add(
                    event=event,
                    actor=request.user,
                    url=link_form.cleaned_data["url"],
                    title=link_form.cleaned_data["title"],
                )
            except ValidationError as error:
                _add_errors(link_form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("events:manage_results", slug=event.slug)
        elif "remove_material" in request.POST:
            material = event.materials.filter(pk=_int(request.POST.get("remove_material")) or 0).first()
            if material is not None:
                services.material_remove(event=event, actor=request.user, material=material, request=request)
            return redirect("events:manage_results", slug=event.slug)
        elif "remove_link" in request.POST:
            link = event.practice_links.filter(pk=_int(request.POST.get("remove_link")) or 0).first()
            if link is not None:
                services.practice_link_remove(event=event, actor=request.user, link=link)
            return redirect("events:manage_results", slug=event.slug)
    context = {
        "event": event,
        "material_form": material_form,
        "link_form": link_form,
        "materials": list(event.materials.select_related("session")),
        "links": list(event.practice_links.all()),
    }
    return render(request, "events/manage_results.html", context)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _audit_organiser_read(request: HttpRequest, event: Any, action: str, count: int) -> None:
    """Every organiser read of registrants' personal data leaves one audit row with how many people it showed."""
    audit_record(
        action=action,
        actor=request.user,
        obj=event,
        organisation_id=event.organisation_id,
        request=request,
        detail={"count": count},
    )


@login_required
@require_GET
def manage_registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    registrations = list(selectors.registration_list_for_event(event, status=status, category=category))
    _audit_organiser_read(request, event, "event_registration.list", len(registrations))
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
    _audit_organiser_read(request, event, f"event_registration.export_{kind}", len(registrations))
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
    _audit_organiser_read(request, event, "event_registration.participant_list", len(participants))
    return render(request, "events/manage_participants.html", {"event": event, "participants": participants})


@login_required
@require_GET
def manage_badges(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    registrations = list(selectors.badges_for_event(event))
    _audit_organiser_read(request, event, "event_registration.badges", len(registrations))
    pdf = badges.render_badges_pdf(event=event, registrations=registrations, language=_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badges-{event.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


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
@_in_event_zone
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    result = None
    if request.method == "POST":
        form = forms.CheckInForm(request.POST)
        registration_id = _int(request.POST.get("registration"))
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
@_in_event_zone
def checkin_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone with a place on one compact page, to load on the phone before the doors open."""
    event = selectors.event_get_for_organiser(request.user, slug)
    people = list(selectors.checkin_list(event))
    _audit_organiser_read(request, event, "event_registration.checkin_list", len(people))
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
