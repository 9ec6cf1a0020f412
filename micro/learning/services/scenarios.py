"""Scenario role-plays: start a run, take one choice at a time, finish with a debrief.

Each choice earns points on competence dimensions; at every node the maximum is what the best
choice there would have earned (:func:`micro.learning.scoring.scenario_step`), so the result says
how well the learner chose *along the path they took*. A node without choices ends the run.
A choice is applied only if it was posted for the run's current step (``step``), so a doubled
click or a resent form never moves the run twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.learning import selectors
from micro.learning.models import Activity, ActivityKind, ScenarioRun
from micro.learning.scoring import Tally, passed, percent, scenario_step
from micro.learning.services.progress import activity_progress_lock, activity_result_record
from micro.learning.services.xapi import xapi_scenario_run_finished

MAX_STEPS = 50
"""A run that loops longer than this ends (a safety net for authoring mistakes)."""


def _tally_of(run: ScenarioRun) -> Tally:
    tally = Tally()
    for code, (points, maximum) in (run.scores or {}).items():
        tally.add(code, Decimal(points), Decimal(maximum))
    return tally


@transaction.atomic
def scenario_run_start(*, activity: Activity, learner: Any, now: datetime | None = None) -> ScenarioRun:
    """The learner's open run of the scenario, or a new one at the start node."""
    if activity.kind != ActivityKind.SCENARIO:
        raise ValidationError(_("This activity is not a scenario."))
    activity_progress_lock(activity=activity, learner=learner)
    open_run = selectors.scenario_run_open_for(learner, activity)
    if open_run is not None:
        return open_run
    if selectors.lesson_prerequisites_missing(learner, activity.lesson):
        raise ValidationError(_("Complete the lessons this one builds on first."))
    used = ScenarioRun.objects.filter(activity=activity, learner=learner).count()
    if activity.max_attempts is not None and used >= activity.max_attempts:
        raise ValidationError(
            ngettext(
                "You have played this scenario the %(count)d time it allows.",
                "You have played this scenario all %(count)d times it allows.",
                activity.max_attempts,
            )
            % {"count": activity.max_attempts}
        )
    start = selectors.scenario_start_node(activity)
    if start is None:
        raise ValidationError(_("This scenario has no content yet."))
    run = ScenarioRun(activity=activity, learner=learner, number=used + 1, current_node=start)
    run.full_clean()
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        existing = selectors.scenario_run_open_for(learner, activity)
        if existing is None:
            raise
        return existing
    return run


def _finish(run: ScenarioRun, now: datetime) -> None:
    tally = _tally_of(run)
    points, maximum = tally.total()
    run.percent = percent(points, maximum)
    run.finished_at = now
    run.full_clean(validate_constraints=False)
    run.save()
    activity_result_record(
        activity=run.activity,
        learner=run.learner,
        result_percent=run.percent,
        completed=passed(run.percent, run.activity.pass_percent),
        tally=tally,
        now=now,
    )
    xapi_scenario_run_finished(run=run)


@transaction.atomic
def scenario_run_choose(
    *, run: ScenarioRun, choice_key: str, step: int, now: datetime | None = None
) -> tuple[ScenarioRun, bool]:
    """Take ``choice_key`` at the run's current node. Returns the run and whether it moved.

    ``step`` is the number of choices already made when the form was shown; a form from an
    earlier step (a doubled or resent submission) is ignored.
    """
    now = now or timezone.now()
    locked = (
        ScenarioRun.objects.select_for_update(of=("self",))
        .select_related("activity__lesson", "learner", "current_node")
        .get(pk=run.pk)
    )
    if locked.finished_at is not None or step != len(locked.path):
        return locked, False
    node = locked.current_node
    if node is None:
        _finish(locked, now)
        return locked, True
    choices = list(node.choices.select_related("next_node").order_by("order", "key"))
    chosen = next((choice for choice in choices if choice.key == choice_key), None)
    if chosen is None:
        raise ValidationError(_("Choose one of the answers shown."))
    step_tally = scenario_step(chosen.scores or {}, [choice.scores or {} for choice in choices])
    locked.path = [
        *locked.path,
        {
            "node": node.key,
            "choice": chosen.key,
            "scores": {
                code: [str(step_tally.points[code]), str(step_tally.max_points[code])] for code in step_tally.points
            },
        },
    ]
    tally = _tally_of(locked)
    for code in step_tally.points:
        tally.add(code, step_tally.points[code], step_tally.max_points[code])
    locked.scores = {code: [str(tally.points[code]), str(tally.max_points[code])] for code in tally.points}
    next_node = chosen.next_node
    locked.current_node = next_node
    ends = next_node is None or not next_node.choices.exists() or len(locked.path) >= MAX_STEPS
    if ends:
        _finish(locked, now)
    else:
        locked.full_clean(validate_constraints=False)
        locked.save()
    return locked, True
