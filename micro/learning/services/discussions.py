"""Writes of the lesson discussions: start a thread, reply, mark as read, and moderation (hide a
post with a reason, lock or unlock a thread), with e-mail notifications of new replies.

* Markdown is rendered and sanitised once, when written (``micro.core.sanitize.render_markdown``).
* A doubled submission (same author, same text, same place within ``DUPLICATE_WINDOW``) returns
  the message already stored instead of a second copy; posting faster than ``RATE_LIMIT`` per
  ``RATE_WINDOW`` is refused with a clear message. Both are checked in the database, so they hold
  across processes.
* Moderation is written to the audit log. Emails leave after the commit, through a task.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from micro.accounts.models import User
from micro.core.sanitize import render_markdown
from micro.core.services import audit_record
from micro.learning.models import Cohort, Lesson
from micro.learning.models.discussions import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    DiscussionPost,
    DiscussionRead,
    DiscussionThread,
)

DUPLICATE_WINDOW = timedelta(minutes=10)
RATE_WINDOW = timedelta(minutes=1)
RATE_LIMIT = 5


def fingerprint(*parts: str) -> str:
    """The same text typed twice (spacing and case aside) gives the same fingerprint."""
    normalised = "\x1f".join(" ".join(part.split()).casefold() for part in parts)
    return hashlib.sha256(normalised.encode()).hexdigest()


def _clean_text(value: str, *, limit: int, empty_message: str) -> str:
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError(empty_message)
    if len(text) > limit:
        raise ValidationError(
            _("Please keep it under %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(text)}
        )
    return text


def _check_rate(author: Any, now: datetime) -> None:
    recent = DiscussionPost.objects.filter(author_id=author.pk, created_at__gte=now - RATE_WINDOW).count()
    if recent >= RATE_LIMIT:
        raise ValidationError(_("You are writing very fast. Please wait a minute before you post again."))


def _new_post(*, thread: DiscussionThread, author: Any, body: str, print_: str, now: datetime) -> DiscussionPost:
    post = DiscussionPost(thread=thread, author=author, body=body, body_html=render_markdown(body), fingerprint=print_)
    post.full_clean()
    post.save()
    # ``created_at`` is set on insert; keep the moment the service was given (the same as now,
    # except for imported or demo messages), so read marks and duplicate checks agree with it.
    DiscussionPost.objects.filter(pk=post.pk).update(created_at=now)
    post.created_at = now
    return post


@transaction.atomic
def thread_start(
    *, cohort: Cohort, lesson: Lesson, author: Any, title: str, body: str, now: datetime | None = None
) -> tuple[DiscussionThread, bool]:
    """Open a thread on ``lesson`` in ``cohort``; returns (thread, created). The caller has checked
    that ``author`` is a member of the cohort and the lesson belongs to its course."""
    now = now or timezone.now()
    title = _clean_text(title, limit=TITLE_MAX, empty_message=_("Please give the thread a title."))
    body = _clean_text(body, limit=BODY_MAX, empty_message=_("Please write a message."))
    print_ = fingerprint(title, body)
    User.objects.select_for_update().filter(pk=author.pk).first()  # serialise one author's posts
    doubled = (
        DiscussionPost.objects.filter(
            author_id=author.pk,
            fingerprint=print_,
            thread__cohort=cohort,
            thread__lesson=lesson,
            created_at__gte=now - DUPLICATE_WINDOW,
        )
        .select_related("thread")
        .first()
    )
    if doubled is not None:
        return doubled.thread, False
    _check_rate(author, now)
    thread = DiscussionThread(
        cohort=cohort, lesson=lesson, author=author, title=title, last_posted_at=now, post_count=1
    )
    thread.full_clean()
    thread.save()
    _new_post(thread=thread, author=author, body=body, print_=print_, now=now)
    DiscussionRead.objects.update_or_create(thread=thread, user=author, defaults={"last_read_at": now})
    return thread, True


@transaction.atomic
def post_reply(
    *, thread: DiscussionThread, author: Any, body: str, now: datetime | None = None, notify: bool = True
) -> tuple[DiscussionPost, bool]:
    """Add a reply; returns (post, created). Refused in a locked thread. ``notify=False`` (demo
    data) sends no e-mail."""
    now = now or timezone.now()
    body = _clean_text(body, limit=BODY_MAX, empty_message=_("Please write a message."))
    User.objects.select_for_update().filter(pk=author.pk).first()
    locked = DiscussionThread.objects.select_for_update().get(pk=thread.pk)
    if locked.is_locked:
        raise ValidationError(_("This thread is locked: no new replies can be added."))
    print_ = fingerprint(body)
    doubled = DiscussionPost.objects.filter(
        thread=thread, author_id=author.pk, fingerprint=print_, created_at__gte=now - DUPLICATE_WINDOW
    ).first()
    if doubled is not None:
        return doubled, False
    _check_rate(author, now)
    post = _new_post(thread=locked, author=author, body=body, print_=print_, now=now)
    DiscussionThread.objects.filter(pk=thread.pk).update(last_posted_at=now, post_count=F("post_count") + 1)
    DiscussionRead.objects.update_or_create(thread=thread, user=author, defaults={"last_read_at": now})
    if notify:
        _enqueue_notification(post.pk)
    return post, True


def _enqueue_notification(post_id: int) -> None:
    from micro.learning.tasks import send_discussion_reply_emails

    transaction.on_commit(lambda: send_discussion_reply_emails.enqueue(post_id=post_id))


def thread_mark_read(*, thread: DiscussionThread, user: Any, now: datetime | None = None) -> None:
    DiscussionRead.objects.update_or_create(thread=thread, user=user, defaults={"last_read_at": now or timezone.now()})


@transaction.atomic
def post_hide(
    *, post: DiscussionPost, by: Any, reason: str, request: HttpRequest | None = None
) -> tuple[DiscussionPost, bool]:
    """Hide a message from the members, with a reason they can read; returns (post, changed).
    The caller has checked that ``by`` moderates the cohort."""
    reason = _clean_text(reason, limit=REASON_MAX, empty_message=_("Please say why the message is hidden."))
    post = DiscussionPost.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        return post, False
    post.is_hidden = True
    post.hidden_reason = reason
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.full_clean()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    audit_record(
        action="learning.discussion.hide",
        actor=by,
        obj=post,
        request=request,
        detail={"thread": post.thread_id, "reason": reason},
    )
    return post, True


@transaction.atomic
def thread_lock(
    *, thread: DiscussionThread, by: Any, locked: bool, request: HttpRequest | None = None
) -> tuple[DiscussionThread, bool]:
    """Lock (no more replies) or unlock a thread; returns (thread, changed)."""
    thread = DiscussionThread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked == locked:
        return thread, False
    thread.is_locked = locked
    thread.locked_by = by if locked else None
    thread.locked_at = timezone.now() if locked else None
    thread.save(update_fields=["is_locked", "locked_by", "locked_at", "updated_at"])
    audit_record(
        action="learning.discussion.lock" if locked else "learning.discussion.unlock",
        actor=by,
        obj=thread,
        request=request,
        detail={"cohort": thread.cohort_id, "lesson": thread.lesson_id},
    )
    return thread, True


def thread_url(thread: DiscussionThread) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "learning:discussion_thread", kwargs={"cohort_id": thread.cohort_id, "thread_id": thread.pk}
    )


def reply_recipients(post: DiscussionPost) -> list[Any]:
    """Everyone who wrote in the thread, and the cohort's trainers; never the reply's author."""
    thread = post.thread
    author_ids = set(
        DiscussionPost.objects.filter(thread=thread, author__isnull=False).values_list("author_id", flat=True)
    )
    trainer_ids = set(thread.cohort.trainers.values_list("pk", flat=True))
    ids = (author_ids | trainer_ids) - {post.author_id}
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))


def reply_notify(*, post_id: int) -> int:
    """E-mail each recipient, in their language, that a reply arrived; returns the number sent.
    Nothing is sent for a message hidden (or deleted) before the task ran."""
    post = DiscussionPost.objects.select_related("thread__cohort", "author").filter(pk=post_id).first()
    if post is None or post.is_hidden:
        return 0
    sent = 0
    for recipient in reply_recipients(post):
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("New reply in “%(title)s”") % {"title": post.thread.title}
            body = "\n\n".join(
                [
                    _("%(name)s replied in the discussion “%(title)s” of the cohort %(cohort)s.")
                    % {
                        "name": str(post.author) if post.author else _("A member"),
                        "title": post.thread.title,
                        "cohort": post.thread.cohort.name,
                    },
                    post.body[:1000],
                    _("Read and answer: %(link)s") % {"link": thread_url(post.thread)},
                ]
            )
        sent += send_mail(subject.replace("\n", " ")[:200], body, None, [recipient.email])
    return sent
