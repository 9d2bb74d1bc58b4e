"""``query`` and ``history`` over a knowledge base built from hand-made records."""

from __future__ import annotations

import json

from test_kb_refresh import first_run

from pipeline.commands.cli import main
from pipeline.kb import lock, runs
from pipeline.kb.db import get_engine
from pipeline.kb.query import query_triples
from pipeline.kb.refresh import SeenDocument, remove_documents


def test_query_filters_by_drug_mechanism_strategy_category(kb_url: str) -> None:
    first_run(kb_url)
    engine = get_engine(kb_url)
    assert {r["drug"] for r in query_triples(engine, drug="EMTANSINE")} == {"trastuzumab emtansine"}
    assert [r["mechanism_entity"] for r in query_triples(engine, mechanism="abcb1")] == ["ABCB1"]
    assert [r["n_evidence"] for r in query_triples(engine, category="antigen_loss")] == [2]
    assert query_triples(engine, strategy="bispecific") == []
    assert query_triples(engine, drug="100%_") == []  # LIKE wildcards are literal


def test_query_and_history_commands(tmp_path, capsys) -> None:
    out = tmp_path / "extracted"
    url = f"sqlite:///{(out / 'kb.sqlite').as_posix()}"
    first_run(url)
    engine = get_engine(url)
    lock.acquire(engine, "r2", 3600)
    runs.start_run(engine, "r2", "xv", "corpus")
    remove_documents(engine, "r2", [SeenDocument("bbbb000000000001", "b.txt", "xv")])
    runs.finish_run(engine, "r2", "completed", runs.triple_changes(engine, "r2"), {"total": 1.5})
    lock.release(engine, "r2")

    assert main(["query", "--out", str(out), "--drug", "emtansine", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["drug"], r["n_evidence"]) for r in rows] == [("trastuzumab emtansine", 1)]
    assert main(["query", "--out", str(out), "--format", "csv", "--include-retired"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("triple_id,drug,") and lines[0].endswith(",retired_in_run")
    assert len(lines) == 3 and lines[-1].endswith(",r2")  # the retired ABCB1 triple, last
    assert main(["query", "--out", str(out), "--mechanism", "erbb2"]) == 0
    table = capsys.readouterr().out
    assert "trastuzumab emtansine" in table and "n_evidence" in table

    assert main(["history", "--out", str(out)]) == 0
    history = capsys.readouterr().out
    assert "r2" in history and "completed" in history
    assert main(["history", "--out", str(out), "--run", "r2", "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)[0]
    assert [(d["action"], d["file"]) for d in changes["documents"]] == [("removed", "b.txt")]
    assert [t["mechanism_entity"] for t in changes["retired_triples"]] == ["ABCB1"]
