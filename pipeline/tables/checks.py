"""Vectorised checks of a table before it is written (pyarrow.compute over whole columns).

Each check turns a column (or the table) into a boolean array, true where a row is valid,
so a table of any length is checked in a few C++ passes; a failure names the table, the
column, the check, how many rows fail and the first one. Regular expressions are RE2's
(Arrow's engine): ``\\d``, ``\\w`` and ``\\s`` are ASCII classes there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from pipeline.tables.specs import TableSpec


class TableCheckError(ValueError):
    """A table failed a check: nothing of it is written."""


@dataclass(frozen=True)
class Check:
    """A column check: ``valid(column) -> BooleanArray``."""

    name: str
    valid: Callable[[Any], Any]


@dataclass(frozen=True)
class RowCheck:
    """A check across columns: ``valid(table) -> BooleanArray``."""

    name: str
    valid: Callable[[pa.Table], Any]


def matches(pattern: str) -> Check:
    return Check(f"matches {pattern}", lambda col: pc.match_substring_regex(col, pattern))


def isin(values: Sequence[Any]) -> Check:
    value_set = pa.array(list(values))
    return Check(f"isin {list(values)}", lambda col: pc.is_in(col, value_set=value_set))


def ge(value: float) -> Check:
    return Check(f"greater_than_or_equal_to({value})", lambda col: pc.greater_equal(col, value))


def gt(value: float) -> Check:
    return Check(f"greater_than({value})", lambda col: pc.greater(col, value))


def eq(value: Any) -> Check:
    return Check(f"equal_to({value})", lambda col: pc.equal(col, value))


def in_range(low: float, high: float) -> Check:
    return Check(
        f"in_range({low}, {high})",
        lambda col: pc.and_(pc.greater_equal(col, low), pc.less_equal(col, high)),
    )


def min_length(n: int) -> Check:
    return Check(f"str_length(min_value={n})", lambda col: pc.greater_equal(pc.utf8_length(col), n))


def _fail(spec: TableSpec, where: str, check: str, valid: Any, table: pa.Table) -> None:
    bad = pc.invert(pc.fill_null(valid, False))
    n_bad = pc.sum(pc.cast(bad, pa.int64())).as_py() or 0
    if not n_bad:
        return
    row = pc.index(bad, True).as_py()
    first = {name: table[name][row].as_py() for name in table.column_names}
    raise TableCheckError(
        f"table {spec.name}: {where} fails {check} in {n_bad} of {table.num_rows} rows "
        f"(first: row {row}: {first})"
    )


def validate(spec: TableSpec, table: pa.Table) -> None:
    """Raise :class:`TableCheckError` unless every row of ``table`` passes ``spec``'s checks
    (no null outside a nullable column, each column's checks, the unique key, the row
    checks)."""
    if table.num_rows == 0:
        return
    for col in spec.columns:
        values = table[col.name]
        if not col.nullable and values.null_count:
            _fail(spec, f"column {col.name}", "not null", pc.is_valid(values), table)
        for check in col.checks:
            _fail(spec, f"column {col.name}", check.name, check.valid(values), table)
    if spec.unique:
        distinct = table.group_by(list(spec.unique)).aggregate([]).num_rows
        if distinct != table.num_rows:
            raise TableCheckError(
                f"table {spec.name}: {table.num_rows - distinct} rows repeat the key "
                f"{list(spec.unique)} of another row"
            )
    for check in spec.row_checks:
        _fail(spec, "a row", check.name, check.valid(table), table)
