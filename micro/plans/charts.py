"""Bar charts in plain HTML: each bar gets one of 21 width classes (0 %, 5 % … 100 %), never a style attribute.

Presentation only: the values shown next to the bars are the finance core's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

STEPS = 20


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal
    width: int  # percent of the longest bar, a multiple of 5
    negative: bool

    @property
    def css_class(self) -> str:
        return f"bar-w{self.width}"


def bars(values: Sequence[tuple[str, Decimal]]) -> list[Bar]:
    """Bars scaled to the largest absolute value; a non-zero value always gets at least one step."""
    largest = max((abs(value) for _label, value in values), default=Decimal(0))
    result = []
    for label, value in values:
        if largest == 0 or value == 0:
            step = 0
        else:
            step = int((abs(value) * STEPS / largest).to_integral_value(rounding=ROUND_HALF_UP)) or 1
        result.append(Bar(label=label, value=value, width=step * 100 // STEPS, negative=value < 0))
    return result
