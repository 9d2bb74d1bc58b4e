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
        "--sizes",
        default="1000,10000",
        help="corpus sizes (documents) for throughput, memory and scaling (default 1000,10000)",
    )
    parser.add_argument(
        "--flow-docs",
        type=int,
        default=1000,
        help="documents in the corpus for the Prefect flow measurements (default 1000: a "
        "refresh's fixed ~0.3 s of Prefect run overhead is amortised as in real use)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (100,1000; flow 50), no profile"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="fresh processes per throughput measurement, in interleaved rounds; the median "
        "is reported (default 3; not repeated calls in one process: a second pass finds the "
        "tokenizer cache filled with exactly these texts, which flatters it most of all)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the pyinstrument run")
    parser.add_argument("--no-flow", action="store_true", help="skip the Prefect flow runs")
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
        help="where latest.json, latest.md and profile.md are written (default bench/results)",
    )


def run(args: argparse.Namespace) -> int:
    if not (BENCH_DIR / "run.py").exists():
        print(f"bench: {BENCH_DIR} not found; run from a source checkout", file=sys.stderr)
        return 2
    if str(BENCH_DIR.parent) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR.parent))
    from bench.run import run_bench

    return run_bench(args)
