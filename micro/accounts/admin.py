from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OTPTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts import services
from micro.accounts.models import Invitation, Membership, Organisation, User

# Every admin save or delete below that can change who must set up two-factor sign-in renews the
# two-factor version of the people concerned (see the comment above middleware.CLEAR_SECONDS), so
# an edit here takes effect at their next request, like the same change made through the services.


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "preferred_language"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "preferred_language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        # After the user and the membership inline are saved: covers is_active and every membership.
        super().save_related(request, form, formsets, change)
        services.two_factor_version_bump(user_ids=[form.instance.pk])

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.two_factor_version_bump(user_ids=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        services.two_factor_version_bump(user_ids=list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "is_partner", "require_two_factor"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.two_factor_version_bump_for_organisation(organisation_id=obj.pk)

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        # Listed before the delete: afterwards the memberships are gone with the organisation.
        services.two_factor_version_bump(user_ids=list(obj.memberships.values_list("user_id", flat=True)))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        members = Membership.objects.filter(organisation__in=queryset).values_list("user_id", flat=True)
        services.two_factor_version_bump(user_ids=list(members))
        super().delete_queryset(request, queryset)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "accepted_at"]


# django-otp registers its own device admin on import; this one replaces it so that confirming,
# moving or deleting a device in the admin also renews the two-factor version of its owner(s).
class TOTPDeviceAdmin(OTPTOTPDeviceAdmin):
    def save_model(self, request: HttpRequest, obj: TOTPDevice, form: ModelForm, change: bool) -> None:
        # A device can be moved to another user: the previous owner loses it.
        previous = list(TOTPDevice.objects.filter(pk=obj.pk).values_list("user_id", flat=True)) if change else []
        super().save_model(request, obj, form, change)
        services.two_factor_version_bump(user_ids=[*previous, obj.user_id])

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        services.two_factor_version_bump(user_ids=[obj.user_id])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        services.two_factor_version_bump(user_ids=list(queryset.values_list("user_id", flat=True)))
        super().delete_queryset(request, queryset)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
