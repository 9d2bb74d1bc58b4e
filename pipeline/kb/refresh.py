"""Incremental refresh of the knowledge base: plan what changed, then apply it in batches.

Semantics (documents are identified by content hash, files by their name):

- new document -> added;
- changed document (a file whose content hash changed) -> its old sentences, mentions,
  evidence, ... are replaced by the new document's, in the same transaction;
- removed document -> its content and evidence are deleted;
- extraction version changed -> the document is re-extracted (replaced by itself);
- a triple left with no evidence is *retired*: its row stays, counts zero, with
  ``retired_in_run`` set; a retired triple that gets evidence again is revived.

Every batch is one transaction that also updates the counts and confidence of every
triple and entity it touched (from the batch's own delta: :mod:`pipeline.kb.counters`),
so each committed state is consistent: a run killed at any
point leaves a knowledge base in which every document is wholly old or wholly new, and
the next run (which sees the same differences) completes the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select

from pipeline.kb import lock, schema
from pipeline.kb.counters import TRIPLE_COUNTS, Delta, apply_entities, apply_triples
from pipeline.kb.plan import (  # noqa: F401  (re-exported: the refresh API in one place)
    DERIVED_PREFIX,
    RefreshPlan,
    SeenDocument,
    WorkItem,
    derived_work,
    plan_refresh,
    seen_documents,
)
from pipeline.kb.prepare import RECORD_TABLES, DocRows, prepare_document
from pipeline.kb.rows import chunks, delete_in, insert_rows, rows_in
from pipeline.model import (
    Claim,
    DocIngest,
    Evidence,
    Mention,
    Problem,
    Triple,
)

log = logging.getLogger(__name__)


@dataclass
class DocResult:
    """Plain records for one processed document: what a knowledge-base batch stores."""

    item: WorkItem
    doc: DocIngest
    mentions: list[Mention]
    claims: list[Claim]


@dataclass
class BatchStats:
    documents: int = 0
    triples_touched: int = 0
    triples_retired: int = 0
    entities_touched: int = 0


CONTENT_VERSION = "content_version"


def bump_content_version(conn: Connection) -> None:
    """Count every committed change, so exports know whether they are still current."""
    meta = schema.kb_meta
    row = conn.execute(select(meta.c.value).where(meta.c.key == CONTENT_VERSION)).first()
    if row is None:
        conn.execute(meta.insert().values(key=CONTENT_VERSION, value="1"))
    else:
        conn.execute(
            meta.update().where(meta.c.key == CONTENT_VERSION).values(value=str(int(row.value) + 1))
        )


def content_version(engine: Engine) -> str:
    meta = schema.kb_meta
    with engine.connect() as conn:
        row = conn.execute(select(meta.c.value).where(meta.c.key == CONTENT_VERSION)).first()
    return row.value if row else "0"


def _now() -> datetime:
    return datetime.now(UTC)


# -- applying changes --------------------------------------------------------------------------


def _delete_documents(conn: Connection, doc_ids: Sequence[str], delta: Delta) -> None:
    """Delete the content of ``doc_ids``, taking what it contributed from ``delta``."""
    if not doc_ids:
        return
    evidence = rows_in(conn, schema.evidence, "doc_id", doc_ids)
    delta.add_evidence((_record(Evidence, r) for r in evidence), sign=-1)
    delta.add_mentions(rows_in(conn, schema.mentions, "doc_id", doc_ids), sign=-1)
    for table in schema.DOCUMENT_CONTENT:
        delete_in(conn, table, "doc_id", doc_ids)
    delete_in(conn, schema.documents, "doc_id", doc_ids)
    delete_in(conn, schema.processed_documents, "doc_id", doc_ids)


def _record(cls: type, row: object) -> object:
    return cls(**{c: getattr(row, c) for c in cls.columns()})  # type: ignore[attr-defined]


def _insert(conn: Connection, table: object, rows: list[dict]) -> None:
    if rows:
        conn.execute(table.insert(), rows)  # type: ignore[attr-defined]


def _store_documents(
    conn: Connection, run_id: str, version: str, docs: Sequence[DocRows], delta: Delta
) -> None:
    """Insert the batch's documents, their rows and triples, adding what they contribute
    to ``delta``. One multi-row insert per table for the whole batch (in document order, so
    autoincrement ids come out as document by document): per-document inserts were ~2,250
    statements per 250 documents, most of the knowledge-base write time."""
    rows: dict[str, list[tuple]] = {table.name: [] for table, _ in RECORD_TABLES}
    new_triples: dict[str, Triple] = {}
    for doc in docs:
        for name, part in doc.rows.items():
            rows[name] += part
        for t in doc.triples:  # a triple two documents of the batch support: inserted once
            new_triples.setdefault(t.triple_id, t)
        delta.add(doc.contributions)
        delta.add_forms(doc.forms)
    existing = {r.triple_id for r in rows_in(conn, schema.triples, "triple_id", list(new_triples))}
    triples = [
        {
            **t.to_row(),
            **dict.fromkeys(TRIPLE_COUNTS, 0),
            "confidence": 0.0,
            "first_seen_run": run_id,
            "updated_in_run": run_id,
            "retired_in_run": None,
        }
        for tid, t in new_triples.items()
        if tid not in existing
    ]
    for table, cls in RECORD_TABLES:
        if table is schema.evidence:  # after the triples it refers to
            _insert(conn, schema.triples, triples)
        insert_rows(conn, table, rows[table.name], cls.columns())
    now = _now()
    _insert(conn, schema.processed_documents, [
        {"doc_id": d.doc_id, "file": d.file, "content_hash": d.doc_id,
         "extraction_version": version, "run_id": run_id, "processed_at": now}
        for d in docs
    ])  # fmt: skip


def _prepared(result: DocResult | DocRows) -> DocRows:
    if isinstance(result, DocRows):
        return result
    prepared = prepare_document(result.doc, result.mentions, result.claims)
    prepared.item = result.item
    return prepared


def store_batch(
    engine: Engine, run_id: str, version: str, results: Sequence[DocResult | DocRows]
) -> BatchStats:
    """Replace/insert a batch of processed documents in ONE transaction, with the counts of
    every triple and entity they touch (:mod:`pipeline.kb.counters`). The flow passes
    :class:`~pipeline.kb.prepare.DocRows` its workers made, each with its ``item`` set."""
    stats = BatchStats(documents=len(results))
    if not results:
        return stats
    results = [_prepared(r) for r in results]
    with engine.begin() as conn:
        lock.heartbeat(conn, run_id)
        bump_content_version(conn)
        old_ids = sorted(
            {r.item.doc_id for r in results}
            | {r.item.previous_doc_id for r in results if r.item.previous_doc_id}
        )
        delta = Delta()
        _delete_documents(conn, old_ids, delta)
        _store_documents(conn, run_id, version, results, delta)
        _record_actions(conn, run_id, [r.item for r in results])
        _record_problems(conn, run_id, [p for r in results for p in r.problems])
        _apply(conn, run_id, delta, stats)
    return stats


def _apply(conn: Connection, run_id: str, delta: Delta, stats: BatchStats) -> None:
    stats.triples_touched, stats.triples_retired = apply_triples(conn, run_id, delta)
    stats.entities_touched = apply_entities(conn, delta)


def _record_actions(conn: Connection, run_id: str, items: Sequence[WorkItem]) -> None:
    """This run's action rows for ``items`` (replacing any the run already wrote for them)."""
    rd = schema.run_documents
    by_action: dict[str, list[str]] = {}
    for item in items:
        by_action.setdefault(item.action, []).append(item.doc_id)
    for action, doc_ids in by_action.items():
        for part in chunks(sorted(set(doc_ids))):
            mine = (rd.c.run_id == run_id, rd.c.action == action, rd.c.doc_id.in_(part))
            conn.execute(rd.delete().where(*mine))
    rows = {  # one row per (document, action): the last item's, as a delete-then-insert gave
        (item.doc_id, item.action): {
            "run_id": run_id,
            "doc_id": item.doc_id,
            "action": item.action,
            "file": item.file,
            "previous_doc_id": item.previous_doc_id,
        }
        for item in items
    }
    _insert(conn, rd, list(rows.values()))


