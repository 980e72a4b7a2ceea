"""On PostgreSQL, a trigram index so that name search without diacritics ("nguyen van a") stays fast."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_name_trgm ON people_person USING gin (name_search gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_load_conditions")]
    operations = [migrations.RunPython(create, drop)]
