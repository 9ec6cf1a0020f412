"""Input validation of the plan pages. Amounts are read with ``parse_decimal`` in the reader's language.

Each input form turns its cleaned data into the JSON part it owns (``budget``, ``sales``, ``loan``):
amounts as canonical decimal strings (``"1234.56"``), blanks as ``""``, so stored inputs do not
depend on the language they were typed in. Combinations (price above the variable cost, fees below
the loan...) are checked by the finance core in the service; this module checks single fields.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from micro.core.forms import OneTimeKeyField
from micro.core.numbers import DECIMAL_COMMA_LANGUAGES, MAX_INPUT_LENGTH, NumberFormatError, parse_decimal
from micro.plans import structure as s
from micro.plans.finance_messages import number_error_message

Inputs = dict[str, Any]


def _language() -> str:
    return translation.get_language() or "en"


def input_text(value: object, language: str) -> str:
    """A stored canonical number as the reader types it (``"1234.5"`` → ``"1234,5"`` in Italian)."""
    text = "" if value is None else str(value)
    if language.split("-")[0] in DECIMAL_COMMA_LANGUAGES:
        return text.replace(".", ",")
    return text


def _shown(value: Decimal) -> str:
    return str(formats.number_format(value, use_l10n=True, force_grouping=True))


class PlanNumberField(forms.Field):
    """An optional number typed the user's way ("1.234,56", "1,234.56", Arabic-Indic digits).

    Cleans to ``Decimal`` or ``None`` (blank); checks the bounds, whole numbers and decimals.
    """

    widget = forms.TextInput

    def __init__(
        self,
        *,
        min_value: Decimal = Decimal(0),
        max_value: Decimal = s.MAX_AMOUNT,
        max_decimals: int = 2,
        whole: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        self.min_value = min_value
        self.max_value = max_value
        self.max_decimals = 0 if whole else max_decimals
        self.whole = whole
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "inputmode": "numeric" if self.whole else "decimal",
                "autocomplete": "off",
                "maxlength": str(MAX_INPUT_LENGTH),
                "class": "number-input",
            }
        )
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        try:
            return parse_decimal(text, _language())
        except NumberFormatError as error:
            raise ValidationError(number_error_message(str(error)), code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < self.min_value:
            if self.min_value == 0:
                raise ValidationError(_("Enter zero or a positive number."), code="min_value")
            raise ValidationError(self._range_message(), code="min_value")
        if value > self.max_value:
            raise ValidationError(self._range_message(), code="max_value")
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if self.whole and value != value.to_integral_value():
            raise ValidationError(_("Enter a whole number."), code="whole")
        if decimals > self.max_decimals and value != value.quantize(Decimal(1).scaleb(-self.max_decimals)):
            if self.max_decimals == 2:
                raise ValidationError(_("Use at most two decimals (cents)."), code="decimals")
            raise ValidationError(_("Use at most %(count)s decimals.") % {"count": self.max_decimals}, code="decimals")

    def _range_message(self) -> str:
        return _("Enter a value between %(min)s and %(max)s.") % {
            "min": _shown(self.min_value),
            "max": _shown(self.max_value),
        }


def _amount_field(label: str | Any, help_text: str | Any = "", **kwargs: Any) -> PlanNumberField:
    return PlanNumberField(label=label, help_text=help_text, **kwargs)


def _canonical(value: Decimal | None) -> str:
    """``Decimal`` → ``"1234.5"`` (no exponent, trailing zeros dropped); blank → ``""``."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


SAVE_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_save_key() -> str:
    """A one-time key for one rendering of a plan form (see ``VersionedForm.save_key``)."""
    return secrets.token_urlsafe(24)


def clean_save_key(value: object) -> str:
    key = value if isinstance(value, str) else ""
    return key if SAVE_KEY_PATTERN.fullmatch(key) else ""


DIGEST_ITEM = re.compile(r"([a-z0-9_]{1,40})=([0-9a-f]{16})")


def encode_digests(digests: Mapping[str, str]) -> str:
    """``{"title": "ab12..."}`` → ``"title=ab12..."`` for a hidden input."""
    return ";".join(f"{key}={value}" for key, value in sorted(digests.items()))


