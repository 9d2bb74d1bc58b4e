"""Loading the report's tables from an export folder (``extracted/``).

Kept apart from rendering: the flow may load the same tables from the knowledge base and
call :func:`pipeline.report.build_report` directly. Parquet is preferred when present,
because the CSVs carry the formula neutralisation (a leading apostrophe) of
:mod:`pipeline.tables.writer`, which is undone here for CSV-only folders.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from pipeline.report.prepare import REQUIRED_TABLES, TABLE_COLUMNS
from pipeline.tables import FORMULA_PREFIXES

log = logging.getLogger(__name__)


def _undo_neutralisation(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def read_table(extracted_dir: Path, name: str) -> pd.DataFrame | None:
    """``<name>.parquet`` if present, else ``<name>.csv`` (as strings), else None."""
    parquet = extracted_dir / f"{name}.parquet"
    csv = extracted_dir / f"{name}.csv"
    if parquet.is_file():
        return pd.read_parquet(parquet)
    if csv.is_file():
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
        for col in df.columns:
            df[col] = df[col].map(_undo_neutralisation)
        return df
    return None


def load_tables(extracted_dir: Path | str) -> dict[str, pd.DataFrame]:
    """The report's tables from an export folder; optional tables that are absent are empty.

    Raises ``FileNotFoundError`` naming the folder if triples or evidence are missing.
    """
    extracted_dir = Path(extracted_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name, columns in TABLE_COLUMNS.items():
        df = read_table(extracted_dir, name)
        if df is None:
            if name in REQUIRED_TABLES:
                raise FileNotFoundError(
                    f"report: no {name}.csv or {name}.parquet in {extracted_dir} "
                    "(run `python -m pipeline extract` or the flow first)"
                )
            log.info("report: %s not found in %s; that part of the report stays empty",
                     name, extracted_dir)  # fmt: skip
            df = pd.DataFrame(columns=columns)
        tables[name] = df
    return tables
