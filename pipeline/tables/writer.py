"""Writing one table: checked once, CSV streamed and Parquet row groups, atomic replace.

Every exported table goes through :class:`TableWriter` (chunk by chunk, for streaming
runs) or :func:`write_table` (one Arrow table), so every file a person opens has been
checked, is UTF-8, and cannot be half-written: each file is written to a temporary
sibling and moved into place with ``os.replace``.

The CSV is written from the same Arrow pieces as the Parquet file, with Python's ``csv``
module as ``DataFrame.to_csv`` does (minimal quoting, ``\\n`` line ends, ``True``/``False``,
an empty cell for a null), and text cells a spreadsheet would run as a formula get a
leading apostrophe (OWASP); the Parquet file keeps the value as it is.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = r"^[=+\-@\t\r]"

# Rows a TableWriter gathers before it checks and writes them. A table shorter than this is
# checked once and written in one piece (one Parquet row group, the bytes ``write_table``
# writes); a longer one is written in pieces of at least this many rows (one row group
# each; same content). Bounds the memory a table holds.
BUFFER_ROWS = 65_536


def _is_text(type_: pa.DataType) -> bool:
    return pa.types.is_string(type_) or pa.types.is_large_string(type_)


def csv_columns(table: pa.Table) -> list[list[Any]]:
    """The table's columns as Python values for ``csv.writer``, formulas neutralised."""
    columns = []
    for col in table.columns:
        if col.null_count and not _is_text(col.type):  # numpy would make ints of nulls floats
            values = col.to_pylist()
        else:  # ten times faster than to_pylist
            values = col.to_numpy(zero_copy_only=False).tolist()
        if _is_text(col.type) and pc.any(pc.match_substring_regex(col, _FORMULA_START)).as_py():
            values = [
                "'" + v if v is not None and v.startswith(FORMULA_PREFIXES) else v for v in values
            ]
        columns.append(values)
    return columns