class DigestsField(forms.Field):
    """Hidden fingerprints of the values the page showed, for merging a save with changes made meanwhile.

    Anything malformed cleans to ``None``: the save then falls back to refusing a stale version.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dict[str, str] | None:
        if not isinstance(value, str) or len(value) > 4000:
            return None  # absent (an older page) or not ours
        if not value:
            return {}  # the page showed a part with nothing in it yet
        digests = {}
        for item in value.split(";"):
            match = DIGEST_ITEM.fullmatch(item)
            if match is None:
                return None
            digests[match.group(1)] = match.group(2)
        return digests


class VersionedForm(forms.Form):
    """A form that carries the plan version it was loaded from, so a stale save can be refused,
    and a one-time save key, so a retried first save does not start a second plan."""

    version = forms.IntegerField(
        label=gettext_lazy("Version of the plan"), min_value=0, widget=forms.HiddenInput, initial=1, required=False
    )
    save_key = OneTimeKeyField(clean_key=clean_save_key)
    loaded = DigestsField()

    @property
    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)


class SectionsForm(VersionedForm):
    title = forms.CharField(
        label=gettext_lazy("Name of your business or idea"),
        max_length=s.MAX_TITLE_LENGTH,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in s.SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=str(section.label),
                help_text=str(section.guidance),
                max_length=s.MAX_SECTION_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    @classmethod
    def initial_for(
        cls, *, title: str, sections: dict[str, Any], version: int, loaded: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": title,
            "version": version,
            "save_key": new_save_key(),
            "loaded": encode_digests(loaded or {}),
        }
        for key in s.SECTION_KEYS:
            initial[key] = str(sections.get(key, ""))
        return initial

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in s.SECTION_KEYS}


class PlanInputForm(VersionedForm):
    """Base of the three input forms; each owns one part of ``BusinessPlan.inputs``."""

    part: ClassVar[str] = ""

    def __init__(
        self,
        data: Any = None,
        *,
        inputs: Inputs | None = None,
        version: int = 1,
        loaded: Mapping[str, str] | None = None,
    ) -> None:
        initial = self.initial_from(dict((inputs or {}).get(self.part) or {}), _language())
        initial["version"] = version
        initial["save_key"] = new_save_key()
        initial["loaded"] = encode_digests(loaded or {})
        super().__init__(data, initial=initial)
        self._build()

    def _build(self) -> None:
        """Add the fields that come in numbered series."""

    @classmethod
    def initial_from(cls, part: Inputs, language: str) -> dict[str, Any]:
        raise NotImplementedError

    def part_data(self) -> Inputs:
        raise NotImplementedError

    def to_inputs(self) -> Inputs:
        return {self.part: self.part_data()}

    def line_rows(self, prefix: str, *names: str) -> list[list[forms.BoundField]]:
        """Bound fields of the numbered lines, for the template."""
        return [[self[f"{prefix}_{index}_{name}"] for name in names] for index in range(1, s.MAX_LINES + 1)]

    def line_groups(
        self, prefix: str, *names: str
    ) -> tuple[list[list[forms.BoundField]], list[list[forms.BoundField]]]:
        """The lines to show (every filled or wrong one, one empty, at least three) and the rest, folded away."""
        rows = self.line_rows(prefix, *names)
        last = 0
        for index, row in enumerate(rows, 1):
            typed = any(field.value() not in (None, "") for field in row if not field.name.endswith("_kind"))
            if typed or any(field.errors for field in row):
                last = index
        shown = max(3, last + 1)
        return rows[:shown], rows[shown:]


class BudgetForm(PlanInputForm):
    part = "budget"

    own_funds = _amount_field(gettext_lazy("Your own money"))
    microloan = _amount_field(gettext_lazy("Microloan you ask for"))
    grants = _amount_field(gettext_lazy("Grants and subsidies"))
    family_loans = _amount_field(gettext_lazy("Loans from family and friends"))

    def _build(self) -> None:
        for index in range(1, s.MAX_LINES + 1):
            self.fields[f"use_{index}_label"] = forms.CharField(
                label=_("What (line %(number)s)") % {"number": index},
                max_length=s.MAX_LABEL_LENGTH,
                required=False,
            )
            self.fields[f"use_{index}_kind"] = forms.ChoiceField(
                label=_("Kind (line %(number)s)") % {"number": index},
                choices=s.USE_KINDS,
                initial="equipment",
                required=False,
            )
            self.fields[f"use_{index}_amount"] = _amount_field(_("Amount (line %(number)s)") % {"number": index})

    @classmethod
    def initial_from(cls, part: Inputs, language: str) -> dict[str, Any]:
        initial: dict[str, Any] = {name: input_text(part.get(name, ""), language) for name in s.SOURCE_FIELDS}
        for index, line in enumerate(list(part.get("uses") or [])[: s.MAX_LINES], 1):
            initial[f"use_{index}_label"] = line.get("label", "")
            initial[f"use_{index}_kind"] = line.get("kind", "equipment")
            initial[f"use_{index}_amount"] = input_text(line.get("amount", ""), language)
        return initial

    def use_groups(self) -> tuple[list[list[forms.BoundField]], list[list[forms.BoundField]]]:
        return self.line_groups("use", "label", "kind", "amount")

    def part_data(self) -> Inputs:
        data = self.cleaned_data
        uses = []
        for index in range(1, s.MAX_LINES + 1):
            label = data.get(f"use_{index}_label") or ""
            amount = data.get(f"use_{index}_amount")
            if label or amount is not None:
                kind = data.get(f"use_{index}_kind") or "equipment"
                uses.append({"label": label, "kind": kind, "amount": _canonical(amount)})
        part: Inputs = {"uses": uses}
        for name in s.SOURCE_FIELDS:
            part[name] = _canonical(data.get(name))
        return part


class SalesForm(PlanInputForm):
    part = "sales"

    price = _amount_field(
        gettext_lazy("Price of one unit"),
        gettext_lazy("What a customer pays for one product or one hour of service, without VAT."),
    )
    variable_cost = _amount_field(
        gettext_lazy("Variable cost of one unit"),
        gettext_lazy("What one unit costs you: materials, goods, commissions."),
    )
    units_all = PlanNumberField(
        label=gettext_lazy("Units sold: same every month"),
        help_text=gettext_lazy("Fills all 12 months below with this number. Leave empty to enter each month."),
        max_value=s.MAX_UNITS,
    )
    growth_year2 = PlanNumberField(
        label=gettext_lazy("Sales growth in year 2 (%)"),
        help_text=gettext_lazy("For example 10 for 10 % more units than in year 1; a fall is negative."),
        min_value=s.MIN_GROWTH,
        max_value=s.MAX_GROWTH,
    )
    growth_year3 = PlanNumberField(
        label=gettext_lazy("Sales growth in year 3 (%)"),
        min_value=s.MIN_GROWTH,
        max_value=s.MAX_GROWTH,
    )
    owner_drawings = _amount_field(
        gettext_lazy("Money you take for yourself each month"),
        gettext_lazy("Your living costs paid by the business. Not a cost in the P&L, but it leaves the cash."),
    )
    opening_cash = PlanNumberField(
        label=gettext_lazy("Cash at the start"),
        help_text=gettext_lazy(
            "Money in the business on the first day besides the sources in your start-up budget. Usually 0."
        ),
        min_value=-s.MAX_AMOUNT,
    )

    def _build(self) -> None:
        for month in range(1, s.MONTHS + 1):
            self.fields[f"units_{month}"] = PlanNumberField(
                label=_("Month %(number)s") % {"number": month}, max_value=s.MAX_UNITS
            )
        for index in range(1, s.MAX_LINES + 1):
            self.fields[f"fixed_{index}_label"] = forms.CharField(
                label=_("Fixed cost (line %(number)s)") % {"number": index},
                max_length=s.MAX_LABEL_LENGTH,
                required=False,
            )
            self.fields[f"fixed_{index}_amount"] = _amount_field(
                _("Amount per month (line %(number)s)") % {"number": index}
            )

    @classmethod
    def initial_from(cls, part: Inputs, language: str) -> dict[str, Any]:
        names = ("price", "variable_cost", "growth_year2", "growth_year3", "owner_drawings", "opening_cash")
        initial: dict[str, Any] = {name: input_text(part.get(name, ""), language) for name in names}
        for month, units in enumerate(list(part.get("units") or [])[: s.MONTHS], 1):
            initial[f"units_{month}"] = input_text(units, language)
        for index, line in enumerate(list(part.get("fixed_costs") or [])[: s.MAX_LINES], 1):
            initial[f"fixed_{index}_label"] = line.get("label", "")
            initial[f"fixed_{index}_amount"] = input_text(line.get("amount", ""), language)
        return initial

    def month_fields(self) -> list[forms.BoundField]:
        return [self[f"units_{month}"] for month in range(1, s.MONTHS + 1)]

    def fixed_groups(self) -> tuple[list[list[forms.BoundField]], list[list[forms.BoundField]]]:
        return self.line_groups("fixed", "label", "amount")

    def part_data(self) -> Inputs:
        data = self.cleaned_data
        same = data.get("units_all")
        units = [
            _canonical(same if same is not None else data.get(f"units_{month}")) for month in range(1, s.MONTHS + 1)
        ]
        fixed = []
        for index in range(1, s.MAX_LINES + 1):
            label = data.get(f"fixed_{index}_label") or ""
            amount = data.get(f"fixed_{index}_amount")
            if label or amount is not None:
                fixed.append({"label": label, "amount": _canonical(amount)})
        part: Inputs = {
            name: _canonical(data.get(name))
            for name in ("price", "variable_cost", "growth_year2", "growth_year3", "owner_drawings", "opening_cash")
        }
        part["units"] = units if any(units) else []
        part["fixed_costs"] = fixed
        return part


class LoanForm(PlanInputForm):
    part = "loan"

    principal = _amount_field(gettext_lazy("Amount you borrow"), gettext_lazy("Leave empty or 0 if you do not borrow."))
    annual_rate = PlanNumberField(
        label=gettext_lazy("Annual interest rate (%)"),
        help_text=gettext_lazy(
            "The nominal rate the lender quotes, for example 6,9. Enter 0 for an interest-free loan."
        ),
        max_value=s.MAX_RATE,
        max_decimals=4,
    )
    months = PlanNumberField(
        label=gettext_lazy("Duration in months"),
        whole=True,
        max_value=Decimal(s.MAX_LOAN_MONTHS),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("How you repay"),
        choices=s.LOAN_METHODS,
        initial="french",
        required=False,
        widget=forms.RadioSelect,
    )
    grace_months = PlanNumberField(
        label=gettext_lazy("Grace months at the start"),
        help_text=gettext_lazy("Months before you start repaying the capital. Usually 0."),
        whole=True,
        max_value=Decimal(s.MAX_LOAN_MONTHS),
    )
    grace_mode = forms.ChoiceField(
        label=gettext_lazy("During the grace months"),
        choices=s.GRACE_MODES,
        initial="interest_only",
        required=False,
        widget=forms.RadioSelect,
    )
    fees = _amount_field(
        gettext_lazy("Fees paid when you get the loan"),
        gettext_lazy("File and notary fees, insurance paid at the start. They raise the real cost (APR)."),
    )

    @classmethod
    def initial_from(cls, part: Inputs, language: str) -> dict[str, Any]:
        names = ("principal", "annual_rate", "months", "grace_months", "fees")
        initial: dict[str, Any] = {name: input_text(part.get(name, ""), language) for name in names}
        initial["method"] = part.get("method") or "french"
        initial["grace_mode"] = part.get("grace_mode") or "interest_only"
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        principal = data.get("principal")
        if principal:
            if data.get("months") is None and "months" not in self.errors:
                self.add_error("months", _("Enter the number of months to see the repayments."))
            if data.get("annual_rate") is None and "annual_rate" not in self.errors:
                self.add_error("annual_rate", _("Enter the annual rate (0 if the loan is interest-free)."))
        return data

    def part_data(self) -> Inputs:
        data = self.cleaned_data
        part: Inputs = {
            name: _canonical(data.get(name)) for name in ("principal", "annual_rate", "months", "grace_months", "fees")
        }
        part["method"] = data.get("method") or "french"
        part["grace_mode"] = data.get("grace_mode") or "interest_only"
        return part
