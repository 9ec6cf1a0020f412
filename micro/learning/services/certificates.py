"""Writes and checks of certificates: issue (idempotent), revoke (audited), and the check of a
credential file someone pastes or uploads on the public verification page.

Each certificate carries an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential)
signed by the platform's Ed25519 key (``micro.learning.certificates_signing``). The issuer
profile and the key are published at stable English URLs under ``SITE_URL``; credentials point
to them, so a verifier can fetch the key without an account.

Revocation status. Every credential carries, inside the signed document, a ``credentialStatus``
of type ``1EdTechRevocationList`` (Open Badges 3.0, section "Revocation"; 1EdTech Revocation List
Status Method 1.0) whose ``id`` is the issuer's public revocation list: a JSON document
``{"id", "issuer", "revokedCredentials": [{"id": <credential id>, ...}]}``. A wallet or verifier
fetches it and looks for the credential's ``id``. We chose it over the W3C Bitstring Status List
because it is the status method Open Badges 3.0 names, it needs no per-credential index (the
credential ids are already random UUIDs, so no new stored field and no index allocation), and the
list needs no signature of its own (it is served over HTTPS from the issuer's address). What the
bitstring would give, herd privacy for very large lists, does not matter here: the list holds only
the random ids of revoked credentials and the date of each revocation (``revocationDate``, an
extension property); never a name and never the coordinator's reason, which may be personal.
Some verifier libraries only implement ``BitstringStatusListEntry``; for them the public
verification page and its credential check stay the authoritative answer.

Achievements. A course certificate and a cohort certificate have different criteria (the cohort
adds its post-test), so each is its own achievement definition with its own stable ``id``: the
public achievement page of the course, or of the course in that cohort.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from micro.core.services import audit_record
from micro.learning import certificates_signing as signing
from micro.learning.models import Cohort, Course
from micro.learning.models.certificates import Certificate
from micro.learning.selectors.certificates import (
    Completion,
    can_issue_certificate,
    can_revoke_certificates,
    completion_for,
    course_competences,
    revoked_certificates,
)
from micro.learning.services.xapi import xapi_certificate_earned

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
COMPETENCE_FRAMEWORK_NAME = "MICRO operator competences"
MAX_CREDENTIAL_BYTES = 65_536
MAX_REASON_LENGTH = 1000
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
REVOCATION_LIST_CACHE_KEY = "learning:certificates:revocation-list"
REVOCATION_LIST_CACHE_SECONDS = 60


# --- published addresses and documents ----------------------------------------------------------


def absolute_url(name: str, *, language: str = "en", **kwargs: Any) -> str:
    """``SITE_URL`` + the path of ``name`` under the ``language`` prefix (English for stable ids)."""
    with translation.override(language):
        path = reverse(f"learning:{name}", kwargs=kwargs or None)
    return settings.SITE_URL.rstrip("/") + path


def issuer_url() -> str:
    return absolute_url("issuer_profile")


def verification_method_url() -> str:
    return absolute_url("issuer_key")


def verification_url(certificate: Certificate) -> str:
    """The public page that confirms the certificate, in the certificate's language."""
    return absolute_url("certificate_verify", language=certificate.language, public_id=certificate.public_id)


def revocation_list_url() -> str:
    """The public ``1EdTechRevocationList`` every credential's ``credentialStatus`` points to."""
    return absolute_url("certificate_revocations")


def credential_status() -> dict[str, str]:
    return {"id": revocation_list_url(), "type": REVOCATION_LIST_TYPE}


def achievement_url(course_slug: str, cohort_id: int | None) -> str:
    """The stable id of an achievement definition: the course, or the course followed in a cohort
    (whose criteria add the cohort's post-test). English addresses, like the issuer's."""
    if cohort_id is None:
        return absolute_url("certificate_achievement", course_slug=course_slug)
    return absolute_url("certificate_achievement_cohort", course_slug=course_slug, cohort_id=cohort_id)


def issuer_summary() -> dict[str, Any]:
    return {
        "id": issuer_url(),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_ISSUER_NAME,
        "url": settings.SITE_URL.rstrip("/") + "/",
    }


def verification_method_document() -> dict[str, Any]:
    """The public key as a ``Multikey`` (also readable as a JWK), served at its own URL."""
    key = signing.signing_key()
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": verification_method_url(),
        "type": "Multikey",
        "controller": issuer_url(),
        "publicKeyMultibase": key.public_multibase,
        "publicKeyJwk": key.public_jwk,
    }


