"""Input of the lesson discussions: validation only; the services do the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from micro.learning.models.discussions import BODY_MAX, REASON_MAX, TITLE_MAX

MARKDOWN_HELP = _("You can use Markdown: **bold**, *italic*, lists and links.")


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, strip=True)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the members)"), max_length=REASON_MAX, strip=True)


class LockForm(forms.Form):
    locked = forms.TypedChoiceField(
        label=_("Replies"),
        choices=[("1", _("Lock")), ("0", _("Unlock"))],
        coerce=lambda value: value == "1",
    )
