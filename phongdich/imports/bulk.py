"""Inserting many rows at once: PostgreSQL COPY with ids taken from the sequence first, bulk_create elsewhere."""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def bulk_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, fields: Sequence[str]) -> list[int]:
    """Insert `rows` (field name → value, the same `fields` in each) and return their new ids in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=1000)
        return [obj.pk for obj in objs]
    table = model._meta.db_table
    # Columns the rows leave out get the model's default ("" or NULL when it has none), as bulk_create would.
    given = {model._meta.get_field(f).attname for f in fields}
    defaults = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
    default_values = tuple(
        json.dumps(f.get_default()) if isinstance(f, models.JSONField) else f.get_default() for f in defaults
    )
    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in (model._meta.pk, *map(model._meta.get_field, fields), *defaults)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [r[0] for r in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *(row[f] for f in fields), *default_values))
    return ids


def in_list(values: Sequence[Any]) -> tuple[str, Any]:
    """SQL `<column> IN …` as one parameter however long the list: `= ANY(%s)` on PostgreSQL,
    json_each on SQLite. Thousands of placeholders cost more to build than the query takes to run."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", list(values)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(values), default=str)


def select_in(sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run `sql`, whose `{in}` stands after a column, for rows whose column is one of `values`."""
    if not values:
        return []
    fragment, param = in_list(values)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**{"in": fragment}), [param])
        return cursor.fetchall()
