"""pipeline.kb.expansion: which documents still wait for reference expansion (SQLite and
PostgreSQL), and the runs table holding "completed with problems"."""

from __future__ import annotations

from sqlalchemy import select
from test_kb_refresh import V1, make_doc

from pipeline.kb import lock, runs, schema
from pipeline.kb.db import get_engine
from pipeline.kb.expansion import (
    ExpansionState,
    plan_expansion,
    record_expansion,
    waiting_for_expansion,
)
from pipeline.kb.refresh import DocResult, WorkItem, plan_refresh, seen_documents, store_batch


def _store(engine, docs) -> None:  # noqa: ANN001
    results = [DocResult(WorkItem(d.document.doc_id, d.document.file, "added"), d, [], [])
               for d in docs]  # fmt: skip
    lock.acquire(engine, "run1", 3600)
    try:
        store_batch(engine, "run1", V1, results)
    finally:
        lock.release(engine, "run1")


def test_documents_with_references_wait_until_complete(kb_url) -> None:
    engine = get_engine(kb_url)
    with_refs = make_doc("d1", "a.txt", ["One sentence."])
    without = make_doc("d2", "b.txt", ["Another sentence."])
    without.references.clear()
    _store(engine, [with_refs, without])
    assert waiting_for_expansion(engine, ["d1", "d2"]) == ["d1"]  # never expanded
    record_expansion(engine, "run2", [ExpansionState("d1", 1, 0)])
    assert waiting_for_expansion(engine, ["d1", "d2"]) == ["d1"]  # partial
    record_expansion(engine, "run3", [ExpansionState("d1", 1, 1)])
    assert waiting_for_expansion(engine, ["d1", "d2"]) == []
    with engine.connect() as conn:
        rows = conn.execute(select(schema.document_expansion)).all()
    assert [(r.doc_id, r.state, r.run_id) for r in rows] == [("d1", "complete", "run3")]

    plan = plan_refresh({"d1": "a.txt", "d2": "b.txt"}, seen_documents(engine), V1)
    assert plan_expansion(engine, plan, {"d1": "a.txt", "d2": "b.txt"}) == plan

    _store(engine, [with_refs])  # stored again (re-extracted): expansion state is content
    after = plan_expansion(engine, plan, {"d1": "a.txt", "d2": "b.txt"})
    assert [(w.doc_id, w.action) for w in after.work] == [("d1", "expanded")]
    assert after.unchanged == ["d2"]


def test_a_run_completed_with_problems_is_recorded(kb_url) -> None:
    engine = get_engine(kb_url)
    runs.start_run(engine, "r1", V1, "corpus")
    runs.finish_run(engine, "r1", "completed with problems", {}, {})
    with engine.connect() as conn:
        assert conn.scalar(select(schema.runs.c.status)) == "completed with problems"


def test_an_older_postgresql_runs_table_is_widened(pg_database) -> None:
    from sqlalchemy import create_engine, text

    old = create_engine(pg_database)
    with old.begin() as conn:  # the runs table as knowledge bases made before had it
        conn.execute(text("CREATE TABLE runs (run_id VARCHAR(64) PRIMARY KEY, "
                          "status VARCHAR(16) NOT NULL)"))  # fmt: skip
    old.dispose()
    engine = get_engine(pg_database)
    with engine.connect() as conn:
        length = conn.exec_driver_sql(
            "SELECT character_maximum_length FROM information_schema.columns "
            "WHERE table_name = 'runs' AND column_name = 'status'"
        ).scalar()
    assert length == 32
