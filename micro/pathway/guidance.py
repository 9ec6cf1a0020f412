"""Pure rules that turn a visitor's answers into advice: readiness, legal form, microcredit eligibility.

They read the structured content packs (one language's data) and return plain data for the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

READY = "ready"
PARTLY = "partly"
PREPARE = "prepare"
DEFAULT_START_STAGE = "01-idea"


@dataclass(frozen=True)
class DimensionResult:
    key: str
    title: str
    score: float
    level: str
    advice: str
    competences: list[str]


def readiness_result(data: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """Score each dimension 0–1 and route to the stage of the weakest one. Unanswered questions count 0."""
    questions = data.get("questions", [])
    results: list[DimensionResult] = []
    for dimension in data.get("dimensions", []):
        own = [q for q in questions if q.get("dimension") == dimension["key"]]
        if not own:
            continue
        total = 0
        best = 0
        for question in own:
            scores = {str(option["value"]): int(option.get("score", 0)) for option in question.get("options", [])}
            best += max(scores.values(), default=0)
            total += scores.get(str(answers.get(question["key"], "")), 0)
        score = total / best if best else 0.0
        level = READY if score >= 0.75 else PARTLY if score >= 0.4 else PREPARE
        results.append(
            DimensionResult(
                key=dimension["key"],
                title=dimension.get("title", dimension["key"]),
                score=round(score, 2),
                level=level,
                advice=dimension.get("ready" if level == READY else "prepare", ""),
                competences=list(dimension.get("competences", [])),
            )
        )
    weakest = min(results, key=lambda result: result.score, default=None)
    start_stage = DEFAULT_START_STAGE
    if weakest is not None and weakest.level != READY:
        start_stage = next(
            (d.get("start_stage", DEFAULT_START_STAGE) for d in data.get("dimensions", []) if d["key"] == weakest.key),
            DEFAULT_START_STAGE,
        )
    return {
        "answers": answers,
        "dimensions": [result.__dict__ for result in results],
        "start_stage": start_stage,
        "weakest": weakest.key if weakest else "",
    }


def legal_form_ranking(data: dict[str, Any], *, owners: str, protect_assets: bool) -> list[dict[str, Any]]:
    """Every form of the country, the ones that fit first, each with why it fits or not."""
    ranked = []
    for form in data.get("forms", []):
        fits_owners = form.get("owners", "any") in ("any", owners)
        fits_liability = bool(form.get("limited_liability")) == protect_assets
        score = (2 if fits_owners else 0) + (1 if fits_liability else 0)
        ranked.append({**form, "fits_owners": fits_owners, "fits_liability": fits_liability, "score": score})
    return sorted(ranked, key=lambda form: -form["score"])


def eligibility_result(data: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """'Not yet' with the advice of every blocking answer, or 'you can ask' (the lender decides)."""
    blockers = []
    unanswered = []
    for question in data.get("eligibility", []):
        answer = answers.get(question["key"], "")
        if not answer:
            unanswered.append(question["key"])
        elif answer == str(question.get("blocking_answer", "no")):
            blockers.append({"text": question.get("text", ""), "advice": question.get("advice", "")})
    return {
        "answers": answers,
        "blockers": blockers,
        "unanswered": unanswered,
        "can_apply": not blockers and not unanswered,
    }
