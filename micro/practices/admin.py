"""Admin: read and correct records; the workflow itself only moves through the services."""

from __future__ import annotations

from django.contrib import admin

from micro.practices.models import (
    Attachment,
    ContributionTarget,
    Indicator,
    Practice,
    PracticeTransition,
    Reuse,
    Review,
    ReviewerAssignment,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class TransitionInline(admin.TabularInline):
    model = PracticeTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "comment", "created_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "country", "theme", "status", "is_example", "published_at")
    list_filter = ("status", "country", "theme", "is_example")
    search_fields = ("slug", "search_title")
    readonly_fields = ("status", "review_round", "submitted_at", "published_at", "created_by", "slug")
    inlines = (IndicatorInline, TransitionInline)


@admin.register(ContributionTarget)
class ContributionTargetAdmin(admin.ModelAdmin):
    list_display = ("organisation", "target", "due_on", "set_by")


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("practice", "reviewer", "assigned_by", "created_at")
    raw_id_fields = ("practice", "reviewer", "assigned_by")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("practice", "reviewer", "round", "decision", "created_at")
    readonly_fields = ("practice", "reviewer", "round", "decision")


@admin.register(Reuse)
class ReuseAdmin(admin.ModelAdmin):
    list_display = ("practice", "organisation", "adopted_on")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "practice", "kind", "size", "created_at")
    readonly_fields = ("sha256", "kind", "content_type", "size")
