"""``python -m pipeline report``: rebuild the HTML resistance map from an export folder."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the run's output folder holding triples.csv etc. (default: ADCM_OUT_DIR or "
        "extracted); the report is written to OUT/report/index.html",
    )
    parser.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="summary.json of the run to compare with (default: OUT/report/summary.json "
        "of the previous build, if any)",
    )
    parser.add_argument("--label", default="", help="run label shown in the page header")


def run(args: argparse.Namespace) -> int:
    from pipeline.config import Settings
    from pipeline.report import build_report, load_tables

    out = args.out or Settings.from_env().out_dir
    previous = None
    if args.previous is not None:
        try:
            previous = json.loads(args.previous.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.error("report: cannot read --previous %s: %s", args.previous, exc)
            return 2
    try:
        tables = load_tables(out)
    except FileNotFoundError as exc:
        log.error("%s", exc)
        return 1
    index = build_report(tables, out, previous=previous, run_label=args.label)
    print(index)
    return 0
