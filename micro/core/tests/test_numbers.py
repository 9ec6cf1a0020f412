from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro.core.numbers import NumberFormatError, parse_decimal


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1.234,56", "it", "1234.56"),
        ("1,234.56", "en", "1234.56"),
        ("1 234,56", "fr", "1234.56"),
        ("1\u202f234,56", "fr", "1234.56"),
        ("1234,56", "de", "1234.56"),
        ("1234,56", "en", "1234.56"),
        ("1,234", "en", "1234"),
        ("1.234", "it", "1234"),
        ("1.5", "it", "1.5"),
        ("1,5", "en", "1.5"),
        ("١٢٣٤٫٥٦", "ar", "1234.56"),
        ("-12,5", "es", "-12.5"),
        ("1.234.567", "de", "1234567"),
        ("1,234,567.8", "en", "1234567.8"),
        ("  42 ", "tr", "42"),
    ],
)
def test_locale_formats_are_read_as_the_same_number(text: str, language: str, expected: str) -> None:
    assert parse_decimal(text, language) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "1,2,3.4.5", "12a", "<script>", "1e10", "1" * 41, "--1", "NaN", "Infinity", None, True]
)
def test_non_numbers_are_refused(text: object) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(text, "en")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_plain_decimal_strings_round_trip(value: Decimal) -> None:
    assert parse_decimal(f"{value:f}", "en") == value
