"""A run's output set from ingest records: sorted, typed, checked before anything is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.ingest import ingest_corpus
from pipeline.tables import INGEST_TABLES, SPECS, RunOutputs, TableCheckError

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    docs, problems = ingest_corpus(CORPUS)
    out = tmp_path_factory.mktemp("ingest")
    with RunOutputs(out, INGEST_TABLES, datapackage=False) as outputs:
        outputs.add_documents(docs)
        outputs.add("problems", problems)
        files = outputs.commit()
    return out, docs, files


def test_tables_are_sorted_and_typed(written):
    out, docs, files = written
    s = pq.read_table(out / "sentences.parquet")
    keys = list(zip(s["doc_id"].to_pylist(), s["sentence_index"].to_pylist(), strict=True))
    assert keys == sorted(keys)
    assert "text" not in pq.read_table(out / "documents.parquet").column_names
    assert s["ref_number"].null_count == len(keys) - (94 + 5 + 77)
    refs = pq.read_table(out / "references.parquet")
    assert sum(refs["filled"].to_pylist()) == 94 + 5 + 77
    for name in INGEST_TABLES:
        assert pq.read_schema(out / f"{name}.parquet").equals(SPECS[name].arrow_schema)
    assert sum(1 for f in files if f.parent.name == "clean") == len(docs) == 5
    assert not (out / "datapackage.json").exists()


def test_a_bad_row_fails_the_check_and_nothing_is_written(written, tmp_path: Path):
    _, docs, _ = written
    d = docs[0]
    bad = dataclasses.replace(d, sentences=[dataclasses.replace(d.sentences[0], kind="sidebar")])
    with pytest.raises(TableCheckError, match="table sentences: column kind fails isin"):
        with RunOutputs(tmp_path, INGEST_TABLES, datapackage=False) as outputs:
            outputs.add_documents([bad])
            outputs.commit()
    assert list(tmp_path.iterdir()) == []  # no table, no cleaned text, no temporary file


def test_empty_corpus_gives_empty_typed_tables(tmp_path: Path):
    docs, problems = ingest_corpus(tmp_path)
    with RunOutputs(tmp_path / "out", INGEST_TABLES, datapackage=False) as outputs:
        outputs.add_documents(docs)
        outputs.add("problems", problems)
        outputs.commit()
    empty = pq.read_table(tmp_path / "out" / "sentences.parquet")
    assert empty.num_rows == 0 and empty.schema.equals(SPECS["sentences"].arrow_schema)
    assert (tmp_path / "out" / "sentences.csv").read_text().startswith("doc_id,sentence_index,")
