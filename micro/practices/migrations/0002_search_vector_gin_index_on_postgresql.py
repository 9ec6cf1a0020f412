"""The GIN index that makes full-text search fast on PostgreSQL. SQLite has no tsvector and skips it."""

from django.db import migrations

INDEX = "practices_practice_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON practices_practice USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_practices_reviews_targets_reuse")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