def issuer_profile_document() -> dict[str, Any]:
    method = {name: value for name, value in verification_method_document().items() if name != "@context"}
    return {
        "@context": [*CONTEXTS, MULTIKEY_CONTEXT],
        **issuer_summary(),
        "description": "Issuer of the certificates of the MICRO operator e-learning platform.",
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


def published_keys() -> dict[str, Ed25519PublicKey]:
    """The keys a credential of ours may be signed with, by verification-method URL."""
    return {verification_method_url(): signing.signing_key().private.public_key()}


# --- issue -------------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hours_text(minutes: int) -> str:
    hours = max(1, round(minutes / 30)) / 2  # to the half hour, at least half an hour
    return f"{hours:g}"


def achievement_definition(
    *,
    course: Course,
    cohort: Cohort | None,
    language: str,
    minutes: int | None = None,
    name_the_cohort: bool = True,
) -> dict[str, Any]:
    """The Open Badges ``Achievement`` the course (or the course in ``cohort``) certifies, in
    ``language``: name, description (with the study time when ``minutes`` is given), criteria and
    the competences it aligns to. Shared by the credential and the public achievement page.

    The public page passes ``name_the_cohort=False``: its address carries the cohort's number,
    which anyone can count through, while the credential (with the name) is seen only by those
    its holder gives the link to."""
    texts = course.localized(language)
    with translation.override(language):
        competences = course_competences(course)
        criteria = _(
            "Read every lesson of the course and passed each of its activities (quizzes, scenario role-plays, "
            "reviewed assignments) at its pass mark."
        )
        if cohort is not None and name_the_cohort:
            criteria += " " + _("Followed the cohort “%(cohort)s” and completed its post-test.") % {
                "cohort": cohort.name
            }
        elif cohort is not None:
            criteria += " " + _("Followed a training cohort of the course and completed its post-test.")
        description = str(texts.get("summary", "") or "")
        if minutes is not None:
            hours = _("Estimated study time: %(hours)s hours.") % {"hours": _hours_text(minutes)}
            description = f"{description} {hours}".strip()
        competence_url = absolute_url("certificate_competences", language=language)
        alignment = [
            {
                "type": ["Alignment"],
                "targetName": f"{competence.code} {competence.localized(language).get('title', '')}".strip(),
                "targetCode": competence.code,
                "targetDescription": str(competence.localized(language).get("description", "") or ""),
                "targetFramework": COMPETENCE_FRAMEWORK_NAME,
                "targetType": "ceasn:Competency",
                "targetUrl": f"{competence_url}#{competence.code}",
            }
            for competence in competences
        ]
    return {
        "id": achievement_url(course.slug, cohort.pk if cohort else None),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": str(texts.get("title", "") or course.slug),
        "description": description,
        "criteria": {"narrative": criteria},
        "alignment": alignment,
        "inLanguage": language,
    }


def build_credential(
    *,
    certificate: Certificate,
    course: Course,
    cohort: Cohort | None,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of ``certificate``, in the certificate's language.

    Privacy: the credential is public (anyone with its number may download it), so the holder is
    identified by the name of their profile, which they chose and may change before claiming, and
    by nothing else. No email address appears, not even salted and hashed: with the salt beside
    it and the name in clear, a hash of ``firstname.lastname@…`` is guessed in seconds."""
    achievement = achievement_definition(
        course=course, cohort=cohort, language=certificate.language, minutes=certificate.minutes
    )
    return {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{certificate.public_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": issuer_summary(),
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                },
            ],
            "achievement": achievement,
        },
        "credentialStatus": credential_status(),
    }


def _language_for(learner: Any, language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(learner, "preferred_language", None), "en"):
        base = (candidate or "").split("-")[0]
        if base in codes:
            return base
    return "en"


def _issue_check(*, learner: Any, course: Course, cohort: Cohort | None, issued_by: Any) -> tuple[str, Completion]:
    if cohort is not None and cohort.course_id != course.pk:
        raise Http404
    completion = completion_for(learner, course, cohort)
    if completion.lessons_total == 0:
        return _("This course has no lessons yet, so it cannot be completed."), completion
    if completion.lessons_left:
        message = ngettext(
            "%(count)s lesson is still to be completed (read, with every activity passed).",
            "%(count)s lessons are still to be completed (read, with every activity passed).",
            completion.lessons_left,
        ) % {"count": completion.lessons_left}
        return message, completion
    if completion.post_test_required and not completion.post_test_done:
        return _("The cohort's post-test is still to be done."), completion
    if not (learner.full_name or "").strip():
        if getattr(issued_by, "pk", None) == learner.pk:
            return _("Add your full name to your profile first: it is printed on the certificate."), completion
        return _("The learner's full name is missing from their profile: it is printed on the certificate."), completion
    return "", completion


def certificate_issue_problem(*, learner: Any, course: Course, cohort: Cohort | None, issued_by: Any) -> str:
    """Why the certificate cannot be issued now (empty when it can). Raises 404 for a course the
    learner does not see, or a cohort of another course or that they are not enrolled in."""
    if not can_issue_certificate(issued_by, learner=learner, cohort=cohort):
        return _("You may not issue this certificate.")
    return _issue_check(learner=learner, course=course, cohort=cohort, issued_by=issued_by)[0]


@transaction.atomic
def certificate_issue(
    *,
    learner: Any,
    course: Course,
    cohort: Cohort | None = None,
    issued_by: Any,
    language: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[Certificate, bool]:
    """The learner's certificate for the course (or cohort), issued now if the rules are met.

    Returns ``(certificate, created)``. Asking again, or twice at once, returns the same
    certificate. Raises ``ValidationError`` with the reason when it cannot be issued yet.
    """
    if not can_issue_certificate(issued_by, learner=learner, cohort=cohort):
        raise ValidationError(_("You may not issue this certificate."))
    existing = Certificate.objects.filter(learner=learner, course=course, cohort=cohort).first()
    if existing is not None:
        return existing, False
    problem, completion = _issue_check(learner=learner, course=course, cohort=cohort, issued_by=issued_by)
    if problem:
        raise ValidationError(problem)
    holder_name = learner.full_name.strip()
    certificate = Certificate(
        learner=learner,
        course=course,
        cohort=cohort,
        language=_language_for(learner, language),
        holder_name=holder_name[:150],
        minutes=completion.minutes,
        issued_at=timezone.now().replace(microsecond=0),
        issued_by=issued_by,
    )
    unsigned = build_credential(certificate=certificate, course=course, cohort=cohort)
    certificate.credential = signing.sign(
        unsigned, verification_method=verification_method_url(), created=_iso(certificate.issued_at)
    )
    certificate.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:  # issued by a simultaneous request: that one stands
        return Certificate.objects.get(learner=learner, course=course, cohort=cohort), False
    audit_record(
        action="learning.certificate_issue",
        actor=issued_by,
        obj=certificate,
        request=request,
        detail={"learner": learner.pk, "course": course.pk, "cohort": cohort.pk if cohort else None},
    )
    xapi_certificate_earned(certificate=certificate)
    return certificate, True


def _drop_email_identifiers(credential: dict[str, Any]) -> None:
    """Credentials issued before the email hash was dropped lose it when they are signed again."""
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("identifier"), list):
        subject["identifier"] = [
            item
            for item in subject["identifier"]
            if not (isinstance(item, dict) and item.get("identityType") == "emailAddress")
        ]


def _current_addresses(unsigned: dict[str, Any], *, course_slug: str, cohort_id: int | None) -> None:
    """Point an older credential at today's addresses: issuer, achievement id, revocation list."""
    unsigned["issuer"] = {**unsigned.get("issuer", {}), **issuer_summary()}
    unsigned["credentialStatus"] = credential_status()
    subject = unsigned.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict):
        achievement["id"] = achievement_url(course_slug, cohort_id)


def certificates_resign() -> int:
    """Sign every stored credential again with the current key and addresses (key rotation, a new
    ``SITE_URL``, credentials issued before they carried a ``credentialStatus`` or their own
    achievement id). The content and dates stay; only the issuer addresses, the achievement id,
    the status entry and the proof change (and an email hash of an early credential is removed)."""
    count = 0
    rows = Certificate.objects.order_by("pk").values_list("pk", "course__slug", "cohort_id")
    for pk, course_slug, cohort_id in rows.iterator():
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=pk)
            unsigned = {name: value for name, value in locked.credential.items() if name != "proof"}
            _current_addresses(unsigned, course_slug=course_slug, cohort_id=cohort_id)
            _drop_email_identifiers(unsigned)
            locked.credential = signing.sign(
                unsigned, verification_method=verification_method_url(), created=_iso(timezone.now())
            )
            locked.save(update_fields=["credential"])
            audit_record(action="learning.certificate_resign", obj=locked)
        count += 1
    return count


