"""Certificates: completion rules, idempotent issue, the signed Open Badges 3.0 credential, the PDF
read back with pypdf, the public verification page and its credential check (tampered files
rejected field by field), revocation, the admin, bad input on every form, and query counts."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import json
import os
import stat
import statistics
import time
import unicodedata
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import UserFactory, member
from micro.core.models import AuditEvent
from micro.learning import certificates_signing as signing
from micro.learning import services
from micro.learning.certificate_pdf import render_certificate_pdf
from micro.learning.models import Activity, ActivityKind, Attempt, AttemptStatus, Cohort, Course
from micro.learning.models.certificates import Certificate
from micro.learning.scoring import Tally
from micro.learning.selectors import certificates as certificate_selectors
from micro.learning.services import certificates as certificate_services
from micro.learning.tests.conftest import signed_in
from micro.learning.tests.factories import CourseFactory, LessonFactory, ModuleFactory, World, texts

pytestmark = pytest.mark.django_db

SITE = "https://micro.example.org"
HOSTILE = ["<script>alert(1)</script>", "'; DROP TABLE learning_certificate; --", "{{ 7*7 }}", "\u202e\u0000x"]


@pytest.fixture(autouse=True)
def _signing_key_and_site(settings: Any, tmp_path: Path) -> None:
    """A key of this test's own (generated on first use) and a fixed public address."""
    settings.CERTIFICATE_SIGNING_KEY_PATH = str(tmp_path / "keys" / "certificate.pem")
    settings.CERTIFICATE_SIGNING_KEY_GENERATE = True
    settings.SITE_URL = SITE


def complete(world: World, learner: User) -> None:
    """Read every lesson and pass every activity, through the progress services.

    In one transaction, as the services' callers do (their row locks need one on PostgreSQL,
    also in the live-server tests that run without the test case's wrapping transaction)."""
    with transaction.atomic():
        for lesson in (world.lesson, world.scenario_lesson, world.assignment_lesson):
            services.lesson_mark_read(lesson=lesson, learner=learner)
        for activity, code in ((world.quiz, "EF-1"), (world.scenario, "IC-1"), (world.assignment, "EF-1")):
            tally = Tally(points={code: Decimal(3)}, max_points={code: Decimal(4)})
            services.activity_result_record(
                activity=activity, learner=learner, result_percent=Decimal(75), completed=True, tally=tally
            )


def issue(world: World, learner: User, **kwargs: Any) -> Certificate:
    certificate, _created = certificate_services.certificate_issue(
        learner=learner, course=world.course, issued_by=learner, **kwargs
    )
    return certificate


def verify_url(certificate: Certificate | uuid.UUID) -> str:
    public_id = certificate.public_id if isinstance(certificate, Certificate) else certificate
    return reverse("learning:certificate_verify", kwargs={"public_id": public_id})


def claim(client: Client, course: Course, cohort: Cohort | None = None) -> Any:
    data = {"course": course.pk, **({"cohort": cohort.pk} if cohort else {})}
    return client.post(reverse("learning:certificate_claim"), data, follow=True)


def status_text(page: str) -> str:
    start = page.index('role="status"')
    return html.unescape(page[start : page.index("</p>", start)])


@pytest.fixture
def post_test(db: None) -> Activity:
    """A post-test that lives outside the certified course (so it is not one of its lessons)."""
    lesson = LessonFactory.create(module=ModuleFactory.create(course=CourseFactory.create(is_published=False)))
    return Activity.objects.create(lesson=lesson, slug="post", kind=ActivityKind.QUIZ, translations=texts(title="Post"))


@pytest.fixture
def cohort(world: World, trainer: User, operator: User, organisation: Organisation, post_test: Activity) -> Cohort:
    cohort = Cohort.objects.create(
        course=world.course,
        name="Pilot",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 1),
        post_test=post_test,
    )
    cohort.trainers.add(trainer)
    services.enrolment_add(cohort=cohort, learner=operator, organisation=organisation)
    return cohort


def finish_post_test(post_test: Activity, learner: User) -> None:
    Attempt.objects.create(
        activity=post_test, learner=learner, number=1, seed=1, status=AttemptStatus.SUBMITTED, percent=Decimal(40)
    )


# --- signing ---------------------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8_and_refuses_floats() -> None:
    assert (
        signing.canonical_json({"b": [1, {"d": "é", "c": True}], "a": None})
        == '{"a":null,"b":[1,{"c":true,"d":"é"}]}'.encode()
    )
    for unsigned in ({"a": 1.5}, {"a": [2**60]}, {"\U0001f600": 1}):
        with pytest.raises(signing.SignatureError):
            signing.canonical_json(unsigned)


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\1", b"hello world", bytes(range(40))])
def test_base58_round_trips_with_leading_zeros(data: bytes) -> None:
    assert signing.base58btc_decode(signing.base58btc_encode(data)) == data


def test_key_is_generated_once_private_to_its_owner_and_published_as_a_multikey(settings: Any) -> None:
    key = signing.signing_key()
    path = Path(settings.CERTIFICATE_SIGNING_KEY_PATH)
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert key.public_multibase.startswith("z6Mk")  # Ed25519 multikeys always start so
    signing._load_key.cache_clear()
    assert signing.signing_key().public_multibase == key.public_multibase
    assert signing.public_key_multibase(signing.public_key_from_multibase(key.public_multibase)) == key.public_multibase


def test_production_never_generates_a_key_and_says_what_to_do(settings: Any, tmp_path: Path) -> None:
    settings.CERTIFICATE_SIGNING_KEY_PATH = str(tmp_path / "missing.pem")
    settings.CERTIFICATE_SIGNING_KEY_GENERATE = False
    with pytest.raises(ImproperlyConfigured, match=r"does not exist.*administrator-guide"):
        signing.signing_key()
    assert not (tmp_path / "missing.pem").exists()


def test_a_key_that_is_not_ed25519_is_refused(settings: Any, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.CERTIFICATE_SIGNING_KEY_PATH = str(path)
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519 key"):
        signing.signing_key()
    path.write_text("not a key")
    signing._load_key.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="not an unencrypted PEM key"):
        signing.signing_key()


def test_sign_then_verify_and_any_change_breaks_it() -> None:
    method = "https://example.org/key"
    signed = signing.sign({"@context": ["x"], "a": "b"}, verification_method=method, created="2026-01-01T00:00:00Z")
    keys = {method: signing.signing_key().private.public_key()}
    assert signing.verify(signed, keys)["cryptosuite"] == "eddsa-jcs-2022"
    changed = {**signed, "a": "c"}
    with pytest.raises(signing.SignatureError) as error:
        signing.verify(changed, keys)
    assert error.value.code == "signature"


# --- completion rules and issue ----------------------------------------------------------------


