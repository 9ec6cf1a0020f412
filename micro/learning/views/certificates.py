"""Certificate pages: claim from the progress page, the public verification page with its
credential check, the signed credential and the PDF, revocation, and the issuer's public
documents (profile, key, revocation list, achievement definitions, competence framework). Thin:
parse, call, render.

The verification page needs no account and shows only what the credential itself says (the
holder's name, the course, the date, the issuer); the PDF is for the holder and those who may
see the holder's records.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from micro.core.services import audit_record
from micro.learning import certificate_forms, selectors
from micro.learning.certificate_pdf import render_certificate_pdf
from micro.learning.models import Cohort
from micro.learning.models.certificates import Certificate
from micro.learning.selectors import certificates as certificate_selectors
from micro.learning.services import certificates as certificate_services
from micro.learning.views.courses import learner_required


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _public_json(document: dict[str, Any], *, filename: str | None = None) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _not_for_search_engines[Response: HttpResponse](response: Response) -> Response:
    """Holders' names are public to whoever has the link, not to search engines."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the issuer's public documents -------------------------------------------------------------


@require_GET
def issuer_profile(request: HttpRequest) -> JsonResponse:
    return _public_json(certificate_services.issuer_profile_document())


@require_GET
def issuer_key(request: HttpRequest) -> JsonResponse:
    return _public_json(certificate_services.verification_method_document())


@require_GET
def revocation_list(request: HttpRequest) -> HttpResponse:
    """The ``1EdTechRevocationList`` credentials point to: revoked credential ids with their dates.

    Cheap for verifiers polling it: at most one query (the document is cached briefly and dropped
    when a certificate is revoked), ``max-age`` of a minute, and an ETag so an unchanged list
    answers ``304 Not Modified`` with no body."""
    document = certificate_services.revocation_list_document()
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={certificate_services.REVOCATION_LIST_CACHE_SECONDS}"
    return response


