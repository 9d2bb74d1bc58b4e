"""``python -m pipeline query``: filter the knowledge base's triples."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drug", default="", help="drug name or id (substring)")
    parser.add_argument("--mechanism", default="", help="mechanism category/entity (substring)")
    parser.add_argument("--strategy", default="", help="strategy category/entity (substring)")
    parser.add_argument("--category", default="", help="a mechanism or strategy category")
    parser.add_argument("--min-evidence", type=int, default=0, help="at least N evidence rows")
    parser.add_argument(
        "--polarity",
        choices=("affirmed", "negated"),
        default="",
        help="only affirmed triples, or only negative findings (every evidence negated)",
    )
    parser.add_argument(
        "--include-retired", action="store_true", help="also triples without evidence any more"
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--out", default=None, help="export folder holding kb.sqlite")
    parser.add_argument("--kb-url", default=None, help="knowledge-base URL")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.kb.connect import open_knowledge_base
    from pipeline.kb.query import TRIPLE_COLUMNS, format_rows, query_triples

    settings = Settings.from_env(out_dir=Path(args.out) if args.out else None, kb_url=args.kb_url)
    rows = query_triples(
        open_knowledge_base(settings.resolved_kb_url, create=False),
        drug=args.drug,
        mechanism=args.mechanism,
        strategy=args.strategy,
        category=args.category,
        min_evidence=args.min_evidence,
        include_retired=args.include_retired,
        polarity=args.polarity,
    )
    columns = list(TRIPLE_COLUMNS) + (["retired_in_run"] if args.include_retired else [])
    sys.stdout.write(format_rows(rows, args.format, columns))
    if args.format == "table":
        print(f"{len(rows)} triple(s)", file=sys.stderr)
    return 0