def test_an_unfinished_course_offers_no_certificate_and_says_what_is_left(
    world: World, operator: User, operator_client: Client
) -> None:
    services.lesson_mark_read(lesson=world.lesson, learner=operator)
    page = operator_client.get(reverse("learning:progress")).text
    assert "Get my certificate" not in page

    response = claim(operator_client, world.course)

    assert "3 lessons are still to be completed" in response.text
    assert not Certificate.objects.exists()


def test_a_tried_but_failed_activity_does_not_complete_the_course(world: World, operator: User) -> None:
    complete(world, operator)
    world.quiz.progress.filter(learner=operator).update(completed_at=None, best_percent=Decimal(10))
    completion = certificate_selectors.completion_for(operator, world.course, None)
    assert completion.lessons_left == 1 and not completion.complete
    with pytest.raises(ValidationError, match="1 lesson is still"):
        issue(world, operator)


def test_a_new_activity_added_after_completion_must_be_passed_too(world: World, operator: User) -> None:
    complete(world, operator)
    Activity.objects.create(lesson=world.lesson, slug="extra", kind=ActivityKind.QUIZ, translations=texts(title="x"))
    assert not certificate_selectors.completion_for(operator, world.course, None).complete


def test_completing_offers_the_certificate_and_a_doubled_claim_gives_the_same_one(
    world: World, operator: User, operator_client: Client
) -> None:
    complete(world, operator)
    page = operator_client.get(reverse("learning:progress")).text
    assert "Get my certificate" in page

    first = claim(operator_client, world.course)
    second = claim(operator_client, world.course)

    assert "Your certificate is ready." in first.text
    assert "You already have this certificate." in second.text
    certificate = Certificate.objects.get()
    assert (certificate.learner, certificate.course, certificate.cohort) == (operator, world.course, None)
    assert certificate.holder_name == operator.full_name
    assert certificate.minutes == 30
    assert AuditEvent.objects.filter(action="learning.certificate_issue", object_id=str(certificate.pk)).count() == 1
    page = operator_client.get(reverse("learning:progress")).text
    assert "Get my certificate" not in page
    assert reverse("learning:certificate_pdf", kwargs={"public_id": certificate.public_id}) in page
    assert reverse("learning:certificate_credential", kwargs={"public_id": certificate.public_id}) in page
    assert verify_url(certificate) in page


def test_the_certificate_is_issued_in_the_language_the_learner_uses(world: World, operator: User) -> None:
    world.course.translations["it"] = {"title": "Corso di prova", "summary": "Un corso.", "status": "reviewed"}
    world.course.save()
    complete(world, operator)
    client = signed_in(operator)
    client.post("/it/learn/certificates/claim/", {"course": world.course.pk})
    certificate = Certificate.objects.get()
    assert certificate.language == "it"
    assert certificate.credential["name"] == "Corso di prova"
    assert certificate.credential["credentialSubject"]["achievement"]["inLanguage"] == "it"


def test_a_cohort_learner_also_needs_the_post_test(
    world: World, operator: User, cohort: Cohort, post_test: Activity, operator_client: Client
) -> None:
    complete(world, operator)
    page = operator_client.get(reverse("learning:progress")).text
    assert "post-test is still to be taken" in page and "Get my certificate" not in page
    assert "post-test is still to be done" in claim(operator_client, world.course, cohort).text

    finish_post_test(post_test, operator)
    assert "Get my certificate" in operator_client.get(reverse("learning:progress")).text
    claim(operator_client, world.course, cohort)

    certificate = Certificate.objects.get()
    assert certificate.cohort == cohort
    assert "Pilot" in certificate.credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    # A cohort learner earns it through the cohort, not the bare course.
    with pytest.raises(Http404):
        certificate_selectors.completion_for(operator, world.course, None)


def test_without_a_full_name_the_learner_is_asked_to_add_it(
    world: World, operator: User, operator_client: Client
) -> None:
    operator.full_name = "  "
    operator.save()
    complete(world, operator)
    assert "Add your full name to your profile first" in claim(operator_client, world.course).text
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"course": ""},
        {"course": "abc"},
        {"course": "9" * 400},
        {"course": "-1"},
        {"course": HOSTILE[0]},
        {"course": HOSTILE[1]},
        {"course": "1", "cohort": "x"},
        {"course": ["1", "2"]},
    ],
)
def test_claim_with_bad_input_changes_nothing(world: World, operator: User, operator_client: Client, data: Any) -> None:
    complete(world, operator)
    response = operator_client.post(reverse("learning:certificate_claim"), data, follow=True)
    assert response.status_code in {200, 404}
    assert not Certificate.objects.exists()


def test_claim_for_another_cohort_or_an_unseen_course_is_a_404(
    world: World, operator: User, other_operator: User, organisation: Organisation, operator_client: Client
) -> None:
    complete(world, operator)
    other = Cohort.objects.create(
        course=world.course, name="Other", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1)
    )
    services.enrolment_add(cohort=other, learner=other_operator, organisation=organisation)
    hidden = CourseFactory.create(is_published=False)
    foreign_course_cohort = Cohort.objects.create(
        course=hidden, name="Hidden", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1)
    )
    assert claim(operator_client, world.course, other).status_code == 404
    assert claim(operator_client, hidden).status_code == 404
    assert (
        operator_client.post(
            reverse("learning:certificate_claim"), {"course": world.course.pk, "cohort": foreign_course_cohort.pk}
        ).status_code
        == 404
    )
    assert not Certificate.objects.exists()


def test_claim_needs_a_signed_in_learner_and_a_post(world: World, operator_client: Client) -> None:
    url = reverse("learning:certificate_claim")
    assert Client().post(url, {"course": world.course.pk}).status_code == 302
    assert operator_client.get(url).status_code == 405


def test_nobody_issues_for_someone_else_except_coordinators_and_the_cohorts_trainers(
    world: World,
    operator: User,
    other_operator: User,
    coordinator: User,
    trainer: User,
    far_trainer: User,
    cohort: Cohort,
    post_test: Activity,
) -> None:
    complete(world, operator)
    finish_post_test(post_test, operator)
    for outsider in (other_operator, far_trainer):
        with pytest.raises(ValidationError, match="may not issue"):
            certificate_services.certificate_issue(
                learner=operator, course=world.course, cohort=cohort, issued_by=outsider
            )
    certificate, created = certificate_services.certificate_issue(
        learner=operator, course=world.course, cohort=cohort, issued_by=trainer
    )
    assert created and certificate.issued_by == trainer
    again, created = certificate_services.certificate_issue(
        learner=operator, course=world.course, cohort=cohort, issued_by=coordinator
    )
    assert again == certificate and not created


# --- the credential ------------------------------------------------------------------------------


