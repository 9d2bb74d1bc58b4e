"""Writing tidy tables: schema check, CSV + Parquet, formula neutralisation, atomic replace.

Every exported table goes through :func:`write_table` (a whole frame) or
:class:`TableWriter` (a table written in chunks, for streaming runs), so every file a person
opens has been validated, is UTF-8, and cannot be half-written: each file is written to a
temporary sibling and moved into place with ``os.replace``.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def records_frame(records: Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns`` from dataclass records or dicts.

    Built column by column with ``getattr``: ``dataclasses.asdict`` deep-copies every
    record and was the largest cost of writing the mentions table (benchmark profile).
    """
    rows = list(records)
    if rows and isinstance(rows[0], dict):
        return pd.DataFrame(rows, columns=list(columns))
    return pd.DataFrame({c: [getattr(r, c) for r in rows] for c in columns}, columns=list(columns))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe (OWASP)."""
    out = df.copy()
    for col in out.columns:
        if not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            continue
        risky = out[col].str.startswith(_FORMULA_PREFIXES, na=False).astype(bool)
        if risky.any():  # most columns have no such cell: leave them untouched
            out.loc[risky, col] = "'" + out.loc[risky, col]
    return out


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; on success move it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_table(
    df: pd.DataFrame,
    name: str,
    out_dir: Path,
    schema: Any = None,
    parquet: bool = True,
) -> Path:
    """Validate ``df`` (a pandera schema, if given) and write ``<name>.csv`` and ``<name>.parquet``.

    Rows are written in the order given: callers sort, so that two runs give identical bytes.
    """
    if schema is not None:
        df = schema.validate(df)
    out_dir = Path(out_dir)
    csv_path = out_dir / f"{name}.csv"
    with atomic_path(csv_path) as tmp:
        neutralise_formulas(df).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    if parquet:
        with atomic_path(out_dir / f"{name}.parquet") as tmp:
            df.to_parquet(tmp, index=False)
    log.info("wrote %s (%d rows)", csv_path, len(df))
    return csv_path


# Rows a TableWriter gathers before it validates and writes them. A table shorter than this is
# validated once and written in one piece, so its files are the very bytes write_table
# writes; a longer one is written in pieces of at least this many rows (Parquet: one row
# group each; same content). Bounds the memory a table holds.
BUFFER_ROWS = 65_536


class TableWriter:
    """Write one table chunk by chunk, with :func:`write_table`'s guarantees.

    Chunks are gathered up to ``buffer_rows`` rows, then validated with ``schema``
    (pandera), written to the CSV (formulas neutralised) and to the Parquet file, both
    temporary siblings of ``<name>.csv`` and ``<name>.parquet``. The Parquet schema is
    fixed by the first rows written; later rows of other columns or types are an error.
    Nothing replaces the targets until :meth:`commit`: used as a context manager, a clean
    exit commits (or, with ``defer_commit=True``, only closes, so that a caller commits
    several tables together) and an exception discards the temporary files, so a failed
    run leaves the previous outputs intact.

    ``partition_by`` names a column whose values each chunk must hold alone and in
    increasing order (every value of a chunk greater than every value of the chunks
    before). A schema's ``unique`` and sort checks keyed on that column, run on each piece,
    then hold for the whole table, which no piece-wise validation could otherwise promise.
    """

    def __init__(
        self,
        name: str,
        out_dir: Path,
        schema: Any = None,
        parquet: bool = True,
        partition_by: str | None = None,
        defer_commit: bool = False,
        buffer_rows: int = BUFFER_ROWS,
    ) -> None:
        self.name = name
        self.out_dir = Path(out_dir)
        self.schema = schema
        self.parquet = parquet
        self.partition_by = partition_by
        self.defer_commit = defer_commit
        self.buffer_rows = buffer_rows
        self.csv_path = self.out_dir / f"{name}.csv"
        self.parquet_path = self.out_dir / f"{name}.parquet"
        self.rows = 0
        self._columns: list[str] | None = None
        self._empty: pd.DataFrame | None = None  # the first chunk, if it had no rows
        self._dtypes: list[Any] = []  # of the first chunk with rows: every later one's
        self._last_key: Any = None
        self._pending: list[pd.DataFrame] = []
        self._pending_rows = 0
        self._tmp: dict[Path, Path] = {}  # target -> temporary sibling
        self._csv: Any = None
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

    def _check_partition(self, df: pd.DataFrame) -> None:
        col = self.partition_by
        if col is None or df.empty:
            return
        lo, hi = df[col].min(), df[col].max()
        if self._last_key is not None and not lo > self._last_key:
            raise ValueError(
                f"table {self.name}: chunk starts at {col}={lo!r}, not after the previous "
                f"chunk's last {col}={self._last_key!r}; chunks must hold disjoint, "
                f"increasing {col} values"
            )
        self._last_key = hi

    def append(self, df: pd.DataFrame) -> None:
        """Add ``df``'s rows (in the order given: callers sort)."""
        if self._closed:
            raise ValueError(f"table {self.name}: append after close")
        if self._columns is None:
            self._columns = [str(c) for c in df.columns]
        elif [str(c) for c in df.columns] != self._columns:
            raise ValueError(
                f"table {self.name}: chunk columns {list(df.columns)} differ from the first "
                f"chunk's {self._columns}"
            )
        self._check_partition(df)
        if df.empty:  # nothing to write; kept only if the whole table turns out empty
            if self._empty is None:
                self._empty = df
            return
        if self._pending or self._csv is not None:
            first = self._dtypes
            if list(df.dtypes) != first:
                raise ValueError(
                    f"table {self.name}: chunk dtypes {list(df.dtypes)} differ from the first "
                    f"rows' {first} (a concatenation would change the written values)"
                )
        else:
            self._dtypes = list(df.dtypes)
        self._pending.append(df)
        self._pending_rows += len(df)
        self.rows += len(df)
        if self._pending_rows >= self.buffer_rows:
            self._flush()

    def _write(self, df: pd.DataFrame) -> None:
        """Validate and write one piece (the first one with the CSV header)."""
        if self.schema is not None:
            df = self.schema.validate(df)
        if self._csv is None:
            self._csv = self._temp(self.csv_path).open("w", encoding="utf-8", newline="")
            neutralise_formulas(df).to_csv(self._csv, index=False, lineterminator="\n")
        else:
            neutralise_formulas(df).to_csv(
                self._csv, index=False, header=False, lineterminator="\n"
            )
        if not self.parquet:
            return
        if self._pq is None:
            if df.empty:  # the whole table is empty: as write_table writes it
                df.to_parquet(self._temp(self.parquet_path), index=False)
                return
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._pq = pq.ParquetWriter(self._temp(self.parquet_path), table.schema)
        else:
            try:
                table = pa.Table.from_pandas(df, schema=self._pq.schema, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise ValueError(
                    f"table {self.name}: rows whose types do not match the Parquet schema of "
                    f"the first rows written: {exc}"
                ) from exc
        self._pq.write_table(table)

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending, self._pending_rows = self._pending, [], 0
        self._write(pending[0] if len(pending) == 1 else pd.concat(pending, ignore_index=True))

    def close(self) -> None:
        """Write what is gathered and finish the temporary files (nothing is replaced yet:
        see :meth:`commit`)."""
        if self._closed:
            return
        if self._columns is None:
            raise ValueError(f"table {self.name}: nothing appended, not even an empty frame")
        self._flush()
        if self._csv is None:  # every chunk was empty
            self._write(self._empty)
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
