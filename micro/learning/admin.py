"""Authoring in the Django admin: courses → modules → lessons, banks → questions → choices,
activities → quiz parts / scenario nodes / rubric criteria, each with inlines, and a
"preview as a learner" link on lessons and activities.

Texts live in each item's ``translations`` field ({"en": {"title": …, "status": "reviewed"}, …});
the forms check its shape, numeric questions get their answer from the finance core on save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from micro.learning import models
from micro.learning.computed import ComputeError, compute_answer
from micro.learning.services.authoring import scenario_scores_clean, translations_check
from micro.learning.uploads import MAX_IMAGE_BYTES, sniff_image

TRANSLATIONS_HELP = _(
    'Texts per language, for example {"en": {"title": "…", "status": "reviewed"}, "it": {"title": "…", "status": "draft"}}.'
)


class TranslatableForm(forms.ModelForm):
    def clean_translations(self) -> Any:
        value = self.cleaned_data.get("translations")
        problems = translations_check(value)
        if problems:
            raise ValidationError(problems)
        return value


def _form(model: type[Any], base: type[forms.ModelForm] = TranslatableForm) -> type[forms.ModelForm]:
    meta = type("Meta", (), {"model": model, "fields": "__all__", "help_texts": {"translations": TRANSLATIONS_HELP}})
    return type(f"{model.__name__}AdminForm", (base,), {"Meta": meta})


class QuestionForm(TranslatableForm):
    class Meta:
        model = models.Question
        fields = [
            "bank",
            "key",
            "order",
            "kind",
            "points",
            "competences",
            "shuffle_choices",
            "multiple_scoring",
            "numeric_compute",
            "numeric_answer",
            "numeric_tolerance",
            "tolerance_mode",
            "unit",
            "is_retired",
            "translations",
        ]
        help_texts = {"translations": TRANSLATIONS_HELP}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == models.QuestionKind.NUMERIC:
            spec = cleaned.get("numeric_compute") or {}
            if spec:
                try:
                    cleaned["numeric_answer"] = compute_answer(spec)
                except ComputeError as error:
                    self.add_error("numeric_compute", str(error))
                else:
                    self.instance.numeric_answer = cleaned["numeric_answer"]
            elif cleaned.get("numeric_answer") is None:
                self.add_error("numeric_answer", _("A numeric question needs an answer or a finance calculation."))
        return cleaned


class ScenarioChoiceForm(TranslatableForm):
    class Meta:
        model = models.ScenarioChoice
        fields = ["node", "key", "order", "next_node", "scores", "translations"]
        help_texts = {"scores": _('Competence codes and points from 0 to 3, for example {"IC-3": 2, "EF-3": 1}.')}

    def clean_scores(self) -> Any:
        return scenario_scores_clean(self.cleaned_data.get("scores"))


def preview_link(url_name: str) -> Any:
    @admin.display(description=_("preview"))
    def link(_admin: Any, obj: Any) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), _("Preview as a learner"))

    return link


# --- framework -------------------------------------------------------------------------------


@admin.register(models.ReferenceCompetence)
class ReferenceCompetenceAdmin(admin.ModelAdmin):
    form = _form(models.ReferenceCompetence)
    list_display = ["code", "framework", "unverified"]
    list_filter = ["framework", "unverified"]
    search_fields = ["code"]


class CompetenceInline(admin.TabularInline):
    model = models.Competence
    form = _form(models.Competence)
    fields = ["code", "order", "translations"]
    extra = 0
    show_change_link = True


@admin.register(models.CompetenceArea)
class CompetenceAreaAdmin(admin.ModelAdmin):
    form = _form(models.CompetenceArea)
    list_display = ["slug", "order"]
    inlines = [CompetenceInline]


class CompetenceLevelInline(admin.TabularInline):
    model = models.CompetenceLevel
    form = _form(models.CompetenceLevel)
    extra = 0


@admin.register(models.Competence)
class CompetenceAdmin(admin.ModelAdmin):
    form = _form(models.Competence)
    list_display = ["code", "area", "order"]
    list_select_related = ["area"]
    list_filter = ["area"]
    filter_horizontal = ["references"]
    inlines = [CompetenceLevelInline]


# --- courses ---------------------------------------------------------------------------------


class ModuleInline(admin.TabularInline):
    model = models.Module
    form = _form(models.Module)
    fields = ["slug", "order", "area", "is_retired", "translations"]
    extra = 0
    show_change_link = True


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    form = _form(models.Course)
    list_display = ["slug", "order", "is_published", "updated_at"]
    list_filter = ["is_published"]
    inlines = [ModuleInline]


class LessonInline(admin.TabularInline):
    model = models.Lesson
    form = _form(models.Lesson)
    fields = ["slug", "order", "minutes", "is_retired"]
    extra = 0
    show_change_link = True


@admin.register(models.Module)
class ModuleAdmin(admin.ModelAdmin):
    form = _form(models.Module)
    list_display = ["__str__", "order", "area", "is_retired"]
    list_select_related = ["course", "area"]
    list_filter = ["course", "is_retired"]
    inlines = [LessonInline]


class LessonImageForm(TranslatableForm):
    """Every language of an image needs its alternative text; the file must really be an image."""

    class Meta:
        model = models.LessonImage
        fields = ["key", "file", "order", "translations"]
        help_texts = {"translations": _('For example {"en": {"alt": "…", "caption": "…", "status": "reviewed"}}.')}

    def clean_translations(self) -> Any:
        value = self.cleaned_data.get("translations")
        problems = translations_check(value, required=("alt",))
        if not value:
            problems.append("alt is missing")
        if problems:
            raise ValidationError(problems)
        return value

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            data = upload.read(MAX_IMAGE_BYTES + 1)
            upload.seek(0)
            kind = sniff_image(data)
            if kind is None or len(data) > MAX_IMAGE_BYTES:
                raise ValidationError(_("Upload a PNG, JPEG, GIF or WebP image of at most 2 MB."))
            self.instance.content_type = kind
        return upload


class LessonImageInline(admin.TabularInline):
    model = models.LessonImage
    form = LessonImageForm
    extra = 0


class LessonResourceInline(admin.TabularInline):
    model = models.LessonResource
    form = _form(models.LessonResource)
    extra = 0


class ActivityInline(admin.TabularInline):
    model = models.Activity
    form = _form(models.Activity)
    fields = ["slug", "kind", "order", "is_retired"]
    extra = 0
    show_change_link = True


@admin.register(models.Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = _form(models.Lesson)
    list_display = ["__str__", "order", "minutes", "is_retired", "preview"]
    list_filter = ["module__course", "is_retired"]
    list_select_related = ["module"]
    filter_horizontal = ["competences", "prerequisites"]
    readonly_fields = ["preview"]
    inlines = [LessonImageInline, LessonResourceInline, ActivityInline]
    preview = preview_link("learning:preview_lesson")


# --- questions -------------------------------------------------------------------------------


class QuestionInline(admin.TabularInline):
    model = models.Question
    form = QuestionForm
    fields = ["key", "kind", "order", "points", "is_retired"]
    extra = 0
    show_change_link = True


@admin.register(models.QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    form = _form(models.QuestionBank)
    list_display = ["__str__"]
    list_select_related = ["course"]
    list_filter = ["course"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = models.Choice
    form = _form(models.Choice)
    extra = 0


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["__str__", "kind", "points", "numeric_answer", "is_retired"]
    list_filter = ["bank__course", "kind", "is_retired"]
    list_select_related = ["bank"]
    filter_horizontal = ["competences"]
    inlines = [ChoiceInline]


# --- activities ------------------------------------------------------------------------------


class QuizPartInline(admin.TabularInline):
    model = models.QuizPart
    extra = 0


class ScenarioNodeInline(admin.TabularInline):
    model = models.ScenarioNode
    form = _form(models.ScenarioNode)
    fields = ["key", "order", "is_start", "translations"]
    extra = 0
    show_change_link = True


class RubricCriterionInline(admin.TabularInline):
    model = models.RubricCriterion
    form = _form(models.RubricCriterion)
    fields = ["key", "order", "translations"]
    extra = 0
    show_change_link = True


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = _form(models.Activity)
    list_display = ["__str__", "kind", "max_attempts", "time_limit_minutes", "pass_percent", "is_retired", "preview"]
    list_filter = ["kind", "lesson__module__course", "is_retired"]
    list_select_related = ["lesson__module"]
    filter_horizontal = ["competences"]
    readonly_fields = ["preview"]
    inlines = [QuizPartInline, ScenarioNodeInline, RubricCriterionInline]
    preview = preview_link("learning:preview_activity")


class ScenarioChoiceInline(admin.StackedInline):
    model = models.ScenarioChoice
    form = ScenarioChoiceForm
    fk_name = "node"
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "next_node":
            node_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            node = models.ScenarioNode.objects.filter(pk=node_id).first() if node_id else None
            kwargs["queryset"] = (
                models.ScenarioNode.objects.filter(activity=node.activity)
                if node
                else models.ScenarioNode.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.ScenarioNode)
class ScenarioNodeAdmin(admin.ModelAdmin):
    form = _form(models.ScenarioNode)
    list_display = ["__str__", "activity", "order", "is_start"]
    list_select_related = ["activity__lesson__module"]
    list_filter = ["activity"]
    inlines = [ScenarioChoiceInline]


class RubricLevelInline(admin.TabularInline):
    model = models.RubricLevel
    form = _form(models.RubricLevel)
    extra = 0


@admin.register(models.RubricCriterion)
class RubricCriterionAdmin(admin.ModelAdmin):
    form = _form(models.RubricCriterion)
    list_display = ["__str__", "activity", "order"]
    list_select_related = ["activity__lesson__module"]
    filter_horizontal = ["competences"]
    inlines = [RubricLevelInline]


# --- learner records (read only: they change only through the learning pages) ---------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "percent", "passed", "created_at"]
    list_filter = ["status", "passed"]
    list_select_related = ["activity", "learner"]


@admin.register(models.Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "created_at"]
    list_filter = ["status"]
    exclude = ["file"]


class EnrolmentInline(admin.TabularInline):
    model = models.Enrolment
    fields = ["learner", "organisation"]
    raw_id_fields = ["learner"]
    extra = 0


class CohortSessionInline(admin.TabularInline):
    model = models.CohortSession
    fields = ["kind", "starts_at", "ends_at", "module", "title", "place", "link"]
    extra = 0


@admin.register(models.Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "starts_on", "ends_on"]
    list_select_related = ["course"]
    filter_horizontal = ["trainers"]
    inlines = [CohortSessionInline, EnrolmentInline]


# --- certificates ------------------------------------------------------------------------------
# Coordinators (and a cohort's trainers, for their cohort's learners) issue certificates here when
# the completion rules are met; coordinators revoke them with a reason. Nothing else is editable:
# a certificate is the signed credential it was issued as.

from django.contrib import messages  # noqa: E402
from django.contrib.admin import helpers  # noqa: E402
from django.contrib.admin.options import ActionLocation  # noqa: E402
from django.http import Http404  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.utils.translation import ngettext  # noqa: E402

from micro.accounts.permissions import is_coordinator  # noqa: E402
from micro.learning.models import certificates as certificate_models  # noqa: E402
from micro.learning.selectors import certificates as certificate_selectors  # noqa: E402
from micro.learning.services import certificates as certificate_services  # noqa: E402


class CertificateIssueForm(forms.ModelForm):
    """Issue a certificate: the learner, the course and, for cohort learners, the cohort."""

    issued_by: Any = None

    class Meta:
        model = certificate_models.Certificate
        fields = ["learner", "course", "cohort"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        learner, course, cohort = cleaned.get("learner"), cleaned.get("course"), cleaned.get("cohort")
        if learner is None or course is None:
            return cleaned
        try:
            problem = certificate_services.certificate_issue_problem(
                learner=learner, course=course, cohort=cohort, issued_by=self.issued_by
            )
        except Http404:
            problem = str(
                _("This learner cannot have this certificate: the course is not open to them, or not in this cohort.")
            )
        if problem:
            raise ValidationError(problem)
        return cleaned

    def validate_unique(self) -> None:
        """An existing certificate is simply shown again (issuing is idempotent)."""


@admin.register(certificate_models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["public_id", "learner", "course", "cohort", "issued_at", "revoked_at"]
    list_filter = ["course", "cohort", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["learner", "course", "cohort"]
    search_fields = ["learner__email", "learner__full_name", "holder_name", "=public_id"]
    raw_id_fields = ["learner"]
    actions = ["revoke_selected"]
    readonly_fields = [
        "public_id",
        "learner",
        "course",
        "cohort",
        "language",
        "holder_name",
        "minutes",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "verification_link",
        "credential",
    ]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = type("BoundCertificateIssueForm", (CertificateIssueForm,), {"issued_by": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ["learner", "course", "cohort"]

    def get_actions(self, request: Any, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        actions = super().get_actions(request, action_location)
        if not certificate_selectors.can_revoke_certificates(request.user):
            actions.pop("revoke_selected", None)
        actions.pop("delete_selected", None)
        return actions

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return _may_issue_certificates(request.user)

    def has_module_permission(self, request: Any) -> bool:
        return _may_issue_certificates(request.user)

    def has_add_permission(self, request: Any) -> bool:
        return _may_issue_certificates(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: Any) -> Any:
        queryset = super().get_queryset(request)
        if is_coordinator(request.user) or request.user.is_superuser:
            return queryset
        return queryset.filter(cohort__trainers=request.user)

    @admin.display(description=_("verification page"))
    def verification_link(self, obj: Any) -> str:
        url = reverse("learning:certificate_verify", kwargs={"public_id": obj.public_id})
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        certificate, created = certificate_services.certificate_issue(
            learner=obj.learner, course=obj.course, cohort=obj.cohort, issued_by=request.user, request=request
        )
        obj.pk = certificate.pk
        obj.public_id = certificate.public_id
        obj._state.adding = False
        if not created:
            self.message_user(request, _("This learner already had this certificate; it is shown again."))

    def log_addition(self, request: Any, obj: Any, message: Any) -> Any:
        return None  # the service writes the audit record

    @admin.action(description=_("Revoke the selected certificates (asks for a reason)"))
    def revoke_selected(self, request: Any, queryset: Any) -> Any:
        if not certificate_selectors.can_revoke_certificates(request.user):
            self.message_user(request, _("Only a coordinator may revoke a certificate."), level=messages.ERROR)
            return None
        form = CertificateRevokeActionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            changed = 0
            for certificate in queryset:
                _certificate, was_changed = certificate_services.certificate_revoke(
                    certificate=certificate,
                    revoked_by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                changed += int(was_changed)
            self.message_user(
                request,
                ngettext("%(count)d certificate revoked.", "%(count)d certificates revoked.", changed)
                % {"count": changed},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke certificates"),
            "certificates": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "learning/certificate_admin_revoke.html", context)


class CertificateRevokeActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=certificate_services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _may_issue_certificates(user: Any) -> bool:
    """Coordinators, superusers and trainers of at least one cohort (the admin also asks is_staff)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or is_coordinator(user) or user.trained_cohorts.exists())


