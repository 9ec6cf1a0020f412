"""Input validation for the repository. Each form hands clean values to one service or selector."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from micro.accounts.models import Country, Organisation, User
from micro.core.numbers import NumberFormatError, parse_decimal
from micro.practices import services
from micro.practices.models import (
    CRITERIA,
    FIELD_HELP,
    FIELD_LABELS,
    LONG_TEXT_LIMIT,
    TEXT_FIELDS,
    TEXT_LIMITS,
    Decision,
    LegalStatus,
    TargetGroup,
    Theme,
)
from micro.practices.uploads import MAX_BYTES, CheckedFile, UploadError, check_upload


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "practice-date"}, format="%Y-%m-%d")


UPLOAD_MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than 10 MB."),
    "unknown_type": _("Only PDF, Word (.docx), OpenDocument (.odt), PNG and JPEG files can be attached."),
    "extension_mismatch": _(
        "The file's name does not match its content. Check the extension (.pdf, .docx, .odt, .png, .jpg)."
    ),
}


class NumberField(forms.CharField):
    """A number typed the reader's way ("1.234,5" in Italian, "1,234.5" in English), kept to two decimals."""

    def __init__(self, *, min_value: Decimal, max_value: Decimal, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            number = parse_decimal(text, translation.get_language() or "en")
        except NumberFormatError as error:
            raise ValidationError(_("Enter a number, for example 1250 or 1250,50.")) from error
        if not number.is_finite() or not self.min_value <= number <= self.max_value:
            raise ValidationError(
                _("Enter a number between %(low)s and %(high)s.") % {"low": self.min_value, "high": self.max_value}
            )
        return number.quantize(Decimal("0.01"))


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _text_field(name: str, *, required: bool = False) -> forms.CharField:
    limit = TEXT_LIMITS.get(name, LONG_TEXT_LIMIT)
    widget = forms.TextInput() if name == "title" else forms.Textarea(attrs={"rows": 3 if name == "summary" else 6})
    return forms.CharField(
        label=FIELD_LABELS[name],
        help_text=FIELD_HELP.get(name, ""),
        max_length=limit,
        required=required,
        widget=widget,
    )


class TokenField(forms.UUIDField):
    """A hidden random value sent with a form, so a doubled submission is applied once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)


class PracticeForm(forms.Form):
    """The structured template, with the texts in the language the practice is written in."""

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        creating: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        if creating:
            fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"), queryset=organisations, empty_label=None
            )
            fields["language"] = forms.ChoiceField(
                label=_("Language you write in"),
                choices=settings.LANGUAGES,
                help_text=_("You can add translations into other languages afterwards."),
            )
            fields["token"] = TokenField()
        for name in TEXT_FIELDS:
            fields[name] = _text_field(name, required=name == "title")
        fields.update(
            country=forms.ChoiceField(label=_("Country where it was done"), choices=Country.choices),
            theme=forms.ChoiceField(label=_("Theme"), choices=Theme.choices),
            target_groups=forms.MultipleChoiceField(
                label=FIELD_LABELS["target_groups"],
                choices=TargetGroup.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            ),
            legal_statuses=forms.MultipleChoiceField(
                label=FIELD_LABELS["legal_statuses"],
                choices=LegalStatus.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            ),
            people_reached=forms.IntegerField(
                label=_("People reached"), min_value=0, max_value=10_000_000, required=False
            ),
            total_cost=NumberField(
                label=_("Total cost in euros"), min_value=Decimal(0), max_value=Decimal(999_999_999), required=False
            ),
            started_on=forms.DateField(label=_("Started on"), required=False, widget=_date_input()),
            ended_on=forms.DateField(
                label=_("Ended on"), required=False, help_text=_("Leave empty if it still runs."), widget=_date_input()
            ),
            contact_name=forms.CharField(label=_("Contact person"), max_length=150, required=False),
            contact_email=forms.EmailField(label=_("Contact email"), required=False),
            links=forms.CharField(
                label=_("Links"),
                required=False,
                max_length=12_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "One web address per line. To give it a name, write the name, a | and the address: Final report | https://…"
                ),
            ),
            competence_codes=forms.CharField(
                label=_("Related e-learning competences"),
                required=False,
                max_length=700,
                help_text=_("Competence codes of the operator e-learning, separated by commas, like EF-1, IC-2."),
            ),
            lesson_links=forms.CharField(
                label=_("Related e-learning lessons"),
                required=False,
                max_length=12_000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("The address of each lesson on its own line, like /en/learn/course/module/lesson/."),
            ),
        )
        self.fields.update(fields)

    GROUPS = (
        (_("Who wrote it"), ("organisation", "language")),
        (_("The practice"), ("title", "summary", "country", "theme", "started_on", "ended_on")),
        (_("Who it reached"), ("target_groups", "legal_statuses", "people_reached")),
        (_("How it worked"), ("objectives", "activities", "resources", "total_cost")),
        (_("What came of it"), ("results", "evidence", "success_factors", "transferability", "lessons")),
        (_("Contacts and links"), ("contact_name", "contact_email", "links", "competence_codes", "lesson_links")),
    )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in the sections of the template, for the page to show as fieldsets."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
            if any(name in self.fields for name in names)
        ]

    def clean_links(self) -> list[dict[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        parsed = []
        for line in lines:
            title, _bar, url = line.rpartition("|") if "|" in line else ("", "", line)
            parsed.append({"title": title.strip(), "url": url.strip()})
        try:
            return services.clean_links(parsed)
        except ValidationError as error:
            raise ValidationError(error.message_dict["links"]) from error

    def clean_competence_codes(self) -> list[str]:
        raw = self.cleaned_data["competence_codes"].replace(";", ",").replace("\n", ",")
        codes = [code.strip() for code in raw.split(",") if code.strip()]
        try:
            return services.clean_codes(codes)
        except ValidationError as error:
            raise ValidationError(error.message_dict["competence_codes"]) from error

    def clean_lesson_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["lesson_links"].splitlines() if line.strip()]
        try:
            return services.clean_lesson_links(links)
        except ValidationError as error:
            raise ValidationError(error.message_dict["lesson_links"]) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}

    def structured(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in services.STRUCTURED} | {
            "contact_name": self.cleaned_data.get("contact_name", ""),
            "contact_email": self.cleaned_data.get("contact_email", ""),
        }

    @staticmethod
    def initial_for(practice: Any) -> dict[str, Any]:
        texts = practice.translations.get(practice.original_language, {})
        return {
            **{name: texts.get(name, "") for name in TEXT_FIELDS},
            "country": practice.country,
            "theme": practice.theme,
            "target_groups": practice.target_groups,
            "legal_statuses": practice.legal_statuses,
            "people_reached": practice.people_reached,
            "total_cost": practice.total_cost,
            "started_on": practice.started_on,
            "ended_on": practice.ended_on,
            "contact_name": practice.contact_name,
            "contact_email": practice.contact_email,
            "links": "\n".join(
                f"{link['title']} | {link['url']}" if link.get("title") else link["url"] for link in practice.links
            ),
            "competence_codes": ", ".join(practice.competence_codes),
            "lesson_links": "\n".join(practice.lesson_links),
        }


class TranslationForm(forms.Form):
    """The texts of a practice in one more language, and the labels of its indicators."""

    def __init__(self, *args: Any, practice: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = practice.translations.get(language, {})
        original = practice.translations.get(practice.original_language, {})
        for name in TEXT_FIELDS:
            field = _text_field(name)
            field.widget.attrs["lang"] = language
            source = str(original.get(name, ""))
            field.help_text = (
                _("Original: %(text)s") % {"text": source if len(source) <= 300 else source[:299] + "…"}
                if source
                else ""
            )
            self.fields[name] = field
            self.initial.setdefault(name, existing.get(name, ""))
        self.indicators = list(practice.indicators.all())
        for indicator in self.indicators:
            key = f"indicator_{indicator.pk}"
            self.fields[key] = forms.CharField(
                label=_("Indicator: %(label)s")
                % {"label": indicator.localized(practice.original_language).get("label", "")},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"lang": language}),
            )
            self.initial.setdefault(key, indicator.translations.get(language, {}).get("label", ""))
        self.fields["checked"] = forms.BooleanField(
            label=_("A second person who speaks this language has checked the translation"),
            required=False,
            initial=existing.get("status") == "reviewed",
        )

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}

    def indicator_labels(self) -> dict[int, str]:
        return {indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}", "") for indicator in self.indicators}


class IndicatorForm(forms.Form):
    label = forms.CharField(
        label=_("What was measured"),
        max_length=200,
        help_text=_("For example: loans granted, businesses still open after a year."),
    )
    value = NumberField(label=_("Number"), min_value=Decimal(-999_999_999_999), max_value=Decimal(999_999_999_999))
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("For example: people, loans, %, EUR.")
    )
    measured_on = forms.DateField(label=_("Measured on"), widget=_date_input())
    token = TokenField()

    def clean_measured_on(self) -> Any:
        value = self.cleaned_data["measured_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx), OpenDocument (.odt), PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg"}),
    )
    title = forms.CharField(label=_("What it is"), max_length=200, required=False)

    def clean_file(self) -> CheckedFile:
        upload = self.cleaned_data["file"]
        if getattr(upload, "size", 0) > MAX_BYTES:
            raise ValidationError(UPLOAD_MESSAGES["too_large"])
        try:
            return check_upload(upload)
        except UploadError as error:
            raise ValidationError(UPLOAD_MESSAGES[error.code]) from error


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    """The fixed rubric: a score from 1 to 5 and a comment per criterion, then the decision."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = []
        for key, label, help_text in CRITERIA:
            self.fields[key] = forms.TypedChoiceField(
                label=label, help_text=help_text, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"{key}_comment"] = forms.CharField(
                label=_("Comment"), required=False, max_length=LONG_TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.criteria.append((self[key], self[f"{key}_comment"]))
        self.fields["comment"] = forms.CharField(
            label=_("Comments for the authors"),
            required=False,
            max_length=LONG_TEXT_LIMIT,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("Needed when you return the practice: say what to change."),
        )
        self.fields["decision"] = forms.ChoiceField(
            label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Tell the authors what to change."))
        return data

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _label, _help in CRITERIA}

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"{key}_comment", "") for key, _label, _help in CRITERIA}


class AssignReviewerForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the expert"), help_text=_("The expert needs an account on the platform.")
    )

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise ValidationError(_("We found no active account with this email address."))
        return user


class TargetForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partner"), queryset=Organisation.objects.none(), empty_label=None)
    target = forms.IntegerField(label=_("Practices to contribute"), min_value=1, max_value=100)
    due_on = forms.DateField(label=_("By"), widget=_date_input())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ReuseForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=_date_input())
    adaptation = forms.CharField(
        label=_("How you adapted it"),
        max_length=services.MAX_REUSE_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you changed for your country, your public or your means."),
    )
    outcome = forms.CharField(
        label=_("What came of it"),
        max_length=services.MAX_REUSE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Results so far, with numbers if you have them. You can complete this later."),
    )
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, max_value=10_000_000, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label=_("Organisation that adopted it"), queryset=organisations, empty_label=None
                ),
                **self.fields,
                "token": TokenField(),
            }

    def clean_adopted_on(self) -> Any:
        value = self.cleaned_data["adopted_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to look for"), max_length=200, required=False)


def new_token() -> uuid.UUID:
    return uuid.uuid4()
