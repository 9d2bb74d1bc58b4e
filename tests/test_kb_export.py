"""Exports regenerated from the knowledge base as one atomic set, with roll-forward."""

from __future__ import annotations

import json

import pandas as pd
from test_kb_refresh import DOC_A, make_claim, make_doc, result

from pipeline.kb import lock, runs
from pipeline.kb.db import get_engine
from pipeline.kb.export import JOURNAL, export_from_kb, exports_current, recover_pending_export
from pipeline.kb.refresh import SeenDocument, remove_documents, store_batch


def _fill(url: str) -> None:
    engine = get_engine(url)
    lock.acquire(engine, "r1", 3600)
    runs.start_run(engine, "r1", "xv", "corpus")
    a = make_doc("aaaa000000000001", "a.txt", DOC_A)
    claims = [make_claim(a, 0, "trastuzumab emtansine", "antigen_loss", "=ERBB2")]
    store_batch(engine, "r1", "xv", [result(a, "added", claims)])
    lock.release(engine, "r1")


def test_export_writes_tables_from_kb_deterministically(kb_url: str, tmp_path) -> None:
    _fill(kb_url)
    out = tmp_path / "out"
    export_from_kb(get_engine(kb_url), out)
    triples = pd.read_csv(out / "triples.csv", dtype=str, keep_default_na=False)
    assert len(triples) == 1 and triples.loc[0, "mechanism_entity"] == "'=ERBB2"  # neutralised
    assert len(pd.read_parquet(out / "evidence.parquet")) == 1
    first = {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}
    export_from_kb(get_engine(kb_url), out)
    assert {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))} == first
    assert not list(out.glob(".export-staging-*")) and not (out / JOURNAL).exists()


def test_exports_current_until_kb_or_files_change(kb_url: str, tmp_path) -> None:
    _fill(kb_url)
    engine = get_engine(kb_url)
    out = tmp_path / "out"
    assert not exports_current(engine, out)
    export_from_kb(engine, out)
    assert exports_current(engine, out)
    (out / "mentions.csv").write_text("edited by hand\n")
    assert not exports_current(engine, out)
    export_from_kb(engine, out)
    assert exports_current(engine, out)
    lock.acquire(engine, "r2", 3600)
    remove_documents(engine, "r2", [SeenDocument("aaaa000000000001", "a.txt", "xv")])
    lock.release(engine, "r2")
    assert not exports_current(engine, out)  # the KB changed
    export_from_kb(engine, out)
    assert pd.read_csv(out / "triples.csv").empty
    assert not list((out / "clean").glob("*.txt"))  # the removed document's text went too


def test_half_moved_export_is_rolled_forward(tmp_path) -> None:
    out = tmp_path / "out"
    staging = out / ".export-staging-dead0001"
    staging.mkdir(parents=True)
    # Killed mid-move: triples.csv already replaced by the new one, evidence.csv not yet.
    (out / "triples.csv").write_text("new\n")
    (out / "evidence.csv").write_text("old\n")
    (staging / "evidence.csv").write_text("new\n")
    (out / JOURNAL).write_text(
        json.dumps({"staging": staging.name, "files": ["triples.csv", "evidence.csv"]})
    )
    (out / ".export-staging-orphan").mkdir()  # a killed run's unfinished staging folder
    assert recover_pending_export(out)
    assert (out / "triples.csv").read_text() == "new\n"
    assert (out / "evidence.csv").read_text() == "new\n"
    assert not (out / JOURNAL).exists() and not list(out.glob(".export-staging-*"))


def test_half_swapped_text_folder_is_rolled_forward(tmp_path) -> None:
    """The cleaned texts move in as one folder: killed before its swap, or between the two
    renames of the swap, the next run finishes it and drops the old folder."""
    for killed_after_first_rename in (False, True):
        out = tmp_path / f"out{int(killed_after_first_rename)}"
        staging = out / ".export-staging-dead0002"
        (staging / "clean").mkdir(parents=True)
        (staging / "clean" / "new.txt").write_text("new text\n")
        (out / "clean").mkdir()
        (out / "clean" / "gone.txt").write_text("a removed document's text\n")
        if killed_after_first_rename:
            (out / "clean").rename(out / ".export-old-clean-dead0002")
        (out / JOURNAL).write_text(
            json.dumps({"staging": staging.name, "folders": ["clean"], "files": []})
        )
        assert recover_pending_export(out)
        assert sorted(p.name for p in (out / "clean").iterdir()) == ["new.txt"]
        assert sorted(p.name for p in out.iterdir()) == ["clean"]
