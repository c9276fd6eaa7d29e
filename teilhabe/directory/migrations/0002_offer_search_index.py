"""GIN index for German full-text search on PostgreSQL; SQLite searches by substring and needs none."""

from django.db import migrations

INDEX = "directory_offer_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_offer "
        "USING gin (to_tsvector('german'::regconfig, search_text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
