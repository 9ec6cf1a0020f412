"""Model instances read with one plain SQL statement, for the few reads made on every request.

On those reads the ORM spent longer building a one-row query in Python than the database spent
answering it (docs/architecture.md, "Per-request reads in SQL"). The rows still go through the
same database converters as the ORM's, so a datetime is a datetime and a boolean a boolean on
SQLite and PostgreSQL alike, and the instances are ordinary model instances (``Model.from_db``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def select_instances(
    model: type[models.Model],
    *,
    alias: str,
    where: str,
    params: Sequence[Any],
    extra: Sequence[tuple[str, str]] = (),
    join: str = "",
    order_by: str = "",
) -> list[Any]:
    """``SELECT <every concrete column of model>, <extra> FROM <table> <alias> <join> WHERE <where>``.

    ``where``, ``join`` and ``order_by`` are SQL written by the caller, never user input (values
    go in ``params``). Each ``extra`` (attribute, SQL expression) is set on the instances as it
    comes from the database. A join that matches several rows gives one instance per row.
    """
    meta = model._meta
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    columns = [f"{alias}.{quote(str(field.column))}" for field in fields] + [sql for _name, sql in extra]
    sql = f"SELECT {', '.join(columns)} FROM {quote(meta.db_table)} {alias} {join} WHERE {where}"  # noqa: S608 - see docstring
    if order_by:
        sql += f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        rows = cursor.fetchall()
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    names = [field.attname for field in fields]
    instances = []
    for row in rows:
        values = list(row[: len(fields)])
        for index, column, found in converters:
            for converter in found:
                values[index] = converter(values[index], column, connection)
        instance = model.from_db(connection.alias, names, values)
        for offset, (name, _sql) in enumerate(extra):
            setattr(instance, name, row[len(fields) + offset])
        instances.append(instance)
    return instances
