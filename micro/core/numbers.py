"""Reading numbers the way people type them in their own language.

"1.234,56" (Italian, German…), "1,234.56" (English), "1 234,56" (French) and Arabic-Indic
digits all mean the same amount. Forms, the API and quiz answers parse through here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DECIMAL_COMMA_LANGUAGES = frozenset({"it", "es", "fr", "de", "nl", "uk", "ro", "tr", "pt", "pl", "sq"})

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f'’]")
_SHAPE = re.compile(r"^[+-]?\d+(\.\d+)?$")
MAX_INPUT_LENGTH = 40


class NumberFormatError(ValueError):
    """The text is not a number in any format we accept."""


def parse_decimal(text: object, language: str = "en") -> Decimal:
    """Parse ``text`` as a decimal number, using ``language`` only to settle ambiguous separators."""
    if isinstance(text, bool) or text is None:
        raise NumberFormatError("empty")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    raw = str(text).strip()
    if not raw or len(raw) > MAX_INPUT_LENGTH:
        raise NumberFormatError("empty" if not raw else "too_long")
    cleaned = _SPACES.sub("", raw.translate(_DIGITS)).replace("٫", ".").replace("٬", ",").replace("−", "-")
    commas, dots = cleaned.count(","), cleaned.count(".")
    decimal_comma = language.split("-")[0] in DECIMAL_COMMA_LANGUAGES
    if commas and dots:
        # Both present: the one that comes last separates the decimals.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif commas:
        if commas > 1 or (not decimal_comma and re.search(r",\d{3}$", cleaned)):
            cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
    elif dots > 1 or (dots == 1 and decimal_comma and re.search(r"^[+-]?\d{1,3}\.\d{3}$", cleaned)):
        cleaned = cleaned.replace(".", "")
    if not _SHAPE.match(cleaned):
        raise NumberFormatError("invalid")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise NumberFormatError("invalid") from exc
