"""Form pieces every app shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms


class OneTimeKeyField(forms.Field):
    """A hidden one-time key that makes a retried submission safe. A malformed one is dropped, never
    reported: the person cannot see or fix a hidden field, and the submission still goes through
    (only without the retry protection). ``clean_key`` returns the key, or "" when it is not one
    the app could have issued."""

    widget = forms.HiddenInput

    def __init__(self, *, clean_key: Callable[[Any], str], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.clean_key = clean_key

    def clean(self, value: Any) -> str:
        return self.clean_key(value)
