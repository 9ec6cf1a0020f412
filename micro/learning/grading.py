"""From a question (model) and a stored response to a :class:`~micro.learning.scoring.Score`.

The bridge between the content tables and the pure functions of :mod:`micro.learning.scoring`.
It only reads the objects it is given (choices must be prefetched), so the quiz services, the
results page and the author's preview all grade in exactly the same way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from micro.learning import scoring
from micro.learning.models import Choice, Question, QuestionKind, ToleranceMode


def choices_of(question: Question) -> list[Choice]:
    return list(question.choices.all())


def accepted_variants(question: Question) -> list[str]:
    """Accepted short answers in every language of the question (a learner may answer in any)."""
    variants: list[str] = []
    for texts in (question.translations or {}).values():
        for variant in (texts or {}).get("accepted") or []:
            if isinstance(variant, str) and variant.strip():
                variants.append(variant)
    return variants


def _as_list(response: Any) -> list[str]:
    if isinstance(response, list):
        return [str(item) for item in response]
    return []


def _as_text(response: Any) -> str | None:
    if response is None:
        return None
    return str(response)


def grade(question: Question, response: Any, language: str = "en") -> scoring.Score:
    points = Decimal(question.points)
    choices = choices_of(question)
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        correct = next((choice.key for choice in choices if choice.is_correct), "")
        return scoring.score_single(correct, _as_text(response), points)
    if kind == QuestionKind.TRUE_FALSE:
        truth = next((choice.key == "true" for choice in choices if choice.is_correct), True)
        given = {"true": True, "false": False}.get(str(response)) if response is not None else None
        return scoring.score_true_false(truth, given, points)
    if kind == QuestionKind.MULTIPLE:
        right = [choice.key for choice in choices if choice.is_correct]
        return scoring.score_multiple(
            right, _as_list(response), points, all_or_nothing=question.multiple_scoring == "all"
        )
    if kind == QuestionKind.NUMERIC:
        return scoring.score_numeric(
            Decimal(question.numeric_answer or 0),
            Decimal(question.numeric_tolerance),
            _as_text(response),
            points,
            language=language,
            unit=question.unit,
            relative=question.tolerance_mode == ToleranceMode.PERCENT,
        )
    if kind == QuestionKind.SHORT_TEXT:
        return scoring.score_short_text(accepted_variants(question), _as_text(response), points)
    if kind == QuestionKind.ORDERING:
        return scoring.score_ordering([choice.key for choice in choices], _as_list(response), points)
    if kind == QuestionKind.MATCHING:
        pairs = {str(k): str(v) for k, v in response.items()} if isinstance(response, dict) else {}
        return scoring.score_matching({choice.key: choice.key for choice in choices}, pairs, points)
    return scoring.Score(points=Decimal("0.00"), max_points=points, status=scoring.INVALID)


def chosen_feedback(question: Question, response: Any, language: str | None = None) -> list[str]:
    """The feedback texts of the options the learner picked (choice questions)."""
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.MULTIPLE):
        return []
    picked = set(_as_list(response)) if isinstance(response, list) else {str(response)}
    texts = []
    for choice in choices_of(question):
        if choice.key in picked:
            feedback = choice.localized(language).get("feedback", "")
            if feedback:
                texts.append(feedback)
    return texts
