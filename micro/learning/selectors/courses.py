"""Courses, outlines with the learner's progress, lessons and their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from micro.core import content_cache
from micro.learning import permissions
from micro.learning.models import (
    Activity,
    ActivityProgress,
    Course,
    Lesson,
    LessonProgress,
    Module,
)

# --- building blocks -------------------------------------------------------------------------


def _live_lessons() -> QuerySet[Lesson]:
    return Lesson.objects.filter(is_retired=False).order_by("order", "slug")


def _live_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_retired=False).order_by("order", "slug")


def course_queryset_for(user: Any) -> QuerySet[Course]:
    courses = Course.objects.order_by("order", "slug")
    if permissions.can_author(user):
        return courses
    if not permissions.is_learner(user):
        return courses.none()
    return courses.filter(is_published=True)


@dataclass(frozen=True)
class LessonMark:
    """What the pages show of a learner's progress on a lesson (read, completed)."""

    read: bool
    completed: bool


@dataclass(frozen=True)
class ActivityMark:
    """What the pages show of a learner's progress on an activity (tries, best score, completed)."""

    tries: int
    best_percent: Decimal | None
    completed: bool


@dataclass
class ActivityState:
    activity: Activity
    progress: ActivityMark | None = None

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed)

    @property
    def tries(self) -> int:
        return self.progress.tries if self.progress else 0

    @property
    def best_percent(self) -> Decimal | None:
        return self.progress.best_percent if self.progress else None


@dataclass
class LessonState:
    lesson: Lesson
    progress: LessonMark | None
    activities: list[ActivityState]
    missing: list[Lesson] = field(default_factory=list)  # prerequisites not yet completed

    @property
    def read(self) -> bool:
        return bool(self.progress and self.progress.read)

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed)

    @property
    def locked(self) -> bool:
        return bool(self.missing)

    @property
    def items(self) -> int:
        return 1 + len(self.activities)

    @property
    def items_done(self) -> int:
        return int(self.read) + sum(1 for state in self.activities if state.completed)


@dataclass
class ModuleState:
    module: Module
    lessons: list[LessonState]


