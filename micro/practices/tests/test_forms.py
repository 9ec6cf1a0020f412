"""Bad input on every form gets a clear message and changes nothing; a doubled submission is applied once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from micro.accounts.models import Organisation, User
from micro.practices.models import (
    Attachment,
    ContributionTarget,
    Indicator,
    Practice,
    Reuse,
    Review,
    ReviewerAssignment,
)
from micro.practices.tests import factories
from micro.practices.uploads import MAX_BYTES, UploadError, check_upload

pytestmark = pytest.mark.django_db


def _create_data(alpha: Organisation, **changes: Any) -> dict[str, Any]:
    return {
        **factories.TEXTS,
        "organisation": alpha.pk,
        "language": "fr",
        "country": "IT",
        "theme": "credit_access",
        "target_groups": ["women"],
        "legal_statuses": ["permit_holders"],
        **changes,
    }


# --- the practice form ----------------------------------------------------------------------------


def test_a_valid_practice_is_created_in_the_chosen_language(client: Client, author: User, alpha: Organisation) -> None:
    client.force_login(author)
    data = _create_data(
        alpha,
        title="Micro-crédit et mentorat",
        links="Rapport final | https://example.org/rapport.pdf\nhttps://example.org",
        competence_codes="ef-1, IC-2;IC-2",
        lesson_links="/en/learn/micro-sample/intercultural/first-meeting/",
        total_cost="1234.50",
        people_reached="40",
        started_on="2023-01-01",
        ended_on="2024-01-01",
    )
    response = client.post("/en/practices/new/", data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/practices/manage/{practice.pk}/"
    assert practice.original_language == "fr" and practice.translations["fr"]["title"] == "Micro-crédit et mentorat"
    assert practice.links == [
        {"title": "Rapport final", "url": "https://example.org/rapport.pdf"},
        {"title": "", "url": "https://example.org"},
    ]
    assert practice.competence_codes == ["EF-1", "IC-2"]
    assert practice.created_by == author and practice.status == "draft"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"title": ""}, "This field is required"),
        ({"title": "   "}, "This field is required"),
        ({"people_reached": "many"}, "Enter a whole number"),
        ({"people_reached": "-3"}, "greater than or equal to 0"),
        ({"total_cost": "abc"}, "Enter a number"),
        ({"total_cost": "1e400"}, "Enter a number"),
        ({"started_on": "yesterday"}, "Enter a valid date"),
        ({"started_on": "2024-05-01", "ended_on": "2024-01-01"}, "cannot be before"),
        ({"theme": "astrology"}, "Select a valid choice"),
        ({"country": "FR"}, "Select a valid choice"),
        ({"language": "xx"}, "Select a valid choice"),
        ({"target_groups": ["aliens"]}, "Select a valid choice"),
        ({"contact_email": "not-an-email"}, "Enter a valid email"),
        ({"links": "ftp://example.org/file"}, "web address"),
        ({"links": "javascript:alert(1)"}, "web address"),
        ({"competence_codes": "EF 1 <b>"}, "competence code"),
        ({"lesson_links": "//evil.example/x"}, "lesson"),
        ({"links": "\n".join(f"https://example.org/{n}" for n in range(25))}, "at most 20"),
    ],
)
def test_bad_practice_input_is_explained_and_saves_nothing(
    client: Client, author: User, alpha: Organisation, changes: dict[str, Any], field_message: str
) -> None:
    client.force_login(author)
    response = client.post("/en/practices/new/", _create_data(alpha, **changes))
    assert response.status_code == 200
    assert field_message in response.text
    assert 'role="alert"' in response.text
    assert not Practice.objects.exists()


def test_another_organisations_id_is_refused(
    client: Client, author: User, alpha: Organisation, beta: Organisation
) -> None:
    client.force_login(author)
    response = client.post("/en/practices/new/", _create_data(beta))
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Practice.objects.exists()


def test_a_doubled_create_is_applied_once(client: Client, author: User, alpha: Organisation) -> None:
    client.force_login(author)
    token = str(uuid.uuid4())
    first = client.post("/en/practices/new/", _create_data(alpha, token=token))
    second = client.post("/en/practices/new/", _create_data(alpha, token=token))
    assert Practice.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_malformed_token_is_refused(client: Client, author: User, alpha: Organisation) -> None:
    client.force_login(author)
    response = client.post("/en/practices/new/", _create_data(alpha, token="not-a-uuid"))
    assert response.status_code == 200 and not Practice.objects.exists()


def test_edit_keeps_the_original_on_bad_input(client: Client, author: User, alpha: Organisation) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(author)
    data = {**factories.TEXTS, "country": "IT", "theme": "credit_access", "people_reached": "lots"}
    response = client.post(f"/en/practices/manage/{practice.pk}/", data)
    assert response.status_code == 200 and "Enter a whole number" in response.text
    ok = client.post(f"/en/practices/manage/{practice.pk}/", {**data, "people_reached": "12", "title": "Renamed"})
    assert ok.status_code == 302
    practice.refresh_from_db()
    assert practice.people_reached == 12 and practice.translations["en"]["title"] == "Renamed"
    assert practice.slug == "peer-mentoring-for-first-time-borrowers"  # addresses never change


# --- translations ---------------------------------------------------------------------------------


def test_translation_form(client: Client, author: User, alpha: Organisation) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(author)
    assert client.get(f"/en/practices/manage/{practice.pk}/translations/xx/").status_code == 404
    assert client.get(f"/en/practices/manage/{practice.pk}/translations/en/").status_code == 404  # the original
    url = f"/en/practices/manage/{practice.pk}/translations/de/"
    assert client.post(url, {"summary": "Nur eine Zusammenfassung"}).status_code == 200  # no title
    assert client.post(url, {"title": "x" * 201}).status_code == 200
    assert "de" not in Practice.objects.get(pk=practice.pk).translations
    assert client.post(url, {"title": "Mentoring", "summary": "Kurz", "checked": "on"}).status_code == 302
    assert Practice.objects.get(pk=practice.pk).translations["de"] == {
        "title": "Mentoring",
        "summary": "Kurz",
        "status": "reviewed",
    }
    assert client.post(url, {}).status_code == 302  # everything empty: the translation is removed
    assert "de" not in Practice.objects.get(pk=practice.pk).translations


# --- indicators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required"),
        ({"label": "Loans", "value": "a lot", "measured_on": "2024-01-01"}, "Enter a number"),
        ({"label": "Loans", "value": "5", "measured_on": "2999-01-01"}, "future"),
        ({"label": "x" * 201, "value": "5", "measured_on": "2024-01-01"}, "at most 200"),
        ({"label": "Loans", "value": "1" * 20, "measured_on": "2024-01-01"}, "Enter a number between"),
    ],
)
def test_bad_indicators_are_refused(
    client: Client, author: User, alpha: Organisation, data: dict[str, str], message: str
) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(author)
    response = client.post(f"/en/practices/manage/{practice.pk}/indicators/", data)
    assert response.status_code == 400 and message in response.text
    assert not Indicator.objects.exists()


def test_indicator_doubled_once_localised_number_and_foreign_delete_ignored(
    client: Client, author: User, alpha: Organisation, beta_admin: User, beta: Organisation
) -> None:
    practice = factories.draft(author, alpha)
    other = factories.draft(beta_admin, beta, title="Other practice")
    client.force_login(beta_admin)
    foreign = client.post(
        f"/en/practices/manage/{other.pk}/indicators/", {"label": "x", "value": "1", "measured_on": "2024-01-01"}
    )
    assert foreign.status_code == 302
    client.force_login(author)
    data = {"label": "Prestiti", "value": "1.234,5", "measured_on": "2024-01-01", "token": str(uuid.uuid4())}
    client.post(f"/it/practices/manage/{practice.pk}/indicators/", data)
    client.post(f"/it/practices/manage/{practice.pk}/indicators/", data)
    indicator = Indicator.objects.get(practice=practice)
    assert str(indicator.value) == "1234.50"
    # Deleting another practice's indicator through this practice does nothing.
    foreign_indicator = Indicator.objects.get(practice=other)
    client.post(f"/en/practices/manage/{practice.pk}/indicators/{foreign_indicator.pk}/delete/")
    assert Indicator.objects.filter(pk=foreign_indicator.pk).exists()


# --- attachments ----------------------------------------------------------------------------------


def test_every_accepted_type_is_sniffed(sample_files: dict[str, bytes]) -> None:
    kinds = {name: check_upload(SimpleUploadedFile(name, data)).kind for name, data in sample_files.items()}
    assert kinds == {
        "report.pdf": "pdf",
        "photo.png": "png",
        "photo.jpg": "jpeg",
        "notes.docx": "docx",
        "notes.odt": "odt",
    }


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "unknown_type"),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "unknown_type"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "unknown_type"),
        ("macro.docx", None, "unknown_type"),
        ("archive.pdf", None, "unknown_type"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name: str, data: bytes | None, code: str) -> None:
    from micro.practices.tests.conftest import _zip

    if name == "macro.docx":
        data = _zip(
            [("[Content_Types].xml", b"wordprocessingml.document.main+xml macroEnabled"), ("word/document.xml", b"")]
        )
    if name == "archive.pdf":
        data = _zip([("a.txt", b"hello")])
    with pytest.raises(UploadError) as caught:
        check_upload(SimpleUploadedFile(name, data or b""))
    assert caught.value.code == code


def test_extension_must_match_content_and_size_is_capped(sample_files: dict[str, bytes]) -> None:
    with pytest.raises(UploadError) as caught:
        check_upload(SimpleUploadedFile("photo.pdf", sample_files["photo.png"]))
    assert caught.value.code == "extension_mismatch"
    with pytest.raises(UploadError) as caught:
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_BYTES))
    assert caught.value.code == "too_large"


def test_upload_form_messages_and_doubled_upload(
    client: Client, author: User, alpha: Organisation, sample_files: dict[str, bytes]
) -> None:
    practice = factories.draft(author, alpha)
    client.force_login(author)
    url = f"/en/practices/manage/{practice.pk}/files/"
    bad = client.post(url, {"file": SimpleUploadedFile("page.pdf", b"<html></html>")})
    assert bad.status_code == 400 and "Only PDF" in bad.text
    mismatch = client.post(url, {"file": SimpleUploadedFile("photo.pdf", sample_files["photo.png"])})
    assert mismatch.status_code == 400 and "does not match" in mismatch.text
    missing = client.post(url, {})
    assert missing.status_code == 400 and "This field is required" in missing.text
    for _ in range(2):
        ok = client.post(
            url, {"file": SimpleUploadedFile("../../etc/report.pdf", sample_files["report.pdf"]), "title": "Report"}
        )
        assert ok.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "report.pdf" and "etc" not in str(attachment.file.name)
    image = client.post(url, {"file": SimpleUploadedFile("photo.jpg", sample_files["photo.jpg"])})
    assert image.status_code == 302
    shown = client.get(f"/en/practices/files/{Attachment.objects.get(kind='jpeg').pk}/")
    assert shown["Content-Type"] == "image/jpeg" and "inline" in shown["Content-Disposition"]


# --- reviews, experts, targets, reuse -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required"),
        ({**factories.SCORES, "relevance": "6", "decision": "publish"}, "Select a valid choice"),
        ({**factories.SCORES, "clarity": "abc", "decision": "publish"}, "Select a valid choice"),
        ({**factories.SCORES, "decision": "burn"}, "Select a valid choice"),
        ({**factories.SCORES, "decision": "return", "comment": ""}, "Tell the authors what to change"),
        ({**factories.SCORES, "decision": "publish", "comment": "x" * 10_001}, "at most 10000"),
    ],
)
def test_bad_reviews_are_refused(
    client: Client, author: User, alpha: Organisation, coordinator: User, data: dict[str, Any], message: str
) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    response = client.post(f"/en/practices/manage/{practice.pk}/review/", data)
    assert response.status_code == 200 and message in response.text
    assert not Review.objects.exists()
    assert Practice.objects.get(pk=practice.pk).status == "submitted"


@pytest.mark.parametrize("email", ["", "nobody@example.org", "not an email", "x" * 300 + "@example.org"])
def test_bad_expert_emails_are_refused(
    client: Client, author: User, alpha: Organisation, coordinator: User, email: str
) -> None:
    practice = factories.submitted(author, alpha)
    client.force_login(coordinator)
    response = client.post(f"/en/practices/manage/{practice.pk}/reviewers/", {"email": email})
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert not ReviewerAssignment.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"target": ""},
        {"target": "0"},
        {"target": "101"},
        {"target": "five"},
        {"due_on": "soon"},
        {"organisation": "999999"},
    ],
)
def test_bad_targets_are_refused(
    client: Client, coordinator: User, beta: Organisation, changes: dict[str, str]
) -> None:
    client.force_login(coordinator)
    data = {"organisation": str(beta.pk), "target": "4", "due_on": "2030-06-30", **changes}
    response = client.post("/en/practices/board/", data)
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert not ContributionTarget.objects.exists()


def test_a_target_set_twice_is_one_target(client: Client, coordinator: User, beta: Organisation) -> None:
    client.force_login(coordinator)
    for target in ("4", "4", "6"):
        client.post("/en/practices/board/", {"organisation": beta.pk, "target": target, "due_on": "2030-06-30"})
    assert list(ContributionTarget.objects.values_list("target", flat=True)) == [6]


def _reuse_data(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "adopted_on": "2025-03-01",
        "adaptation": "Shorter sessions.",
        "outcome": "",
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"adaptation": ""},
        {"adopted_on": ""},
        {"adopted_on": "2999-01-01"},
        {"adopted_on": "01/02/yesterday"},
        {"people_reached": "-1"},
        {"adaptation": "x" * 5001},
    ],
)
def test_bad_reuse_input_is_refused(
    client: Client,
    author: User,
    alpha: Organisation,
    coordinator: User,
    beta_admin: User,
    beta: Organisation,
    changes: dict[str, Any],
) -> None:
    practice = factories.published(author, alpha, coordinator)
    client.force_login(beta_admin)
    response = client.post(f"/en/practices/{practice.slug}/adopted/", _reuse_data(beta, **changes))
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert not Reuse.objects.exists()


def test_reuse_for_another_or_the_authors_organisation_is_refused(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, lead: Organisation
) -> None:
    practice = factories.published(author, alpha, coordinator)
    client.force_login(beta_admin)
    for organisation in (lead, alpha):
        response = client.post(f"/en/practices/{practice.slug}/adopted/", _reuse_data(organisation))
        assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Reuse.objects.exists()


def test_doubled_reuse_is_recorded_once(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, beta: Organisation
) -> None:
    practice = factories.published(author, alpha, coordinator)
    client.force_login(beta_admin)
    data = _reuse_data(beta, token=str(uuid.uuid4()))
    assert client.post(f"/fr/practices/{practice.slug}/adopted/", data).status_code == 302
    assert client.post(f"/fr/practices/{practice.slug}/adopted/", data).status_code == 302
    reuse = Reuse.objects.get()
    assert reuse.original_language == "fr" and reuse.recorded_by == beta_admin


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 500},
        {"country": "ZZ"},
        {"theme": ["<script>", "credit_access"]},
        {"page": "abc"},
        {"page": "-4"},
        {"page": "99999999999999999999"},
        {"q": "' OR 1=1 --"},
        {"q": "a & b | !c :* ()"},
        {"q": "\x00"},
    ],
)
def test_odd_search_input_never_fails(
    client: Client, author: User, alpha: Organisation, coordinator: User, params: dict[str, Any]
) -> None:
    factories.published(author, alpha, coordinator)
    response = client.get("/en/practices/", params)
    assert response.status_code == 200
    assert client.get("/api/practices/", {k: v for k, v in params.items() if k != "page"}).status_code in (200, 422)
    assert client.get("/en/practices/export.csv", params).status_code == 200


def test_reuse_edit_only_by_its_organisation(
    client: Client, author: User, alpha: Organisation, coordinator: User, beta_admin: User, beta: Organisation
) -> None:
    practice = factories.published(author, alpha, coordinator)
    client.force_login(beta_admin)
    client.post(f"/en/practices/{practice.slug}/adopted/", _reuse_data(beta))
    reuse = Reuse.objects.get()
    client.force_login(author)
    assert client.get(f"/en/practices/reuse/{reuse.pk}/").status_code == 404
    client.force_login(beta_admin)
    bad = client.post(f"/en/practices/reuse/{reuse.pk}/", {"adopted_on": "2025-03-01", "adaptation": ""})
    assert bad.status_code == 200
    good = client.post(
        f"/en/practices/reuse/{reuse.pk}/",
        {
            "adopted_on": "2025-03-01",
            "adaptation": "Shorter sessions.",
            "outcome": "Six loans.",
            "people_reached": "30",
        },
    )
    assert good.status_code == 302
    reuse.refresh_from_db()
    assert reuse.translations["en"]["outcome"] == "Six loans." and reuse.people_reached == 30
    assert reuse.adopted_on - timedelta(days=0) == reuse.adopted_on
