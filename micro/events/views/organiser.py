"""Conferences, organiser side: creating and editing a conference, its programme, questions and results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from micro.accounts.models import Organisation, User
from micro.core.permissions import ensure
from micro.events import forms, permissions, selectors, services
from micro.events.models import Question, Session, Speaker
from micro.events.views.common import active_language, add_errors, in_event_zone, parse_int, posted_data

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
    form = forms.EventForm(posted_data(request), organisations=choices, initial={"time_zone": "Europe/Rome"})
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        try:
            event = services.event_create(
                organisation=organisation,
                actor=request.user,
                data=form.event_data(),
                texts={"title": form.cleaned_data["title"], "description": form.cleaned_data["description"]},
                text_language=active_language(),
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
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
@in_event_zone
def manage_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    form = forms.EventForm(
        posted_data(request) if "save_event" in request.POST else None,
        organisations=[],
        editing=True,
        initial=forms.EventForm.initial_for(event),
    )
    organisers_form = forms.OrganisersForm(
        posted_data(request) if "save_organisers" in request.POST else None,
        initial={"emails": "\n".join(user.email for user in event.organisers.all())},
    )
    if request.method == "POST" and "save_event" in request.POST and form.is_valid():
        try:
            services.event_update(event=event, actor=request.user, data=form.event_data(), request=request)
        except ValidationError as error:
            add_errors(form, error)
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
    wanted = request.POST.get("language") or request.GET.get("language") or active_language()
    return wanted if wanted in dict(forms._ui_languages()) else "en"


@login_required
@require_http_methods(["GET", "POST"])
def manage_texts(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    language = _text_language(request)
    current = (event.translations or {}).get(language, {})
    form = forms.EventTextsForm(posted_data(request), initial={"language": language, **current})
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
@in_event_zone
def manage_programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_organiser(request.user, slug)
    language = _text_language(request)
    session_form = forms.SessionForm(
        posted_data(request) if "add_session" in request.POST else None,
        event=event,
        initial={"language": language, "starts_at": event.starts_at, "ends_at": event.starts_at},
    )
    speaker_form = forms.SpeakerForm(
        posted_data(request) if "add_speaker" in request.POST else None, initial={"language": language}
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
            add_errors(session_form, error)
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
@in_event_zone
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
    form = forms.SessionForm(
        posted_data(request), event=event, initial=forms.SessionForm.initial_for(session, language)
    )
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
            add_errors(form, error)
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
        posted_data(request),
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
    form = forms.QuestionForm(posted_data(request), initial=initial)
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
            add_errors(form, error)
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
        posted_data(request) if "add_material" in request.POST else None,
        request.FILES if "add_material" in request.POST else None,
        event=event,
    )
    link_form = forms.PracticeLinkForm(posted_data(request) if "add_link" in request.POST else None)
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
                add_errors(material_form, error)
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
                add_errors(link_form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("events:manage_results", slug=event.slug)
        elif "remove_material" in request.POST:
            material = event.materials.filter(pk=parse_int(request.POST.get("remove_material")) or 0).first()
            if material is not None:
                services.material_remove(event=event, actor=request.user, material=material, request=request)
            return redirect("events:manage_results", slug=event.slug)
        elif "remove_link" in request.POST:
            link = event.practice_links.filter(pk=parse_int(request.POST.get("remove_link")) or 0).first()
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
