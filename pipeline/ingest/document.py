"""Ingest one source or a whole corpus folder: decode, pick a reader, assemble records."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.ingest.assemble import assemble
from pipeline.ingest.discover import DEFAULT_MAX_BYTES, discover, read_source_text
from pipeline.ingest.readers import detect_reader
from pipeline.model import DocIngest, Problem, SourceFile

log = logging.getLogger(__name__)


def normalise_text(text: str) -> str:
    """Line endings to \\n, BOM and NUL removed; nothing else (readers own the cleaning)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\x00", "")


def ingest_text(src: SourceFile, text: str) -> DocIngest:
    """Records for one document whose decoded text is already in hand."""
    fmt, reader = detect_reader(normalise_text(text))
    draft = reader(normalise_text(text))
    log.debug("%s: format %s -> reader %s", src.file, fmt, draft.reader)
    return assemble(src, draft, len(text))


def ingest_document(src: SourceFile) -> DocIngest:
    """Read, clean and split one discovered source file."""
    return ingest_text(src, read_source_text(src))


def ingest_sources(sources: list[SourceFile]) -> tuple[list[DocIngest], list[Problem]]:
    """The documents of ``sources`` that ingest, and a Problem naming the error for each
    one that does not (skipped; the others are still ingested)."""
    docs: list[DocIngest] = []
    failed: list[Problem] = []
    for src in sources:
        try:
            docs.append(ingest_document(src))
        except (ValueError, OSError, UnicodeError) as exc:
            log.exception("ingest failed for %s", src.file)
            message = f"{type(exc).__name__}: {exc}"
            failed.append(Problem("ingest", src.file, src.doc_id, "skipped", message))
    return docs, failed


def ingest_corpus(
    corpus_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[DocIngest], list[Problem]]:
    """Every usable document of ``corpus_dir``; problems of discovery and of each document.

    A document whose ingest fails is skipped with a Problem naming the error; the others
    are still ingested. Per-document problems are also in each ``DocIngest.problems``;
    the returned list holds discovery problems plus those of failed documents.
    """
    sources, problems = discover(Path(corpus_dir), max_bytes=max_bytes)
    docs, failed = ingest_sources(sources)
    problems.extend(failed)
    log.info(
        "ingest: %d documents, %d sentences, %d references",
        len(docs),
        sum(len(d.sentences) for d in docs),
        sum(len(d.references) for d in docs),
    )
    return docs, problems
