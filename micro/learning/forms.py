"""Input validation for the e-learning pages. Each form checks, then the view makes one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from micro.core.numbers import NumberFormatError
from micro.learning import scoring
from micro.learning.models import (
    AttendanceStatus,
    Question,
    QuestionKind,
    ReviewDecision,
    RubricCriterion,
    ScenarioNode,
    SubmissionMode,
)
from micro.learning.services.assignments import MAX_COMMENT_LENGTH, MAX_TEXT_LENGTH, upload_error_message
from micro.learning.uploads import UploadError, check_upload

MAX_SHORT_ANSWER = 200
MAX_NUMBER_TEXT = 40


def true_false_label(key: str) -> str:
    return _("True") if key == "true" else _("False")


def choice_label(choice: Any, language: str | None, kind: str) -> str:
    text = choice.localized(language).get("text", "")
    if kind == QuestionKind.TRUE_FALSE and not text:
        return true_false_label(choice.key)
    return text


class QuizForm(forms.Form):
    """One field per question (ordering and matching: one select per item) for an attempt's draw.

    Choice order comes from the attempt's seed, so a reload shows the same order. ``responses()``
    gives ``{question id: response}`` in the shape the scoring functions read.
    """

    def __init__(self, *args: Any, questions: list[Question], seed: int, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        self.groups: dict[int, list[str]] = {}
        for question in questions:
            self.groups[question.pk] = self._add_fields(question, seed)

    def _add_fields(self, question: Question, seed: int) -> list[str]:
        name = f"q{question.pk}"
        choices = list(question.choices.all())
        keys = [choice.key for choice in choices]
        by_key = {choice.key: choice for choice in choices}
        kind = question.kind
        label = question.localized(self.language).get("prompt", "")
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE):
            shown = scoring.shuffled(keys, seed, question.pk) if question.shuffle_choices else keys
            options = [(key, choice_label(by_key[key], self.language, kind)) for key in shown]
            if kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, choices=options, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=options, required=False, widget=forms.RadioSelect
                )
            return [name]
        if kind == QuestionKind.NUMERIC:
            unit = question.localized(self.language).get("unit_label", "") or question.unit
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_NUMBER_TEXT,
                help_text=_("Unit: %(unit)s. Write the number as you usually do, for example 1.234,56 or 1,234.56.")
                % {"unit": unit}
                if unit
                else _("Write the number as you usually do, for example 1.234,56 or 1,234.56."),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            return [name]
        if kind == QuestionKind.SHORT_TEXT:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SHORT_ANSWER,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            return [name]
        names = []
        if kind == QuestionKind.ORDERING:
            positions = [("", "—")] + [(str(n), str(n)) for n in range(1, len(keys) + 1)]
            for key in scoring.shuffled(keys, seed, question.pk):
                field_name = f"{name}_{key}"
                self.fields[field_name] = forms.ChoiceField(
                    label=choice_label(by_key[key], self.language, kind), choices=positions, required=False
                )
                names.append(field_name)
            return names
        if kind == QuestionKind.MATCHING:
            targets = [("", "—")] + [
                (key, by_key[key].localized(self.language).get("match", ""))
                for key in scoring.shuffled(keys, seed, f"{question.pk}:match")
            ]
            for key in scoring.shuffled(keys, seed, question.pk):
                field_name = f"{name}_{key}"
                self.fields[field_name] = forms.ChoiceField(
                    label=choice_label(by_key[key], self.language, kind), choices=targets, required=False
                )
                names.append(field_name)
            return names
        return names

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.NUMERIC:
                text = (cleaned.get(name) or "").strip()
                if text:
                    try:
                        scoring.read_number(text, self.language, question.unit)
                    except NumberFormatError:
                        self.add_error(name, _("Enter a number, for example 1250 or 1.250,50."))
            if question.kind == QuestionKind.ORDERING:
                names = self.groups[question.pk]
                if any(field_name in self.errors for field_name in names):
                    continue
                chosen = [cleaned.get(field_name) or "" for field_name in names]
                if any(chosen) and sorted(chosen, key=lambda v: (len(v), v)) != [
                    str(n) for n in range(1, len(chosen) + 1)
                ]:
                    self.add_error(
                        self.groups[question.pk][0],
                        _("Give every item a different position, from 1 to %(count)d.") % {"count": len(chosen)},
                    )
        return cleaned

    def responses(self) -> dict[int, Any]:
        """The answers given, by question id (questions left blank are not included)."""
        data = self.cleaned_data
        responses: dict[int, Any] = {}
        for question in self.questions:
            name = f"q{question.pk}"
            kind = question.kind
            if kind == QuestionKind.MULTIPLE:
                if data.get(name):
                    responses[question.pk] = sorted(data[name])
            elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.NUMERIC, QuestionKind.SHORT_TEXT):
                value = (data.get(name) or "").strip()
                if value:
                    responses[question.pk] = value
            elif kind == QuestionKind.ORDERING:
                positions = {fname.removeprefix(f"{name}_"): data.get(fname) for fname in self.groups[question.pk]}
                if any(positions.values()):
                    responses[question.pk] = [
                        key for key, _pos in sorted(positions.items(), key=lambda kv: int(kv[1] or 0))
                    ]
            elif kind == QuestionKind.MATCHING:
                pairs = {fname.removeprefix(f"{name}_"): data.get(fname) or "" for fname in self.groups[question.pk]}
                if any(pairs.values()):
                    responses[question.pk] = pairs
        return responses

    @staticmethod
    def initial_from(questions: list[Question], answers: dict[int, Any]) -> dict[str, Any]:
        """Field values for saved answers, so a reload shows what the learner already wrote."""
        initial: dict[str, Any] = {}
        for question in questions:
            answer = answers.get(question.pk)
            if answer is None or answer.response is None:
                continue
            name = f"q{question.pk}"
            response = answer.response
            if question.kind == QuestionKind.ORDERING and isinstance(response, list):
                for position, key in enumerate(response, start=1):
                    initial[f"{name}_{key}"] = str(position)
            elif question.kind == QuestionKind.MATCHING and isinstance(response, dict):
                for key, target in response.items():
                    initial[f"{name}_{key}"] = target
            else:
                initial[name] = response
        return initial

    def question_fields(self) -> list[tuple[Question, list[forms.BoundField]]]:
        return [(question, [self[name] for name in self.groups[question.pk]]) for question in self.questions]


class ScenarioChoiceForm(forms.Form):
    choice = forms.ChoiceField(label=gettext_lazy("What do you do?"), widget=forms.RadioSelect)
    step = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1000)

    def __init__(self, *args: Any, node: ScenarioNode, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(choice.key, choice.localized(language).get("text", "")) for choice in node.choices.all()]
        self.fields["choice"].error_messages["required"] = _("Choose one of the answers.")
        self.fields["choice"].error_messages["invalid_choice"] = _("Choose one of the answers shown.")


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload a file"),
        required=False,
        help_text=gettext_lazy("PDF, Word (.docx), OpenDocument (.odt) or text (.txt), at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.txt"}),
    )

    def __init__(self, *args: Any, mode: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == SubmissionMode.TEXT:
            del self.fields["file"]
        elif mode == SubmissionMode.FILE:
            del self.fields["text"]
            self.fields["file"].label = _("Upload your file")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_upload(upload)
            except UploadError as error:
                raise forms.ValidationError(upload_error_message(error.code)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = (cleaned.get("text") or "").strip()
        upload = cleaned.get("file")
        if not self.errors and not text and not upload:
            if self.mode == SubmissionMode.TEXT:
                self.add_error("text", _("Write your answer in the text box."))
            elif self.mode == SubmissionMode.FILE:
                self.add_error("file", _("Choose a file to upload."))
            else:
                raise forms.ValidationError(_("Write your answer or choose a file to upload."))
        return cleaned


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=gettext_lazy("Comments for the learner"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            loc = criterion.localized(language)
            fields[f"level_{criterion.pk}"] = forms.TypedChoiceField(
                label=loc.get("title", criterion.key),
                help_text=loc.get("description", ""),
                coerce=int,
                choices=[(level.pk, self._level_label(level, language)) for level in criterion.levels.all()],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for this criterion.")},
            )
            fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": loc.get("title", criterion.key)},
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    @staticmethod
    def _level_label(level: Any, language: str) -> str:
        texts = level.localized(language)
        label = _("%(title)s – points: %(points)s") % {
            "title": texts.get("title", level.key),
            "points": level.points.normalize(),
        }
        description = texts.get("description", "")
        return f"{label}. {description}" if description else label

    def levels(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"level_{criterion.pk}"] for criterion in self.criteria}

    def criterion_comments(self) -> dict[int, str]:
        return {criterion.pk: self.cleaned_data.get(f"comment_{criterion.pk}", "") for criterion in self.criteria}


class AttendanceForm(forms.Form):
    """One required choice per enrolled learner (``learner_<id>``); any other posted key is ignored."""

    def __init__(self, *args: Any, enrolments: list[Any], statuses: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for enrolment in enrolments:
            self.fields[f"learner_{enrolment.learner_id}"] = forms.ChoiceField(
                label=str(enrolment.learner),
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=statuses.get(enrolment.learner_id),
            )

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("learner_")): value for name, value in self.cleaned_data.items()}


LEVELS = [(str(n), str(n)) for n in range(1, 6)]


class SelfAssessmentForm(forms.Form):
    """One required 1-5 choice per competence of the course (``competence_<id>``)."""

    def __init__(self, *args: Any, competences: list[Any], levels: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for competence in competences:
            initial = levels.get(competence.pk)
            self.fields[f"competence_{competence.pk}"] = forms.ChoiceField(
                label=f"{competence.code} · {competence.loc.get('title', '')}",
                choices=LEVELS,
                widget=forms.RadioSelect,
                initial=str(initial) if initial else None,
            )

    def levels(self) -> dict[int, int]:
        return {int(name.removeprefix("competence_")): int(value) for name, value in self.cleaned_data.items()}


def survey_item_labels() -> dict[str, str]:
    return {
        "clear": _("The course was clear."),
        "useful": _("It is useful for my work."),
        "pace": _("The pace was right."),
        "materials": _("The materials were good."),
        "trainers": _("The trainers helped me."),
    }


class SurveyForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = {
            name: forms.ChoiceField(label=label, choices=LEVELS, widget=forms.RadioSelect)
            for name, label in survey_item_labels().items()
        }
        self.fields = {**items, "comment": self.fields["comment"]}

    def answers(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[name]) for name in survey_item_labels()}
