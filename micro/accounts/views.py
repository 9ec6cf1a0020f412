"""Sign-in, profile, two-factor set-up, invitations and member management."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from micro.accounts import backends, forms, permissions, selectors, services
from micro.accounts.models import User
from micro.core.permissions import ensure
from micro.core.services import audit_record, client_ip

PENDING_USER_KEY = "micro_pending_2fa_user"
PENDING_NEXT_KEY = "micro_pending_2fa_next"


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even an empty one, so it gets its error messages), else None."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie the way Django's set_language does (Secure in production, etc.)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


def _finish_login(request: HttpRequest, user: User, next_url: str | None) -> HttpResponse:
    """Sign the user in and continue in their preferred language."""
    login(request, user, backend=backends.PATH)
    services.login_failures_clear(email=user.email)
    audit_record(action="auth.login", actor=user, obj=user, request=request)
    language = user.preferred_language
    # translate_url() must resolve the path in the language it was written in (the current one);
    # inside translation.override(language) an /en/ path does not resolve and stays English.
    target = translate_url(next_url or reverse("accounts:profile"), language)
    response = HttpResponseRedirect(target)
    _remember_language(response, language)
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = forms.SignInForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip_address = client_ip(request)
        if selectors.login_is_throttled(email=email, ip_address=ip_address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again, or reset your password."))
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(email=email, ip_address=ip_address)
                form.add_error(None, _("The email address or the password is not right, or the account is disabled."))
            elif selectors.user_confirmed_totp_device(user) is not None:
                request.session.cycle_key()
                request.session[PENDING_USER_KEY] = user.pk
                request.session[PENDING_NEXT_KEY] = next_url or ""
                return redirect("accounts:login_verify")
            else:
                return _finish_login(request, user, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


@require_http_methods(["GET", "POST"])
def sign_in_verify(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = forms.TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ip_address = client_ip(request)
        if selectors.login_is_throttled(email=user.email, ip_address=ip_address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again, or reset your password."))
        elif services.totp_verify(user=user, token=form.cleaned_data["token"]):
            next_url = request.session.pop(PENDING_NEXT_KEY, "") or None
            request.session.pop(PENDING_USER_KEY, None)
            request.session.pop(BACKEND_SESSION_KEY, None)
            return _finish_login(request, user, next_url)
        else:
            services.login_failure_record(email=user.email, ip_address=ip_address)
            form.add_error("token", _("This code is not right or has expired. Try the newest code."))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action="auth.logout", actor=request.user, obj=request.user, request=request)
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = forms.ProfileForm(_posted(request), instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            request=request,
        )
        language = user.preferred_language
        with translation.override(language):
            messages.success(request, _("Your profile is saved."))
            target = reverse("accounts:profile")
        response = HttpResponseRedirect(target)
        _remember_language(response, language)
        return response
    context: dict[str, Any] = {
        "form": form,
        "memberships": user.memberships.select_related("organisation").filter(is_active=True),
        "has_two_factor": selectors.user_confirmed_totp_device(user) is not None,
        "can_manage": selectors.organisation_list_managed_by(user).exists(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    confirmed = selectors.user_confirmed_totp_device(user)
    form = forms.TokenForm(_posted(request))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "disable" and confirmed is not None:
            if (
                selectors.user_must_set_up_two_factor(user)
                or user.memberships.filter(is_active=True, organisation__require_two_factor=True).exists()
            ):
                messages.error(
                    request, _("Your organisation requires two-factor sign-in, so it cannot be switched off.")
                )
            else:
                services.totp_device_remove(user=user, request=request)
                messages.success(request, _("Two-factor sign-in is switched off."))
            return redirect("accounts:two_factor")
        if action == "confirm" and form.is_valid():
            if services.totp_device_confirm(user=user, token=form.cleaned_data["token"], request=request):
                messages.success(request, _("Two-factor sign-in is on. You will be asked for a code at each sign-in."))
                return redirect("accounts:profile")
            form.add_error("token", _("This code is not right or has expired. Try the newest code."))
    context: dict[str, Any] = {
        "confirmed": confirmed is not None,
        "form": form,
        "required": selectors.user_must_set_up_two_factor(user),
    }
    if confirmed is None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None or request.method == "GET":
            device = services.totp_device_start(user=user)
        context["qr_data_uri"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        from base64 import b32encode

        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find(token=token)
    if invitation is not None and invitation.accepted_at is not None and invitation.revoked_at is None:
        # A repeated or doubled submission: the invitation did its job, so send the person on
        # instead of telling them to ask for a new link.
        if request.user.is_authenticated and request.user.email.lower() == invitation.email.lower():
            return redirect("accounts:profile")
        return redirect_to_login(reverse("accounts:profile"))
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = None if (user or existing) else forms.InvitationAcceptForm(_posted(request), email=invitation.email)
    if request.method == "POST":
        try:
            if user is not None:
                accepted = services.invitation_accept(token=token, user=user, request=request)  # type: ignore[arg-type]
            elif form is not None and form.is_valid():
                accepted = services.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    request=request,
                )
                login(request, accepted, backend=backends.PATH)
            else:
                accepted = None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            accepted = None
        if accepted is not None:
            messages.success(
                request,
                _("Welcome! You are now a member of %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("accounts:profile")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form, "existing": existing}
    )


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list_managed_by(request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_managed(request.user, slug)
    audit_record(action="members.view", obj=organisation, organisation_id=organisation.pk, request=request)
    policy_form = None
    if permissions.can_set_two_factor_policy(request.user, organisation):
        policy_form = forms.TwoFactorPolicyForm(
            _posted(request), initial={"require_two_factor": organisation.require_two_factor}
        )
        if request.method == "POST" and policy_form.is_valid():
            services.organisation_set_two_factor(
                organisation=organisation,
                required=policy_form.cleaned_data["require_two_factor"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
            messages.success(request, _("The sign-in rule is saved."))
            return redirect("accounts:member_list", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "memberships": [
            (membership, permissions.can_edit_membership(request.user, membership))
            for membership in selectors.membership_list_for_organisation(organisation)
        ],
        "invitations": [
            (invitation, permissions.can_revoke_invitation(request.user, invitation))
            for invitation in selectors.invitation_list_pending(organisation)
        ],
        "policy_form": policy_form,
    }
    return render(request, "accounts/member_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_managed(request.user, slug)
    allowed = permissions.invitable_roles(request.user, organisation)
    form = forms.InvitationForm(_posted(request), allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,  # type: ignore[arg-type]
                language=translation.get_language() or "en",
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("The invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:member_list", slug=organisation.slug)
    return render(request, "accounts/member_invite.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_managed(request.user, slug)
    membership = selectors.membership_get_in_organisation(organisation, pk)
    ensure(permissions.can_edit_membership(request.user, membership))
    form = forms.MembershipForm(
        _posted(request),
        allowed_roles=permissions.invitable_roles(request.user, organisation),
        current_role=membership.role,
        initial={"role": membership.role, "is_active": membership.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership is saved."))
            return redirect("accounts:member_list", slug=organisation.slug)
    return render(
        request, "accounts/member_edit.html", {"organisation": organisation, "membership": membership, "form": form}
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_managed(request.user, slug)
    invitation = selectors.invitation_get_in_organisation(organisation, pk)
    ensure(permissions.can_revoke_invitation(request.user, invitation))
    services.invitation_revoke(invitation=invitation, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("accounts:member_list", slug=organisation.slug)