@require_GET
def achievement(request: HttpRequest, course_slug: str, cohort_id: int | None = None) -> HttpResponse:
    """The public page of an achievement definition (a credential's ``achievement.id``): what the
    course, or the course in a cohort, certifies and the competences it aligns to. In JSON (the
    Open Badges ``Achievement``) for a client that asks for JSON and not for HTML."""
    certificate = certificate_selectors.achievement_get_public(course_slug, cohort_id)
    definition = certificate_services.achievement_definition(
        course=certificate.course, cohort=certificate.cohort, language=_language(), name_the_cohort=False
    )
    if not request.accepts("text/html") and request.accepts("application/json"):
        response: HttpResponse = _public_json({"@context": certificate_services.CONTEXTS, **definition})
    else:
        context = {
            "achievement": definition,
            "in_cohort": certificate.cohort is not None,
            "issuer_name": settings.CERTIFICATE_ISSUER_NAME,
        }
        response = render(request, "learning/certificate_achievement.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def competence_framework(request: HttpRequest) -> HttpResponse:
    """The operator competences that certificates align to (their ``targetUrl`` points here)."""
    return render(request, "learning/certificate_competences.html", {"areas": selectors.competence_framework()})


# --- claim -------------------------------------------------------------------------------------


@require_POST
@learner_required
def certificate_claim(request: HttpRequest) -> HttpResponse:
    form = certificate_forms.ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This request could not be read. Use the button on your progress page."))
        return redirect("learning:progress")
    course = selectors.course_queryset_for(request.user).filter(pk=form.cleaned_data["course"]).first()
    if course is None:
        raise Http404
    cohort = None
    if form.cleaned_data.get("cohort"):
        cohort = Cohort.objects.filter(pk=form.cleaned_data["cohort"], course=course).first()
        if cohort is None:
            raise Http404
    try:
        _certificate, created = certificate_services.certificate_issue(
            learner=request.user,
            course=course,
            cohort=cohort,
            issued_by=request.user,
            language=_language(),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("learning:progress") + "#certificates")
    if created:
        messages.success(request, _("Your certificate is ready."))
    else:
        messages.info(request, _("You already have this certificate."))
    return redirect(reverse("learning:progress") + "#certificates")


# --- public verification -----------------------------------------------------------------------


def _holder_name(certificate: Certificate) -> str:
    for identifier in certificate.credential.get("credentialSubject", {}).get("identifier", []):
        if isinstance(identifier, dict) and identifier.get("identityType") == "name":
            return str(identifier.get("identityHash", ""))
    return certificate.holder_name


def _verify_context(request: HttpRequest, certificate: Certificate | None) -> dict[str, Any]:
    context: dict[str, Any] = {"certificate": certificate, "form": certificate_forms.CredentialCheckForm()}
    if certificate is not None:
        credential = certificate.credential
        context.update(
            holder_name=_holder_name(certificate),
            course_name=credential.get("name", ""),
            issuer_name=credential.get("issuer", {}).get("name", ""),
            is_holder=request.user.is_authenticated and request.user.pk == certificate.learner_id,
            can_revoke=certificate_selectors.can_revoke_certificates(request.user),
        )
    return context


@require_http_methods(["GET", "POST"])
def certificate_verify(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Is this certificate valid? And, with the form, is this credential file genuine?"""
    certificate = certificate_selectors.certificate_get_public(public_id)
    context = _verify_context(request, certificate)
    if request.method == "POST":
        form = certificate_forms.CredentialCheckForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            context["check"] = certificate_services.credential_check(form.cleaned_data["raw"], expected=certificate)
            context["form"] = certificate_forms.CredentialCheckForm()
    response = render(request, "learning/certificate_verify.html", context, status=200 if certificate else 404)
    return _not_for_search_engines(response)


@require_http_methods(["GET", "POST"])
def certificate_check(request: HttpRequest) -> HttpResponse:
    """The credential check alone, for a verifier who has only the file."""
    context: dict[str, Any] = {"certificate": None, "form": certificate_forms.CredentialCheckForm(), "check_only": True}
    if request.method == "POST":
        form = certificate_forms.CredentialCheckForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            context["check"] = certificate_services.credential_check(form.cleaned_data["raw"])
            context["form"] = certificate_forms.CredentialCheckForm()
    return _not_for_search_engines(render(request, "learning/certificate_verify.html", context))


@require_GET
def certificate_credential(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    """The signed credential, as issued (public, like the verification page)."""
    certificate = certificate_selectors.certificate_get_public(public_id)
    if certificate is None:
        raise Http404
    response = _public_json(certificate.credential, filename=f"certificate-{certificate.public_id}.json")
    response["Cache-Control"] = "no-cache"
    return _not_for_search_engines(response)


@require_GET
@learner_required
def certificate_pdf(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    certificate = certificate_selectors.certificate_get_for_holder(request.user, public_id)
    if certificate.learner_id != request.user.pk:
        audit_record(action="learning.certificate_read_pdf", obj=certificate, request=request)
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.public_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- revocation --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@learner_required
def certificate_revoke(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A coordinator withdraws a certificate, with a reason (404 for anyone else)."""
    certificate = certificate_selectors.certificate_get_for_revoker(request.user, public_id)
    form = certificate_forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _certificate, changed = certificate_services.certificate_revoke(
                certificate=certificate, revoked_by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            if changed:
                messages.success(request, _("The certificate is revoked."))
            else:
                messages.info(request, _("This certificate was already revoked."))
            return redirect("learning:certificate_verify", public_id=certificate.public_id)
    context = {"certificate": certificate, "form": form, "holder_name": _holder_name(certificate)}
    return render(request, "learning/certificate_revoke.html", context)


routes: list[URLPattern] = [
    path("certificates/issuer/", issuer_profile, name="issuer_profile"),
    path("certificates/issuer/key/", issuer_key, name="issuer_key"),
    path("certificates/competences/", competence_framework, name="certificate_competences"),
    path("certificates/revocations/", revocation_list, name="certificate_revocations"),
    path("certificates/achievements/<slug:course_slug>/", achievement, name="certificate_achievement"),
    path(
        "certificates/achievements/<slug:course_slug>/cohorts/<int:cohort_id>/",
        achievement,
        name="certificate_achievement_cohort",
    ),
    path("certificates/claim/", certificate_claim, name="certificate_claim"),
    path("certificates/check/", certificate_check, name="certificate_check"),
    path("certificates/<uuid:public_id>/", certificate_verify, name="certificate_verify"),
    path("certificates/<uuid:public_id>/credential.json", certificate_credential, name="certificate_credential"),
    path("certificates/<uuid:public_id>/certificate.pdf", certificate_pdf, name="certificate_pdf"),
    path("certificates/<uuid:public_id>/revoke/", certificate_revoke, name="certificate_revoke"),
]
