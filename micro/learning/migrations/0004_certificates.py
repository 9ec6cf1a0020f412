import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_cohort_pre_post_tests_self_assessment_and_survey"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Certificate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "public_id",
                    models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="public identifier"),
                ),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("holder_name", models.CharField(max_length=150, verbose_name="holder's name")),
                ("minutes", models.PositiveIntegerField(default=0, verbose_name="estimated minutes of study")),
                ("issued_at", models.DateTimeField(verbose_name="issued")),
                ("credential", models.JSONField(verbose_name="signed credential")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "revocation_reason",
                    models.TextField(blank=True, max_length=1000, verbose_name="reason for revocation"),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificates",
                        to="learning.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificates",
                        to="learning.course",
                        verbose_name="course",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
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
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "certificate",
                "verbose_name_plural": "certificates",
                "ordering": ["-issued_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cohort__isnull", True)),
                        fields=("learner", "course"),
                        name="learning_certificate_one_per_course",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("cohort__isnull", False)),
                        fields=("learner", "cohort"),
                        name="learning_certificate_one_per_cohort",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("revoked_at__isnull", True),
                            models.Q(("revocation_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="learning_certificate_revocation_has_reason",
                    ),
                ],
            },
        ),
    ]
