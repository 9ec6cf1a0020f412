from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_certificates")]

    operations: list[migrations.operations.base.Operation] = []
