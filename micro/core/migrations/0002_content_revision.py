from django.db import migrations, models


def create_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("core", "ContentRevision").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_audit_log")]

    operations = [
        migrations.CreateModel(
            name="ContentRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0, verbose_name="number")),
            ],
            options={"verbose_name": "content revision", "verbose_name_plural": "content revisions"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
