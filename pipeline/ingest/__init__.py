"""Ingest: corpus files -> cleaned text, sentences, references, citations, tables.

Public interface (used by the runner, the flow and the tests)::

    discover(corpus_dir) -> (list[SourceFile], list[Problem])
    ingest_document(src) -> DocIngest
    ingest_sources(srcs) -> (list[DocIngest], list[Problem])   # failures skipped
    ingest_corpus(corpus_dir) -> (list[DocIngest], list[Problem])
    ingest_tables(docs, problems) -> dict[str, pandas.DataFrame]
    write_ingest_outputs(tables, docs, out_dir) -> list[Path]

``ingest_tables``/``write_ingest_outputs`` import pandas lazily so the readers stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.ingest.discover import discover
from pipeline.ingest.document import (
    ingest_corpus,
    ingest_document,
    ingest_sources,
    ingest_text,
)
from pipeline.model import SourceFile

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from pipeline.model import DocIngest, Problem


def ingest_tables(docs: list[DocIngest], problems: list[Problem]) -> dict[str, pd.DataFrame]:
    from pipeline.ingest.tables import ingest_tables as _impl

    return _impl(docs, problems)


def write_ingest_outputs(
    tables: dict[str, pd.DataFrame], docs: list[DocIngest], out_dir: Path
) -> list[Path]:
    from pipeline.ingest.tables import write_ingest_outputs as _impl

    return _impl(tables, docs, out_dir)


__all__ = [
    "SourceFile",
    "discover",
    "ingest_corpus",
    "ingest_document",
    "ingest_sources",
    "ingest_tables",
    "ingest_text",
    "write_ingest_outputs",
]
