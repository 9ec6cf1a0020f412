"""Markdown of path content with glossary links ``[[slug|text]]`` and dated rules ``{{rule:KEY}}``."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.core.sanitize import render_markdown
from micro.pathway.models import Rule

GLOSSARY_LINK = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]\n]{1,120}))?\]\]")
RULE_REF = re.compile(r"\{\{\s*rule:([A-Za-z0-9_.-]+)\s*\}\}")
HTML_CACHE_SECONDS = 60 * 60 * 24


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


def _with_rule_tokens(text: str) -> tuple[str, list[str]]:
    """``text`` with each ``{{rule:KEY}}`` replaced by ``RULETOKEN{n}X``, and the key of each token in order."""
    keys: list[str] = []

    def rule_token(match: re.Match[str]) -> str:
        keys.append(match.group(1))
        return f"RULETOKEN{len(keys) - 1}X"

    return RULE_REF.sub(rule_token, text or ""), keys


def _markdown_with_tokens(prepared: str, glossary: set[str]) -> str:
    """The Markdown as cleaned HTML, glossary links resolved, rule tokens still in place."""

    def glossary_link(match: re.Match[str]) -> str:
        slug, label = match.group(1), match.group(2) or match.group(1).replace("-", " ")
        if slug not in glossary:
            return label
        return f"[{label}]({reverse('pathway:glossary_term', kwargs={'slug': slug})})"

    return str(render_markdown(GLOSSARY_LINK.sub(glossary_link, prepared)))


def _put_rules_in(html: str, keys: list[str], rules: dict[str, Rule]) -> SafeString:
    for index, key in enumerate(keys):
        html = html.replace(f"RULETOKEN{index}X", str(rule_html(rules.get(key), key)))
    return mark_safe(html)  # noqa: S308 - nh3-cleaned Markdown plus format_html-escaped figures


def render_content(text: str, *, rules: dict[str, Rule], glossary: set[str]) -> SafeString:
    """Render content Markdown safely, then put back the rule figures as escaped HTML."""
    prepared, keys = _with_rule_tokens(text)
    return _put_rules_in(_markdown_with_tokens(prepared, glossary), keys, rules)


def glossary_slugs_in(text: str) -> list[str]:
    """The glossary slugs a text links to with ``[[slug|text]]`` (as ``render_content`` reads them)."""
    return _linked_slugs(_with_rule_tokens(text)[0])


def _linked_slugs(prepared: str) -> list[str]:
    return sorted({match.group(1) for match in GLOSSARY_LINK.finditer(prepared)})


def render_content_cached(text: str, *, rules: dict[str, Rule], glossary: set[str]) -> SafeString:
    """``render_content`` with the Markdown step cached under a hash of everything the HTML depends on.

    The key holds the text itself, the language (glossary addresses carry it) and the glossary
    slugs the text links to that exist, so a content import that changes a body or adds or removes
    a term gives a new key in every worker, with nothing to invalidate. ``glossary`` may be only
    those linked slugs. The figures are put in on every request: they depend on the day, the
    reader's number format and the rule records.
    """
    prepared, keys = _with_rule_tokens(text)
    linked = [slug for slug in _linked_slugs(prepared) if slug in glossary]
    fingerprint = "\0".join([translation.get_language() or "", ",".join(linked), prepared])
    cache_key = "pathway:html:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    html = cache.get(cache_key)
    if html is None:
        html = _markdown_with_tokens(prepared, glossary)
        cache.set(cache_key, html, HTML_CACHE_SECONDS)
    return _put_rules_in(html, keys, rules)


def rule_keys_in(text: str) -> list[str]:
    return RULE_REF.findall(text or "")
