"""Model instances from fixed SQL statements, for the few queries every staff request runs.

Compiling a queryset (filters, joins, select list) cost more CPU than the database took to answer the small
lookups each staff page makes (issue 17, decisions 0175, 0176); these statements are written once and read
rows the ORM would read. ``columns(model, fields, table_alias)`` → the select list; ``instances(model, fields,
rows)`` → model instances as the ORM builds them (``from_db``, values through the same database converters,
other fields deferred and loaded on first access). Callers keep the statement next to the queryset it
replaces and a test compares both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)

_CONVERTERS: dict[tuple[type[Model], tuple[str, ...], str], list[tuple[list[Any], Any]]] = {}


def ordered(model: type[Model], fields: Iterable[str]) -> tuple[str, ...]:
    """The attribute names (``owner_id``, not ``owner``) in the model's field order, as ``from_db`` wants them."""
    wanted = set(fields)
    result = tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)
    if len(result) != len(wanted):
        raise ValueError(f"unknown fields of {model.__name__}: {sorted(wanted - set(result))}")
    return result


def columns(model: type[Model], fields: Iterable[str], table_alias: str = "") -> str:
    """``"alias"."column", …`` for the fields, in the order of ``ordered(model, fields)``."""
    prefix = f'"{table_alias}".' if table_alias else ""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return ", ".join(f'{prefix}"{by_attname[name].column}"' for name in ordered(model, fields))


def _converters(model: type[Model], fields: tuple[str, ...]) -> list[tuple[list[Any], Any]]:
    key = (model, fields, connection.vendor)
    found = _CONVERTERS.get(key)
    if found is None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        found = []
        for name in fields:
            col = by_attname[name].get_col(model._meta.db_table)
            found.append((connection.ops.get_db_converters(col) + col.get_db_converters(connection), col))
        _CONVERTERS[key] = found
    return found


def instances(model: type[M], fields: Iterable[str], rows: Iterable[Sequence[Any]]) -> list[M]:
    """One instance per row, whose values are the ``columns(model, fields)`` (then nothing else)."""
    names = ordered(model, fields)
    converters = _converters(model, names)
    result = []
    for row in rows:
        values = list(row)
        for index, (functions, col) in enumerate(converters):
            for function in functions:
                values[index] = function(values[index], col, connection)
        result.append(model.from_db(connection.alias, names, values))
    return result