def _record_problems(conn: Connection, run_id: str, problems: Iterable[Problem]) -> None:
    rows = [{"run_id": run_id, **p.to_row()} for p in problems]
    _insert(conn, schema.problems, rows)


def record_problems(engine: Engine, run_id: str, problems: Iterable[Problem]) -> None:
    with engine.begin() as conn:
        _record_problems(conn, run_id, problems)


def remove_documents(engine: Engine, run_id: str, removed: Sequence[SeenDocument]) -> BatchStats:
    """Delete removed documents' content and evidence; retire triples left without evidence."""
    stats = BatchStats(documents=len(removed))
    if not removed:
        return stats
    with engine.begin() as conn:
        lock.heartbeat(conn, run_id)
        bump_content_version(conn)
        delta = Delta()
        _delete_documents(conn, [s.doc_id for s in removed], delta)
        _record_actions(conn, run_id, [WorkItem(s.doc_id, s.file, "removed") for s in removed])
        _apply(conn, run_id, delta, stats)
    return stats


def apply_renames(engine: Engine, run_id: str, renamed: Sequence[tuple[str, str, str]]) -> None:
    """Same content under a new file name: update the name, keep everything else."""
    if not renamed:
        return
    with engine.begin() as conn:
        lock.heartbeat(conn, run_id)
        bump_content_version(conn)
        for doc_id, _old, new in renamed:
            for table in (schema.documents, schema.processed_documents):
                conn.execute(table.update().where(table.c.doc_id == doc_id).values(file=new))
        _record_actions(
            conn, run_id, [WorkItem(doc_id, new, "renamed") for doc_id, _, new in renamed]
        )
