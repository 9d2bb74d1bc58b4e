"""The bench's results file: every headline key of issues 15 and 16, derived from what was
measured (a smoke run on tiny sizes; the timings themselves are not tested)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
report = importlib.import_module("bench.report")
bench_run = importlib.import_module("bench.run")

KEYS = (
    "ratio_extract_vs_entityruler_real",
    "ratio_extract_vs_entityruler_generated",
    "ratio_ner_vs_entityruler",
    "pubmed_core_hours_estimate",
    "generated_repeated_sentence_share",
    "generated_distinct_chunks_per_1k_docs",
    "dask_speedup_2_vs_1_workers",
    "dask_cost_vs_local",
    "flow_vs_extract_throughput",
    "kb_last_vs_first_batch",
    "ingest_16mb_vs_2mb",
)


def _args(tmp_path: Path, *argv: str) -> argparse.Namespace:
    from pipeline.commands.bench import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(
        [*argv, "--data-dir", str(tmp_path / "data"), "--results", str(tmp_path / "out")]
    )


def test_a_tiny_run_writes_every_headline_key(tmp_path) -> None:
    only = "peer-generated,ner-generated,extract-generated,ingest"
    args = _args(tmp_path, "--only", only, "--docs", "6", "--repeats", "1",
                 "--ingest-mb", "0.01,0.02")  # fmt: skip
    assert bench_run.run_bench(args) == 0
    results = json.loads((tmp_path / "out" / "latest.json").read_text(encoding="utf-8"))
    assert set(KEYS) <= set(results)
    assert results["ratio_extract_vs_entityruler_generated"] > 0
    assert results["ratio_ner_vs_entityruler"] > 0
    assert results["pubmed_core_hours_estimate"] > 0
    assert 0 <= results["generated_repeated_sentence_share"] <= 1
    assert results["generated_distinct_chunks_per_1k_docs"] > 100
    for row in ("peer-generated", "ner-generated", "extract-generated"):
        assert results["measurements"][row]["text"] == "generated"  # every row says its text
    # rows not run are absent, so their keys are None, never a made-up number
    assert results["ratio_extract_vs_entityruler_real"] is None
    assert results["dask_speedup_2_vs_1_workers"] is None
    assert "6 docs" in results["sizes_note"]
    md = (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")
    assert "extract-generated | generated" in md


def test_only_names_rows_and_groups() -> None:
    assert bench_run.select_rows("extract-real") == ["extract-real"]
    assert bench_run.select_rows("dask") == ["dask-1", "dask-2", "flow-local"]
    assert len(bench_run.select_rows(None)) == len(bench_run.ALL_ROWS)
    try:
        bench_run.select_rows("nope")
    except ValueError as exc:
        assert "nope" in str(exc)
    else:
        raise AssertionError("an unknown row must be refused")


def test_quick_sizes_are_smaller_and_said(tmp_path) -> None:
    quick = bench_run.Sizes.for_args(_args(tmp_path, "--quick"))
    full = bench_run.Sizes.for_args(_args(tmp_path))
    assert (full.dask_docs, full.kb_docs, full.kb_window) == (2000, 10000, 1000)
    assert quick.dask_docs < full.dask_docs and quick.kb_docs < full.kb_docs


def _results(m: dict) -> dict:
    opts = {"generated_docs": 10, "dask_docs": 10, "kb_docs": 40, "kb_window": 20,
            "kb_batch_docs": 10, "ingest_mb": (2, 16), "quick": False}  # fmt: skip
    return {"measurements": m, "options": opts, "corpora": {}}


def test_issue_15_keys_are_derived_from_the_flow_rows() -> None:
    calls = []
    t = 0.0
    for i in range(4):  # batch i: stage 1 s, transaction 0.1 * (i + 1) s; CPU half of it
        store = 0.1 * (i + 1)
        calls += [
            ("process_batch", t, t + 1.0, 0.5),
            ("store_batch", t + 1, t + 1 + store, store / 2),
        ]
        t += 2
    m = {
        "dask-1": {"seconds": 30.0},
        "dask-2": {"seconds": 20.0},
        "flow-local": {"extract": {"seconds": 8.0}, "flow_full": {"seconds": 10.0}},
        "kb": {"calls": calls, "window": 20, "batch_docs": 10},
        "ingest": {"2": {"seconds": 1.0}, "16": {"seconds": 9.0}},
    }
    h = report.headline(_results(m))
    assert h["dask_speedup_2_vs_1_workers"] == 1.5
    assert h["dask_cost_vs_local"] == 2.0
    assert h["flow_vs_extract_throughput"] == 0.8
    assert h["kb_last_vs_first_batch"] == round((1 + 0.15 + 0.2) / (1 + 0.05 + 0.1), 4)
    assert h["kb_windows"]["wall_ratio"] == round((2 + 0.3 + 0.4) / (2 + 0.1 + 0.2), 4)
    assert h["kb_windows"]["store_cpu_ratio"] == round((0.3 + 0.4) / (0.1 + 0.2), 4)
    assert h["ingest_16mb_vs_2mb"] == 9.0
    failed = report.headline(_results({**m, "dask-2": {"error": "worker died"}}))
    assert failed["dask_speedup_2_vs_1_workers"] is None
