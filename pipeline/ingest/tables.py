"""Ingest records -> tidy tables (one kind per table) and writing them.

Rows are sorted by document and position, so two runs over the same corpus give
byte-identical files. The cleaned text is not a column of ``documents`` (a cell of
tens of kilobytes helps nobody in a spreadsheet): it is written to
``<out>/clean/<doc_id>.txt`` and the table records that path.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.export import records_frame, write_table, write_text_atomic
from pipeline.model import (
    Abbreviation,
    Citation,
    DocIngest,
    Document,
    Problem,
    Reference,
    Sentence,
    TableCell,
)
from pipeline.schemas import INGEST_SCHEMAS

CLEAN_DIR = "clean"
DOCUMENT_COLUMNS = [c for c in Document.columns() if c != "text"] + ["clean_text_path"]
_INT = {
    "sentences": ["sentence_index", "char_start", "char_end"],
    "references": ["number"],
    "citations": ["sentence_index", "ref_number"],
    "tables": ["row_index"],
    "documents": ["n_chars_raw", "n_chars_clean"],
}
_BOOL = {
    "sentences": ["is_caption", "is_title"],
    "references": ["filled"],
    "citations": ["resolved"],
}


def clean_text_relpath(doc_id: str) -> str:
    return f"{CLEAN_DIR}/{doc_id}.txt"


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Stable dtypes, also for empty tables (an empty frame has object columns)."""
    for col in df.columns:
        if col in _INT.get(name, []):
            df[col] = df[col].astype("int64")
        elif col in _BOOL.get(name, []):
            df[col] = df[col].astype("bool")
        elif col == "ref_number":
            df[col] = df[col].astype("Int64")
        else:
            df[col] = df[col].fillna("").astype(str)
    return df


def ingest_tables(docs: list[DocIngest], problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """The seven ingest tables, typed and sorted (documents, sentences, references,
    citations, tables, abbreviations, problems). ``problems`` are run-level problems;
    each document's own problems are added from ``DocIngest.problems``."""
    docs = sorted(docs, key=lambda d: d.document.doc_id)
    doc_rows = []
    for d in docs:
        row = d.document.to_row()
        row.pop("text")
        row["clean_text_path"] = clean_text_relpath(d.document.doc_id)
        doc_rows.append(row)
    all_problems = list(problems) + [p for d in docs for p in d.problems]
    frames = {
        "documents": records_frame(doc_rows, DOCUMENT_COLUMNS),
        "sentences": records_frame([s for d in docs for s in d.sentences], Sentence.columns()),
        "references": records_frame([r for d in docs for r in d.references], Reference.columns()),
        "citations": records_frame([c for d in docs for c in d.citations], Citation.columns()),
        "tables": records_frame([t for d in docs for t in d.tables], TableCell.columns()),
        "abbreviations": records_frame(
            [a for d in docs for a in d.abbreviations], Abbreviation.columns()
        ),
        "problems": records_frame(all_problems, Problem.columns()),
    }
    sort_keys = {
        "sentences": ["doc_id", "sentence_index"],
        "references": ["doc_id", "number"],
        "citations": ["doc_id", "sentence_index", "ref_number", "marker"],
        "tables": ["doc_id", "table_id", "row_index"],
        "abbreviations": ["doc_id", "short", "long"],
        "problems": ["stage", "file", "severity", "message"],
    }
    out = {}
    for name, df in frames.items():
        df = _typed(name, df)
        if name in sort_keys and len(df):
            df = df.sort_values(sort_keys[name], kind="mergesort").reset_index(drop=True)
        out[name] = df
    return out


def write_ingest_outputs(
    tables: dict[str, pd.DataFrame], docs: list[DocIngest], out_dir: Path
) -> list[Path]:
    """Write every table (CSV + Parquet, schema-checked, atomic) and the cleaned texts."""
    out_dir = Path(out_dir)
    written = []
    for d in sorted(docs, key=lambda d: d.document.doc_id):
        path = out_dir / clean_text_relpath(d.document.doc_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, d.document.text)
        written.append(path)
    for name, df in tables.items():
        written.append(write_table(df, name, out_dir, schema=INGEST_SCHEMAS.get(name)))
    return written
