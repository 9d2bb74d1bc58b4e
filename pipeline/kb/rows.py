"""Reading and writing many rows: chunked IN lists, and records through the driver."""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

# Bound parameters per IN (...) list: well below SQLite's and PostgreSQL's limits.
CHUNK = 500


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@functools.cache
def _bool_fields(cls: type) -> tuple[int, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(i for i, name in enumerate(cls.columns()) if hints[name] is bool)  # type: ignore[attr-defined]


def fetch_records(conn: Any, query: Any, cls: type) -> list[Any]:
    """``cls`` records from ``query`` (selecting ``cls.columns()`` in order, no bound
    parameters) through the driver's own cursor: SQLAlchemy's per-row objects were most
    of the time of an export. Booleans come back as such from either database."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=conn.dialect)))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    flags = _bool_fields(cls)
    if not flags:
        return [cls(*row) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for i in flags:
            values[i] = bool(values[i])
        out.append(cls(*values))
    return out


def insert_rows(conn: Any, table: Any, rows: Sequence[tuple], columns: Sequence[str]) -> None:
    """Insert ``rows`` (tuples of values in ``columns`` order; text, numbers and booleans
    only) with one executemany through the driver: SQLAlchemy's per-row parameter
    processing was a third of a batch's knowledge-base write."""
    if not rows:
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(columns))
    if not compiled.positional:
        params: list[Any] = [dict(zip(columns, row, strict=True)) for row in rows]
    elif list(compiled.positiontup) == list(columns):
        params = list(rows)
    else:
        at = [list(columns).index(c) for c in compiled.positiontup]
        params = [tuple(row[i] for i in at) for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def rows_in(conn: Any, table: Any, column: str, values: Sequence[Any]) -> list[Any]:
    """All rows of ``table`` whose ``column`` is in ``values`` (chunked IN lists)."""
    out: list[Any] = []
    col = table.c[column]
    for part in chunks(sorted(set(values))):
        out.extend(conn.execute(select(table).where(col.in_(part))).all())
    return out


def delete_in(conn: Any, table: Any, column: str, values: Sequence[Any]) -> int:
    n = 0
    col = table.c[column]
    for part in chunks(sorted(set(values))):
        n += conn.execute(table.delete().where(col.in_(part))).rowcount or 0
    return n
