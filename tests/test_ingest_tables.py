"""Tidy tables from ingest records; schemas reject bad rows before anything is written."""

from __future__ import annotations

from pathlib import Path

import pandera.errors
import pytest

from pipeline.ingest import ingest_corpus, ingest_tables, write_ingest_outputs
from pipeline.schemas import INGEST_SCHEMAS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def tables():
    docs, problems = ingest_corpus(CORPUS)
    return ingest_tables(docs, problems), docs


def test_tables_validate_and_are_sorted(tables):
    t, _ = tables
    for name, schema in INGEST_SCHEMAS.items():
        schema.validate(t[name])
    s = t["sentences"]
    assert list(s[["doc_id", "sentence_index"]].itertuples(index=False)) == sorted(
        s[["doc_id", "sentence_index"]].itertuples(index=False)
    )
    assert "text" not in t["documents"].columns
    assert t["sentences"]["ref_number"].notna().sum() == 94 + 5 + 77
    assert int(t["references"]["filled"].sum()) == 94 + 5 + 77


def test_schema_rejects_unknown_sentence_kind(tables, tmp_path: Path):
    t, docs = tables
    bad = dict(t)
    bad["sentences"] = t["sentences"].copy()
    bad["sentences"].loc[0, "kind"] = "sidebar"
    with pytest.raises(pandera.errors.SchemaError):
        write_ingest_outputs(bad, docs, tmp_path)
    assert not (tmp_path / "sentences.csv").exists()


def test_empty_corpus_gives_empty_typed_tables(tmp_path: Path):
    docs, problems = ingest_corpus(tmp_path)
    t = ingest_tables(docs, problems)
    write_ingest_outputs(t, docs, tmp_path / "out")
    assert len(t["sentences"]) == 0 and (tmp_path / "out" / "sentences.parquet").exists()
