from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0005_lesson_discussions")]

    operations: list[migrations.operations.base.Operation] = []
