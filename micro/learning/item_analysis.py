"""Item analysis of quiz questions, pure (no Django): how hard each question is and how well it
separates learners who know the subject from those who do not.

* **Difficulty** (facility index) ``p`` = the share of responses that earned full marks, 0-1.
  High values are easy questions.
* **Discrimination** = the *corrected point-biserial correlation* (item-rest correlation): the
  Pearson correlation between the item scored 1/0 (full marks or not) and the learner's score on
  the *other* questions of the same attempt (0-1), so the item does not correlate with itself.
  It lies in [-1, 1]; it is undefined (``None``) when either side has no variance, e.g. everyone
  answered correctly, and it is not computed below ``MIN_RESPONSES`` responses.
* An item is **flagged** when its discrimination is below ``LOW_DISCRIMINATION`` (0.20, the
  usual classroom threshold, e.g. Ebel & Frisbie): it does not tell strong and weak learners apart,
  or (negative) the strong ones get it wrong more often - often a key or wording problem.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

MIN_RESPONSES = 5
LOW_DISCRIMINATION = 0.20
METHOD = "corrected point-biserial (item-rest) correlation"


@dataclass(frozen=True)
class Response:
    """One scored answer: who answered (``respondent``, e.g. an attempt), which ``item``, and the
    points earned out of ``max_points``."""

    respondent: Hashable
    item: Hashable
    points: float
    max_points: float

    @property
    def correct(self) -> bool:
        return self.max_points > 0 and self.points >= self.max_points


@dataclass(frozen=True)
class ItemStats:
    item: Hashable
    responses: int
    difficulty: float | None
    discrimination: float | None
    flag: str  # "" | "low" | "negative" | "too_few"


def difficulty(correct: Sequence[bool]) -> float | None:
    """Share of correct responses; ``None`` without responses."""
    if not correct:
        return None
    return sum(1 for c in correct if c) / len(correct)


def point_biserial(item: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Pearson correlation of a 1/0 item with continuous scores; ``None`` when undefined."""
    if len(item) != len(scores):
        raise ValueError("item and scores must have the same length")
    n = len(item)
    if n < 2:
        return None
    right = [s for c, s in zip(item, scores, strict=True) if c]
    wrong = [s for c, s in zip(item, scores, strict=True) if not c]
    if not right or not wrong:
        return None
    mean = math.fsum(scores) / n
    variance = math.fsum((s - mean) ** 2 for s in scores) / n
    if variance <= 1e-12:
        return None
    p = len(right) / n
    mean_right = math.fsum(right) / len(right)
    mean_wrong = math.fsum(wrong) / len(wrong)
    r = (mean_right - mean_wrong) / math.sqrt(variance) * math.sqrt(p * (1 - p))
    return max(-1.0, min(1.0, r))


def _flag(responses: int, discrimination: float | None) -> str:
    if responses < MIN_RESPONSES:
        return "too_few"
    if discrimination is None:
        return ""
    if discrimination < 0:
        return "negative"
    if discrimination < LOW_DISCRIMINATION:
        return "low"
    return ""


def analyse(responses: Iterable[Response]) -> list[ItemStats]:
    """Statistics of every item, in the order items first appear.

    The rest score of a response is the respondent's points on their other items divided by the
    maximum of those items (0 when they answered nothing else).
    """
    by_respondent: dict[Hashable, list[Response]] = defaultdict(list)
    order: dict[Hashable, None] = {}
    for response in responses:
        by_respondent[response.respondent].append(response)
        order.setdefault(response.item, None)
    totals = {
        key: (math.fsum(r.points for r in rows), math.fsum(r.max_points for r in rows))
        for key, rows in by_respondent.items()
    }
    item_correct: dict[Hashable, list[bool]] = defaultdict(list)
    item_rest: dict[Hashable, list[float]] = defaultdict(list)
    for key, rows in by_respondent.items():
        points, maximum = totals[key]
        for row in rows:
            rest_max = maximum - row.max_points
            rest = (points - row.points) / rest_max if rest_max > 0 else 0.0
            item_correct[row.item].append(row.correct)
            item_rest[row.item].append(rest)
    stats = []
    for item in order:
        correct = item_correct[item]
        count = len(correct)
        discrimination = point_biserial(correct, item_rest[item]) if count >= MIN_RESPONSES else None
        stats.append(
            ItemStats(
                item=item,
                responses=count,
                difficulty=difficulty(correct),
                discrimination=discrimination,
                flag=_flag(count, discrimination),
            )
        )
    return stats
