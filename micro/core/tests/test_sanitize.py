"""User HTML and Markdown never carry script, event handlers or javascript: URLs to a page."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from micro.core.sanitize import ALLOWED_ATTRIBUTES, render_markdown, sanitize

FORBIDDEN = ("<script", "onerror=", "javascript:")

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<img src="javascript:alert(1)">',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a title="x onerror=alert(1)">x</a>',
    '<abbr title="javascript:alert(1)">x</abbr>',
    "<p>javascript&#58;alert(1)</p>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![img](javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    '[a](http://x "onerror=1")',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, (needle, html)
    Inspector().check(html)


class Inspector(HTMLParser):
    """Parses the output like a browser would and fails on anything that could run."""

    def check(self, html: str) -> None:
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag not in {"script", "style", "iframe", "object", "embed", "form", "svg", "math", "meta", "base"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src"} and value:
                # Browsers drop control characters and spaces before reading the scheme; a prefix that
                # is not a valid scheme name (":x", "/a:b") makes the address relative, hence harmless.
                scheme = re.match(r"([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
                assert scheme is None or scheme.group(1) in {"http", "https", "mailto", "tel"}, (tag, name, value)


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitize_removes_known_attacks(attack: str) -> None:
    assert_harmless(sanitize(attack))


@pytest.mark.parametrize("attack", ATTACKS)
def test_render_markdown_removes_known_attacks(attack: str) -> None:
    assert_harmless(render_markdown(attack))


def test_sanitize_keeps_ordinary_formatting() -> None:
    html = '<p>A <strong>loan</strong> of <em>5 000 €</em>, see <a href="https://example.org/x">the rules</a>.</p>'

    cleaned = sanitize(html)

    assert "<strong>loan</strong>" in cleaned
    assert "<em>5 000 €</em>" in cleaned
    assert 'href="https://example.org/x"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_every_allowed_attribute_survives() -> None:
    for tag, attributes in ALLOWED_ATTRIBUTES.items():
        for attribute in attributes:
            value = "https://example.org/a.png" if attribute in {"href", "src"} else "2" if "span" in attribute else "v"
            html = (
                f'<table><tr><{tag} {attribute}="{value}">x</{tag}></tr></table>'
                if tag in {"td", "th"}
                else f'<{tag} {attribute}="{value}">x</{tag}>'
            )
            assert f'{attribute}="{value}"' in sanitize(html), (tag, attribute)


def test_markdown_renders_headings_lists_links_and_tables() -> None:
    html = render_markdown(
        "## Costs\n\n- rent\n- tools\n\n[guide](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )

    assert "<h2>Costs</h2>" in html
    assert "<li>rent</li>" in html
    assert 'href="https://example.org"' in html
    assert "<td>1</td>" in html


def test_text_that_mentions_javascript_still_reads_the_same() -> None:
    html = sanitize("<p>Type javascript: and onerror= in the box</p>")

    assert_harmless(html)
    assert unescape(re.sub(r"<[^>]+>", "", html)) == "Type javascript: and onerror= in the box"


def test_a_link_whose_address_mentions_an_event_still_points_to_the_same_place() -> None:
    html = sanitize('<a href="https://example.org/?onboarding=1">start</a>')

    assert_harmless(html)
    href = re.search(r'href="([^"]+)"', html)
    assert href is not None
    assert unescape(href.group(1)) == "https://example.org/?onboarding=1"


def test_empty_and_none_give_empty_output() -> None:
    assert sanitize("") == ""
    assert render_markdown("") == ""
    assert sanitize(None) == ""  # type: ignore[arg-type]


def test_markdown_filter_is_safe_in_templates() -> None:
    rendered = Template("{% load micro %}{{ text|markdown }}").render(
        Context({"text": "**hi** <script>alert(1)</script>"})
    )

    assert "<strong>hi</strong>" in rendered
    assert_harmless(rendered)


# Fragments an attacker would combine; hypothesis glues them together in any order with noise.
FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        "/",
        '"',
        "'",
        "=",
        ":",
        "&#",
        ";",
        "(",
        ")",
        "[",
        "]",
        "!",
        "\n",
        " ",
        "\t",
        "`",
        "script",
        "SCRIPT",
        "scr",
        "ipt",
        "onerror",
        "onload",
        "OnErRoR",
        "javascript",
        "JavaScript",
        "java",
        "img",
        "a",
        "svg",
        "iframe",
        "style",
        "href",
        "src",
        "title",
        "alt",
        "x",
        "alert(1)",
        "&#106;",
        "&#58;",
        "&colon;",
        "&#x3A;",
        "&lt;",
        "&gt;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "](",
        "![",
        "http://",
        "data:",
        "vbscript:",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_sanitize_output_never_contains_script_handlers_or_javascript_urls(text: str) -> None:
    assert_harmless(sanitize(text))


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_render_markdown_output_never_contains_script_handlers_or_javascript_urls(text: str) -> None:
    assert_harmless(render_markdown(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_sanitize_is_stable_on_its_own_output(text: str) -> None:
    once = sanitize(text)

    assert sanitize(once) == once