# --- xAPI statements (read only: they are written by the learning services, sent by xapi_forward) ---

import json  # noqa: E402

from micro.learning.models import xapi as xapi_models  # noqa: E402
from micro.learning.services import xapi as xapi_services  # noqa: E402


class XapiForwardingFilter(admin.SimpleListFilter):
    """Where each statement stands with the external record store."""

    title = _("forwarding")
    parameter_name = "forwarding"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("sent", _("sent")),
            ("waiting", _("waiting")),
            ("parked", _("refused too often, no longer sent")),
        ]

    def queryset(self, request: Any, queryset: Any) -> Any:
        limit = xapi_services.max_forward_attempts()
        if self.value() == "sent":
            return queryset.filter(forwarded_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(forwarded_at__isnull=True, forward_attempts__lt=limit)
        if self.value() == "parked":
            return queryset.filter(forwarded_at__isnull=True, forward_attempts__gte=limit)
        return queryset


class CoordinatorReadOnlyAdmin(admin.ModelAdmin):
    """Seen by coordinators (and superusers) only; nothing is added, edited or deleted here."""

    show_full_result_count = False  # large tables: no COUNT(*) on every page
    list_per_page = 50

    def _is_reader(self, request: Any) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_coordinator(user)))

    def has_module_permission(self, request: Any) -> bool:
        return self._is_reader(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._is_reader(request)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: Any, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        if not self._is_reader(request):
            return {}
        return actions


@admin.register(xapi_models.XapiStatement)
class XapiStatementAdmin(CoordinatorReadOnlyAdmin):
    """Coordinators read the learning records and see why one was not forwarded; nobody edits them
    here (a statement is evidence: it is changed by nothing, and goes only with its learner)."""

    list_display = ["timestamp", "verb_name", "learner", "cohort", "forwarded_at", "forward_attempts"]
    list_filter = [XapiForwardingFilter, "verb", "cohort"]
    list_select_related = ["learner", "cohort"]
    search_fields = ["=statement_id"]
    fields = (
        "statement_id",
        "learner",
        "cohort",
        "verb",
        "timestamp",
        "stored_at",
        "forwarded_at",
        "forward_attempts",
        "last_error",
        "statement_json",
    )
    readonly_fields = fields

    @admin.display(description=_("verb"), ordering="verb")
    def verb_name(self, obj: Any) -> str:
        return str(obj.verb).rstrip("/").rsplit("/", 1)[-1]

    @admin.display(description=_("statement"))
    def statement_json(self, obj: Any) -> Any:
        return format_html('<pre dir="ltr">{}</pre>', json.dumps(obj.statement, ensure_ascii=False, indent=2))


# --- lesson discussions (read mostly: moderation goes through the discussion services) ---------
# Coordinators read every cohort's discussions here and moderate them with the same services as
# the cohort's pages (hide a message with a reason, lock or unlock a thread), so each decision is
# written to the audit log. Nobody writes, edits or deletes messages here.

from micro.learning.models import discussions as discussion_models  # noqa: E402
from micro.learning.services import discussions as discussion_services  # noqa: E402


class DiscussionHideActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding (the members can read it)"),
        max_length=discussion_models.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _lesson_filter(path: str) -> type[admin.SimpleListFilter]:
    """Filter by the lessons that have discussions, listed in one query (``path`` leads to the lesson)."""

    class LessonFilter(admin.SimpleListFilter):
        title = _("lesson")
        parameter_name = "lesson"

        def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
            lesson_ids = discussion_models.DiscussionThread.objects.values("lesson_id")
            lessons = models.Lesson.objects.filter(pk__in=lesson_ids).select_related("module").order_by("pk")
            return [(str(lesson.pk), str(lesson)) for lesson in lessons]

        def queryset(self, request: Any, queryset: Any) -> Any:
            value = self.value()
            if value is None:
                return queryset
            if not str(value).isdigit():
                return queryset.none()
            return queryset.filter(**{path: int(value)})

    return LessonFilter


class DiscussionAdminBase(CoordinatorReadOnlyAdmin):
    """Coordinators moderate here through the discussion services; nothing else changes."""

    def _refuse(self, request: Any) -> bool:
        if self._is_reader(request):
            return False
        self.message_user(request, _("Only a coordinator may moderate discussions here."), level=messages.ERROR)
        return True


@admin.register(discussion_models.DiscussionThread)
class DiscussionThreadAdmin(DiscussionAdminBase):
    list_display = ["title", "cohort", "lesson", "author", "post_count", "last_posted_at", "is_locked"]
    list_filter = [
        ("cohort", admin.RelatedOnlyFieldListFilter),
        _lesson_filter("lesson_id"),
        "is_locked",
    ]
    list_select_related = ["cohort", "lesson__module", "author"]
    search_fields = ["title", "author__email", "author__full_name"]
    date_hierarchy = "last_posted_at"
    fields = (
        "title",
        "cohort",
        "lesson",
        "author",
        "created_at",
        "last_posted_at",
        "post_count",
        "is_locked",
        "locked_by",
        "locked_at",
        "messages_link",
    )
    readonly_fields = fields
    actions = ["lock_selected", "unlock_selected"]

    @admin.display(description=_("messages"))
    def messages_link(self, obj: Any) -> str:
        """The thread's messages, paginated in their own list (a long thread stays cheap to open)."""
        url = reverse("admin:learning_discussionpost_changelist") + f"?thread__id__exact={obj.pk}"
        label = ngettext("See its %(count)d message", "See its %(count)d messages", obj.post_count) % {
            "count": obj.post_count
        }
        return format_html('<a href="{}">{}</a>', url, label)

    def _set_locked(self, request: Any, queryset: Any, *, locked: bool) -> None:
        if self._refuse(request):
            return
        changed = 0
        for thread in queryset:
            _thread, was_changed = discussion_services.thread_lock(
                thread=thread, by=request.user, locked=locked, request=request
            )
            changed += int(was_changed)
        if locked:
            message = ngettext("%(count)d thread locked.", "%(count)d threads locked.", changed)
        else:
            message = ngettext("%(count)d thread unlocked.", "%(count)d threads unlocked.", changed)
        self.message_user(request, message % {"count": changed})

    @admin.action(description=_("Lock the selected threads (no new replies)"))
    def lock_selected(self, request: Any, queryset: Any) -> None:
        self._set_locked(request, queryset, locked=True)

    @admin.action(description=_("Unlock the selected threads"))
    def unlock_selected(self, request: Any, queryset: Any) -> None:
        self._set_locked(request, queryset, locked=False)


@admin.register(discussion_models.DiscussionPost)
class DiscussionPostAdmin(DiscussionAdminBase):
    list_display = ["excerpt", "thread", "author", "created_at", "is_hidden"]
    list_filter = [
        ("thread__cohort", admin.RelatedOnlyFieldListFilter),
        _lesson_filter("thread__lesson_id"),
        "is_hidden",
        ("thread__is_locked", admin.BooleanFieldListFilter),
    ]
    list_select_related = ["thread", "author"]
    search_fields = ["body", "thread__title", "author__email", "author__full_name"]
    fields = (
        "thread",
        "author",
        "created_at",
        "body",
        "is_hidden",
        "hidden_reason",
        "hidden_by",
        "hidden_at",
    )
    readonly_fields = fields
    actions = ["hide_selected"]

    @admin.display(description=_("message"))
    def excerpt(self, obj: Any) -> str:
        text = " ".join(obj.body.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.action(description=_("Hide the selected messages (asks for a reason)"))
    def hide_selected(self, request: Any, queryset: Any) -> Any:
        if self._refuse(request):
            return None
        form = DiscussionHideActionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            changed = 0
            for post in queryset:
                try:
                    _post, was_changed = discussion_services.post_hide(
                        post=post, by=request.user, reason=form.cleaned_data["reason"], request=request
                    )
                except ValidationError as error:
                    form.add_error("reason", error)
                    break
                changed += int(was_changed)
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d message hidden.", "%(count)d messages hidden.", changed) % {"count": changed},
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hide messages"),
            "posts": queryset.select_related("thread", "author"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "learning/discussion_admin_hide.html", context)


@admin.register(discussion_models.DiscussionRead)
class DiscussionReadAdmin(DiscussionAdminBase):
    """Who last opened which thread, read only (helps to answer "did they see the reply?")."""

    list_display = ["thread", "user", "last_read_at"]
    list_filter = [("thread__cohort", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["thread", "user"]
    search_fields = ["user__email", "thread__title"]
    fields = ["thread", "user", "last_read_at"]
    readonly_fields = ("thread", "user", "last_read_at")
    actions: list[str] = []
