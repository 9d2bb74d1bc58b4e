"""``evaluate``: score an extraction run against gold triples (sentence and dataset level)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", default="tests/gold/triples_dev.csv", help="gold triples CSV")
    parser.add_argument("--pred", default="extracted", help="folder of an extract run")
    parser.add_argument(
        "--show-errors", action="store_true", help="list misses and false positives"
    )
    parser.add_argument(
        "--docs",
        choices=("all", "gold"),
        default="all",
        help="score every predicted document (all, default: a document without gold rows "
        "counts its extractions as false positives) or only files in the gold (gold)",
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from pipeline.evaluation.triples import evaluate

    result = evaluate(Path(args.gold), Path(args.pred), docs=args.docs)
    for problem in result.gold_problems:
        print(f"warning: gold {args.gold} {problem}", file=sys.stderr)
    print(result.report(show_errors=args.show_errors))
    return 0
