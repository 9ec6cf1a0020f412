"""Input validation of the conferences app; every form is then handed to one service call."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from micro.core.content_i18n import STATUS_DRAFT, STATUS_REVIEWED
from micro.core.forms import OneTimeKeyField
from micro.events.languages import language_choices, language_name
from micro.events.models import (
    Category,
    Event,
    EventStatus,
    Question,
    QuestionKind,
    Registration,
    RetentionAction,
    Session,
    Speaker,
)
from micro.events.services import time_zones
from micro.events.services.registrations import clean_idempotency_key, new_idempotency_key

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT_STATUS = [
    (STATUS_REVIEWED, _("Reviewed: ready for readers")),
    (STATUS_DRAFT, _("Draft: readers see a notice")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _ui_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class RegistrationForm(forms.Form):
    """The public registration, and (with ``editing``) the registrant's own change form."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send your confirmation and your personal link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    category = forms.ChoiceField(label=_("I come as"), choices=Category.choices, widget=forms.RadioSelect)
    interpretation_language = forms.ChoiceField(label=_("I need interpretation into"), required=False)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        max_length=2000,
        required=False,
        help_text=_("For example: wheelchair access, a sign language interpreter, a quiet room, dietary needs."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is used to organise the conference.")
    )
    list_consent = forms.BooleanField(
        label=_("Show my name and organisation on the participant list given to the other participants."),
        required=False,
    )
    followup_consent = forms.BooleanField(
        label=_("Send me news about the follow-up of the conference and the MICRO project."), required=False
    )
    idempotency_key = OneTimeKeyField(clean_key=clean_idempotency_key)

    def __init__(
        self,
        *args: Any,
        event: Event,
        questions: list[Question],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        self.fields["privacy"].error_messages["required"] = _("To register, please accept the privacy notice.")
        if editing:
            del self.fields["email"]
            del self.fields["privacy"]
            del self.fields["idempotency_key"]
        else:
            self.fields["idempotency_key"].initial = new_idempotency_key()
        offered = list(event.interpretation or [])
        if offered:
            self.fields["interpretation_language"].choices = [("", _("No interpretation needed"))] + [  # type: ignore[attr-defined]
                (code, language_name(code)) for code in offered
            ]
        else:
            del self.fields["interpretation_language"]
        for question in questions:
            self.fields[question.field_name] = self._question_field(question)

    @staticmethod
    def _question_field(question: Question) -> forms.Field:
        loc = question.localized()
        label = str(loc.get("label", "")) or "?"
        help_text = str(loc.get("help", ""))
        if question.kind == QuestionKind.CHOICE:
            options = list(loc.get("options", []))
            choices = [
                (str(i), str(options[i]) if i < len(options) else str(i + 1)) for i in range(question.option_count)
            ]
            return forms.ChoiceField(
                label=label, help_text=help_text, required=question.required, choices=choices, widget=forms.RadioSelect
            )
        if question.kind == QuestionKind.YES_NO:
            return forms.ChoiceField(
                label=label, help_text=help_text, required=question.required, choices=YES_NO, widget=forms.RadioSelect
            )
        if question.kind == QuestionKind.TEXTAREA:
            return forms.CharField(
                label=label,
                help_text=help_text,
                required=question.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        return forms.CharField(label=label, help_text=help_text, required=question.required, max_length=500)

    def renew_idempotency_key(self) -> None:
        """A refused submission made nothing, so the corrected form may carry a fresh key.

        Needed when the key itself was refused (already used elsewhere): keeping it would refuse every retry.
        """
        if self.is_bound and "idempotency_key" in self.fields:
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["idempotency_key"] = new_idempotency_key()
            self.data = data

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(q.field_name) or "" for q in self.questions}

    @classmethod
    def initial_for(cls, registration: Registration) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "full_name": registration.full_name,
            "organisation_name": registration.organisation_name,
            "category": registration.category,
            "interpretation_language": registration.interpretation_language,
            "needs": registration.needs,
            "list_consent": registration.list_consent_at is not None,
            "followup_consent": registration.followup_consent_at is not None,
        }
        for key, value in (registration.answers or {}).items():
            initial[f"q_{key}"] = value
        return initial


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I am sure."))


class ResendLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email address you registered with"), max_length=254)


# --- organiser forms -------------------------------------------------------------------------


def _in_zone(value: datetime | None, zone: str) -> datetime | None:
    """A datetime typed as local time in the current time zone, re-read as local time in ``zone``."""
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone))


class EventForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("The official title; add translations on the texts page.")
    )
    slug = forms.SlugField(
        label=_("Short name in the address"), max_length=80, help_text=_("Letters, digits and hyphens, e.g. rome-2026.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=EventStatus.choices)
    city = forms.CharField(label=_("City"), max_length=100)
    venue_name = forms.CharField(label=_("Venue"), max_length=200)
    venue_address = forms.CharField(label=_("Address"), max_length=300)
    map_url = forms.URLField(label=_("Map link"), max_length=500, required=False, assume_scheme="https")
    time_zone = forms.ChoiceField(label=_("Time zone"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    registration_closes_at = forms.DateTimeField(label=_("Registration closes"), required=False, widget=DATETIME_WIDGET)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation offered into"), required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    retention_days = forms.IntegerField(
        label=_("Keep registrations for (days after the end)"), min_value=0, max_value=3 * 365, initial=180
    )
    retention_action = forms.ChoiceField(label=_("Then"), choices=RetentionAction.choices)
    reminder_days_before = forms.IntegerField(
        label=_("Send the reminder (days before, 0 for none)"), min_value=0, max_value=30, initial=2
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Written in your current language; add others on the texts page."),
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        zones = sorted(time_zones())
        self.fields["time_zone"].choices = [(zone, zone) for zone in zones]  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["interpretation"].choices = language_choices()  # type: ignore[attr-defined]
        for value, label in Category.choices:
            self.fields[f"limit_{value}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=100_000
            )
        if editing:
            del self.fields["organisation"]
            del self.fields["description"]

    @property
    def limit_fields(self) -> list[forms.BoundField]:
        return [self[f"limit_{value}"] for value in Category.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone")
        if zone:
            for name in ("starts_at", "ends_at", "registration_closes_at"):
                data[name] = _in_zone(data.get(name), zone)
        return data

    def event_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "slug",
            "title",
            "status",
            "city",
            "venue_name",
            "venue_address",
            "map_url",
            "starts_at",
            "ends_at",
            "time_zone",
            "languages",
            "interpretation",
            "capacity",
            "registration_closes_at",
            "retention_days",
            "retention_action",
            "reminder_days_before",
        )
        result = {key: data.get(key) for key in keys}
        result["category_capacity"] = {
            value: data[f"limit_{value}"] for value in Category.values if data.get(f"limit_{value}") is not None
        }
        return result

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        initial = {
            name: getattr(event, name)
            for name in (
                "title",
                "slug",
                "status",
                "city",
                "venue_name",
                "venue_address",
                "map_url",
                "time_zone",
                "starts_at",
                "ends_at",
                "registration_closes_at",
                "languages",
                "interpretation",
                "capacity",
                "retention_days",
                "retention_action",
                "reminder_days_before",
            )
        }
        for key, value in (event.category_capacity or {}).items():
            initial[f"limit_{key}"] = value
        return initial


class TextsForm(forms.Form):
    """Texts of one object in one language; the language chooser reloads the page with ``?language=``."""

    language = forms.ChoiceField(label=_("Language of these texts"))
    status = forms.ChoiceField(label=_("Translation status"), choices=TEXT_STATUS, initial=STATUS_REVIEWED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _ui_languages()  # type: ignore[attr-defined]


class EventTextsForm(TextsForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    summary = forms.CharField(
        label=_("Summary of the results (after the conference)"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown."),
    )


class SpeakerForm(TextsForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    affiliation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    bio = forms.CharField(
        label=_("Short bio"), max_length=1500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(TextsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    abstract = forms.CharField(
        label=_("Abstract"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    session_language = forms.ChoiceField(label=pgettext_lazy("session", "Spoken in"), required=False)
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"), queryset=Speaker.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session_language"].choices = [("", "—"), *language_choices()]  # type: ignore[attr-defined]
        self.fields["speakers"].queryset = event.speakers.all()  # type: ignore[attr-defined]

    def session_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "room": data.get("room", ""),
            "language": data.get("session_language", ""),
            "speakers": list(data.get("speakers") or []),
        }

    @classmethod
    def initial_for(cls, session: Session, language: str) -> dict[str, Any]:
        texts = (session.translations or {}).get(language, {})
        return {
            "language": language,
            "status": texts.get("status", STATUS_REVIEWED),
            "title": texts.get("title", ""),
            "abstract": texts.get("abstract", ""),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "room": session.room,
            "session_language": session.language,
            "speakers": list(session.speakers.all()),
        }


class QuestionForm(TextsForm):
    label = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Options (one per line, for a choice)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    order = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0)

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PowerPoint (.pptx), Word (.docx), OpenDocument (.odp, .odt); at most 20 MB."),
    )
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.all()  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = lambda s: str(s.loc.get("title") or s)  # type: ignore[attr-defined]


class PracticeLinkForm(forms.Form):
    title = forms.CharField(label=_("Practice"), max_length=200)
    url = forms.URLField(
        label=_("Address of the practice"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Copy the address of the practice's page in the best-practice repository."),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("QR code or ticket code"),
        max_length=200,
        help_text=_("Scan the QR code, or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True}
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Find by name or organisation"), max_length=100, required=False)


class OrganisersForm(forms.Form):
    emails = forms.CharField(
        label=_("Named organisers (email addresses of platform accounts, one per line)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def email_list(self) -> list[str]:
        return [line.strip().lower() for line in self.cleaned_data.get("emails", "").splitlines() if line.strip()]
