"""Incremental refresh of the knowledge base: plan what changed, then apply it in batches.

Semantics (documents are identified by content hash, files by their name):

- new document -> added;
- changed document (a file whose content hash changed) -> its old sentences, mentions,
  evidence, ... are replaced by the new document's, in the same transaction;
- removed document -> its content and evidence are deleted;
- extraction version changed -> the document is re-extracted (replaced by itself);
- a triple left with no evidence is *retired*: its row stays, counts zero, with
  ``retired_in_run`` set; a retired triple that gets evidence again is revived.

Every batch is one transaction that also recomputes the counts and confidence of every
triple and entity it touched, so each committed state is consistent: a run killed at any
point leaves a knowledge base in which every document is wholly old or wholly new, and
the next run (which sees the same differences) completes the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select

from pipeline.kb import lock, schema
from pipeline.kb.db import chunks, delete_in, rows_in
from pipeline.kb.plan import (  # noqa: F401  (re-exported: the refresh API in one place)
    DERIVED_PREFIX,
    RefreshPlan,
    SeenDocument,
    WorkItem,
    derived_work,
    plan_refresh,
    seen_documents,
)
from pipeline.model import Claim, DocIngest, Evidence, Mention, Problem, Triple

log = logging.getLogger(__name__)

TRIPLE_KEY = (
    "triple_id",
    "drug",
    "drug_id",
    "mechanism",
    "mechanism_category",
    "mechanism_entity",
    "strategy",
    "strategy_category",
    "strategy_entity",
)
TRIPLE_COUNTS = ("n_evidence", "n_documents", "n_cited_papers", "n_negated", "n_hedged")


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


def _assembler() -> Callable[[list[Claim]], tuple[list[Triple], list[Evidence]]]:
    from pipeline.assembly import assemble

    return assemble


def _now() -> datetime:
    return datetime.now(UTC)


def recompute_triples(conn: Connection, run_id: str, triple_ids: Iterable[str]) -> int:
    """Recount triples from the evidence in the knowledge base; retire evidence-less ones.

    Counts and confidence come from the assembly stage's own function, fed with the
    knowledge base's evidence, so the KB and an offline ``extract`` agree. Returns the
    number of triples retired.
    """
    ids = sorted(set(triple_ids))
    if not ids:
        return 0
    current = {r.triple_id: r for r in rows_in(conn, schema.triples, "triple_id", ids)}
    claims: list[Claim] = []
    for ev in rows_in(conn, schema.evidence, "triple_id", ids):
        t = current[ev.triple_id]
        key = Triple(**{k: getattr(t, k) for k in TRIPLE_KEY})
        claims.append(Claim(triple=key, evidence=_evidence_from_row(ev)))
    assembled, _ = _assembler()(claims) if claims else ([], [])
    by_id = {t.triple_id: t for t in assembled}
    retired = 0
    for tid in ids:
        old = current[tid]
        new = by_id.get(tid)
        if new is None:
            if old.retired_in_run is None:
                retired += 1
                conn.execute(
                    schema.triples.update()
                    .where(schema.triples.c.triple_id == tid)
                    .values(
                        **dict.fromkeys(TRIPLE_COUNTS, 0),
                        confidence=0.0,
                        retired_in_run=run_id,
                        updated_in_run=run_id,
                    )
                )
            continue
        values = {k: getattr(new, k) for k in (*TRIPLE_COUNTS, "confidence")}
        changed = old.retired_in_run is not None or any(
            getattr(old, k) != v for k, v in values.items()
        )
        if changed:
            conn.execute(
                schema.triples.update()
                .where(schema.triples.c.triple_id == tid)
                .values(**values, retired_in_run=None, updated_in_run=run_id)
            )
    return retired


def _evidence_from_row(row: object) -> Evidence:
    return Evidence(**{c: getattr(row, c) for c in Evidence.columns()})


def recompute_entities(conn: Connection, entity_ids: Iterable[str]) -> int:
    """Rebuild the entity rows for ``entity_ids`` from the knowledge base's mentions.

    Counted in SQL, grouped by the fields an Entity is built from: a batch then reads as
    many rows as an entity has distinct forms, not every mention the knowledge base holds
    of it (which made each batch slower than the last for the common entities).
    """
    from pipeline.nlp.mentions import EntityTally

    ids = sorted(set(entity_ids))
    if not ids:
        return 0
    m = schema.mentions.c
    keys = (m.entity_id, m.type, m.canonical, m.text)
    tally = EntityTally()
    for part in chunks(ids):
        query = select(*keys, func.count()).where(m.entity_id.in_(part)).group_by(*keys)
        for entity_id, type_, canonical, text, n in conn.execute(query):
            tally.add_count(entity_id, type_, canonical, text, n)
    entities = tally.entities()
    delete_in(conn, schema.entities, "entity_id", ids)
    if entities:
        conn.execute(schema.entities.insert(), [e.to_row() for e in entities])
    return len(ids)


# -- applying changes --------------------------------------------------------------------------


def _delete_documents(conn: Connection, doc_ids: Sequence[str]) -> tuple[set[str], set[str]]:
    """Delete the content of ``doc_ids``; return the triple and entity ids it touched."""
    if not doc_ids:
        return set(), set()
    triple_ids = {r.triple_id for r in rows_in(conn, schema.evidence, "doc_id", doc_ids)}
    entity_ids = {r.entity_id for r in rows_in(conn, schema.mentions, "doc_id", doc_ids)}
    for table in schema.DOCUMENT_CONTENT:
        delete_in(conn, table, "doc_id", doc_ids)
    delete_in(conn, schema.documents, "doc_id", doc_ids)
    delete_in(conn, schema.processed_documents, "doc_id", doc_ids)
    return triple_ids, entity_ids


def _insert(conn: Connection, table: object, rows: list[dict]) -> None:
    if rows:
        conn.execute(table.insert(), rows)  # type: ignore[attr-defined]


# Tables a batch writes, parents before the rows that refer to them.
_STORE_ORDER = (
    schema.documents,
    schema.sentences,
    schema.references,
    schema.citations,
    schema.table_cells,
    schema.abbreviations,
    schema.mentions,
    schema.triples,
    schema.evidence,
    schema.processed_documents,
)


def _store_documents(
    conn: Connection, run_id: str, version: str, results: Sequence[DocResult]
) -> set[str]:
    """Insert the batch's documents, their records and claims; return the triple ids they
    support. One multi-row insert per table for the whole batch (in document order, so
    autoincrement ids come out as document by document): per-document inserts were ~2,250
    statements per 250 documents, most of the knowledge-base write time."""
    rows: dict[object, list[dict]] = {table: [] for table in _STORE_ORDER}
    new_triples: dict[str, Triple] = {}
    for res in results:
        doc = res.doc
        d = doc.document
        rows[schema.documents].append(d.to_row())
        rows[schema.sentences] += [s.to_row() for s in doc.sentences]
        rows[schema.references] += [r.to_row() for r in doc.references]
        rows[schema.citations] += [c.to_row() for c in doc.citations]
        rows[schema.table_cells] += _unique(doc.tables, ("table_id", "row_index", "column"))
        rows[schema.abbreviations] += [a.to_row() for a in doc.abbreviations]
        rows[schema.mentions] += [m.to_row() for m in res.mentions]
        # The assembly stage merges the document's claims (consistent ids, one evidence row
        # per sentence with the most cautious flags); counts are recomputed over the whole
        # KB later. A triple two documents of the batch support is inserted once.
        doc_triples, doc_evidence = _assembler()(res.claims) if res.claims else ([], [])
        for t in sorted(doc_triples, key=lambda t: t.triple_id):
            new_triples.setdefault(t.triple_id, t)
        rows[schema.evidence] += [e.to_row() for e in doc_evidence]
        rows[schema.processed_documents].append(
            {
                "doc_id": d.doc_id,
                "file": d.file,
                "content_hash": d.doc_id,
                "extraction_version": version,
                "run_id": run_id,
                "processed_at": _now(),
            }
        )
    existing = {r.triple_id for r in rows_in(conn, schema.triples, "triple_id", list(new_triples))}
    rows[schema.triples] = [
        {
            **{k: getattr(t, k) for k in TRIPLE_KEY},
            **dict.fromkeys(TRIPLE_COUNTS, 0),
            "confidence": 0.0,
            "first_seen_run": run_id,
            "updated_in_run": run_id,
            "retired_in_run": None,
        }
        for tid, t in new_triples.items()
        if tid not in existing
    ]
    for table in _STORE_ORDER:
        _insert(conn, table, rows[table])
    return set(new_triples)


def _unique(records: Sequence[object], key: tuple[str, ...]) -> list[dict]:
    rows: dict[tuple, dict] = {}
    for r in records:
        row = r.to_row()  # type: ignore[attr-defined]
        rows.setdefault(tuple(row[k] for k in key), row)
    return list(rows.values())


def store_batch(engine: Engine, run_id: str, version: str, results: list[DocResult]) -> BatchStats:
    """Replace/insert a batch of processed documents in ONE transaction."""
    stats = BatchStats(documents=len(results))
    if not results:
        return stats
    with engine.begin() as conn:
        lock.heartbeat(conn, run_id)
        bump_content_version(conn)
        old_ids = sorted(
            {r.item.doc_id for r in results}
            | {r.item.previous_doc_id for r in results if r.item.previous_doc_id}
        )
        triple_ids, entity_ids = _delete_documents(conn, old_ids)
        triple_ids |= _store_documents(conn, run_id, version, results)
        entity_ids |= {m.entity_id for r in results for m in r.mentions}
        _record_actions(conn, run_id, [r.item for r in results])
        _record_problems(conn, run_id, [p for r in results for p in r.doc.problems])
        stats.triples_retired = recompute_triples(conn, run_id, triple_ids)
        stats.entities_touched = recompute_entities(conn, entity_ids)
        stats.triples_touched = len(triple_ids)
    return stats


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
        triple_ids, entity_ids = _delete_documents(conn, [s.doc_id for s in removed])
        _record_actions(conn, run_id, [WorkItem(s.doc_id, s.file, "removed") for s in removed])
        stats.triples_retired = recompute_triples(conn, run_id, triple_ids)
        stats.entities_touched = recompute_entities(conn, entity_ids)
        stats.triples_touched = len(triple_ids)
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