# --- revoke ------------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, revoked_by: Any, reason: str, request: HttpRequest | None = None
) -> tuple[Certificate, bool]:
    """Withdraw the certificate with a reason. Returns ``(certificate, changed)``; revoking it
    again keeps the first revocation."""
    if not can_revoke_certificates(revoked_by):
        raise ValidationError(_("Only a coordinator may revoke a certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the revocation."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(limit)s characters.") % {"limit": MAX_REASON_LENGTH},
        )
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        return locked, False
    locked.revoked_at = timezone.now()
    locked.revoked_by = revoked_by
    locked.revocation_reason = reason
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        action="learning.certificate_revoke",
        actor=revoked_by,
        obj=locked,
        request=request,
        detail={"learner": locked.learner_id, "reason": reason},
    )
    # Dropped now, and again once committed: a list read meanwhile may have cached the old state.
    cache.delete(REVOCATION_LIST_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(REVOCATION_LIST_CACHE_KEY))
    return locked, True


def revocation_list_document() -> dict[str, Any]:
    """The public ``1EdTechRevocationList``: the ids of revoked credentials and the date of each
    revocation, nothing else. One query, kept for ``REVOCATION_LIST_CACHE_SECONDS`` and dropped
    from the cache when a certificate is revoked."""
    document = cache.get(REVOCATION_LIST_CACHE_KEY)
    if isinstance(document, dict) and document.get("id") == revocation_list_url():
        return document
    document = {
        "id": revocation_list_url(),
        "issuer": issuer_url(),
        "revokedCredentials": [
            {"id": f"urn:uuid:{public_id}", "revocationDate": _iso(revoked_at)}
            for public_id, revoked_at in revoked_certificates()
        ],
    }
    cache.set(REVOCATION_LIST_CACHE_KEY, document, REVOCATION_LIST_CACHE_SECONDS)
    return document


