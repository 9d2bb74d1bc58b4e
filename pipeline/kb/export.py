"""Regenerating the exported tables from the knowledge base, atomically as a set.

Each file is already written atomically (:mod:`pipeline.tables`); but a
run killed between two files would leave ``triples.csv`` new and ``evidence.csv`` old.
So the whole set is first written to a staging folder, then a small journal naming
the staging folder is written, then the files are moved into place one ``os.replace``
at a time, then the journal is removed. A run that finds a journal (the previous run
died while moving) finishes the moves first: the export folder is always one
complete export, old or new, once :func:`recover_pending_export` has run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from pipeline.kb import schema
from pipeline.kb.rows import fetch_records
from pipeline.model import (
    Abbreviation,
    Citation,
    Document,
    Entity,
    Evidence,
    Mention,
    Problem,
    Reference,
    Sentence,
    TableCell,
    Triple,
)
from pipeline.tables import write_text_atomic

if TYPE_CHECKING:
    from pipeline.pack import Pack

log = logging.getLogger(__name__)

JOURNAL = ".export-pending.json"
MANIFEST = ".export-manifest.json"
STAGING_PREFIX = ".export-staging-"
OLD_PREFIX = ".export-old-"


def _records(conn, table, cls, order_by, where=None):  # noqa: ANN001, ANN202
    query = select(*[table.c[c] for c in cls.columns()]).order_by(*[table.c[c] for c in order_by])
    if where is not None:
        query = query.where(where)
    return fetch_records(conn, query, cls)


def _problems(conn, run_id: str) -> list[Problem]:  # noqa: ANN001
    """Problems behind the current data: each document's from the run that processed it,
    plus the discovery problems of ``run_id``."""
    p, pd_ = schema.problems, schema.processed_documents
    of_docs = select(*[p.c[c] for c in Problem.columns()]).join(
        pd_, (pd_.c.doc_id == p.c.doc_id) & (pd_.c.run_id == p.c.run_id)
    )
    of_run = select(*[p.c[c] for c in Problem.columns()]).where(
        p.c.run_id == run_id, p.c.stage == "discover"
    )
    rows = {tuple(r) for q in (of_docs, of_run) for r in conn.execute(q)}
    return [Problem(*r) for r in sorted(rows)]


def load_records(engine: Engine, run_id: str = "") -> dict[str, list]:
    """Every current record in the knowledge base, sorted (active triples only)."""
    with engine.connect() as conn:
        return {
            "problems": _problems(conn, run_id),
            "documents": _records(conn, schema.documents, Document, ["doc_id"]),
            "sentences": _records(conn, schema.sentences, Sentence, ["doc_id", "sentence_index"]),
            "references": _records(conn, schema.references, Reference, ["doc_id", "number"]),
            "citations": _records(
                conn, schema.citations, Citation, ["doc_id", "sentence_index", "ref_number"]
            ),
            "tables": _records(
                conn, schema.table_cells, TableCell, ["doc_id", "table_id", "row_index", "column"]
            ),
            "abbreviations": _records(
                conn, schema.abbreviations, Abbreviation, ["doc_id", "short", "long"]
            ),
            "mentions": _records(
                conn,
                schema.mentions,
                Mention,
                ["doc_id", "char_start", "char_end", "entity_id"],
            ),
            "entities": _records(conn, schema.entities, Entity, ["entity_id"]),
            "triples": _records(
                conn,
                schema.triples,
                Triple,
                ["triple_id"],
                where=schema.triples.c.retired_in_run.is_(None),
            ),
            "evidence": _records(
                conn,
                schema.evidence,
                Evidence,
                ["triple_id", "doc_id", "char_start", "char_end"],
            ),
        }


def _swap_in(staging: Path, out_dir: Path, name: str) -> None:
    """Replace the folder ``out_dir/name`` by ``staging/name`` (two renames, journaled: a
    run killed between them leaves the new folder in staging, which recovery moves in)."""
    src = staging / name
    if not src.is_dir():
        return
    target = out_dir / name
    if target.exists():
        os.replace(target, out_dir / f"{OLD_PREFIX}{name}-{uuid.uuid4().hex[:8]}")
    os.replace(src, target)


def recover_pending_export(out_dir: Path, _committing: bool = False) -> bool:
    """Finish (roll forward) an export a killed run left half-moved; drop stale staging."""
    out_dir = Path(out_dir)
    journal = out_dir / JOURNAL
    recovered = False
    if journal.is_file():
        pending = json.loads(journal.read_text(encoding="utf-8"))
        staging = out_dir / pending["staging"]
        for name in pending.get("folders", []):
            _swap_in(staging, out_dir, name)
        for rel in pending["files"]:
            src = staging / rel
            if src.exists():
                (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, out_dir / rel)
        journal.unlink()
        if not _committing:
            log.warning("finished the export a killed run left half-done (%s)", pending["staging"])
        recovered = True
    if out_dir.is_dir():
        for prefix in (STAGING_PREFIX, OLD_PREFIX):
            for leftover in out_dir.glob(prefix + "*"):
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
    return recovered


def export_state(engine: Engine, run_id: str = "", version: str = "") -> str:
    """What the exports are a function of: KB content, export code and extraction
    ``version``, the run's problems."""
    from pipeline.kb.refresh import content_version
    from pipeline.kb.versioning import export_version

    with engine.connect() as conn:
        problems = _problems(conn, run_id)
    digest = hashlib.sha256(repr([p.to_row() for p in problems]).encode()).hexdigest()[:12]
    return f"{content_version(engine)}:{export_version(version)}:{digest}"


