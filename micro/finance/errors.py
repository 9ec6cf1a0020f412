"""The one exception the finance core raises for bad input.

Callers (forms, API, services) need to know *which* field was wrong and a
stable machine code, so they can attach a translated message to the right
input. The English ``message`` is a fallback for logs and tests.
"""

from collections.abc import Mapping

__all__ = ["FinanceInputError"]


class FinanceInputError(ValueError):
    """Raised when an input to a finance calculation is invalid.

    ``field`` names the offending argument (e.g. ``"principal"``), ``code`` is
    a stable identifier (e.g. ``"must_be_positive"``) and ``params`` carries the
    limits used in the message, so a caller can build its own translated text.
    """

    def __init__(
        self,
        field: str,
        message: str,
        code: str = "invalid",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.params: dict[str, object] = dict(params or {})
