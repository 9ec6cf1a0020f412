"""Pure scoring functions, one per question type, plus the seeded draws and the scenario/rubric totals.

Nothing here touches the database or Django: inputs are plain keys, strings and ``Decimal``; the
services turn models into these inputs and store what comes back. The rules, as the learner sees
them in the results:

* **single choice / true-false** - full points for the correct option, nothing otherwise.
* **multiple choice** - two modes, chosen per question:
  ``partial`` (default): ``points × max(0, right picked − wrong picked) / number of right options``,
  so ticking every box earns nothing unless every box is right;
  ``all``: full points only when exactly the right options are ticked.
* **numeric** - the text is read in the learner's own number format (``micro.core.numbers``:
  "1.234,56", "1,234.56", "1 234,56", Arabic-Indic digits) after removing the question's unit
  and currency signs; full points when ``|answer − expected| ≤ tolerance`` (the bound is
  inclusive; a percentage tolerance is taken of ``|expected|``). Text that is not a number is
  *invalid* and scores nothing.
* **short text** - compared with every accepted variant after Unicode normalisation, removing
  accents, case folding and removing all white space: "Break Even" = "breakeven" = " BREAK EVEN "
  and "débito" = "debito"; punctuation still counts ("break-even" is its own variant).
* **ordering** - ``points × items in their right place / items``; a response that is not an
  arrangement of exactly the question's items is invalid.
* **matching** - ``points × right pairs / pairs``; unknown keys count as wrong.

Every score is rounded half up to the cent. ``status`` says correct / partial / incorrect /
unanswered / invalid.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from micro.core.numbers import NumberFormatError, parse_decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

CORRECT = "correct"
PARTIAL = "partial"
INCORRECT = "incorrect"
UNANSWERED = "unanswered"
INVALID = "invalid"

_CURRENCY_SIGNS = "€$£¥₺₴₽%"
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Score:
    points: Decimal
    max_points: Decimal
    status: str
    value: Decimal | None = None  # numeric questions: the number read from the answer

    @property
    def is_correct(self) -> bool:
        return self.status == CORRECT


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _scaled(points: Decimal, fraction: Decimal) -> Score:
    fraction = min(max(fraction, ZERO), Decimal(1))
    earned = _money(points * fraction)
    if fraction == 1:
        status = CORRECT
    elif fraction == 0:
        status = INCORRECT
    else:
        status = PARTIAL
    return Score(points=earned, max_points=_money(points), status=status)


def _nothing(points: Decimal, status: str) -> Score:
    return Score(points=ZERO.quantize(CENT), max_points=_money(points), status=status)


def percent(points: Decimal, max_points: Decimal) -> Decimal:
    """``points / max_points`` in percent with two decimals; 0 when there is nothing to earn."""
    if max_points <= 0:
        return ZERO.quantize(CENT)
    return _money(HUNDRED * points / max_points)


def passed(score_percent: Decimal, pass_percent: int) -> bool:
    return score_percent >= Decimal(pass_percent)


# --- question types --------------------------------------------------------------------------


def score_single(correct: str, response: str | None, points: Decimal) -> Score:
    if not response:
        return _nothing(points, UNANSWERED)
    return _scaled(points, Decimal(1) if response == correct else ZERO)


def score_true_false(correct: bool, response: bool | None, points: Decimal) -> Score:
    if response is None:
        return _nothing(points, UNANSWERED)
    return _scaled(points, Decimal(1) if response is correct else ZERO)


def score_multiple(
    correct: Iterable[str], response: Iterable[str] | None, points: Decimal, *, all_or_nothing: bool = False
) -> Score:
    right = frozenset(correct)
    picked = frozenset(response or ())
    if not picked:
        return _nothing(points, UNANSWERED)
    if not right:
        return _nothing(points, INVALID)
    if all_or_nothing:
        return _scaled(points, Decimal(1) if picked == right else ZERO)
    hits = len(picked & right)
    misses = len(picked - right)
    return _scaled(points, Decimal(hits - misses) / Decimal(len(right)))


def read_number(text: str | None, language: str, unit: str = "") -> Decimal:
    """The number in ``text`` typed in the learner's format, with the unit and currency signs removed.

    Raises :class:`~micro.core.numbers.NumberFormatError` when it is not a number.
    """
    raw = (text or "").strip()
    if len(raw) > 60:
        raise NumberFormatError("too_long")
    raw = re.sub(r"(?i)(?<!\w)(eur|euro|euros)(?!\w)", " ", raw)
    if unit.strip():
        raw = re.sub(rf"(?<!\w){re.escape(unit.strip())}(?!\w)", " ", raw, flags=re.IGNORECASE)
    raw = raw.translate({ord(sign): " " for sign in _CURRENCY_SIGNS}).strip()
    return parse_decimal(raw, language)


def tolerance_bound(expected: Decimal, tolerance: Decimal, *, relative: bool = False) -> Decimal:
    """The largest accepted distance from ``expected``."""
    if relative:
        return abs(expected) * abs(tolerance) / HUNDRED
    return abs(tolerance)


def score_numeric(
    expected: Decimal,
    tolerance: Decimal,
    response: str | None,
    points: Decimal,
    *,
    language: str = "en",
    unit: str = "",
    relative: bool = False,
) -> Score:
    if response is None or not str(response).strip():
        return _nothing(points, UNANSWERED)
    try:
        value = read_number(str(response), language, unit)
    except NumberFormatError:
        return _nothing(points, INVALID)
    ok = abs(value - expected) <= tolerance_bound(expected, tolerance, relative=relative)
    score = _scaled(points, Decimal(1) if ok else ZERO)
    return Score(points=score.points, max_points=score.max_points, status=score.status, value=value)


def normalise_text(text: str) -> str:
    """Case, accents and white space removed: the comparison key for short text answers."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub("", stripped.casefold())


