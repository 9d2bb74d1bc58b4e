"""The exported tables: one shape per table, derived from the records of :mod:`pipeline.model`.

Modules, each with one job:

- ``specs``: every table's columns (the record's fields), types, row order, unique key and
  checks; ``SPECS`` by name;
- ``checks``: the vectorised checks a table passes before it is written;
- ``arrow``: records -> Arrow table, in the spec's order and types;
- ``rows``: which records make which table (per document, per triple bucket, per run);
- ``writer``: one table's CSV + Parquet files (streamed, atomic);
- ``files``: atomic files and the staged cleaned texts;
- ``datapackage``: ``datapackage.json`` from the specs;
- ``outputs``: a run's whole output set, committed at once.
"""

from __future__ import annotations

from pipeline.tables.arrow import to_arrow
from pipeline.tables.checks import TableCheckError, validate
from pipeline.tables.files import atomic_path, write_text_atomic
from pipeline.tables.outputs import RunOutputs, table_writer, write_outputs
from pipeline.tables.specs import (
    DOCUMENT_TABLES,
    INGEST_TABLES,
    SPECS,
    TableSpec,
    clean_text_relpath,
)
from pipeline.tables.writer import FORMULA_PREFIXES, TableWriter, write_frame, write_table

__all__ = [
    "DOCUMENT_TABLES",
    "FORMULA_PREFIXES",
    "INGEST_TABLES",
    "SPECS",
    "RunOutputs",
    "TableCheckError",
    "TableSpec",
    "TableWriter",
    "atomic_path",
    "clean_text_relpath",
    "table_writer",
    "to_arrow",
    "validate",
    "write_frame",
    "write_outputs",
    "write_table",
    "write_text_atomic",
]