def test_the_credential_is_an_open_badges_3_credential_signed_with_the_published_key(
    world: World, operator: User, client: Client
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    credential = certificate.credential

    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["id"] == f"urn:uuid:{certificate.public_id}"
    assert credential["issuer"]["id"] == f"{SITE}/en/learn/certificates/issuer/"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": operator.full_name}
    ]
    assert operator.email not in json.dumps(credential) and "emailAddress" not in json.dumps(credential)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["issuer"]["type"] == ["Profile"] and credential["issuer"]["name"]
    assert credential["name"] == "Course test-course"
    assert dt.datetime.fromisoformat(credential["validFrom"]).tzinfo is not None
    assert credential["validFrom"].endswith("Z")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"] == f"{SITE}/en/learn/certificates/achievements/test-course/"
    assert credential["credentialStatus"] == {
        "id": f"{SITE}/en/learn/certificates/revocations/",
        "type": "1EdTechRevocationList",
    }
    assert achievement["name"] == "Course test-course"
    assert achievement["description"]
    assert achievement["criteria"]["narrative"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert all(a["type"] == ["Alignment"] and a["targetName"] for a in achievement["alignment"])
    assert [a["targetCode"] for a in achievement["alignment"]] == ["EF-1", "IC-1"]
    assert all(
        a["targetUrl"].startswith(f"{SITE}/en/learn/certificates/competences/#") for a in achievement["alignment"]
    )
    proof = credential["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-jcs-2022",
        "assertionMethod",
    )
    assert proof["verificationMethod"] == f"{SITE}/en/learn/certificates/issuer/key/"
    assert proof["created"] == credential["validFrom"]
    assert proof["proofValue"].startswith("z") and len(signing.multibase_decode(proof["proofValue"])) == 64
    assert "@context" not in proof

    profile = client.get(reverse("learning:issuer_profile")).json()
    key = client.get(reverse("learning:issuer_key")).json()
    assert profile["verificationMethod"][0]["publicKeyMultibase"] == key["publicKeyMultibase"]
    assert key["type"] == "Multikey" and key["id"] == proof["verificationMethod"]
    public_key = signing.public_key_from_multibase(key["publicKeyMultibase"])
    assert signing.verify(credential, {key["id"]: public_key})

    download = client.get(reverse("learning:certificate_credential", kwargs={"public_id": certificate.public_id}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json"
    assert json.loads(download.content) == credential


def test_a_verifier_checks_the_credential_over_http_with_only_the_published_key(
    live_server: Any, settings: Any, world: World, operator: User
) -> None:
    """Independent check: fetch the credential and the key from a real server, hash and verify by hand."""
    import hashlib

    settings.SITE_URL = live_server.url
    complete(world, operator)
    certificate = issue(world, operator)
    credential_url = live_server.url + reverse(
        "learning:certificate_credential", kwargs={"public_id": certificate.public_id}
    )
    with urllib.request.urlopen(credential_url, timeout=10) as response:  # noqa: S310 - local test server
        credential = json.loads(response.read())
    with urllib.request.urlopen(credential["proof"]["verificationMethod"], timeout=10) as response:  # noqa: S310
        key = json.loads(response.read())
    raw = signing.base58btc_decode(key["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public_key = Ed25519PublicKey.from_public_bytes(raw[2:])
    proof = dict(credential.pop("proof"))
    signature = signing.base58btc_decode(proof.pop("proofValue")[1:])
    proof["@context"] = credential["@context"]

    def jcs(value: Any) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    public_key.verify(signature, hashlib.sha256(jcs(proof)).digest() + hashlib.sha256(jcs(credential)).digest())


# --- the public verification page ----------------------------------------------------------------


def test_the_verification_page_confirms_a_valid_certificate_without_login(world: World, operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    anonymous = Client()

    response = anonymous.get(verify_url(certificate))

    assert response.status_code == 200
    assert "Valid:" in status_text(response.text)
    for text in (operator.full_name, "Course test-course", "M.I.C.R.O. project", str(certificate.public_id)):
        assert text in response.text, text
    assert operator.email not in response.text
    assert "certificate.pdf" not in response.text
    assert "Credential (JSON)" in response.text and ">Check</button>" in response.text
    holder_page = signed_in(operator).get(verify_url(certificate)).text
    assert reverse("learning:certificate_pdf", kwargs={"public_id": certificate.public_id}) in holder_page


def test_an_unknown_certificate_is_said_to_be_unknown(client: Client) -> None:
    response = client.get(verify_url(uuid.uuid4()))
    assert response.status_code == 404
    assert "Unknown:" in status_text(response.text)
    assert client.get("/en/learn/certificates/not-a-uuid/").status_code == 404
    assert client.get(reverse("learning:certificate_credential", kwargs={"public_id": uuid.uuid4()})).status_code == 404


def post_check(client: Client, url: str, text: str) -> str:
    response = client.post(url, {"credential": text})
    assert response.status_code in {200, 404}
    return status_text(response.text)


def tampered(credential: dict[str, Any], change: str) -> dict[str, Any]:
    doc = copy.deepcopy(credential)
    subject = doc["credentialSubject"]
    if change == "holder name":
        subject["identifier"][0]["identityHash"] = "Someone Else"
    elif change == "course name":
        subject["achievement"]["name"] = "Advanced finance"
    elif change == "date":
        doc["validFrom"] = "2020-01-01T00:00:00Z"
    elif change == "issuer name":
        doc["issuer"]["name"] = "Another issuer"
    elif change == "competence removed":
        subject["achievement"]["alignment"].pop()
    elif change == "extra field":
        doc["validUntil"] = "2099-01-01T00:00:00Z"
    elif change == "proof date":
        doc["proof"]["created"] = "2020-01-01T00:00:00Z"
    elif change == "proof value":
        value = doc["proof"]["proofValue"]
        doc["proof"]["proofValue"] = value[:-2] + ("2" if value[-2] != "2" else "3") + value[-1]
    return doc


@pytest.mark.parametrize(
    "change",
    [
        "holder name",
        "course name",
        "date",
        "issuer name",
        "competence removed",
        "extra field",
        "proof date",
        "proof value",
    ],
)
def test_a_tampered_credential_is_rejected_because_the_signature_no_longer_matches(
    world: World, operator: User, change: str
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    message = post_check(Client(), verify_url(certificate), json.dumps(tampered(certificate.credential, change)))
    assert "Rejected:" in message
    assert "The signature does not match: the file was changed after it was issued." in message


def test_the_genuine_credential_passes_the_check_pasted_or_uploaded_and_twice(world: World, operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = Client()
    text = json.dumps(certificate.credential, indent=2)
    for _ in range(2):  # a doubled submission gives the same answer and changes nothing
        assert "Genuine:" in post_check(client, verify_url(certificate), text)
    upload = SimpleUploadedFile("certificate.json", text.encode(), content_type="application/json")
    response = client.post(reverse("learning:certificate_check"), {"credential_file": upload})
    assert "Genuine:" in status_text(response.text)
    assert Certificate.objects.get().revoked_at is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("cryptosuite", "not of the kind this platform makes"),
        ("method", "not signed with this platform's key"),
        ("method-object", "not signed with this platform's key"),
        ("no proof", "no valid proof"),
        ("proof value garbage", "damaged and cannot be read"),
        ("float", "decimals or very large numbers"),
        ("huge integer", "decimals or very large numbers"),
        ("other id", "differs from the certificate on record"),
    ],
)
def test_each_rejection_says_exactly_why(world: World, operator: User, change: str, expected: str) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    doc = copy.deepcopy(certificate.credential)
    if change == "cryptosuite":
        doc["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    elif change == "method":
        doc["proof"]["verificationMethod"] = "https://evil.example/key"
    elif change == "method-object":
        doc["proof"]["verificationMethod"] = {"id": "x"}
    elif change == "no proof":
        del doc["proof"]
    elif change == "proof value garbage":
        doc["proof"]["proofValue"] = "z0OIl"
    elif change == "float":
        doc["credentialSubject"]["score"] = 1.5
    elif change == "huge integer":
        doc["credentialSubject"]["score"] = 2**64
    elif change == "other id":
        # Re-signed by us (a genuine signature) but not what we stored under that id.
        doc = {name: value for name, value in doc.items() if name != "proof"}
        doc["name"] = "Renamed"
        doc = signing.sign(doc, verification_method=doc["issuer"]["id"] + "key/", created="2026-01-01T00:00:00Z")
    assert expected in post_check(Client(), verify_url(certificate), json.dumps(doc))


def test_a_credential_signed_by_us_for_no_stored_certificate_is_rejected(world: World, operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    credential = certificate.credential
    certificate.delete()
    message = post_check(Client(), reverse("learning:certificate_check"), json.dumps(credential))
    assert "no certificate with this identifier was issued here" in message


def test_a_credential_signed_with_another_key_is_rejected(
    world: World, operator: User, settings: Any, tmp_path: Path
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    forged_key = tmp_path / "forger.pem"
    forged_key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    real = settings.CERTIFICATE_SIGNING_KEY_PATH
    settings.CERTIFICATE_SIGNING_KEY_PATH = str(forged_key)
    forged = signing.sign(
        certificate.credential,
        verification_method=certificate.credential["proof"]["verificationMethod"],
        created="2026-01-01T00:00:00Z",
    )
    settings.CERTIFICATE_SIGNING_KEY_PATH = real
    assert "The signature does not match" in post_check(Client(), verify_url(certificate), json.dumps(forged))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Paste the credential (JSON) or choose its file."),
        ("   \n ", "Paste the credential (JSON) or choose its file."),
        ("{not json", "not a JSON file"),
        ("[1, 2, 3]", "not a credential"),
        ("42", "not a credential"),
        ('"a string"', "not a credential"),
        ('{"proof": NaN}', "not a JSON file"),
        ("[" * 100_000 + "]" * 100_000, "too large"),
        ("[" * 20_000 + "]" * 20_000, "not a"),
        (HOSTILE[0], "not a JSON file"),
        (HOSTILE[1], "not a JSON file"),
        ('{"proof": {"type": "<script>alert(1)</script>"}}', "not of the kind"),
    ],
)
def test_the_check_form_answers_bad_input_clearly(client: Client, text: str, expected: str) -> None:
    response = client.post(reverse("learning:certificate_check"), {"credential": text})
    assert response.status_code == 200
    assert expected in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_a_huge_or_odd_upload_is_refused(client: Client) -> None:
    huge = SimpleUploadedFile("big.json", b" " * 70_000 + b"{}", content_type="application/json")
    assert "too large" in client.post(reverse("learning:certificate_check"), {"credential_file": huge}).text
    for data in (b"\x89PNG\r\n\x1a\n\0\0", b"\xff\xfe{}", b'{"a": "\xed\xa0\x80"}'):
        odd = SimpleUploadedFile("x.json", data, content_type="image/png")
        assert "not a JSON file" in client.post(reverse("learning:certificate_check"), {"credential_file": odd}).text


# --- hostile credential files (review) -----------------------------------------------------------


def _with(credential: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(credential)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


WRONG_TYPES = [None, 42, True, [], ["x"], {}, {"id": "x"}, "", "\u202e"]
CHECKED_FIELDS = [
    ("proof",),
    ("proof", "type"),
    ("proof", "cryptosuite"),
    ("proof", "proofPurpose"),
    ("proof", "created"),
    ("proof", "verificationMethod"),
    ("proof", "proofValue"),
    ("proof", "@context"),
    ("id",),
    ("@context",),
    ("issuer",),
    ("credentialSubject",),
]


@pytest.mark.parametrize("path", CHECKED_FIELDS, ids=lambda path: ".".join(path))
def test_a_wrong_type_in_any_field_is_rejected_clearly_never_a_crash(
    world: World, operator: User, path: tuple[str, ...]
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = Client(raise_request_exception=True)
    for value in WRONG_TYPES:
        message = post_check(client, verify_url(certificate), json.dumps(_with(certificate.credential, path, value)))
        assert "<strong>Rejected:</strong>" in message, (path, value, message)
    assert Certificate.objects.get().credential == certificate.credential


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A lone UTF-16 surrogate is valid JSON but no text: it once made the check crash (500).
        ("lone surrogate", "not valid Unicode"),
        ("fullwidth z in the proof value", "damaged and cannot be read"),
        ("cyrillic letter in the key address", "not signed with this platform's key"),
        ("right-to-left override in the key address", "not signed with this platform's key"),
        ("non-ascii key", "not a credential"),
        ("created without a time zone", "no valid proof"),
        ("created is not a date", "no valid proof"),
        ("proof context is not a prefix", "no valid proof"),
        ("deeply nested field", "not"),
    ],
)
def test_unicode_tricks_and_odd_proofs_get_a_clear_answer(
    world: World, operator: User, change: str, expected: str
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    credential = certificate.credential
    proof = credential["proof"]
    text = ""
    if change == "lone surrogate":
        text = json.dumps(_with(credential, ("name",), "X")).replace('"name": "X"', '"name": "\\ud800"')
    elif change == "fullwidth z in the proof value":
        doc = _with(credential, ("proof", "proofValue"), "\uff5a" + proof["proofValue"][1:])
    elif change == "cyrillic letter in the key address":
        doc = _with(credential, ("proof", "verificationMethod"), proof["verificationMethod"].replace("e", "\u0435", 1))
    elif change == "right-to-left override in the key address":
        doc = _with(credential, ("proof", "verificationMethod"), proof["verificationMethod"] + "\u202e")
    elif change == "non-ascii key":
        doc = _with(credential, ("naïve",), "x")
    elif change == "created without a time zone":
        doc = _with(credential, ("proof", "created"), proof["created"].rstrip("Z"))
    elif change == "created is not a date":
        doc = _with(credential, ("proof", "created"), "2026-02-30T10:00:00Z")
    elif change == "proof context is not a prefix":
        doc = _with(credential, ("proof", "@context"), ["https://evil.example/context"])
    elif change == "deeply nested field":
        text = json.dumps(credential)[:-1] + ', "x": ' + "[" * 20_000 + "]" * 20_000 + "}"
    response = Client(raise_request_exception=True).post(
        verify_url(certificate), {"credential": text or json.dumps(doc, ensure_ascii=False)}
    )
    assert response.status_code == 200
    message = status_text(response.text)
    assert "Rejected:" in message and expected in message


def test_a_proof_pasted_from_another_certificate_does_not_match(
    world: World, operator: User, other_operator: User
) -> None:
    complete(world, operator)
    complete(world, other_operator)
    mine, theirs = issue(world, operator), issue(world, other_operator)
    swapped = {**mine.credential, "proof": theirs.credential["proof"]}
    message = post_check(Client(), verify_url(mine), json.dumps(swapped))
    assert "The signature does not match: the file was changed after it was issued." in message


def test_a_genuine_credential_of_another_certificate_is_named_as_such(
    world: World, operator: User, other_operator: User
) -> None:
    complete(world, operator)
    complete(world, other_operator)
    mine, theirs = issue(world, operator), issue(world, other_operator)
    message = post_check(Client(), verify_url(mine), json.dumps(theirs.credential))
    assert "Another certificate:" in message and str(theirs.public_id) in message
    assert "Genuine:" not in message
    # The check page, which is about no certificate in particular, calls it genuine.
    assert "Genuine:" in post_check(Client(), reverse("learning:certificate_check"), json.dumps(theirs.credential))


def test_a_revoked_credential_is_said_to_be_revoked_with_the_reason(
    world: World, operator: User, coordinator: User
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    certificate_services.certificate_revoke(certificate=certificate, revoked_by=coordinator, reason="Plagiarism")
    message = post_check(Client(), verify_url(certificate), json.dumps(certificate.credential))
    assert "Revoked:" in message and "Plagiarism" in message and "Genuine:" not in message


def test_a_file_with_a_byte_order_mark_is_read(world: World, operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    data = b"\xef\xbb\xbf" + json.dumps(certificate.credential).encode()
    upload = SimpleUploadedFile("certificate.json", data, content_type="application/json")
    response = Client().post(reverse("learning:certificate_check"), {"credential_file": upload})
    assert "Genuine:" in status_text(response.text)


def test_the_text_box_stops_a_huge_paste_in_the_browser(client: Client) -> None:
    page = client.get(reverse("learning:certificate_check")).text
    assert f'maxlength="{certificate_services.MAX_CREDENTIAL_BYTES}"' in page


def test_the_proof_follows_eddsa_jcs_2022_with_a_proof_context(world: World, operator: User) -> None:
    """Another issuer may copy the document's @context into the proof options (the spec allows it):
    the document is then hashed with that context, which must be a prefix of its own."""
    complete(world, operator)
    certificate = issue(world, operator)
    unsecured = {k: v for k, v in certificate.credential.items() if k != "proof"}
    created = "2026-01-01T00:00:00Z"
    method = certificate_services.verification_method_url()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
        "@context": unsecured["@context"],
    }
    signature = signing.signing_key().private.sign(signing._hash_data(unsecured, options))
    secured = {**unsecured, "proof": {**options, "proofValue": "z" + signing.base58btc_encode(signature)}}
    assert signing.verify(secured, certificate_services.published_keys())["created"] == created
    shorter = copy.deepcopy(secured)
    shorter["proof"]["@context"] = unsecured["@context"][:1]
    with pytest.raises(signing.SignatureError):  # the document is then hashed with the shorter context
        signing.verify(shorter, certificate_services.published_keys())


# --- privacy (review) ------------------------------------------------------------------------------


def test_no_public_face_shows_the_email_and_search_engines_are_told_to_stay_away(world: World, operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = Client()
    page = client.get(verify_url(certificate))
    credential = client.get(reverse("learning:certificate_credential", kwargs={"public_id": certificate.public_id}))
    check = client.post(reverse("learning:certificate_check"), {"credential": json.dumps(certificate.credential)})
    for response in (page, credential, check):
        assert operator.email not in response.text
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert "never shows the holder&#x27;s email address" in page.text or "never shows the holder's email" in page.text
    assert operator.full_name in page.text
    assert f'<span dir="ltr">{certificate.public_id}</span>' in page.text


def test_the_learner_is_told_which_name_the_certificate_carries_before_claiming(
    world: World, operator: User, operator_client: Client
) -> None:
    complete(world, operator)
    page = operator_client.get(reverse("learning:progress")).text
    assert "The certificate carries the name of your profile" in page
    assert f"<bdi>{html.escape(operator.full_name)}</bdi>" in page
    assert reverse("accounts:profile") in page
    assert operator.email not in page.split('id="certificates"')[1].split("</section>")[0]


def test_resigning_removes_the_email_hash_of_an_early_credential(world: World, operator: User) -> None:
    from django.core.management import call_command

    complete(world, operator)
    certificate = issue(world, operator)
    early = copy.deepcopy(certificate.credential)
    early["credentialSubject"]["identifier"].append(
        {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "identityHash": "sha256$00"}
    )
    Certificate.objects.filter(pk=certificate.pk).update(credential=early)
    call_command("certificate_resign", stdout=io.StringIO())
    renewed = Certificate.objects.get().credential
    assert [i["identityType"] for i in renewed["credentialSubject"]["identifier"]] == ["name"]
    assert "Genuine:" in post_check(Client(), verify_url(certificate), json.dumps(renewed))


# --- revocation --------------------------------------------------------------------------------


def test_a_coordinator_revokes_with_a_reason_once_and_everyone_sees_it(
    world: World, operator: User, coordinator: User
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = signed_in(coordinator)
    url = reverse("learning:certificate_revoke", kwargs={"public_id": certificate.public_id})
    assert client.get(url).status_code == 200
    assert "This field is required" in client.post(url, {"reason": ""}).text
    assert "at most 1000 characters" in client.post(url, {"reason": "x" * 5000}).text
    assert Certificate.objects.get().revoked_at is None

    client.post(url, {"reason": HOSTILE[0] + " copied answers"})
    revoked = Certificate.objects.get()
    assert revoked.revoked_at is not None and revoked.revoked_by == coordinator
    first_time = revoked.revoked_at
    again = client.post(url, {"reason": "again"}, follow=True)
    assert "already revoked" in again.text
    assert Certificate.objects.get().revoked_at == first_time
    assert AuditEvent.objects.filter(action="learning.certificate_revoke").count() == 1

    page = Client().get(verify_url(certificate)).text
    assert "Revoked:" in status_text(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; copied answers" in page
    assert "Revoked:" in post_check(Client(), verify_url(certificate), json.dumps(certificate.credential))


def test_only_coordinators_may_revoke(world: World, operator: User, trainer: User, other_operator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    url = reverse("learning:certificate_revoke", kwargs={"public_id": certificate.public_id})
    for user in (operator, trainer, other_operator):
        assert signed_in(user).post(url, {"reason": "no"}).status_code == 404
    assert Client().post(url, {"reason": "no"}).status_code == 302
    with pytest.raises(ValidationError):
        certificate_services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="no")
    assert Certificate.objects.get().revoked_at is None


# --- the PDF -----------------------------------------------------------------------------------


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, unicodedata.normalize("NFKC", text)


def test_the_holder_downloads_a_pdf_with_name_course_competences_and_verification_url(
    world: World, operator: User, operator_client: Client
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    response = operator_client.get(reverse("learning:certificate_pdf", kwargs={"public_id": certificate.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"

    reader, text = pdf_text(response.content)

    flat = text.replace("\n", "")
    assert operator.full_name in text
    assert "Course test-course" in text
    assert "Certificate of completion" in text
    assert f"{SITE}/en/learn/certificates/{certificate.public_id}/" in flat
    assert "EF-1" in text and "IC-1" in text
    assert "0.5 hours" in text
    assert reader.root_object.get("/Lang") == "en"


def test_the_pdf_is_for_the_holder_and_those_who_may_see_their_records(
    world: World, operator: User, far_operator: User, trainer: User, coordinator: User
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    url = reverse("learning:certificate_pdf", kwargs={"public_id": certificate.public_id})
    assert signed_in(far_operator).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert signed_in(trainer).get(url).status_code == 200
    assert signed_in(coordinator).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="learning.certificate_read_pdf").count() == 2


def test_an_arabic_certificate_is_right_to_left_with_the_arabic_course_title(world: World, operator: User) -> None:
    title = "إدارة القروض الصغيرة"
    world.course.translations["ar"] = {"title": title, "status": "reviewed"}
    world.course.save()
    complete(world, operator)
    certificate = issue(world, operator, language="ar")
    assert certificate.language == "ar"

    reader, text = pdf_text(render_certificate_pdf(certificate))

    assert reader.root_object.get("/Lang") == "ar"
    assert operator.full_name in text
    arabic_words = [word for word in title.split() if word in text or word[::-1] in text]
    assert arabic_words, text
    assert f"/ar/learn/certificates/{certificate.public_id}/" in text.replace("\n", "")


def test_certificate_pdf_build_time(world: World, operator: User) -> None:
    """The median of ten builds, printed for the report (a budget, not a timed assertion)."""
    complete(world, operator)
    certificate = issue(world, operator)
    render_certificate_pdf(certificate)  # warm the fonts
    durations = []
    for _ in range(10):
        start = time.perf_counter()
        render_certificate_pdf(certificate)
        durations.append(time.perf_counter() - start)
    median_ms = statistics.median(durations) * 1000
    print(f"\ncertificate PDF build: median {median_ms:.0f} ms over 10 builds")
    assert median_ms > 0


# --- admin -------------------------------------------------------------------------------------


@pytest.fixture
def staff_coordinator(coordinator: User) -> User:
    coordinator.is_staff = True
    coordinator.save()
    return coordinator


def test_a_coordinator_issues_from_the_admin_only_when_the_rules_are_met(
    world: World, operator: User, staff_coordinator: User
) -> None:
    client = signed_in(staff_coordinator)
    add = reverse("admin:learning_certificate_add")
    assert client.get(add).status_code == 200
    refused = client.post(add, {"learner": operator.pk, "course": world.course.pk})
    assert "3 lessons are still to be completed" in refused.text
    complete(world, operator)
    client.post(add, {"learner": operator.pk, "course": world.course.pk})
    client.post(add, {"learner": operator.pk, "course": world.course.pk})
    certificate = Certificate.objects.get()
    assert certificate.issued_by == staff_coordinator
    assert client.get(reverse("admin:learning_certificate_changelist")).status_code == 200
    change = client.get(reverse("admin:learning_certificate_change", args=[certificate.pk]))
    assert change.status_code == 200 and verify_url(certificate) in change.text


def test_the_admin_revoke_action_asks_for_a_reason(world: World, operator: User, staff_coordinator: User) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = signed_in(staff_coordinator)
    changelist = reverse("admin:learning_certificate_changelist")
    data = {"action": "revoke_selected", "_selected_action": [certificate.pk]}
    asked = client.post(changelist, data)
    assert asked.status_code == 200 and "Reason for the revocation" in asked.text
    client.post(changelist, {**data, "apply": "1", "reason": ""})
    assert Certificate.objects.get().revoked_at is None
    client.post(changelist, {**data, "apply": "1", "reason": "Issued by mistake"})
    assert Certificate.objects.get().revocation_reason == "Issued by mistake"


def test_a_staff_trainer_issues_in_the_admin_only_for_their_cohort(
    world: World, operator: User, trainer: User, other_operator: User, cohort: Cohort, post_test: Activity
) -> None:
    trainer.is_staff = True
    trainer.save()
    complete(world, operator)
    complete(world, other_operator)
    finish_post_test(post_test, operator)
    client = signed_in(trainer)
    add = reverse("admin:learning_certificate_add")
    client.post(add, {"learner": operator.pk, "course": world.course.pk, "cohort": cohort.pk})
    refused = client.post(add, {"learner": other_operator.pk, "course": world.course.pk})
    assert "may not issue" in refused.text
    assert [c.learner for c in Certificate.objects.all()] == [operator]
    assert "revoke_selected" not in client.get(reverse("admin:learning_certificate_changelist")).text


# --- queries -----------------------------------------------------------------------------------


def queries(client: Client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == status
    return len(captured)


def test_query_counts_do_not_grow_with_certificates_or_courses(
    world: World, operator: User, organisation: Organisation, django_assert_max_num_queries: Any
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    client = signed_in(operator)
    with django_assert_max_num_queries(6):
        client.get(verify_url(certificate))
    queries(client, reverse("learning:progress"))  # the first page caches the learner's cohorts
    progress_before = queries(client, reverse("learning:progress"))
    verify_before = queries(Client(), verify_url(certificate))

    for index in range(5):
        course = CourseFactory.create(slug=f"more-{index}")
        lesson = LessonFactory.create(module=ModuleFactory.create(course=course))
        services.lesson_mark_read(lesson=lesson, learner=operator)
        certificate_services.certificate_issue(learner=operator, course=course, issued_by=operator)
        learner = member(organisation, Role.OPERATOR)
        complete(world, learner)
        issue(world, learner)
    UserFactory.create_batch(3)

    assert Certificate.objects.filter(learner=operator).count() == 6
    assert queries(client, reverse("learning:progress")) == progress_before
    assert queries(Client(), verify_url(certificate)) == verify_before


def test_after_a_key_change_the_old_file_fails_and_resigning_restores_the_check(
    world: World, operator: User, settings: Any, tmp_path: Path
) -> None:
    from django.core.management import call_command

    complete(world, operator)
    certificate = issue(world, operator)
    old_file = json.dumps(certificate.credential)
    settings.CERTIFICATE_SIGNING_KEY_PATH = str(tmp_path / "new-key.pem")
    assert "The signature does not match" in post_check(Client(), verify_url(certificate), old_file)

    out = io.StringIO()
    call_command("certificate_resign", stdout=out)

    assert "Signed 1 credentials again." in out.getvalue()
    renewed = Certificate.objects.get()
    unchanged = {k: v for k, v in renewed.credential.items() if k != "proof"}
    assert unchanged == {k: v for k, v in json.loads(old_file).items() if k != "proof"}
    assert "Genuine:" in post_check(Client(), verify_url(certificate), json.dumps(renewed.credential))


def test_the_check_and_the_issuer_documents_cost_a_fixed_number_of_queries(
    world: World, operator: User, organisation: Organisation, django_assert_max_num_queries: Any
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    text = json.dumps(certificate.credential)
    client = Client()
    with django_assert_max_num_queries(0):
        client.get(reverse("learning:issuer_profile"))
        client.get(reverse("learning:issuer_key"))
    with CaptureQueriesContext(connection) as before:
        client.post(reverse("learning:certificate_check"), {"credential": text})
    for _ in range(4):
        learner = member(organisation, Role.OPERATOR)
        complete(world, learner)
        issue(world, learner)
    with django_assert_max_num_queries(len(before)):
        assert "Genuine:" in client.post(reverse("learning:certificate_check"), {"credential": text}).text


# --- revocation visible to outside verifiers (1EdTechRevocationList) ---------------------------


def revocation_list(**headers: str) -> Any:
    return Client().get(reverse("learning:certificate_revocations"), headers=headers)


def test_a_revoked_credential_is_listed_on_the_public_revocation_list_with_its_date_only(
    world: World, operator: User, other_operator: User, coordinator: User
) -> None:
    complete(world, operator)
    complete(world, other_operator)
    revoked = issue(world, operator)
    kept = issue(world, other_operator)
    empty = revocation_list()
    assert empty.status_code == 200 and empty["Content-Type"] == "application/json"
    assert empty.json() == {
        "id": f"{SITE}/en/learn/certificates/revocations/",
        "issuer": f"{SITE}/en/learn/certificates/issuer/",
        "revokedCredentials": [],
    }
    assert revoked.credential["credentialStatus"]["id"] == empty.json()["id"]

    reason = "Copied answers of " + other_operator.full_name + " <script>"
    certificate_services.certificate_revoke(certificate=revoked, revoked_by=coordinator, reason=reason)
    listed = revocation_list()  # the cached empty list was dropped when the certificate was revoked
    stored = Certificate.objects.get(pk=revoked.pk)
    entries = listed.json()["revokedCredentials"]
    assert [sorted(entry) for entry in entries] == [["id", "revocationDate"]]
    assert entries[0]["id"] == revoked.credential["id"] == f"urn:uuid:{revoked.public_id}"
    assert stored.revoked_at is not None
    assert dt.datetime.fromisoformat(entries[0]["revocationDate"]) == stored.revoked_at.replace(microsecond=0)
    assert kept.credential["id"] not in listed.text
    for private in (operator.full_name, operator.email, other_operator.full_name, "Copied answers", "script"):
        assert private not in listed.text
    assert listed["Access-Control-Allow-Origin"] == "*"
    assert listed["Cache-Control"] == "public, max-age=60"

    # The revoked credential itself is untouched: its signature still verifies with the published key.
    assert stored.credential == revoked.credential
    assert signing.verify(stored.credential, certificate_services.published_keys())
    assert "Revoked:" in post_check(Client(), verify_url(revoked), json.dumps(stored.credential))


def test_the_revocation_list_answers_not_modified_and_refuses_other_methods(
    world: World, operator: User, coordinator: User
) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    first = revocation_list()
    assert revocation_list(**{"If-None-Match": first["ETag"]}).status_code == 304
    assert revocation_list(**{"If-None-Match": f'"other", {first["ETag"]}'}).status_code == 304
    assert revocation_list(**{"If-None-Match": '"<script>"; DROP TABLE x'}).status_code == 200
    certificate_services.certificate_revoke(certificate=certificate, revoked_by=coordinator, reason="Mistake")
    changed = revocation_list(**{"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    url = reverse("learning:certificate_revocations")
    assert Client().post(url, {"id": "x"}).status_code == 405
    assert Client().delete(url).status_code == 405


def test_the_revocation_list_costs_one_query_whatever_the_number_of_revocations(
    world: World, operator: User, organisation: Organisation, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    complete(world, operator)
    certificate_services.certificate_revoke(
        certificate=issue(world, operator), revoked_by=coordinator, reason="Mistake"
    )
    with django_assert_max_num_queries(1):
        assert len(revocation_list().json()["revokedCredentials"]) == 1
    with django_assert_max_num_queries(0):  # cached until the next revocation
        revocation_list()
    for _ in range(6):
        learner = member(organisation, Role.OPERATOR)
        complete(world, learner)
        certificate_services.certificate_revoke(certificate=issue(world, learner), revoked_by=coordinator, reason="x")
    with django_assert_max_num_queries(1):
        assert len(revocation_list().json()["revokedCredentials"]) == 7


@pytest.mark.parametrize(
    "status",
    [
        None,
        {"id": "https://evil.example/revocations/", "type": "1EdTechRevocationList"},
        {"id": f"{SITE}/en/learn/certificates/revocations/", "type": "BitstringStatusListEntry"},
        [{"id": f"{SITE}/en/learn/certificates/revocations/", "type": "1EdTechRevocationList"}],
        "<script>alert(1)</script>",
        {"id": f"{SITE}/en/learn/certificates/revocations/", "type": "1EdTechRevocationList", "x": 1},
    ],
)
def test_the_check_rejects_a_changed_or_removed_credential_status(world: World, operator: User, status: Any) -> None:
    complete(world, operator)
    certificate = issue(world, operator)
    doc = copy.deepcopy(certificate.credential)
    if status is None:
        del doc["credentialStatus"]
    else:
        doc["credentialStatus"] = status
    message = post_check(Client(), verify_url(certificate), json.dumps(doc))
    assert "Rejected:" in message and "The signature does not match" in message


def test_resigning_gives_an_old_credential_its_status_and_achievement_id(
    world: World, operator: User, trainer: User, cohort: Cohort, post_test: Activity
) -> None:
    from django.core.management import call_command

    complete(world, operator)
    finish_post_test(post_test, operator)
    certificate = issue(world, operator, cohort=cohort)
    early = {name: value for name, value in certificate.credential.items() if name not in {"credentialStatus", "proof"}}
    early = copy.deepcopy(early)
    early["credentialSubject"]["achievement"]["id"] = f"{SITE}/en/learn/test-course/"
    early = signing.sign(
        early,
        verification_method=certificate_services.verification_method_url(),
        created=certificate.credential["validFrom"],
    )
    Certificate.objects.filter(pk=certificate.pk).update(credential=early)
    out = io.StringIO()
    call_command("certificate_resign", stdout=out)
    assert "Signed 1 credentials again." in out.getvalue()
    renewed = Certificate.objects.get().credential
    assert renewed["credentialStatus"] == {
        "id": f"{SITE}/en/learn/certificates/revocations/",
        "type": "1EdTechRevocationList",
    }
    achievement_id = f"{SITE}/en/learn/certificates/achievements/test-course/cohorts/{cohort.pk}/"
    assert renewed["credentialSubject"]["achievement"]["id"] == achievement_id
    assert {k: v for k, v in renewed.items() if k not in {"proof", "credentialStatus", "credentialSubject"}} == {
        k: v for k, v in early.items() if k not in {"proof", "credentialSubject"}
    }
    assert signing.verify(renewed, certificate_services.published_keys())
    assert "Genuine:" in post_check(Client(), verify_url(certificate), json.dumps(renewed))
    assert "Rejected:" in post_check(Client(), verify_url(certificate), json.dumps(early))


# --- achievement definitions ------------------------------------------------------------------


def test_course_and_cohort_certificates_have_their_own_achievement_and_both_pages_answer(
    world: World, operator: User, other_operator: User, cohort: Cohort, post_test: Activity
) -> None:
    complete(world, operator)
    finish_post_test(post_test, operator)
    complete(world, other_operator)
    in_cohort = issue(world, operator, cohort=cohort)
    alone = issue(world, other_operator)
    cohort_achievement = in_cohort.credential["credentialSubject"]["achievement"]
    course_achievement = alone.credential["credentialSubject"]["achievement"]
    assert cohort_achievement["id"] != course_achievement["id"]
    assert cohort_achievement["criteria"] != course_achievement["criteria"]
    assert course_achievement["id"] == f"{SITE}/en/learn/certificates/achievements/test-course/"
    assert cohort_achievement["id"] == course_achievement["id"] + f"cohorts/{cohort.pk}/"
    # Stable: issued again in another language, the id is the same.
    assert (
        certificate_services.achievement_definition(course=world.course, cohort=cohort, language="it")["id"]
        == (cohort_achievement["id"])
    )

    public_cohort_criteria = certificate_services.achievement_definition(
        course=world.course, cohort=cohort, language="en", name_the_cohort=False
    )["criteria"]
    for achievement, criteria in (
        (course_achievement, course_achievement["criteria"]),
        (cohort_achievement, public_cohort_criteria),
    ):
        path = achievement["id"].removeprefix(SITE)
        page = Client().get(path)
        assert page.status_code == 200
        assert html.escape(criteria["narrative"], quote=False) in page.text.replace("&#x27;", "'")
        assert "#EF-1" in page.text and "#IC-1" in page.text
        assert operator.full_name not in page.text and other_operator.full_name not in page.text
        document = Client().get(path, headers={"Accept": "application/ld+json, application/json"}).json()
        assert document["id"] == achievement["id"] and document["type"] == ["Achievement"]
        assert document["@context"] == certificate_services.CONTEXTS
        assert document["criteria"] == criteria
        assert document["alignment"] == achievement["alignment"]
    # The credential names the cohort (its holder shares it); the public page, whose address holds a
    # counter anyone can walk through, does not.
    assert cohort.name in cohort_achievement["criteria"]["narrative"]
    cohort_page = Client().get(cohort_achievement["id"].removeprefix(SITE))
    json_page = Client().get(cohort_achievement["id"].removeprefix(SITE), headers={"Accept": "application/json"})
    assert cohort.name not in cohort_page.text and cohort.name not in json_page.text


def test_achievement_pages_answer_only_for_definitions_a_credential_points_to(
    world: World, operator: User, cohort: Cohort, post_test: Activity, django_assert_max_num_queries: Any
) -> None:
    draft = CourseFactory.create(slug="secret-draft", is_published=False)
    other_cohort = Cohort.objects.create(
        course=draft, name="Hidden cohort", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1)
    )

    def achievement_path(slug: str, cohort_id: int | None = None) -> str:
        if cohort_id is None:
            return reverse("learning:certificate_achievement", kwargs={"course_slug": slug})
        return reverse("learning:certificate_achievement_cohort", kwargs={"course_slug": slug, "cohort_id": cohort_id})

    # Nothing issued yet: no page, for the course, its cohort, a draft, another course's cohort.
    for path in (
        achievement_path("test-course"),
        achievement_path("test-course", cohort.pk),
        achievement_path("secret-draft"),
        achievement_path("test-course", other_cohort.pk),
        achievement_path("no-such-course"),
        achievement_path("test-course", 2**62),
    ):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert "Hidden cohort" not in response.text
    for hostile in (
        "/en/learn/certificates/achievements/%3Cscript%3E/",
        "/en/learn/certificates/achievements/x/cohorts/-1/",
    ):
        assert Client().get(hostile).status_code == 404

    complete(world, operator)
    finish_post_test(post_test, operator)
    issue(world, operator, cohort=cohort)
    assert Client().get(achievement_path("test-course", cohort.pk)).status_code == 200
    assert Client().get(achievement_path("test-course")).status_code == 404  # no course-only certificate
    assert Client().get(achievement_path("test-course", other_cohort.pk)).status_code == 404
    assert Client().post(achievement_path("test-course", cohort.pk)).status_code == 405

    before = queries(Client(), achievement_path("test-course", cohort.pk))
    for index in range(4):
        lesson = LessonFactory.create(module=world.module, slug=f"extra-{index}")
        lesson.competences.add(world.competences["EF-1"])
    with django_assert_max_num_queries(before):
        assert Client().get(achievement_path("test-course", cohort.pk)).status_code == 200
