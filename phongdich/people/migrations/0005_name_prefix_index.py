"""On PostgreSQL, compare the folded name byte by byte (COLLATE "C"): it is plain ASCII, and so the
person_match index can serve both a prefix search ("nguyen van a…") and its ordering."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE people_person ALTER COLUMN name_search TYPE varchar(100) COLLATE "C"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE people_person ALTER COLUMN name_search TYPE varchar(100) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("people", "0004_lean_indexes")]
    operations = [migrations.RunPython(create, drop)]
