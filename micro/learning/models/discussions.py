"""Discussions under each lesson, one space per cohort: threads, their posts, and what each
member has read. Only members of the cohort see them; the cohort's trainers moderate (hide a
post with a reason, lock a thread)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from micro.core.models import TimeStampedModel
from micro.learning.models.cohorts import Cohort
from micro.learning.models.courses import Lesson

TITLE_MAX = 160
BODY_MAX = 5000
REASON_MAX = 300


class DiscussionThread(TimeStampedModel):
    """A conversation about one lesson inside one cohort; its first post is the opening message."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="discussion_threads"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    is_locked = models.BooleanField(_("locked"), default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    last_posted_at = models.DateTimeField(_("last message"), db_index=True)
    post_count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["-last_posted_at", "-pk"]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        indexes = [models.Index(fields=["cohort", "lesson", "-last_posted_at"], name="learning_thread_lesson_idx")]

    def __str__(self) -> str:
        return self.title


class DiscussionPost(TimeStampedModel):
    """One message. ``body`` is the Markdown as written; ``body_html`` its sanitised rendering."""

    thread = models.ForeignKey(
        DiscussionThread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=BODY_MAX)
    body_html = models.TextField(_("message as HTML"), blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")

    def __str__(self) -> str:
        return f"{self.thread_id}:{self.pk}"


class DiscussionRead(models.Model):
    """When a member last opened a thread: posts after this moment are unread for them."""

    thread = models.ForeignKey(
        DiscussionThread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    last_read_at = models.DateTimeField(_("last read"))

    class Meta:
        verbose_name = _("discussion read mark")
        verbose_name_plural = _("discussion read marks")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="learning_discussion_read_unique")]

    def __str__(self) -> str:
        return f"{self.thread_id}:{self.user_id}"
