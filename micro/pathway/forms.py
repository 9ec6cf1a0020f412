"""Input validation for the path. Forms built from content packs keep their keys stable across languages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from micro.core.numbers import NumberFormatError, parse_decimal
from micro.pathway.models import PathCountry

MAX_AMOUNT = Decimal("1000000000")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=_("Your resume code"),
        max_length=40,
        help_text=_("For example ABCD-EFGH-JK. Capital letters or small letters both work."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=PathCountry.choices, widget=forms.RadioSelect)


class AmountField(forms.CharField):
    """An amount typed in the user's own format (1.234,56 or 1,234.56)."""

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.language = language
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in (None, ""):
            return ""
        try:
            number = parse_decimal(text, self.language)
        except NumberFormatError as error:
            raise forms.ValidationError(_("Enter a number, for example 1250 or 1250,50.")) from error
        if number < 0:
            raise forms.ValidationError(_("Enter zero or a positive number."))
        if number > MAX_AMOUNT:
            raise forms.ValidationError(_("This number is too large."))
        return f"{number:f}"


def _field_for(spec: dict[str, Any], language: str) -> forms.Field:
    label = str(spec.get("label", spec["key"]))
    help_text = str(spec.get("help", ""))
    required = bool(spec.get("required", False))
    kind = spec.get("type", "text")
    if kind in ("number", "money"):
        return AmountField(label=label, help_text=help_text, required=required, language=language)
    if kind == "choice":
        choices = [(str(c["value"]), str(c["label"])) for c in spec.get("choices", [])]
        return forms.ChoiceField(
            label=label, help_text=help_text, required=required, choices=choices, widget=forms.RadioSelect
        )
    if kind == "textarea":
        return forms.CharField(
            label=label,
            help_text=help_text,
            required=required,
            max_length=3000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=500)


class WorksheetForm(forms.Form):
    def __init__(self, *args: Any, fields: list[dict[str, Any]], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in fields:
            if isinstance(spec, dict) and spec.get("key"):
                self.fields[str(spec["key"])] = _field_for(spec, language)


class ReadinessForm(forms.Form):
    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question["key"]] = forms.ChoiceField(
                label=question.get("text", question["key"]),
                choices=[(str(o["value"]), str(o["label"])) for o in question.get("options", [])],
                widget=forms.RadioSelect,
                required=True,
            )


class LegalFormForm(forms.Form):
    owners = forms.ChoiceField(
        label=_("Will you run the business alone or with partners?"),
        choices=[("single", _("Alone")), ("multiple", _("With partners"))],
        widget=forms.RadioSelect,
    )
    protect_assets = forms.ChoiceField(
        label=_("Do you want your personal savings and home protected if the business has debts?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )


class EligibilityForm(forms.Form):
    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question["key"]] = forms.ChoiceField(
                label=question.get("text", question["key"]), choices=YES_NO, widget=forms.RadioSelect
            )


class ShareForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you share?"),
        max_length=200,
        help_text=_("For example: my adviser at the microcredit office prepares my loan request."),
    )
    days = forms.TypedChoiceField(
        label=_("For how long?"),
        coerce=int,
        choices=[(7, _("7 days")), (30, _("30 days")), (90, _("90 days"))],
        initial=30,
    )


class ClaimShareForm(forms.Form):
    code = forms.CharField(label=_("Share code from the entrepreneur"), max_length=40)
