"""Courses, modules and lessons with their images and resources."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from micro.core.content_i18n import TranslatableContent
from micro.core.models import TimeStampedModel
from micro.learning.models.framework import Competence, CompetenceArea


class Course(TimeStampedModel, TranslatableContent):
    """A course. Texts: ``title``, ``summary``, ``description``."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Learners see only published courses.")
    )

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.slug


class Module(TranslatableContent):
    """A part of a course, usually one competence area. Texts: ``title``, ``summary``."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules")
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    area = models.ForeignKey(
        CompetenceArea,
        verbose_name=_("competence area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="modules",
    )
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["course", "order", "slug"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="learning_module_unique_slug")]

    def __str__(self) -> str:
        return f"{self.course.slug}/{self.slug}"


class Lesson(TimeStampedModel, TranslatableContent):
    """A lesson: Markdown text with images, resources and an optional external video.

    Texts: ``title``, ``summary``, ``body`` (Markdown; images as ``![alt](image:key)``),
    ``video_title``.
    """

    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    competences = models.ManyToManyField(Competence, verbose_name=_("competences"), blank=True, related_name="lessons")
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        help_text=_("Lessons a learner completes before this one's activities open."),
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["module__order", "order", "slug"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["module", "slug"], name="learning_lesson_unique_slug")]

    def __str__(self) -> str:
        return f"{self.module.slug}/{self.slug}"


class LessonImage(TranslatableContent):
    """An image shown in a lesson. Texts: ``alt`` (required), ``caption``."""

    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="images")
    key = models.SlugField(_("key"), max_length=60)
    file = models.FileField(_("file"), upload_to="learning/images/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["lesson", "order", "key"]
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")
        constraints = [models.UniqueConstraint(fields=["lesson", "key"], name="learning_image_unique_key")]

    def __str__(self) -> str:
        return self.key


class ResourceKind(models.TextChoices):
    FILE = "file", _("Download")
    LINK = "link", _("Web page")
    VIDEO = "video", _("Video")


class LessonResource(TranslatableContent):
    """A downloadable file or an external link (a web page, a video). Texts: ``title``, ``description``."""

    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="resources")
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices, default=ResourceKind.FILE)
    file = models.FileField(_("file"), upload_to="learning/resources/", max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField(_("size in bytes"), default=0)
    url = models.URLField(_("address"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["lesson", "order", "key"]
        verbose_name = _("lesson resource")
        verbose_name_plural = _("lesson resources")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="learning_resource_unique_key"),
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url="")) | (~Q(kind="file") & Q(file="") & ~Q(url="")),
                name="learning_resource_file_xor_url",
            ),
        ]

    def __str__(self) -> str:
        return self.key
