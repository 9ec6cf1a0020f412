import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_lesson_discussions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="XapiStatement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("statement_id", models.UUIDField(editable=False, unique=True, verbose_name="statement id")),
                ("verb", models.CharField(max_length=200, verbose_name="verb")),
                ("statement", models.JSONField(verbose_name="statement")),
                ("timestamp", models.DateTimeField(verbose_name="happened")),
                ("stored_at", models.DateTimeField(auto_now_add=True, verbose_name="stored")),
                ("forwarded_at", models.DateTimeField(blank=True, null=True, verbose_name="forwarded")),
                ("forward_attempts", models.PositiveIntegerField(default=0, verbose_name="forwarding attempts")),
                ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last forwarding error")),
                ("claim_token", models.CharField(blank=True, editable=False, max_length=32, verbose_name="claimed by")),
                (
                    "claimed_until",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="claimed until"),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="learning.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "learner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="learner",
                    ),
                ),
            ],
            options={
                "verbose_name": "xAPI statement",
                "verbose_name_plural": "xAPI statements",
                "ordering": ["timestamp", "pk"],
                "indexes": [
                    models.Index(fields=["cohort", "timestamp"], name="learning_xapi_cohort_time"),
                    models.Index(
                        condition=models.Q(("forwarded_at__isnull", True)), fields=["id"], name="learning_xapi_pending"
                    ),
                ],
            },
        ),
    ]
