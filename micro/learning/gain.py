"""Learning gain, pure: scores are percentages (0-100).

* raw gain = post − pre (percentage points);
* normalised gain (Hake) = (post − pre) / (max − pre): the share of what was still to learn that
  was learned; undefined (``None``) when the pre-test was already at the maximum.
* For a cohort: the mean of the learners' raw gains, and the normalised gain of the class
  averages, (⟨post⟩ − ⟨pre⟩) / (max − ⟨pre⟩), over learners who took both tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX = Decimal(100)
_PLACES = Decimal("0.01")


def raw_gain(pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    if pre is None or post is None:
        return None
    return (post - pre).quantize(_PLACES, ROUND_HALF_UP)


def normalised_gain(pre: Decimal | None, post: Decimal | None, maximum: Decimal = MAX) -> Decimal | None:
    if pre is None or post is None or pre >= maximum:
        return None
    return ((post - pre) / (maximum - pre)).quantize(_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class CohortGain:
    learners: int
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_raw: Decimal | None
    normalised: Decimal | None


def cohort_gain(pairs: Iterable[tuple[Decimal | None, Decimal | None]]) -> CohortGain:
    both = [(pre, post) for pre, post in pairs if pre is not None and post is not None]
    if not both:
        return CohortGain(0, None, None, None, None)
    count = Decimal(len(both))
    mean_pre = (sum((p for p, _ in both), Decimal(0)) / count).quantize(_PLACES, ROUND_HALF_UP)
    mean_post = (sum((q for _, q in both), Decimal(0)) / count).quantize(_PLACES, ROUND_HALF_UP)
    return CohortGain(
        learners=len(both),
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_raw=raw_gain(mean_pre, mean_post),
        normalised=normalised_gain(mean_pre, mean_post),
    )
