"""Background work of the e-learning platform (Django Tasks: immediate in development and tests,
the database worker in production)."""

from __future__ import annotations

from django.tasks import task

from micro.learning.services import discussions


@task
def send_discussion_reply_emails(post_id: int) -> int:
    """Tell a thread's participants and the cohort's trainers about a new reply."""
    return discussions.reply_notify(post_id=post_id)
