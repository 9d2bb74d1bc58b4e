"""``python -m pipeline history``: past runs and what each changed."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="how many runs (newest first)")
    parser.add_argument("--run", default="", help="show one run's document and triple changes")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--out", default=None, help="export folder holding kb.sqlite")
    parser.add_argument("--kb-url", default=None, help="knowledge-base URL")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.exit_status import ExpectedError
    from pipeline.kb.connect import open_knowledge_base
    from pipeline.kb.query import RUN_COLUMNS, format_rows, run_changes, run_exists, run_history

    settings = Settings.from_env(out_dir=Path(args.out) if args.out else None, kb_url=args.kb_url)
    engine = open_knowledge_base(settings.resolved_kb_url, create=False)
    if not args.run:
        sys.stdout.write(format_rows(run_history(engine, args.limit), args.format, RUN_COLUMNS))
        return 0
    if not run_exists(engine, args.run):
        raise ExpectedError(f"no run {args.run!r} in this knowledge base (`history` lists them)")
    changes = run_changes(engine, args.run)
    if args.format == "json":
        sys.stdout.write(format_rows([changes], "json"))
        return 0
    for part, rows in changes.items():
        if args.format == "table":
            sys.stdout.write(f"\n## {part.replace('_', ' ')} ({len(rows)})\n")
        sys.stdout.write(format_rows(rows, args.format))
    return 0
