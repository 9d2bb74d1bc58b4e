"""Writing tidy tables: schema check, CSV + Parquet, formula neutralisation, atomic replace.

Every exported table goes through :func:`write_table`, so every file a person opens
has been validated, is UTF-8, and cannot be half-written: each file is written to a
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
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_PREFIXES) else v
            )
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
