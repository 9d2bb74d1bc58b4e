"""build_report, load_tables and the `report` command on the tiny fixture tables."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.commands.cli import main
from pipeline.report import build_report, load_tables
from pipeline.report.payload import page_data
from pipeline.report.prepare import TABLE_COLUMNS, normalise_tables
from pipeline.tables import write_frame

FIXTURES = Path(__file__).parent / "fixtures" / "report"
DATA_RE = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


@pytest.fixture()
def tables() -> dict[str, pd.DataFrame]:
    return load_tables(FIXTURES)


def _embedded(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


def test_build_report_writes_page_figures_and_summary(tables, tmp_path):
    index = build_report(tables, tmp_path)
    assert index == tmp_path / "report" / "index.html"
    names = sorted(p.name for p in index.parent.iterdir())
    assert names == [
        "heatmap_drug_mechanism.png",
        "heatmap_drug_mechanism.svg",
        "index.html",
        "matrix_mechanism_strategy.png",
        "matrix_mechanism_strategy.svg",
        "summary.json",
    ]
    for png in index.parent.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (index.parent / "heatmap_drug_mechanism.svg").read_text()
    html = index.read_text(encoding="utf-8")
    assert _embedded(html) == json.loads(
        json.dumps(page_data(normalise_tables(tables), set()))
    )  # tuples become lists
    assert 'src="heatmap_drug_mechanism.png"' in html
    assert "First report in this folder" in html
    summary = json.loads((index.parent / "summary.json").read_text())
    assert summary["counts"]["triples"] == 4
    assert summary["triple_ids"] == sorted(tables["triples"]["triple_id"])


def test_page_loads_nothing_from_the_network(tables, tmp_path):
    html = build_report(tables, tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=\"?(https?:)?//", html)
    assert "@import" not in html and "url(http" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_sentence_with_script_tag_is_escaped(tables, tmp_path):
    ev = tables["evidence"].copy()
    ev.loc[0, "sentence"] = "Evil </script><script>alert(1)</script> <b>sentence</b>"
    tables["evidence"] = ev
    tri = tables["triples"].copy()
    tri.loc[0, "drug"] = "<img src=x onerror=alert(1)>"
    tables["triples"] = tri
    html = build_report(tables, tmp_path).read_text(encoding="utf-8")
    assert html.count("</script>") == 2  # the data element and the inline script only
    assert "<img src=x" not in html
    sentences = [e["s"] for evs in _embedded(html)["evidence"].values() for e in evs]
    assert "Evil </script><script>alert(1)</script> <b>sentence</b>" in sentences


def test_second_build_reports_changes(tables, tmp_path):
    build_report(tables, tmp_path)
    gone = tables["triples"]["triple_id"].iloc[0]
    smaller = dict(tables)
    smaller["triples"] = tables["triples"].iloc[1:]
    smaller["evidence"] = tables["evidence"][tables["evidence"]["triple_id"] != gone]
    html = build_report(smaller, tmp_path).read_text(encoding="utf-8")
    assert re.search(r"<strong>0</strong> new triples.*?<strong>1</strong> no longer", html, re.S)
    assert re.search(r'data-count="triples">\s*<div class="num">3</div>.*?-1', html, re.S)
    html = build_report(tables, tmp_path).read_text(encoding="utf-8")  # and back again
    assert re.search(r"<strong>1</strong> new triple\b", html)
    assert [t["id"] for t in _embedded(html)["triples"] if t["new"]] == [gone]


def test_previous_counts_can_be_passed_in(tables, tmp_path):
    html = build_report(tables, tmp_path, previous={"triples": 10, "evidence": 5}).read_text()
    assert re.search(r'data-count="triples">.*?-6', html, re.S)
    assert "did not list its triples" in html


def test_figures_are_deterministic(tables, tmp_path):
    build_report(tables, tmp_path / "a")
    build_report(tables, tmp_path / "b")
    for name in ("heatmap_drug_mechanism", "matrix_mechanism_strategy"):
        for ext in ("png", "svg"):
            a = (tmp_path / "a" / "report" / f"{name}.{ext}").read_bytes()
            assert a == (tmp_path / "b" / "report" / f"{name}.{ext}").read_bytes(), name


def test_empty_run_still_renders(tmp_path):
    empty = {name: pd.DataFrame(columns=cols) for name, cols in TABLE_COLUMNS.items()}
    html = build_report(empty, tmp_path).read_text(encoding="utf-8")
    assert '"triples":[]' in html


def test_load_tables_prefers_parquet_and_restores_neutralised_csv_cells(tables, tmp_path):
    norm = normalise_tables(tables)
    ev = norm["evidence"].copy()
    ev.loc[0, "sentence"] = "-mediated efflux (a sentence starting with a minus sign)."
    write_frame(ev, "evidence", tmp_path)
    write_frame(norm["triples"], "triples", tmp_path, parquet=False)
    assert "'-mediated" in (tmp_path / "evidence.csv").read_text()
    loaded = load_tables(tmp_path)
    assert loaded["evidence"]["sentence"].iloc[0].startswith("-mediated")  # from Parquet
    (tmp_path / "evidence.parquet").unlink()
    loaded = load_tables(tmp_path)
    assert loaded["evidence"]["sentence"].iloc[0].startswith("-mediated")  # CSV, undone
    assert len(loaded["mentions"]) == 0 and list(loaded["mentions"].columns)


def test_load_tables_names_the_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match="triples.*" + re.escape(str(tmp_path))):
        load_tables(tmp_path)


def test_report_command_rebuilds_from_export_folder(tmp_path, capsys):
    for csv in FIXTURES.glob("*.csv"):
        shutil.copy(csv, tmp_path)
    assert main(["report", "--out", str(tmp_path), "--label", "run 7"]) == 0
    index = tmp_path / "report" / "index.html"
    assert str(index) in capsys.readouterr().out
    assert "run 7" in index.read_text(encoding="utf-8")
    assert main(["report", "--out", str(tmp_path / "nothing")]) == 1


def test_template_autoescapes_labels(tables, tmp_path):
    html = build_report(tables, tmp_path, run_label="<b>run</b>").read_text(encoding="utf-8")
    assert "&lt;b&gt;run&lt;/b&gt;" in html and "<b>run</b>" not in html


def test_evidence_of_unknown_triples_is_reported(tables, tmp_path, caplog):
    ev = tables["evidence"].copy()
    ev.loc[0, "triple_id"] = "t_0000000000000000"
    tables["evidence"] = ev
    build_report(tables, tmp_path)
    assert "1 evidence rows name a triple_id that is not in the triples table" in caplog.text
