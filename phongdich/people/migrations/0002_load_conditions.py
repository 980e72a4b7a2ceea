"""Load the MoH list of underlying conditions from people/data/conditions.json (idempotent)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "conditions.json"


def load(apps, schema_editor):
    Condition = apps.get_model("people", "Condition")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for item in data["conditions"]:
        Condition.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "document": data["document"]}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
