"""``ADCM_INGEST_MAX_MB`` is honoured by ``extract`` and ``run``, not only by ``ingest``: a
file over the limit is skipped with one line naming it, and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.commands.cli import main

SMALL = """Loss of SLFN11 and sacituzumab govitecan

Loss of SLFN11 expression was associated with resistance to sacituzumab govitecan.
"""
BIG_LINE = "Upregulation of ABCB1 confers resistance to trastuzumab emtansine in cells.\n"


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text(SMALL, encoding="utf-8")
    (corpus / "big.txt").write_text("Big file\n\n" + BIG_LINE * 300, encoding="utf-8")  # ~23 KB
    return corpus


def _skip_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if "big.txt" in ln and "limit" in ln]


def test_extract_skips_a_file_over_the_limit_and_goes_on(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ADCM_INGEST_MAX_MB", "0.01")  # 10 KB: small.txt passes, big.txt not
    out = tmp_path / "out"
    assert main(["extract", "--corpus", str(_corpus(tmp_path)), "--out", str(out)]) == 0
    lines = _skip_lines(capsys.readouterr().out)
    assert len(lines) == 1 and "10,485-byte limit" in lines[0], lines
    documents = (out / "documents.csv").read_text(encoding="utf-8")
    assert "small.txt" in documents and "big.txt" not in documents


def test_extract_reads_the_same_file_under_a_higher_limit(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ADCM_INGEST_MAX_MB", "1")
    out = tmp_path / "out"
    assert main(["extract", "--corpus", str(_corpus(tmp_path)), "--out", str(out)]) == 0
    assert _skip_lines(capsys.readouterr().out) == []
    assert "big.txt" in (out / "documents.csv").read_text(encoding="utf-8")


@pytest.mark.slow
def test_run_skips_a_file_over_the_limit_and_goes_on(
    prefect_harness, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ADCM_INGEST_MAX_MB", "0.01")
    monkeypatch.delenv("ADCM_KB_URL", raising=False)
    out = tmp_path / "out"
    argv = ["run", "--corpus", str(_corpus(tmp_path)), "--out", str(out), "--no-report"]
    main(argv)
    documents = (out / "documents.csv").read_text(encoding="utf-8")
    assert "small.txt" in documents and "big.txt" not in documents
    assert len(_skip_lines(capsys.readouterr().out)) >= 1
