import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_certificates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DiscussionThread",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("title", models.CharField(max_length=160, verbose_name="title")),
                ("is_locked", models.BooleanField(default=False, verbose_name="locked")),
                ("locked_at", models.DateTimeField(blank=True, null=True, verbose_name="locked at")),
                ("last_posted_at", models.DateTimeField(db_index=True, verbose_name="last message")),
                ("post_count", models.PositiveIntegerField(default=0, verbose_name="messages")),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="started by",
                    ),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="discussion_threads",
                        to="learning.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learning.lesson",
                        verbose_name="lesson",
                    ),
                ),
                (
                    "locked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "discussion thread",
                "verbose_name_plural": "discussion threads",
                "ordering": ["-last_posted_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="DiscussionRead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_read_at", models.DateTimeField(verbose_name="last read")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="member",
                    ),
                ),
                (
                    "thread",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reads",
                        to="learning.discussionthread",
                        verbose_name="thread",
                    ),
                ),
            ],
            options={"verbose_name": "discussion read mark", "verbose_name_plural": "discussion read marks"},
        ),
        migrations.CreateModel(
            name="DiscussionPost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("body", models.TextField(max_length=5000, verbose_name="message")),
                ("body_html", models.TextField(blank=True, verbose_name="message as HTML")),
                ("fingerprint", models.CharField(db_index=True, max_length=64, verbose_name="fingerprint")),
                ("is_hidden", models.BooleanField(default=False, verbose_name="hidden")),
                ("hidden_reason", models.CharField(blank=True, max_length=300, verbose_name="reason for hiding")),
                ("hidden_at", models.DateTimeField(blank=True, null=True, verbose_name="hidden at")),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "hidden_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="hidden by",
                    ),
                ),
                (
                    "thread",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="posts",
                        to="learning.discussionthread",
                        verbose_name="thread",
                    ),
                ),
            ],
            options={
                "verbose_name": "discussion message",
                "verbose_name_plural": "discussion messages",
                "ordering": ["thread", "created_at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="discussionthread",
            index=models.Index(fields=["cohort", "lesson", "-last_posted_at"], name="learning_thread_lesson_idx"),
        ),
        migrations.AddConstraint(
            model_name="discussionread",
            constraint=models.UniqueConstraint(fields=("thread", "user"), name="learning_discussion_read_unique"),
        ),
    ]
