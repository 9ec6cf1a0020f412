"""The competence framework, a learner's progress per competence and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Sum

from micro.learning.models import (
    Competence,
    CompetenceArea,
    CompetenceScore,
    Lesson,
)
from micro.learning.scoring import percent
from micro.learning.selectors.courses import Outline

# --- competences -----------------------------------------------------------------------------


@dataclass
class CompetenceProgress:
    competence: Competence
    points: Decimal
    max_points: Decimal
    activities: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.points, self.max_points) if self.max_points else None


@dataclass
class AreaProgress:
    area: CompetenceArea
    competences: list[CompetenceProgress]


def competence_framework() -> list[CompetenceArea]:
    return list(
        CompetenceArea.objects.prefetch_related(
            Prefetch(
                "competences",
                queryset=Competence.objects.prefetch_related("levels", "references").order_by("order", "code"),
            )
        ).order_by("order", "slug")
    )


def competence_progress_for_learner(learner: Any) -> list[AreaProgress]:
    """Every operator competence with the points the learner earned on it (counting results only)."""
    totals = {
        row["competence_id"]: row
        for row in CompetenceScore.objects.filter(learner=learner)
        .values("competence_id")
        .annotate(points_sum=Sum("points"), max_sum=Sum("max_points"), count=Count("id"))
    }
    areas = []
    for area in competence_framework():
        rows = []
        for competence in area.competences.all():
            row = totals.get(competence.pk)
            rows.append(
                CompetenceProgress(
                    competence=competence,
                    points=row["points_sum"] if row else Decimal(0),
                    max_points=row["max_sum"] if row else Decimal(0),
                    activities=int(row["count"]) if row else 0,
                )
            )
        areas.append(AreaProgress(area=area, competences=rows))
    return areas


@dataclass
class Suggestion:
    lesson: Lesson
    reason: str  # "next" | "practise"
    competence: Competence | None = None


def next_steps_for_learner(
    outlines: list[Outline], areas: list[AreaProgress], *, weak_below: Decimal = Decimal(60)
) -> list[Suggestion]:
    """What to do next: the next open lesson of each started (or first) course, then lessons that
    practise the competences where the learner scores below ``weak_below`` percent."""
    suggestions: list[Suggestion] = []
    seen: set[int] = set()
    started = [outline for outline in outlines if outline.done and not outline.finished]
    for outline in started or outlines[:1]:
        state = outline.next_lesson
        if state is not None and state.lesson.pk not in seen:
            suggestions.append(Suggestion(lesson=state.lesson, reason="next"))
            seen.add(state.lesson.pk)
    weak = [row for area in areas for row in area.competences if row.percent is not None and row.percent < weak_below]
    if weak:
        weak_ids = {row.competence.pk: row.competence for row in weak}
        lessons_by_competence = Lesson.competences.through.objects.filter(competence_id__in=weak_ids).values_list(
            "competence_id", "lesson_id"
        )
        open_lessons = {state.lesson.pk: state for outline in outlines for state in outline.lessons}
        for competence_id, lesson_id in lessons_by_competence:
            state = open_lessons.get(lesson_id)
            if state is not None and lesson_id not in seen and not state.locked:
                suggestions.append(
                    Suggestion(lesson=state.lesson, reason="practise", competence=weak_ids[competence_id])
                )
                seen.add(lesson_id)
    return suggestions
