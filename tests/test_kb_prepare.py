"""Rows made where a batch ran (pipeline.kb.prepare) store the same knowledge base as the
records they were made from, after the trip back to the flow process (pickled)."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from test_kb_refresh import begin_run, end_run

from pipeline.batch import process_batch
from pipeline.config import Settings
from pipeline.ingest import discover
from pipeline.kb import schema
from pipeline.kb.db import get_engine
from pipeline.kb.prepare import RECORD_TABLES, DocRows, prepare_batch
from pipeline.kb.refresh import DocResult, WorkItem, store_batch

ABSTRACTS = Path(__file__).resolve().parent / "fixtures" / "extract" / "abstracts"
V1 = "xversion1"
TABLES = [table for table, _ in RECORD_TABLES] + [schema.triples, schema.triple_counters,
                                                  schema.entity_forms, schema.entities]  # fmt: skip


@pytest.fixture(scope="module")
def batch():
    return process_batch(discover(ABSTRACTS)[0], Settings(spacy_model="none"))


def _content(url: str) -> dict[str, list[tuple]]:
    with get_engine(url).connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in TABLES}


def _kb(tmp_path: Path, name: str, results: list) -> str:
    url = f"sqlite:///{(tmp_path / name).as_posix()}"
    begin_run(url, "r1")
    store_batch(get_engine(url), "r1", V1, results)
    end_run(url, "r1")
    return url


def test_rows_from_a_worker_store_what_the_records_store(tmp_path: Path, batch) -> None:
    prepared = pickle.loads(pickle.dumps(prepare_batch(batch)))
    assert [d.doc_id for d in prepared.docs] == [r.doc_id for r in batch.docs]
    rows = [replace(d, item=WorkItem(d.doc_id, d.file, "added")) for d in prepared.docs]
    records = [DocResult(WorkItem(r.doc_id, r.doc.document.file, "added"), r.doc, r.mentions,
                         r.claims) for r in batch.docs]  # fmt: skip
    via_rows, via_records = _kb(tmp_path, "rows.sqlite", rows), _kb(tmp_path, "rec.sqlite", records)
    content = _content(via_rows)
    assert content["evidence"] and content["mentions"] and content["triples"]
    assert content == _content(via_records)


def test_a_document_s_rows_are_its_records_in_column_order(batch) -> None:
    first = batch.docs[0]
    rows: DocRows = prepare_batch(batch).docs[0]
    names = [c for c in schema.mentions.c.keys() if c != "id"]
    assert rows.rows["mentions"] == [tuple(getattr(m, c) for c in type(m).columns())
                                     for m in first.mentions]  # fmt: skip
    assert set(type(first.mentions[0]).columns()) == set(names)
    assert rows.rows["documents"][0][0] == first.doc_id
    assert len(rows.forms) == len(first.mentions)
    assert rows.item is None  # the flow process's to set
