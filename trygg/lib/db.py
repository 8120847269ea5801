"""Bulk inserts for imports.

Django's bulk_create builds one statement with thousands of placeholders, which psycopg then
parses in Python. On PostgreSQL rows go through COPY instead; on SQLite through `executemany`
of a one-row statement. Column names come from the model, never from input.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    on_conflict_do_nothing: bool = False,
) -> None:
    """Insert plain rows into `model`'s table; values are prepared as the model's fields do."""
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),  # type: ignore[union-attr, arg-type]
        ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if on_conflict_do_nothing else "",
    )
    prepared = [
        [
            field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]
    if not prepared:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not on_conflict_do_nothing:
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table),
                ", ".join(quote(field.column) for field in fields),  # type: ignore[union-attr, arg-type]
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, prepared)
