"""Counters updated from each batch's delta equal a full recount of the knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, select
from test_kb_refresh import begin_run, end_run

from pipeline.assembly import assemble
from pipeline.batch import process_batch
from pipeline.config import Settings
from pipeline.ingest import discover
from pipeline.kb import schema
from pipeline.kb.db import get_engine
from pipeline.kb.refresh import DocResult, SeenDocument, WorkItem, remove_documents, store_batch
from pipeline.model import Claim, Evidence, Triple
from pipeline.nlp.mentions import EntityTally

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ABSTRACTS = Path(__file__).resolve().parent / "fixtures" / "extract" / "abstracts"
V1 = "xversion1"


@pytest.fixture(scope="module")
def processed() -> list:
    sources = discover(CORPUS)[0] + discover(ABSTRACTS)[0]
    return process_batch(sources, Settings(spacy_model="none")).docs


def _results(records: list, action: str = "added") -> list[DocResult]:
    return [DocResult(WorkItem(r.doc_id, r.doc.document.file, action), r.doc, r.mentions,
                      r.claims) for r in records]  # fmt: skip


def recount(url: str) -> tuple[dict, list]:
    """What the counters must say: assembly over all the KB's evidence, the entity tally
    over all its mentions (the knowledge base of schema 1 recounted so)."""
    with get_engine(url).connect() as conn:
        triples = {r.triple_id: r for r in conn.execute(select(schema.triples))}
        claims = [
            Claim(Triple(**{k: getattr(triples[e.triple_id], k) for k in Triple.columns()[:9]}),
                  Evidence(**{c: getattr(e, c) for c in Evidence.columns()}))
            for e in conn.execute(select(schema.evidence))
        ]  # fmt: skip
        tally = EntityTally()
        m = schema.mentions.c
        for row in conn.execute(select(m.entity_id, m.type, m.canonical, m.text)):
            tally.add_count(*row, 1)
    expected = {t.triple_id: t for t in assemble(claims)[0]}
    return expected, tally.entities()


def assert_counters_match(url: str) -> None:
    expected, entities = recount(url)
    with get_engine(url).connect() as conn:
        rows = list(conn.execute(select(schema.triples)))
        stored_entities = sorted(
            (tuple(r) for r in conn.execute(select(schema.entities))), key=lambda r: r[0]
        )
    for r in rows:
        if r.triple_id not in expected:
            assert r.retired_in_run is not None and r.n_evidence == 0, r.triple_id
            continue
        t = expected[r.triple_id]
        got = (r.n_evidence, r.n_documents, r.n_cited_papers, r.n_negated, r.n_hedged)
        want = (t.n_evidence, t.n_documents, t.n_cited_papers, t.n_negated, t.n_hedged)
        assert got == want, r.triple_id
        assert r.confidence == t.confidence, r.triple_id
        assert r.retired_in_run is None
    assert stored_entities == [tuple(e.to_row().values()) for e in entities]


def test_counters_follow_adds_changes_removals_and_reextraction(kb_url: str, processed) -> None:
    engine = get_engine(kb_url)
    first, second = processed[:3], processed[3:]
    begin_run(kb_url, "r1")
    store_batch(engine, "r1", V1, _results(first))
    store_batch(engine, "r1", V1, _results(second))
    end_run(kb_url, "r1")
    assert_counters_match(kb_url)
    begin_run(kb_url, "r2")  # re-extract some, remove one, add it back
    store_batch(engine, "r2", V1, _results(processed[1:4], "reextracted"))
    gone = processed[0]
    remove_documents(engine, "r2", [SeenDocument(gone.doc_id, gone.doc.document.file, V1)])
    end_run(kb_url, "r2")
    assert_counters_match(kb_url)
    begin_run(kb_url, "r3")
    store_batch(engine, "r3", V1, _results([gone]))
    end_run(kb_url, "r3")
    assert_counters_match(kb_url)


def test_a_batch_reads_evidence_of_its_own_documents_only(kb_url: str, processed) -> None:
    """The cost of a batch must not grow with the knowledge base: no statement reads the
    evidence or mentions of the triples and entities it touches, only its documents'."""
    engine = get_engine(kb_url)
    begin_run(kb_url, "r1")
    store_batch(engine, "r1", V1, _results(processed[:-1]))
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", record)
    try:
        store_batch(engine, "r1", V1, _results(processed[-1:], "reextracted"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    end_run(kb_url, "r1")
    reads = [s for s in statements if s.startswith("select") and ("from evidence" in s
             or "from mentions" in s)]  # fmt: skip
    assert reads and all("where evidence.doc_id in" in s or "where mentions.doc_id in" in s
                         for s in reads), reads  # fmt: skip
    assert_counters_match(kb_url)


def test_a_schema_1_knowledge_base_gets_its_counters(tmp_path: Path, processed) -> None:
    url = f"sqlite:///{(tmp_path / 'kb.sqlite').as_posix()}"
    engine = get_engine(url)
    begin_run(url, "r1")
    store_batch(engine, "r1", V1, _results(processed))
    end_run(url, "r1")
    with engine.begin() as conn:  # what a knowledge base written by schema 1 holds
        for table in (schema.triple_counters, schema.triple_papers, schema.entity_forms):
            conn.execute(table.delete())
        meta = schema.kb_meta
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="1"))
    engine.dispose()
    get_engine.cache_clear()
    engine = get_engine(url)  # opening it migrates
    with engine.connect() as conn:
        version = conn.scalar(select(schema.kb_meta.c.value).where(
            schema.kb_meta.c.key == "schema_version"))  # fmt: skip
    assert version == schema.SCHEMA_VERSION
    begin_run(url, "r2")
    store_batch(engine, "r2", V1, _results(processed[:2], "reextracted"))
    end_run(url, "r2")
    assert_counters_match(url)
