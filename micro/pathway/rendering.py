"""Markdown of path content with glossary links ``[[slug|text]]`` and dated rules ``{{rule:KEY}}``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.core.sanitize import render_markdown
from micro.pathway.models import Rule

GLOSSARY_LINK = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]\n]{1,120}))?\]\]")
RULE_REF = re.compile(r"\{\{\s*rule:([A-Za-z0-9_.-]+)\s*\}\}")


def rule_value(rule: Rule) -> str:
    """The value formatted for the active locale with its unit."""
    try:
        number = Decimal(rule.value)
    except (InvalidOperation, ValueError):
        return rule.value
    shown = formats.number_format(
        number, decimal_pos=0 if number == number.to_integral() else 2, use_l10n=True, force_grouping=True
    )
    count = int(number) if number == number.to_integral() else 2
    units = {
        "EUR": lambda: _("€%(amount)s") % {"amount": shown},
        "EUR/month": lambda: _("€%(amount)s a month") % {"amount": shown},
        "EUR/year": lambda: _("€%(amount)s a year") % {"amount": shown},
        "percent": lambda: _("%(amount)s %%") % {"amount": shown},
        "days": lambda: ngettext("%(amount)s day", "%(amount)s days", count) % {"amount": shown},
        "months": lambda: ngettext("%(amount)s month", "%(amount)s months", count) % {"amount": shown},
        "years": lambda: ngettext("%(amount)s year", "%(amount)s years", count) % {"amount": shown},
    }
    return units[rule.unit]() if rule.unit in units else shown


def rule_html(rule: Rule | None, key: str) -> SafeString:
    """The figure with its source, the day it was recorded, and a warning when it may be out of date."""
    if rule is None:
        return format_html('<span class="rule rule-missing">{}</span>', _("(figure not available)"))
    recorded = formats.date_format(rule.last_verified, "SHORT_DATE_FORMAT") if rule.last_verified else _("not dated")
    notes = []
    if rule.valid_to and rule.valid_to < timezone.localdate():
        notes.append(
            _("valid until %(date)s, may have changed")
            % {"date": formats.date_format(rule.valid_to, "SHORT_DATE_FORMAT")}
        )
    if not rule.verified:
        notes.append(_("to be confirmed"))
    source = format_html('<a href="{}" rel="noopener nofollow">{}</a>', rule.source_url or "#", _("source"))
    details = _("(%(source)s, recorded %(date)s%(notes)s)") % {
        "source": source,
        "date": conditional_escape(recorded),
        "notes": conditional_escape("".join(_("; %(note)s") % {"note": note} for note in notes)),
    }
    safe_details = mark_safe(details)  # noqa: S308 - the parts were escaped above, the pattern is our catalogue
    return format_html(
        '<span class="rule"><strong>{}</strong> <small>{}</small></span>', rule_value(rule), safe_details
    )


def render_content(text: str, *, rules: dict[str, Rule], glossary: set[str]) -> SafeString:
    """Render content Markdown safely, then put back the rule figures as escaped HTML."""
    tokens: dict[str, SafeString] = {}

    def rule_token(match: re.Match[str]) -> str:
        token = f"RULETOKEN{len(tokens)}X"
        tokens[token] = rule_html(rules.get(match.group(1)), match.group(1))
        return token

    def glossary_link(match: re.Match[str]) -> str:
        slug, label = match.group(1), match.group(2) or match.group(1).replace("-", " ")
        if slug not in glossary:
            return label
        return f"[{label}]({reverse('pathway:glossary_term', kwargs={'slug': slug})})"

    prepared = GLOSSARY_LINK.sub(glossary_link, RULE_REF.sub(rule_token, text or ""))
    html = str(render_markdown(prepared))
    for token, replacement in tokens.items():
        html = html.replace(token, str(replacement))
    return mark_safe(html)  # noqa: S308 - nh3-cleaned Markdown plus format_html-escaped figures


def rule_keys_in(text: str) -> list[str]:
    return RULE_REF.findall(text or "")
