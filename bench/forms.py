"""Reading the forms of the platform's pages the way a browser fills them (kept free of locust/gevent)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

QUIZ_FIELD = re.compile(r"^q\d+(_[\w-]+)?$")


class QuizFormParser(HTMLParser):
    """The answer fields of a quiz attempt page, each filled with an allowed value.

    Radios and checkboxes take their first choice, text takes "1"; the selects of one question
    (``q12_a``, ``q12_b``: ordering or matching) take different options, the n-th select the n-th
    option, since an ordering must give every item another position.
    """

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, list[str]] = {}
        self._select: str | None = None
        self._options: list[str] = []
        self._selects_per_question: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        name = values.get("name", "")
        if tag == "input" and QUIZ_FIELD.match(name):
            kind = values.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.answers.setdefault(name, [values.get("value", "")])
            else:
                self.answers.setdefault(name, ["1"])
        elif tag == "textarea" and QUIZ_FIELD.match(name):
            self.answers.setdefault(name, ["An answer."])
        elif tag == "select" and QUIZ_FIELD.match(name):
            self._select = name
            self._options = []
        elif tag == "option" and self._select and values.get("value"):
            self._options.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            question = self._select.split("_", 1)[0]
            position = self._selects_per_question.get(question, 0)
            self._selects_per_question[question] = position + 1
            if self._options:
                self.answers.setdefault(self._select, [self._options[position % len(self._options)]])
            self._select = None


def quiz_answers(html: str) -> dict[str, list[str]]:
    parser = QuizFormParser()
    parser.feed(html)
    return parser.answers