def score_short_text(accepted: Iterable[str], response: str | None, points: Decimal) -> Score:
    answer = normalise_text(response or "")
    if not answer:
        return _nothing(points, UNANSWERED)
    keys = {normalise_text(variant) for variant in accepted if normalise_text(variant)}
    return _scaled(points, Decimal(1) if answer in keys else ZERO)


def score_ordering(correct: Sequence[str], response: Sequence[str] | None, points: Decimal) -> Score:
    if not response:
        return _nothing(points, UNANSWERED)
    if not correct:
        return _nothing(points, INVALID)
    if sorted(response) != sorted(correct):
        return _nothing(points, INVALID)
    in_place = sum(1 for mine, right in zip(response, correct, strict=True) if mine == right)
    return _scaled(points, Decimal(in_place) / Decimal(len(correct)))


def score_matching(correct: Mapping[str, str], response: Mapping[str, str] | None, points: Decimal) -> Score:
    if not response or not any(response.values()):
        return _nothing(points, UNANSWERED)
    if not correct:
        return _nothing(points, INVALID)
    right = sum(1 for left, target in correct.items() if response.get(left) == target)
    return _scaled(points, Decimal(right) / Decimal(len(correct)))


# --- seeded draws ----------------------------------------------------------------------------


def draw_questions(parts: Sequence[tuple[Sequence[int], int]], seed: int) -> list[int]:
    """Question ids for an attempt: from each (pool, count) part, ``count`` ids (0 = all), seeded.

    The same seed and pools always give the same list, so a reload shows the same questions.
    An id appears once even when two parts share a pool.
    """
    rng = random.Random(seed)  # noqa: S311 - a fair, reproducible draw, not a secret
    chosen: list[int] = []
    for pool, count in parts:
        available = [qid for qid in sorted(set(pool)) if qid not in chosen]
        take = len(available) if count <= 0 else min(count, len(available))
        chosen.extend(rng.sample(available, take))
    return chosen


def shuffled(keys: Sequence[str], seed: int, salt: int | str) -> list[str]:
    """``keys`` in an order fixed by the attempt's seed and the question (stable on reload)."""
    rng = random.Random(f"{seed}:{salt}")  # noqa: S311 - presentation order only
    order = list(keys)
    rng.shuffle(order)
    return order


# --- scenarios and rubrics -------------------------------------------------------------------


@dataclass
class Tally:
    """Points and maximum points per competence code."""

    points: dict[str, Decimal] = field(default_factory=dict)
    max_points: dict[str, Decimal] = field(default_factory=dict)

    def add(self, code: str, points: Decimal, max_points: Decimal) -> None:
        self.points[code] = self.points.get(code, ZERO) + points
        self.max_points[code] = self.max_points.get(code, ZERO) + max_points

    def total(self) -> tuple[Decimal, Decimal]:
        return sum(self.points.values(), ZERO), sum(self.max_points.values(), ZERO)


def scenario_step(chosen: Mapping[str, int | Decimal], alternatives: Sequence[Mapping[str, int | Decimal]]) -> Tally:
    """What one decision earns on each competence, against the best the learner could have chosen there.

    For each competence named by any choice of the node, ``max`` is the highest score any
    alternative gives it and ``points`` what the chosen one gives (negative scores count as 0).
    """
    tally = Tally()
    codes = sorted({code for option in alternatives for code in option})
    for code in codes:
        best = max((Decimal(option.get(code, 0)) for option in alternatives), default=ZERO)
        if best <= 0:
            continue
        mine = max(Decimal(chosen.get(code, 0)), ZERO)
        tally.add(code, min(mine, best), best)
    return tally


def rubric_total(chosen_points: Iterable[Decimal], criterion_maxima: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    """Total points and maximum points of a rubric review."""
    return _money(sum(chosen_points, ZERO)), _money(sum(criterion_maxima, ZERO))
