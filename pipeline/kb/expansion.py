"""Reference expansion state per document, so that switching expansion on (or a run that
deferred references) is caught up by the next run, not only for new or changed files.

A document is *complete* when every filled reference got a final answer (resolved,
unresolved, ambiguous), *partial* when some were deferred (service given up, time
budget, offline, an error). The row is document content: storing a document again
(changed, re-extracted) deletes it, because a document ingested without expansion has
lost its resolved identifiers too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import Engine, select

from pipeline.kb import schema
from pipeline.kb.plan import RefreshPlan, WorkItem
from pipeline.kb.rows import chunks, delete_in, rows_in
from pipeline.model import ExpansionState

ACTION = "expanded"  # the action of a document re-processed only to expand its references


def record_expansion(engine: Engine, run_id: str, states: Iterable[ExpansionState]) -> None:
    """Store the states of documents just expanded (after the documents themselves)."""
    rows = [
        {
            "doc_id": s.doc_id,
            "state": s.state,
            "references_filled": s.references_filled,
            "references_settled": s.references_settled,
            "run_id": run_id,
        }
        for s in states
    ]
    if not rows:
        return
    table = schema.document_expansion
    with engine.begin() as conn:
        delete_in(conn, table, "doc_id", [r["doc_id"] for r in rows])
        conn.execute(table.insert(), rows)


def waiting_for_expansion(engine: Engine, doc_ids: Iterable[str]) -> list[str]:
    """Of ``doc_ids``, those with filled references and no complete expansion: never
    expanded (expansion was off when they were stored) or left partial."""
    ids = sorted(set(doc_ids))
    if not ids:
        return []
    refs, exp = schema.references, schema.document_expansion
    with engine.connect() as conn:
        with_refs: set[str] = set()
        for part in chunks(ids):
            query = select(refs.c.doc_id).where(refs.c.doc_id.in_(part), refs.c.filled.is_(True))
            with_refs.update(conn.scalars(query.distinct()))
        done = {r.doc_id for r in rows_in(conn, exp, "doc_id", ids) if r.state == "complete"}
    return [d for d in ids if d in with_refs and d not in done]


def plan_expansion(engine: Engine, plan: RefreshPlan, files: dict[str, str]) -> RefreshPlan:
    """``plan`` with unchanged documents waiting for expansion moved to its work, as
    ``expanded`` items (``files``: doc_id -> file of the current corpus)."""
    waiting = set(waiting_for_expansion(engine, plan.unchanged))
    if not waiting:
        return plan
    work = plan.work + [WorkItem(d, files[d], ACTION) for d in sorted(waiting, key=files.get)]
    return replace(plan, work=work, unchanged=[d for d in plan.unchanged if d not in waiting])
