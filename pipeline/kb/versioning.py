"""The extraction version: what, besides a document's text, decides what we extract from it.

A document is re-extracted when its content hash *or* this version changes. The version
is a hash of the source of every stage that shapes the knowledge base's content (ingest,
NLP, extraction, assembly, the data model) and of every knowledge-pack file, plus the
versions of any installed scispacy model (installing one changes the NER output).
Comments and formatting count too: a false "changed" only costs a re-extraction, while a
missed change would leave stale triples.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Paths relative to the ``pipeline`` package whose content defines the extraction.
VERSIONED_PATHS = (
    "ingest",
    "nlp",
    "extract",
    "prefilter.py",
    "assembly.py",
    "model.py",
    "resources",
)

# scispacy models the NER stage uses when installed.
SCISPACY_MODELS = (
    "en_core_sci_sm",
    "en_core_sci_md",
    "en_core_sci_lg",
    "en_ner_bc5cdr_md",
    "en_ner_bionlp13cg_md",
    "en_ner_craft_md",
    "en_ner_jnlpba_md",
)


def _versioned_files(root: Path, paths: tuple[str, ...] = VERSIONED_PATHS) -> list[Path]:
    files: list[Path] = []
    for rel in paths:
        path = root / rel
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")
            )
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def installed_models() -> list[str]:
    """``name==version`` of each installed scispacy model, sorted."""
    found = []
    for name in SCISPACY_MODELS:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return found


def compute_extraction_version(root: Path = PACKAGE_DIR) -> str:
    """Hash of the extraction code, the knowledge pack and installed models (16 hex digits)."""
    h = hashlib.sha256()
    for path in _versioned_files(root):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    for model in installed_models():
        h.update(model.encode("utf-8") + b"\0")
    return "x" + h.hexdigest()[:15]


# Code that shapes the exported files from the knowledge base's records.
EXPORT_PATHS = ("kb/export.py", "kb/writer.py", "tables")


@functools.cache
def export_version() -> str:
    """Hash of the export code and the extraction version: a change regenerates exports."""
    h = hashlib.sha256(extraction_version().encode())
    for path in _versioned_files(PACKAGE_DIR, EXPORT_PATHS):
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return "e" + h.hexdigest()[:15]


@functools.cache
def extraction_version() -> str:
    """The running code's extraction version (computed once per process)."""
    return compute_extraction_version()