# --- check a credential file -------------------------------------------------------------------


@dataclass
class CheckResult:
    """The answer to "is this credential genuine?": ``valid``, ``revoked``, ``other`` (genuine, but
    of another certificate than the page's) or ``rejected``."""

    status: str
    message: str
    certificate: Certificate | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


def _reject(message: str) -> CheckResult:
    return CheckResult(status="rejected", message=message)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _signature_message(code: str) -> str:
    messages = {
        "shape": _("The file is JSON but not a credential: it should be one object with a proof."),
        "proof": _("The credential has no valid proof (signature) block."),
        "suite": _("The proof is not of the kind this platform makes (DataIntegrityProof with eddsa-jcs-2022)."),
        "key": _("The credential was not signed with this platform's key."),
        "encoding": _("The signature value is damaged and cannot be read."),
        "float": _(
            "The credential contains numbers this platform never signs (decimals or very large numbers): "
            "it was changed."
        ),
        "signature": _("The signature does not match: the file was changed after it was issued."),
        "unicode": _("The credential contains text that is not valid Unicode: it was not made by this platform."),
    }
    return messages.get(code, messages["signature"])


def _stored_certificate(credential_id: Any) -> Certificate | None:
    prefix = "urn:uuid:"
    if not isinstance(credential_id, str) or not credential_id.startswith(prefix):
        return None
    try:
        public_id = uuid.UUID(credential_id[len(prefix) :])
    except ValueError:
        return None
    return Certificate.objects.filter(public_id=public_id).first()


def credential_check(raw: str | bytes, *, expected: Certificate | None = None) -> CheckResult:
    """Check a pasted or uploaded credential: JSON, signature, our key, a stored certificate with
    the very same content, and not revoked. The message says exactly why it is rejected.

    ``expected`` is the certificate whose page the check is made on: a genuine credential of
    another certificate is then said to belong to another one (and is not "valid" here)."""
    data = raw.encode() if isinstance(raw, str) else raw
    if not data.strip():
        return _reject(_("Paste the credential (JSON) or choose its file."))
    if len(data) > MAX_CREDENTIAL_BYTES:
        return _reject(
            _("The file is too large to be one of our credentials (at most %(size)s KB).")
            % {"size": MAX_CREDENTIAL_BYTES // 1024}
        )
    try:
        # utf-8-sig: a byte-order mark, as some editors write, is not a reason to refuse the file.
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _reject(_("This is not a JSON file, so it cannot be a credential."))
    try:
        signing.verify(document, published_keys())
    except signing.SignatureError as error:
        return _reject(_signature_message(error.code))
    except RecursionError:
        return _reject(_("The file is JSON but not a credential: it should be one object with a proof."))
    certificate = _stored_certificate(document.get("id"))
    if certificate is None:
        return _reject(_("The signature is genuine, but no certificate with this identifier was issued here."))
    if certificate.credential != document:
        return _reject(_("The signature is genuine, but the credential differs from the certificate on record."))
    if expected is not None and certificate.pk != expected.pk:
        return CheckResult(
            status="other",
            message=_(
                "The signature is genuine, but this credential belongs to another certificate (number %(number)s), "
                "not to the one on this page."
            )
            % {"number": certificate.public_id},
            certificate=certificate,
        )
    if certificate.revoked_at is not None:
        return CheckResult(
            status="revoked",
            message=_("This certificate was revoked on %(date)s: %(reason)s")
            % {"date": date_format(certificate.revoked_at, "DATE_FORMAT"), "reason": certificate.revocation_reason},
            certificate=certificate,
        )
    return CheckResult(
        status="valid",
        message=_("Valid: this credential was issued by this platform and has not been changed or revoked."),
        certificate=certificate,
    )
