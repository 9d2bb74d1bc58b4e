"""``python -m pipeline bench``: run the benchmarks in ``bench/`` (a source checkout only).

The measuring code lives in ``bench/`` (not installed, not part of the test suite); this
module only defines the options and hands over to ``bench.run.run_bench``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller issue-15 rows (Dask and flow on 500 docs, KB growth on 2,000, ingest 2 "
        "and 16 MB); throughput rows as in the full bench",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated rows or groups: peer-generated, ner-generated, "
        "extract-generated, peer-real, ner-real, extract-real, dask-1, dask-2, flow-local, kb, "
        "ingest; groups throughput, generated, real, dask, flow",
    )
    parser.add_argument("--docs", type=int, default=None, help="generated documents (1000)")
    parser.add_argument(
        "--dask-docs", type=int, default=None, help="documents of the Dask and flow rows (2000)"
    )
    parser.add_argument("--kb-docs", type=int, default=None, help="kb row's documents (10000)")
    parser.add_argument(
        "--kb-window", type=int, default=None, help="kb row's first/last window (1000)"
    )
    parser.add_argument(
        "--ingest-mb", default=None, help="ingest row's file sizes in MB (default 2,4,8,16)"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="fresh processes per throughput row, in interleaved rounds; the median is "
        "reported (default 3)",
    )
    parser.add_argument(
        "--dask-repeats",
        type=int,
        default=None,
        help="runs of each Dask and flow row, interleaved; the median is reported (default: "
        "--repeats, 1 with --quick)",
    )
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size")
    parser.add_argument("--seed", type=int, default=None, help="generator seed")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where generated corpora and run outputs go (default: a folder in the temp dir)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH_DIR / "results",
        help="where latest.json and latest.md are written (default bench/results)",
    )


def run(args: argparse.Namespace) -> int:
    if not (BENCH_DIR / "run.py").exists():
        print(f"bench: {BENCH_DIR} not found; run from a source checkout", file=sys.stderr)
        return 2
    if str(BENCH_DIR.parent) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR.parent))
    from bench.run import run_bench

    return run_bench(args)
