"""Ingest: corpus files -> cleaned text, sentences, references, citations, tables.

Public interface (used by the runner, the flow and the tests)::

    discover(corpus_dir) -> (list[SourceFile], list[Problem])
    ingest_document(src) -> DocIngest
    ingest_sources(srcs) -> (list[DocIngest], list[Problem])   # failures skipped
    ingest_corpus(corpus_dir) -> (list[DocIngest], list[Problem])

The tables made of these records are written by :mod:`pipeline.tables`.
"""

from __future__ import annotations

from pipeline.ingest.discover import discover
from pipeline.ingest.document import (
    ingest_corpus,
    ingest_document,
    ingest_sources,
    ingest_text,
)
from pipeline.model import SourceFile

__all__ = [
    "SourceFile",
    "discover",
    "ingest_corpus",
    "ingest_document",
    "ingest_sources",
    "ingest_text",
]
