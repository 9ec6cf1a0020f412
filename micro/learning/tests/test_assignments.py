"""Assignments: checked uploads, submission and resubmission, rubric reviews by the right trainers only."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from micro.accounts.models import User
from micro.core.models import AuditEvent
from micro.learning.models import (
    ActivityProgress,
    CompetenceScore,
    Review,
    Submission,
    SubmissionStatus,
)
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import World
from micro.learning.uploads import MAX_UPLOAD_BYTES, UploadError, check_upload, sniff

pytestmark = pytest.mark.django_db


# --- files -----------------------------------------------------------------------------------


def pdf_bytes(size: int = 200) -> bytes:
    body = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


def docx_bytes(*, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        main = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
        )
        archive.writestr(
            "[Content_Types].xml", f'<Types><Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("plan.pdf", pdf_bytes(), "pdf"),
        ("plan.DOCX", docx_bytes(), "docx"),
        ("plan.odt", odt_bytes(), "odt"),
        ("notes.txt", "Rata: 239,00 € – ok\n".encode(), "txt"),
        ("../../etc/passwd.txt", b"plain text", "txt"),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name: str, data: bytes, kind: str) -> None:
    checked = check_upload(SimpleUploadedFile(name, data))
    assert checked.kind == kind and checked.size == len(data)
    assert "/" not in checked.name and checked.name.endswith(f".{kind}")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("big.pdf", pdf_bytes(MAX_UPLOAD_BYTES + 1), "too_large"),
        ("fake.pdf", b"MZ\x90\x00 this is an exe", "unknown_type"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "extension_mismatch"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary", "unknown_type"),
        ("macro.docx", docx_bytes(macro=True), "unknown_type"),
        ("archive.docx", b"PK\x03\x04 not really a zip", "unknown_type"),
        ("renamed.txt", pdf_bytes(), "extension_mismatch"),
        ("renamed.pdf", docx_bytes(), "extension_mismatch"),
        ("script.exe", b"just text", "extension_mismatch"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "unknown_type"),
    ],
)
def test_refused_files(name: str, data: bytes, code: str) -> None:
    with pytest.raises(UploadError) as error:
        check_upload(SimpleUploadedFile(name, data))
    assert error.value.code == code


def test_sniffing_ignores_the_name() -> None:
    assert sniff(pdf_bytes()) == "pdf" and sniff(docx_bytes()) == "docx" and sniff(odt_bytes()) == "odt"
    assert sniff(b"\x00\x01\x02") is None


# --- submitting ------------------------------------------------------------------------------


def submit(client: Client, world: World, **data: object) -> object:
    return client.post(reverse("learning:activity", args=[world.assignment.pk]), data)


def test_text_submission_then_review_then_resubmission(operator: User, trainer: User, world: World) -> None:
    learner = signed_in(operator)
    response = submit(learner, world, text="My explanation: 239 a month <script>alert(1)</script>")
    assert getattr(response, "status_code", None) == 302
    submission = Submission.objects.get(learner=operator)
    assert (submission.number, submission.status) == (1, SubmissionStatus.SUBMITTED)
    page = learner.get(reverse("learning:activity", args=[world.assignment.pk])).text
    assert "waiting for your trainer" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # a second hand-in while the first waits is refused
    again = submit(learner, world, text="Another one")
    assert getattr(again, "status_code", None) == 400
    assert Submission.objects.filter(learner=operator).count() == 1

    reviewer = signed_in(trainer)
    assert submission.pk in [s.pk for s in reviewer.get(reverse("learning:reviews")).context["submissions"]]
    criteria = list(world.assignment.criteria.order_by("order"))
    levels = {c.key: {lvl.key: lvl.pk for lvl in c.levels.all()} for c in criteria}
    response = reviewer.post(
        reverse("learning:review", args=[submission.pk]),
        {
            f"level_{criteria[0].pk}": levels["numbers"]["ok"],
            f"level_{criteria[1].pk}": levels["clarity"]["strong"],
            f"comment_{criteria[0].pk}": "Check the total cost.",
            "comments": "Good start.",
            "decision": "returned",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(submission=submission)
    assert (review.points, review.max_points, review.percent) == (Decimal("3.00"), Decimal("4.00"), Decimal("75.00"))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert AuditEvent.objects.filter(action="learning.submission.review", object_id=str(submission.pk)).exists()
    scores = {s.competence.code: (s.points, s.max_points) for s in CompetenceScore.objects.filter(learner=operator)}
    assert scores == {"EF-1": (Decimal("1.00"), Decimal("2.00")), "IC-1": (Decimal("2.00"), Decimal("2.00"))}
    page = learner.get(reverse("learning:activity", args=[world.assignment.pk])).text
    assert "Check the total cost." in page and "Good start." in page and "Hand in a new version" in page

    response = submit(learner, world, file=SimpleUploadedFile("v2.pdf", pdf_bytes()))
    assert getattr(response, "status_code", None) == 302
    second = Submission.objects.get(learner=operator, number=2)
    assert second.file_type == "pdf" and second.file_name == "v2.pdf" and str(second.file.name).endswith(".pdf")
    assert "v2" not in str(second.file.name)  # stored under a random name
    download = learner.get(reverse("learning:submission_file", args=[second.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF-")

    reviewer.post(
        reverse("learning:review", args=[second.pk]),
        {
            f"level_{criteria[0].pk}": levels["numbers"]["strong"],
            f"level_{criteria[1].pk}": levels["clarity"]["strong"],
            "decision": "passed",
        },
    )
    second.refresh_from_db()
    assert second.status == SubmissionStatus.PASSED
    assert ActivityProgress.objects.get(learner=operator, activity=world.assignment).completed_at is not None
    assert CompetenceScore.objects.get(learner=operator, competence__code="EF-1").points == Decimal("2.00")
    assert getattr(submit(learner, world, text="More"), "status_code", None) == 400


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Write your answer or choose a file"),
        ({"text": "   "}, "Write your answer or choose a file"),
        ({"text": "x" * 20_001}, "at most 20000 characters"),
        ({"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}, "content does not match"),
        ({"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03")}, "not accepted"),
        ({"file": SimpleUploadedFile("big.pdf", pdf_bytes(MAX_UPLOAD_BYTES + 10))}, "larger than 5 MB"),
        ({"file": "just a string, not a file"}, "Write your answer or choose a file"),
    ],
)
def test_bad_submissions_get_a_message_and_change_nothing(
    operator: User, world: World, data: dict[str, object], message: str
) -> None:
    response = submit(signed_in(operator), world, **data)
    assert getattr(response, "status_code", None) == 400
    assert message in getattr(response, "text", "")
    assert not Submission.objects.exists()


def test_a_doubled_hand_in_is_applied_once(operator: User, world: World) -> None:
    client = signed_in(operator)
    submit(client, world, text="Once")
    submit(client, world, text="Once")
    assert Submission.objects.filter(learner=operator).count() == 1


# --- who may review --------------------------------------------------------------------------


@pytest.fixture
def waiting(operator: User, world: World) -> Submission:
    submit(signed_in(operator), world, text="Please review")
    return Submission.objects.get(learner=operator)


def review_data(world: World) -> dict[str, object]:
    data: dict[str, object] = {"decision": "passed"}
    for criterion in world.assignment.criteria.all():
        data[f"level_{criterion.pk}"] = criterion.levels.order_by("order").last().pk  # type: ignore[union-attr]
    return data


def test_trainers_review_only_learners_of_their_organisation(
    waiting: Submission, trainer: User, far_trainer: User, coordinator: User, other_operator: User, world: World
) -> None:
    far = signed_in(far_trainer)
    assert far.get(reverse("learning:reviews")).context["submissions"] == []
    assert far.get(reverse("learning:review", args=[waiting.pk])).status_code == 404
    assert far.post(reverse("learning:review", args=[waiting.pk]), review_data(world)).status_code == 404
    assert far.get(reverse("learning:submission_file", args=[waiting.pk])).status_code == 404
    colleague = signed_in(other_operator)
    assert colleague.get(reverse("learning:reviews")).status_code == 403
    assert colleague.get(reverse("learning:review", args=[waiting.pk])).status_code == 404
    assert not Review.objects.exists()
    # the coordinator sees every organisation's learners
    assert waiting in signed_in(coordinator).get(reverse("learning:reviews")).context["submissions"]
    # the trainer of the learner's organisation reviews
    local = signed_in(trainer)
    page = local.get(reverse("learning:review", args=[waiting.pk]))
    assert page.status_code == 200 and "Please review" in page.text
    assert AuditEvent.objects.filter(action="learning.submission.view", actor=trainer).exists()


def test_a_trainer_cannot_review_their_own_work(trainer: User, world: World) -> None:
    client = signed_in(trainer)
    submit(client, world, text="My own")
    mine = Submission.objects.get(learner=trainer)
    assert client.get(reverse("learning:review", args=[mine.pk])).status_code == 404
    assert mine not in client.get(reverse("learning:reviews")).context["submissions"]


def test_a_doubled_review_is_applied_once(waiting: Submission, trainer: User, coordinator: User, world: World) -> None:
    client = signed_in(trainer)
    assert client.post(reverse("learning:review", args=[waiting.pk]), review_data(world)).status_code == 302
    second = review_data(world) | {"decision": "returned"}
    assert client.post(reverse("learning:review", args=[waiting.pk]), second).status_code == 302
    assert signed_in(coordinator).post(reverse("learning:review", args=[waiting.pk]), second).status_code == 302
    assert Review.objects.count() == 1
    waiting.refresh_from_db()
    assert waiting.status == SubmissionStatus.PASSED


@pytest.mark.parametrize(
    "change",
    [
        {"decision": ""},
        {"decision": "approve-everything"},
        {"level": None},
        {"level": "not-a-number"},
        {"level": "other-criterion"},
        {"level": 99999},
        {"comments": "x" * 5001},
        {"comments": "<script>alert(1)</script>' OR 1=1 --", "ok": True},
    ],
)
def test_bad_review_input_gets_a_message_and_changes_nothing(
    waiting: Submission, trainer: User, world: World, change: dict[str, object]
) -> None:
    data = review_data(world)
    first, second = list(world.assignment.criteria.order_by("order"))
    key = f"level_{first.pk}"
    if "level" in change:
        level = change["level"]
        if level is None:
            data.pop(key)
        elif level == "other-criterion":
            data[key] = second.levels.first().pk  # type: ignore[union-attr]
        else:
            data[key] = level
    for name in ("decision", "comments"):
        if name in change:
            data[name] = change[name]
    response = signed_in(trainer).post(reverse("learning:review", args=[waiting.pk]), data)
    if change.get("ok"):
        assert response.status_code == 302
        review = Review.objects.get()
        assert review.comments.startswith("<script>")  # stored as typed …
        page = signed_in(waiting.learner).get(reverse("learning:activity", args=[world.assignment.pk])).text
        assert "<script>alert(1)</script>" not in page  # … and shown escaped
        return
    assert response.status_code == 400
    assert not Review.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == SubmissionStatus.SUBMITTED
