"""Input validation for the certificate pages: claim, check a credential file, revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from micro.learning.services.certificates import MAX_CREDENTIAL_BYTES, MAX_REASON_LENGTH


class ClaimForm(forms.Form):
    """The course (and cohort) the learner asks a certificate for; hidden fields of the button."""

    course = forms.IntegerField(min_value=1, max_value=2_147_483_647)
    cohort = forms.IntegerField(min_value=1, max_value=2_147_483_647, required=False)


class CredentialCheckForm(forms.Form):
    """A credential pasted as text, or its file; the text wins when both are given."""

    credential = forms.CharField(
        label=gettext_lazy("Credential (JSON)"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            # maxlength: the browser stops a paste far beyond any credential before it is sent.
            attrs={
                "rows": 8,
                "spellcheck": "false",
                "autocomplete": "off",
                "dir": "ltr",
                "maxlength": MAX_CREDENTIAL_BYTES,
            }
        ),
        help_text=gettext_lazy("Paste the content of the credential file (.json) the holder gave you."),
    )
    credential_file = forms.FileField(
        label=gettext_lazy("Or choose the credential file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,application/json,application/ld+json"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("credential") or ""
        upload = cleaned.get("credential_file")
        if text.strip():
            if len(text.encode()) > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(
                    _("The text is too large to be one of our credentials (at most %(size)s KB).")
                    % {"size": MAX_CREDENTIAL_BYTES // 1024}
                )
            cleaned["raw"] = text.encode()
        elif upload is not None:
            if upload.size is not None and upload.size > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(
                    _("The file is too large to be one of our credentials (at most %(size)s KB).")
                    % {"size": MAX_CREDENTIAL_BYTES // 1024}
                )
            cleaned["raw"] = upload.read(MAX_CREDENTIAL_BYTES + 1)
        else:
            raise forms.ValidationError(_("Paste the credential (JSON) or choose its file."))
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the revocation"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the public verification page."),
    )
