"""The pure scoring functions: exact results for every question type, and properties that hold for any input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micro.learning import scoring
from micro.learning.scoring import (
    CORRECT,
    INCORRECT,
    INVALID,
    PARTIAL,
    UNANSWERED,
    draw_questions,
    normalise_text,
    scenario_step,
    score_matching,
    score_multiple,
    score_numeric,
    score_ordering,
    score_short_text,
    score_single,
    score_true_false,
    shuffled,
)

ONE = Decimal(1)
TWO = Decimal(2)


# --- exact results ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "points", "status"),
    [("a", "2.00", CORRECT), ("b", "0.00", INCORRECT), (None, "0.00", UNANSWERED), ("", "0.00", UNANSWERED)],
)
def test_single_choice(response: str | None, points: str, status: str) -> None:
    score = score_single("a", response, TWO)
    assert (score.points, score.max_points, score.status) == (Decimal(points), Decimal("2.00"), status)


@pytest.mark.parametrize(
    ("response", "points", "status"), [(True, "1.00", CORRECT), (False, "0.00", INCORRECT), (None, "0.00", UNANSWERED)]
)
def test_true_false(response: bool | None, points: str, status: str) -> None:
    score = score_true_false(True, response, ONE)
    assert (score.points, score.status) == (Decimal(points), status)


@pytest.mark.parametrize(
    ("picked", "points", "status"),
    [
        (["a", "b"], "3.00", CORRECT),
        (["a"], "1.50", PARTIAL),
        (["a", "c"], "0.00", INCORRECT),  # one right, one wrong: (1 − 1) / 2
        (["a", "b", "c"], "1.50", PARTIAL),  # (2 − 1) / 2
        (["c"], "0.00", INCORRECT),
        (["a", "b", "c", "d"], "0.00", INCORRECT),  # ticking everything earns nothing
        ([], "0.00", UNANSWERED),
    ],
)
def test_multiple_choice_partial_credit(picked: list[str], points: str, status: str) -> None:
    score = score_multiple(["a", "b"], picked, Decimal(3))
    assert (score.points, score.status) == (Decimal(points), status)


@pytest.mark.parametrize(("picked", "points"), [(["a", "b"], "3.00"), (["a"], "0.00"), (["a", "b", "c"], "0.00")])
def test_multiple_choice_all_or_nothing(picked: list[str], points: str) -> None:
    assert score_multiple(["a", "b"], picked, Decimal(3), all_or_nothing=True).points == Decimal(points)


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("239", "en", CORRECT),
        ("239.00", "en", CORRECT),
        ("239,00", "it", CORRECT),
        ("239,5", "it", CORRECT),  # 0.50 away: the bound is inclusive
        ("238.50", "en", CORRECT),
        ("239.51", "en", INCORRECT),
        ("238,49", "de", INCORRECT),
        ("€ 239", "en", CORRECT),
        ("239 EUR", "fr", CORRECT),
        ("239 euro", "it", CORRECT),
        ("٢٣٩", "ar", CORRECT),
        ("2.390", "it", INCORRECT),  # two thousand three hundred and ninety in Italian
        ("two hundred", "en", INVALID),
        ("239; DROP TABLE", "en", INVALID),
        ("9" * 200, "en", INVALID),
        ("", "en", UNANSWERED),
        (None, "en", UNANSWERED),
    ],
)
def test_numeric_with_tolerance_unit_and_locale(text: str | None, language: str, status: str) -> None:
    score = score_numeric(Decimal("239.00"), Decimal("0.50"), text, TWO, language=language, unit="EUR")
    assert score.status == status
    assert score.points == (TWO if status == CORRECT else Decimal(0))


def test_numeric_percentage_tolerance() -> None:
    expected = Decimal("4702.40")
    assert score_numeric(expected, Decimal(1), "4749", ONE, relative=True).status == CORRECT  # 1 % = 47.02
    assert score_numeric(expected, Decimal(1), "4750", ONE, relative=True).status == INCORRECT
    assert score_numeric(expected, Decimal(1), "4.655,39", ONE, language="it", relative=True).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("break-even point", CORRECT),
        ("  BREAK-EVEN   POINT ", CORRECT),
        ("Break-evenpoint", CORRECT),
        ("pareggio", CORRECT),
        ("Paréggio", CORRECT),
        ("break even", INCORRECT),
        ("<script>alert(1)</script>", INCORRECT),
        ("", UNANSWERED),
    ],
)
def test_short_text_ignores_case_space_and_accents(answer: str, status: str) -> None:
    assert score_short_text(["break-even point", "Pareggio"], answer, ONE).status == status


def test_ordering_partial_and_invalid() -> None:
    right = ["a", "b", "c", "d"]
    assert score_ordering(right, ["a", "b", "c", "d"], Decimal(4)).points == Decimal("4.00")
    assert score_ordering(right, ["a", "b", "d", "c"], Decimal(4)).points == Decimal("2.00")
    assert score_ordering(right, ["d", "c", "b", "a"], Decimal(4)).status == INCORRECT
    assert score_ordering(right, ["a", "a", "b", "c"], Decimal(4)).status == INVALID
    assert score_ordering(right, ["a", "b", "c"], Decimal(4)).status == INVALID
    assert score_ordering(right, [], Decimal(4)).status == UNANSWERED


def test_matching_counts_right_pairs() -> None:
    right = {"x": "x", "y": "y", "z": "z"}
    assert score_matching(right, {"x": "x", "y": "y", "z": "z"}, Decimal(3)).points == Decimal("3.00")
    assert score_matching(right, {"x": "x", "y": "z", "z": "y"}, Decimal(3)).points == Decimal("1.00")
    assert score_matching(right, {"x": "evil", "<b>": "x"}, Decimal(3)).status == INCORRECT
    assert score_matching(right, {"x": "", "y": ""}, Decimal(3)).status == UNANSWERED


def test_scenario_step_measures_against_the_best_alternative() -> None:
    tally = scenario_step({"IC-1": 1, "EF-1": 3}, [{"IC-1": 1, "EF-1": 3}, {"IC-1": 3}, {"IC-1": -2, "EF-1": 0}])
    assert tally.points == {"EF-1": Decimal(3), "IC-1": Decimal(1)}
    assert tally.max_points == {"EF-1": Decimal(3), "IC-1": Decimal(3)}
    nothing = scenario_step({"IC-1": -2}, [{"IC-1": -2}, {"IC-1": 0}])
    assert nothing.points == {} and nothing.max_points == {}


def test_rubric_total_and_percent() -> None:
    total, maximum = scoring.rubric_total([Decimal(2), Decimal(1)], [Decimal(2), Decimal(2)])
    assert (total, maximum) == (Decimal("3.00"), Decimal("4.00"))
    assert scoring.percent(total, maximum) == Decimal("75.00")
    assert scoring.percent(Decimal(0), Decimal(0)) == Decimal("0.00")
    assert scoring.passed(Decimal("60.00"), 60) and not scoring.passed(Decimal("59.99"), 60)


# --- properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("-999999.99"), max_value=Decimal("999999.99"), places=2, allow_nan=False)
tolerances = st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=2, allow_nan=False)


def locale_spellings(value: Decimal) -> list[tuple[str, str]]:
    """The same number as people write it in English, Italian, French, German and Arabic."""
    sign = "-" if value < 0 else ""
    whole, _dot, cents = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}"
    return [
        (f"{sign}{whole}.{cents}", "en"),
        (f"{sign}{groups}.{cents}", "en"),
        (f"{sign}{groups.replace(',', '.')},{cents}", "it"),
        (f"{sign}{groups.replace(',', '.')},{cents}", "de"),
        (f"{sign}{groups.replace(',', ' ')},{cents}", "fr"),
        (f"{sign}{groups.replace(',', '\u202f')},{cents} €", "fr"),
        ((f"{sign}{whole}.{cents}").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), "ar"),
    ]


@settings(max_examples=200, deadline=None)
@given(expected=amounts, tolerance=tolerances, offset=st.decimals(min_value=-1, max_value=1, places=4, allow_nan=False))
def test_numeric_accepts_within_the_tolerance_and_refuses_outside(
    expected: Decimal, tolerance: Decimal, offset: Decimal
) -> None:
    answer = (expected + tolerance * offset).quantize(Decimal("0.0001"))
    inside = score_numeric(expected, tolerance, format(answer, "f"), ONE)
    assert inside.status == CORRECT
    beyond = expected + tolerance + Decimal("0.01")
    assert score_numeric(expected, tolerance, format(beyond, "f"), ONE).status == INCORRECT
    below = expected - tolerance - Decimal("0.01")
    assert score_numeric(expected, tolerance, format(below, "f"), ONE).status == INCORRECT


@settings(max_examples=200, deadline=None)
@given(value=amounts, expected=amounts, tolerance=tolerances)
def test_any_locale_spelling_of_the_same_number_scores_the_same(
    value: Decimal, expected: Decimal, tolerance: Decimal
) -> None:
    reference = score_numeric(expected, tolerance, format(value, "f"), TWO)
    for text, language in locale_spellings(value):
        score = score_numeric(expected, tolerance, text, TWO, language=language, unit="EUR")
        assert score.value == value, (text, language)
        assert (score.points, score.status) == (reference.points, reference.status), (text, language)


@settings(max_examples=200, deadline=None)
@given(
    correct=st.sets(st.sampled_from("abcdef"), min_size=1),
    picked=st.sets(st.sampled_from("abcdef")),
    points=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(10), places=1),
)
def test_multiple_choice_is_bounded_and_full_only_when_exact(
    correct: set[str], picked: set[str], points: Decimal
) -> None:
    score = score_multiple(correct, picked, points)
    assert Decimal(0) <= score.points <= score.max_points
    assert (score.status == CORRECT) == (picked == correct)
    strict = score_multiple(correct, picked, points, all_or_nothing=True)
    assert strict.points <= score.points


@settings(max_examples=100, deadline=None)
@given(
    items=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
    seed=st.integers(0, 2**48),
)
def test_ordering_of_any_permutation_is_bounded_and_exact_only_in_order(items: list[str], seed: int) -> None:
    permutation = shuffled(items, seed, "salt")
    score = score_ordering(items, permutation, ONE)
    assert Decimal(0) <= score.points <= ONE
    assert (score.status == CORRECT) == (permutation == items)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=50))
def test_normalising_is_idempotent_and_case_blind(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert normalise_text(text.upper()) == normalise_text(text.lower()) or not text.isascii()


@settings(max_examples=100, deadline=None)
@given(
    pools=st.lists(st.tuples(st.lists(st.integers(1, 60), max_size=20), st.integers(0, 8)), min_size=1, max_size=3),
    seed=st.integers(0, 2**48),
)
def test_draws_are_reproducible_unique_and_sized(pools: list[tuple[list[int], int]], seed: int) -> None:
    first = draw_questions(pools, seed)
    assert first == draw_questions(pools, seed)
    assert len(first) == len(set(first))
    assert set(first) <= {qid for pool, _count in pools for qid in pool}
