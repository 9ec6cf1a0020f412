"""Item statistics: difficulty and corrected point-biserial discrimination (pure, property tests)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro.learning import item_analysis
from micro.learning.item_analysis import Response, analyse, difficulty, point_biserial

bools = st.lists(st.booleans(), min_size=2, max_size=60)


def scores_like(items: list[bool]) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=len(items), max_size=len(items))


@given(st.lists(st.booleans(), max_size=80))
def test_difficulty_is_the_share_correct(correct: list[bool]) -> None:
    p = difficulty(correct)
    if not correct:
        assert p is None
    else:
        assert p is not None
        assert 0 <= p <= 1
        assert math.isclose(p * len(correct), sum(correct))


@given(bools.flatmap(lambda items: st.tuples(st.just(items), scores_like(items))))
def test_point_biserial_is_a_correlation(pair: tuple[list[bool], list[float]]) -> None:
    items, scores = pair
    r = point_biserial(items, scores)
    if all(items) or not any(items) or max(scores) - min(scores) < 1e-6:
        assert r is None or -1 <= r <= 1
        return
    if r is None:
        return  # zero variance after rounding
    assert -1 <= r <= 1
    # It is Pearson's r of the 0/1 item with the scores.
    n = len(items)
    xs = [1.0 if c else 0.0 for c in items]
    mx, my = sum(xs) / n, sum(scores) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, scores, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in scores))
    assert math.isclose(r, cov / (sx * sy), abs_tol=1e-6)


@given(
    bools.flatmap(lambda items: st.tuples(st.just(items), scores_like(items))),
    st.floats(min_value=0.1, max_value=10),
    st.floats(min_value=-5, max_value=5),
)
def test_point_biserial_ignores_the_scale_of_the_scores(
    pair: tuple[list[bool], list[float]], scale: float, shift: float
) -> None:
    items, scores = pair
    r = point_biserial(items, scores)
    moved = point_biserial(items, [s * scale + shift for s in scores])
    if r is None or moved is None:
        return
    assert math.isclose(r, moved, abs_tol=1e-6)


@given(bools.flatmap(lambda items: st.tuples(st.just(items), scores_like(items))))
def test_inverting_the_key_flips_the_sign(pair: tuple[list[bool], list[float]]) -> None:
    items, scores = pair
    r = point_biserial(items, scores)
    flipped = point_biserial([not c for c in items], scores)
    if r is None:
        assert flipped is None
    else:
        assert flipped is not None
        assert math.isclose(r, -flipped, abs_tol=1e-9)


def test_point_biserial_edge_cases() -> None:
    assert point_biserial([True, True, True], [0.1, 0.5, 0.9]) is None  # everyone right
    assert point_biserial([True, False, True], [0.5, 0.5, 0.5]) is None  # no spread of scores
    assert point_biserial([True], [1.0]) is None
    assert point_biserial([True, False], [1.0, 0.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same length"):
        point_biserial([True], [1.0, 0.0])


def _quiz(correct_rows: list[list[bool]]) -> list[Response]:
    return [
        Response(respondent=r, item=i, points=1.0 if ok else 0.0, max_points=1.0)
        for r, row in enumerate(correct_rows)
        for i, ok in enumerate(row)
    ]


def test_a_good_item_discriminates_and_a_reversed_one_is_flagged() -> None:
    # Ten learners ordered by ability: item 0 follows ability; item 1 is answered right only by the
    # weakest (a wrong key); item 2 everybody gets right.
    rows = []
    for ability in range(10):
        strong = ability >= 5
        rows.append([strong, not strong, True, ability >= 3, ability >= 6])
    stats = {s.item: s for s in analyse(_quiz(rows))}
    assert stats[0].difficulty == pytest.approx(0.5)
    assert stats[0].discrimination is not None and stats[0].discrimination > item_analysis.LOW_DISCRIMINATION
    assert stats[0].flag == ""
    assert stats[1].discrimination is not None and stats[1].discrimination < 0
    assert stats[1].flag == "negative"
    assert stats[2].difficulty == 1.0
    assert stats[2].discrimination is None
    assert stats[2].flag == ""


def test_few_answers_are_not_judged() -> None:
    stats = analyse(_quiz([[True, False], [False, True], [True, True]]))
    assert all(s.flag == "too_few" and s.discrimination is None for s in stats)
    assert stats[0].responses == 3
    assert item_analysis.MIN_RESPONSES > 3


def test_the_rest_score_leaves_the_item_out() -> None:
    # Item 0 alone would correlate perfectly with a total that includes it; with the other items
    # constant the rest score has no spread, so discrimination is undefined, not 1.
    rows = [[i % 2 == 0, True, True] for i in range(8)]
    stats = {s.item: s for s in analyse(_quiz(rows))}
    assert stats[0].discrimination is None


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=6),
        min_size=1,
        max_size=30,
    )
)
def test_analyse_covers_every_item_with_valid_numbers(matrix: list[list[int]]) -> None:
    responses = [
        Response(respondent=r, item=i, points=float(points), max_points=2.0)
        for r, row in enumerate(matrix)
        for i, points in enumerate(row)
    ]
    stats = analyse(responses)
    assert [s.item for s in stats] == list(range(max(len(row) for row in matrix)))
    for s in stats:
        item = int(str(s.item))
        assert s.responses == sum(1 for row in matrix if len(row) > item)
        assert s.difficulty is not None and 0 <= s.difficulty <= 1
        assert s.discrimination is None or -1 <= s.discrimination <= 1
        assert s.flag in {"", "low", "negative", "too_few"}
