"""The pilot cohort demo: 20 operators of the four partner countries on the sample course, with
realistic records, loaded twice without changing anything."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db.models import Count

from micro.accounts import demo as accounts_demo
from micro.accounts.models import Organisation
from micro.learning import demo
from micro.learning.content import course_import
from micro.learning.models import (
    ActivityProgress,
    Answer,
    Attempt,
    Attendance,
    Cohort,
    CohortSession,
    Enrolment,
    LessonProgress,
    SessionKind,
    Submission,
    SubmissionStatus,
)
from micro.learning.models.discussions import DiscussionPost, DiscussionThread
from micro.learning.selectors.dashboard import cohort_dashboard_for
from micro.learning.tests.conftest import SAMPLE_ROOT, signed_in

pytestmark = pytest.mark.django_db

MODELS: list[Any] = [
    Cohort,
    Enrolment,
    CohortSession,
    Attempt,
    Answer,
    LessonProgress,
    ActivityProgress,
    Attendance,
    Submission,
    DiscussionThread,
    DiscussionPost,
]


def snapshot() -> dict[str, Any]:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


@pytest.fixture
def sample_course(db: None) -> None:
    """Only the sample course (other course packs in the tree are not this test's business)."""
    report = course_import(root=SAMPLE_ROOT, only="micro-sample")
    assert not report.errors, report.errors


@pytest.fixture
def loaded(sample_course: None, django_capture_on_commit_callbacks: Any) -> io.StringIO:
    out = io.StringIO()
    accounts_demo.load(out)
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(out)
    return out


def test_pilot_cohort_is_realistic(loaded: io.StringIO) -> None:
    from micro.accounts.models import User

    cohort = Cohort.objects.get(name=demo.COHORT_NAME)
    trainer = User.objects.get(email=demo.TRAINER)
    assert list(cohort.trainers.all()) == [trainer]
    assert cohort.course.slug == "micro-sample" and cohort.pre_test is not None and cohort.post_test is not None
    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("organisation")
    assert enrolments.count() == 20
    cities = {e.organisation.city for e in enrolments}
    assert cities == {"Rome", "Brussels", "Madrid", "Leipzig"}
    assert set(
        Organisation.objects.filter(pk__in=[e.organisation_id for e in enrolments]).values_list("slug", flat=True)
    ) <= {slug for slug, *_rest in accounts_demo.PARTNERS}
    kinds = set(cohort.sessions.values_list("kind", flat=True))
    assert kinds == {SessionKind.ONLINE, SessionKind.LIVE}
    assert cohort.sessions.exclude(link="").exists() and cohort.sessions.exclude(place="").exists()
    assert Attempt.objects.filter(activity=cohort.pre_test).count() == 18
    waiting = Submission.objects.get(status=SubmissionStatus.SUBMITTED)
    assert waiting.learner.email == "operator@demo.micro.example"
    thread = DiscussionThread.objects.get(cohort=cohort)
    assert thread.posts.count() == 3 and thread.post_count == 3
    # Only the two demo operators of accounts can sign in; the pilot operators have no password.
    pilots = User.objects.filter(email__startswith="pilot.")
    assert pilots.count() == 18 and not any(u.has_usable_password() for u in pilots)
    board = cohort_dashboard_for(trainer, cohort.pk)
    assert board.behind and board.stuck and board.idle and board.pending and board.items
    assert board.attendance and board.attendance[0].present > 15
    assert "pilot cohort created with 20 operators" in loaded.getvalue()


def test_loading_twice_changes_nothing(loaded: io.StringIO, django_capture_on_commit_callbacks: Any) -> None:
    before = snapshot()
    out = io.StringIO()
    accounts_demo.load(out)
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(out)
    assert snapshot() == before
    assert "kept with 20 operators (0 new quiz attempts" in out.getvalue()


def test_the_demo_trainer_sees_the_dashboard_and_the_demo_operator_the_thread(loaded: io.StringIO) -> None:
    from django.urls import reverse

    from micro.accounts.models import User

    cohort = Cohort.objects.get(name=demo.COHORT_NAME)
    trainer = User.objects.get(email=demo.TRAINER)
    operator = User.objects.get(email="operator@demo.micro.example")
    page = signed_in(trainer).get(reverse("learning:cohort_dashboard", args=[cohort.pk]))
    assert page.status_code == 200
    review = reverse("learning:review", args=[Submission.objects.get(status=SubmissionStatus.SUBMITTED).pk])
    assert review in page.content.decode()
    assert signed_in(trainer).get(review).status_code == 200  # same organisation: the link works
    thread = DiscussionThread.objects.get()
    html = signed_in(operator).get(reverse("learning:discussion_thread", args=[cohort.pk, thread.pk])).content.decode()
    assert demo.THREAD_TITLE in html
    counts = Enrolment.objects.filter(cohort=cohort).values("organisation__city").annotate(n=Count("pk"))
    assert all(row["n"] >= 4 for row in counts)


def test_the_loader_imports_the_sample_course_when_it_is_missing(db: None) -> None:
    out = io.StringIO()
    accounts_demo.load(out)
    demo.load(out)
    assert Cohort.objects.get(name=demo.COHORT_NAME).course.slug == "micro-sample"
    assert Enrolment.objects.count() == 20


def test_without_the_demo_trainer_nothing_is_created(sample_course: None) -> None:
    out = io.StringIO()
    demo.load(out)
    assert not Cohort.objects.exists()
    assert "no pilot cohort" in out.getvalue()
