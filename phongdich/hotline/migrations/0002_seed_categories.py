"""The eight categories of the city's hotline with their first deadlines (data/categories.json)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "categories.json"


def seed(apps, schema_editor):
    RequestCategory = apps.get_model("hotline", "RequestCategory")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["categories"]:
        fields = {k: v for k, v in row.items() if k != "code"}
        RequestCategory.objects.get_or_create(code=row["code"], defaults=fields)


def unseed(apps, schema_editor):
    codes = [row["code"] for row in json.loads(DATA.read_text(encoding="utf-8"))["categories"]]
    apps.get_model("hotline", "RequestCategory").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