@dataclass
class Outline:
    course: Course
    modules: list[ModuleState]

    @property
    def lessons(self) -> list[LessonState]:
        return [state for module in self.modules for state in module.lessons]

    @property
    def total(self) -> int:
        return sum(state.items for state in self.lessons)

    @property
    def done(self) -> int:
        return sum(state.items_done for state in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def minutes(self) -> int:
        return sum(state.lesson.minutes for state in self.lessons)

    @property
    def next_lesson(self) -> LessonState | None:
        """The first lesson, in course order, that is open and not yet complete."""
        return next((state for state in self.lessons if not state.completed and not state.locked), None)

    @property
    def finished(self) -> bool:
        return bool(self.lessons) and all(state.completed for state in self.lessons)


def _progress_maps(
    user: Any, lesson_ids: set[int], activity_ids: set[int]
) -> tuple[dict[int, LessonMark], dict[int, ActivityMark]]:
    """The learner's marks on these lessons and activities, in one query.

    Written in SQL, both tables in one statement: on the lesson page (opened by every learner, many
    times) the two ORM queries cost more to build in Python than to run.
    """
    if not getattr(user, "is_authenticated", False) or not (lesson_ids or activity_ids):
        return {}, {}
    lesson_marks = LessonProgress._meta.db_table
    activity_marks = ActivityProgress._meta.db_table
    lessons_in = ", ".join(["%s"] * len(lesson_ids)) or "NULL"
    activities_in = ", ".join(["%s"] * len(activity_ids)) or "NULL"
    sql = (
        f"SELECT 'l', lesson_id, read_at IS NOT NULL, completed_at IS NOT NULL, 0, NULL"  # noqa: S608 - table names from the models, ids as parameters
        f" FROM {lesson_marks} WHERE learner_id = %s AND lesson_id IN ({lessons_in})"
        f" UNION ALL SELECT 'a', activity_id, FALSE, completed_at IS NOT NULL, tries, best_percent"
        f" FROM {activity_marks} WHERE learner_id = %s AND activity_id IN ({activities_in})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *lesson_ids, user.pk, *activity_ids])
        rows = cursor.fetchall()
    lessons: dict[int, LessonMark] = {}
    activities: dict[int, ActivityMark] = {}
    for kind, item_id, read, completed, tries, best_percent in rows:
        if kind == "l":
            lessons[item_id] = LessonMark(read=bool(read), completed=bool(completed))
        else:
            # SQLite gives the score back as a float: the Decimal of its text, to the field's places.
            best = None if best_percent is None else Decimal(str(best_percent)).quantize(Decimal("0.01"))
            activities[item_id] = ActivityMark(tries=int(tries), best_percent=best, completed=bool(completed))
    return lessons, activities


def _outlines(user: Any, courses: list[Course]) -> list[Outline]:
    """Outlines for ``courses`` (their modules, lessons and activities prefetched) in five queries."""
    all_lessons = [lesson for course in courses for module in course.modules.all() for lesson in module.lessons.all()]
    prereq_ids = {pre.pk for lesson in all_lessons for pre in lesson.prerequisites.all()}
    lesson_ids = {lesson.pk for lesson in all_lessons} | prereq_ids
    activity_ids = {activity.pk for lesson in all_lessons for activity in lesson.activities.all()}
    lesson_progress, activity_progress = _progress_maps(user, lesson_ids, activity_ids)
    outlines = []
    for course in courses:
        modules = []
        for module in course.modules.all():
            states = []
            for lesson in module.lessons.all():
                missing = [
                    pre
                    for pre in lesson.prerequisites.all()
                    if not (lesson_progress.get(pre.pk) and lesson_progress[pre.pk].completed)
                ]
                states.append(
                    LessonState(
                        lesson=lesson,
                        progress=lesson_progress.get(lesson.pk),
                        activities=[ActivityState(a, activity_progress.get(a.pk)) for a in lesson.activities.all()],
                        missing=missing,
                    )
                )
            modules.append(ModuleState(module=module, lessons=states))
        outlines.append(Outline(course=course, modules=modules))
    return outlines


def _with_structure(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.prefetch_related(
        Prefetch("modules", queryset=Module.objects.filter(is_retired=False).select_related("area")),
        Prefetch(
            "modules__lessons",
            queryset=_live_lessons().prefetch_related(
                Prefetch("prerequisites", queryset=Lesson.objects.select_related("module__course")),
                Prefetch("activities", queryset=_live_activities()),
            ),
        ),
    )


# --- courses and lessons ---------------------------------------------------------------------


def _courses_with_structure(*, drafts: bool) -> list[Course]:
    courses = Course.objects.order_by("order", "slug")
    return list(_with_structure(courses if drafts else courses.filter(is_published=True)))


def _visible_courses(user: Any) -> list[Course]:
    """The courses of ``course_queryset_for`` with their structure, built once per worker and content
    revision (micro.core.content_cache): one list for authors (drafts too), one for learners."""
    if permissions.can_author(user):
        return content_cache.cached(("learning.courses", "drafts"), lambda: _courses_with_structure(drafts=True))
    if not permissions.is_learner(user):
        return []
    return content_cache.cached(("learning.courses", "published"), lambda: _courses_with_structure(drafts=False))


def course_outlines_for_learner(user: Any) -> list[Outline]:
    """Every course the user may see, with their progress (course list, progress page)."""
    return _outlines(user, _visible_courses(user))


def course_outline_for_learner(user: Any, slug: str) -> Outline:
    course = next((course for course in _visible_courses(user) if course.slug == slug), None)
    if course is None:
        raise Http404
    return _outlines(user, [course])[0]


@dataclass
class LessonPage:
    lesson: Lesson
    state: LessonState
    previous: Lesson | None
    following: Lesson | None


def _lesson_with_structure() -> QuerySet[Lesson]:
    return Lesson.objects.select_related("module__course").prefetch_related(
        "competences",
        "images",
        "resources",
        Prefetch("prerequisites", queryset=Lesson.objects.select_related("module__course")),
        Prefetch("activities", queryset=_live_activities()),
    )


@dataclass(frozen=True)
class LessonContent:
    """A live lesson with everything its page shows that is the same for every learner."""

    lesson: Lesson
    previous: Lesson | None
    following: Lesson | None


def _neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    siblings = list(
        Lesson.objects.filter(module__course_id=lesson.module.course_id, is_retired=False, module__is_retired=False)
        .order_by("module__order", "module__slug", "order", "slug")
        .select_related("module")
        .only("pk", "slug", "order", "translations", "module__slug", "module__order")
    )
    index = next((i for i, item in enumerate(siblings) if item.pk == lesson.pk), -1)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
    return previous, following


def _live_lesson_content(course_slug: str, module_slug: str, lesson_slug: str) -> LessonContent | None:
    lesson = (
        _lesson_with_structure()
        .filter(
            slug=lesson_slug,
            is_retired=False,
            module__slug=module_slug,
            module__is_retired=False,
            module__course__slug=course_slug,
        )
        .first()
    )
    if lesson is None:
        return None
    return LessonContent(lesson, *_neighbours(lesson))


def lesson_get_for_learner(user: Any, course_slug: str, module_slug: str, lesson_slug: str) -> LessonPage:
    """A lesson the user may see, with everything its page shows.

    The lesson's content is built once per worker and content revision (micro.core.content_cache);
    only the learner's progress is read on each request.
    """
    content = content_cache.cached(
        ("learning.lesson", course_slug, module_slug, lesson_slug),
        lambda: _live_lesson_content(course_slug, module_slug, lesson_slug),
    )
    if content is None or not _course_visible_to(user, content.lesson.module.course):
        raise Http404
    return lesson_page(user, content.lesson, (content.previous, content.following))


def _course_visible_to(user: Any, course: Course) -> bool:
    """The rule of ``course_queryset_for`` for one course already in memory."""
    if permissions.can_author(user):
        return True
    return permissions.is_learner(user) and bool(course.is_published)


def lesson_page(user: Any, lesson: Lesson, neighbours: tuple[Lesson | None, Lesson | None] | None = None) -> LessonPage:
    prerequisites = list(lesson.prerequisites.all())
    activities = list(lesson.activities.all())
    lesson_progress, activity_progress = _progress_maps(
        user, {lesson.pk} | {pre.pk for pre in prerequisites}, {a.pk for a in activities}
    )
    missing = [pre for pre in prerequisites if not (lesson_progress.get(pre.pk) and lesson_progress[pre.pk].completed)]
    state = LessonState(
        lesson=lesson,
        progress=lesson_progress.get(lesson.pk),
        activities=[ActivityState(a, activity_progress.get(a.pk)) for a in activities],
        missing=missing,
    )
    previous, following = neighbours if neighbours is not None else _neighbours(lesson)
    return LessonPage(lesson=lesson, state=state, previous=previous, following=following)


def lesson_get_for_author(user: Any, lesson_id: int) -> LessonPage:
    """Any lesson, published or not, for the author's preview (no learner records are read)."""
    if not permissions.can_author(user):
        raise Http404
    lesson = _lesson_with_structure().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    return lesson_page(None, lesson)


def lesson_prerequisites_missing(learner: Any, lesson: Lesson) -> list[Lesson]:
    prerequisites = list(lesson.prerequisites.select_related("module__course"))
    if not prerequisites:
        return []
    done = set(
        LessonProgress.objects.filter(
            learner=learner, lesson__in=prerequisites, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    return [pre for pre in prerequisites if pre.pk not in done]


def lesson_file_for_learner(user: Any, model: type[Any], pk: int) -> Any:
    """A lesson image or resource file, if the user may see its course (authors see drafts too)."""
    item = (
        model.objects.filter(pk=pk, lesson__module__course__in=course_queryset_for(user))
        .exclude(file="")
        .select_related("lesson")
        .first()
    )
    if item is None:
        raise Http404
    return item
