"""``python -m pipeline ingest``: tables written, report printed, byte-identical reruns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from pipeline.commands.cli import main

ROOT = Path(__file__).resolve().parents[1]
TABLES = (
    "documents",
    "sentences",
    "references",
    "citations",
    "tables",
    "abbreviations",
    "problems",
)


def test_ingest_command_writes_tables_and_report(tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", "--corpus", str(ROOT / "corpus"), "--out", str(out)]) == 0
    report = capsys.readouterr().out
    assert "ingested 5 document(s)" in report
    assert "72 reference slots (5 filled, 67 empty)" in report
    assert "94 reference slots (94 filled, 0 empty)" in report
    assert "77 reference slots (77 filled, 0 empty)" in report
    for name in TABLES:
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert "text" not in docs.columns and len(docs) == 5
    for _, row in docs.iterrows():
        clean = (out / row["clean_text_path"]).read_text(encoding="utf-8")
        assert len(clean) == int(row["n_chars_clean"])
    sents = pd.read_parquet(out / "sentences.parquet")
    texts = {
        r.doc_id: (out / "clean" / f"{r.doc_id}.txt").read_text(encoding="utf-8")
        for r in docs.itertuples()
    }
    for s in sents.itertuples():  # offsets still round-trip after the write
        assert texts[s.doc_id][s.char_start : s.char_end] == s.text
    refs = pd.read_parquet(out / "references.parquet")
    assert len(refs) == 94 + 72 + 77
    # no temp files left behind
    assert not list(out.glob(".*.tmp"))


def test_ingest_twice_is_byte_identical(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert main(["ingest", "--corpus", str(ROOT / "corpus"), "--out", str(out)]) == 0
    for name in TABLES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name


def test_help_works_as_module():
    res = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "--corpus" in res.stdout and "--out" in res.stdout
