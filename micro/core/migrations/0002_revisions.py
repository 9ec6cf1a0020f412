from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_audit_log")]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40, unique=True, verbose_name="name")),
                ("number", models.BigIntegerField(default=0, verbose_name="number")),
            ],
            options={"verbose_name": "revision", "verbose_name_plural": "revisions"},
        ),
    ]