def _fingerprint(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def exports_current(engine: Engine, out_dir: Path, run_id: str = "", version: str = "") -> bool:
    """True when ``out_dir`` holds an untouched export of the KB's current state.

    An unchanged corpus then skips the export; a missing or edited file, a KB change, a
    change of the export code or of the run's problems regenerates everything.
    """
    manifest = Path(out_dir) / MANIFEST
    if not manifest.is_file() or (Path(out_dir) / JOURNAL).exists():
        return False
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    if recorded.get("state") != export_state(engine, run_id, version):
        return False
    for rel, fingerprint in recorded.get("files", {}).items():
        path = Path(out_dir) / rel
        if not path.is_file() or _fingerprint(path) != fingerprint:
            return False
    return True


# Sub-folders whose every file belongs to the export set: each is replaced whole (one swap,
# not a move per cleaned text; a removed document's text goes with the old folder).
OWNED_DIRS = ("clean",)


def export_from_kb(
    engine: Engine,
    out_dir: Path,
    writer: Callable[[dict[str, list], Path], list[Path]] | None = None,
    run_id: str = "",
    version: str = "",
    pack: Pack | None = None,
) -> list[Path]:
    """Write every export from the knowledge base into ``out_dir`` as one atomic set.

    ``writer`` (default :func:`pipeline.kb.writer.write_all` with ``pack``, whose ADC
    catalogue makes the class-level view) writes the records into a staging folder;
    ``version`` is the extraction version the exports are recorded against."""
    from pipeline.kb.writer import write_all

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover_pending_export(out_dir)
    state = export_state(engine, run_id, version)
    records = load_records(engine, run_id)
    staging = out_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        written = (writer or functools.partial(write_all, pack=pack))(records, staging)
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        # The manifest travels with the set, moved last (os.replace keeps size and mtime).
        fingerprints = {rel: _fingerprint(staging / rel) for rel in files}
        (staging / MANIFEST).write_text(
            json.dumps({"state": state, "files": fingerprints}, sort_keys=True), encoding="utf-8"
        )
        files.append(MANIFEST)
        for d in OWNED_DIRS:  # no documents left: the old folder goes all the same
            (staging / d).mkdir(exist_ok=True)
        folders = list(OWNED_DIRS)
        loose = [rel for rel in files if rel.split("/", 1)[0] not in folders]
        pending = {"staging": staging.name, "folders": folders, "files": loose}
        write_text_atomic(out_dir / JOURNAL, json.dumps(pending))
        recover_pending_export(out_dir, _committing=True)  # the moves, journaled
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("exported %d files from the knowledge base to %s", len(written), out_dir)
    return [out_dir / p.relative_to(staging) for p in written]