class TableWriter:
    """Write one table chunk by chunk, each chunk an Arrow table of ``schema``.

    Chunks are gathered up to ``buffer_rows`` rows, then checked (``validate``), appended
    to the CSV and written as one Parquet row group, both temporary siblings of
    ``<name>.csv`` and ``<name>.parquet``. Nothing replaces the targets until
    :meth:`commit`: used as a context manager, a clean exit commits (or, with
    ``defer_commit=True``, only closes, so that a caller commits several tables together)
    and an exception discards the temporary files, so a failed run leaves the previous
    outputs intact.

    ``partition_by`` names a column whose values each chunk must hold alone and in
    increasing order (every value of a chunk greater than every value of the chunks
    before). Unique keys that include that column, checked on each piece, then hold for
    the whole table, which no piece-wise check could otherwise promise.
    """

    def __init__(
        self,
        name: str,
        out_dir: Path,
        schema: pa.Schema,
        validate: Callable[[pa.Table], None] | None = None,
        parquet: bool = True,
        partition_by: str | None = None,
        defer_commit: bool = False,
        buffer_rows: int = BUFFER_ROWS,
    ) -> None:
        self.name = name
        self.out_dir = Path(out_dir)
        self.schema = schema
        self.validate = validate
        self.parquet = parquet
        self.partition_by = partition_by
        self.defer_commit = defer_commit
        self.buffer_rows = buffer_rows
        self.csv_path = self.out_dir / f"{name}.csv"
        self.parquet_path = self.out_dir / f"{name}.parquet"
        self.rows = 0
        self._last_key: Any = None
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._tmp: dict[Path, Path] = {}  # target -> temporary sibling
        self._csv: Any = None
        self._csv_writer: Any = None
        self._pq: pq.ParquetWriter | None = None
        self._closed = False

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()
            return
        self.close()
        if not self.defer_commit:
            self.commit()

    def _temp(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        self._tmp[target] = Path(tmp)
        return Path(tmp)

    def _check_partition(self, table: pa.Table) -> None:
        col = self.partition_by
        if col is None or table.num_rows == 0:
            return
        bounds = pc.min_max(table[col])
        lo, hi = bounds["min"].as_py(), bounds["max"].as_py()
        if self._last_key is not None and not lo > self._last_key:
            raise ValueError(
                f"table {self.name}: chunk starts at {col}={lo!r}, not after the previous "
                f"chunk's last {col}={self._last_key!r}; chunks must hold disjoint, "
                f"increasing {col} values"
            )
        self._last_key = hi

    def append(self, table: pa.Table) -> None:
        """Add ``table``'s rows (in the order given: callers sort)."""
        if self._closed:
            raise ValueError(f"table {self.name}: append after close")
        if not table.schema.equals(self.schema, check_metadata=False):
            got, want = (
                s.to_string(show_schema_metadata=False) for s in (table.schema, self.schema)
            )
            raise ValueError(
                f"table {self.name}: chunk schema {got} differs from the table's {want}"
            )
        self._check_partition(table)
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self.buffer_rows:
            self._flush()

    def _write(self, table: pa.Table) -> None:
        """Check and write one piece (the first one with the CSV header)."""
        table = table.replace_schema_metadata(self.schema.metadata)
        if self.validate is not None:
            self.validate(table)
        if self._csv is None:
            self._csv = self._temp(self.csv_path).open("w", encoding="utf-8", newline="")
            self._csv_writer = csv.writer(self._csv, lineterminator="\n")
            self._csv_writer.writerow(table.column_names)
        self._csv_writer.writerows(zip(*csv_columns(table), strict=True))
        if not self.parquet:
            return
        if self._pq is None:
            self._pq = pq.ParquetWriter(self._temp(self.parquet_path), self.schema)
        self._pq.write_table(table)

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending, self._pending_rows = self._pending, [], 0
        table = pending[0] if len(pending) == 1 else pa.concat_tables(pending)
        self._write(table.combine_chunks())

    def close(self) -> None:
        """Write what is gathered and finish the temporary files (nothing is replaced yet:
        see :meth:`commit`)."""
        if self._closed:
            return
        self._flush()
        if self._csv is None:  # no row at all: the header, and a Parquet file of no rows
            self._write(self.schema.empty_table())
        if self._pq is not None:
            self._pq.close()
        self._csv.close()
        self._closed = True

    def commit(self) -> Path:
        """Move the finished files over their targets; return the CSV path."""
        if not self._closed:
            raise ValueError(f"table {self.name}: commit before close")
        for target, tmp in list(self._tmp.items()):
            os.replace(tmp, target)
            del self._tmp[target]
        log.info("wrote %s (%d rows)", self.csv_path, self.rows)
        return self.csv_path

    def discard(self) -> None:
        """Close and delete the temporary files; the targets stay as they were."""
        if not self._closed:
            self._closed = True
            if self._csv is not None:
                self._csv.close()
            if self._pq is not None:
                self._pq.close()
        for tmp in self._tmp.values():
            if tmp.exists():
                tmp.unlink()
        self._tmp.clear()


def write_table(
    table: pa.Table,
    name: str,
    out_dir: Path,
    validate: Callable[[pa.Table], None] | None = None,
    parquet: bool = True,
) -> Path:
    """Check ``table`` and write ``<name>.csv`` (and ``<name>.parquet``) in one piece."""
    with TableWriter(
        name, out_dir, table.schema, validate, parquet=parquet, buffer_rows=max(1, table.num_rows)
    ) as writer:
        writer.append(table)
    return writer.csv_path


def write_frame(df: Any, name: str, out_dir: Path, parquet: bool = True) -> Path:
    """Write a pandas DataFrame of no declared table (the ``expand`` command's tables)."""
    return write_table(pa.Table.from_pandas(df, preserve_index=False), name, out_dir, None, parquet)
