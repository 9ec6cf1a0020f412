"""Admin for coordinators: conference content is editable; registrations are read-only here
(registrants change them through their personal link, organisers through their pages)."""

from django.contrib import admin
from django.http import HttpRequest

from micro.events.models import CheckIn, Event, Material, PracticeLink, Question, Registration, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "room", "language", "translations"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "required", "option_count", "translations"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "city", "starts_at", "status", "capacity"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "slug", "city"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    inlines = [SessionInline, QuestionInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "event"]
    list_filter = ["event"]
    search_fields = ["name"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["pk", "event", "status", "category", "created_at"]
    list_filter = ["event", "status", "category"]
    exclude = ["token_hash", "link_nonce"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["pk", "event", "checked_in_at"]
    list_filter = ["event"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(Material)
admin.site.register(PracticeLink)
