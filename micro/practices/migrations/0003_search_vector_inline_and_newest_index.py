"""Faster public search on PostgreSQL (SQLite only gets the new index).

* ``search_vector`` is kept in the row (STORAGE MAIN, compressed) instead of the TOAST table:
  ranking every match read each vector through the TOAST index, which cost most of a search.
  The texts that are read for one page of rows (``translations``, ``search_document``) move out
  instead. Existing vectors are rewritten so that they move too.
* The GIN index is written at once (``fastupdate`` off): a pending list filled by a bulk change
  was scanned on every search until the next vacuum, and made the planner skip the index.
  Practices change a few times a day; searches run all the time.
* Newest first is read from an index that has the full order (``-published_at, -pk``).
"""

from django.db import migrations, models

GIN = "practices_practice_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE MAIN")
    # A changed value is stored again under the new rule; `|| ''` keeps every lexeme, position and weight.
    schema_editor.execute(
        "UPDATE practices_practice SET search_vector = search_vector || ''::tsvector WHERE search_vector IS NOT NULL"
    )
    schema_editor.execute(f"ALTER INDEX IF EXISTS {GIN} SET (fastupdate = off)")
    schema_editor.execute(f"SELECT gin_clean_pending_list('{GIN}'::regclass) WHERE to_regclass('{GIN}') IS NOT NULL")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {GIN} RESET (fastupdate)")
    schema_editor.execute("ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_search_vector_gin_index_on_postgresql")]

    operations = [
        migrations.RemoveIndex(model_name="practice", name="practice_status_published_idx"),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(fields=["status", "-published_at", "-id"], name="practice_status_newest_idx"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
