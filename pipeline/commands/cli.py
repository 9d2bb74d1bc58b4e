"""Command-line entry point: ``python -m pipeline <command>`` (also ``adc-miner``).

Each command lives beside this module, in ``pipeline/commands/<name>.py``, with two functions,
``add_arguments(parser)`` and ``run(args) -> int``. Command modules import only
argparse at module level, so ``--help`` stays fast; heavy imports happen in ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("pipeline.commands.ingest", "clean and split a corpus folder into tidy tables"),
    "extract": (
        "pipeline.commands.extract",
        "ingest + NER + triple extraction, offline, no Prefect",
    ),
    "evaluate": ("pipeline.commands.evaluate", "score extracted triples against a gold file"),
    "evaluate-ner": ("pipeline.commands.evaluate_ner", "score NER mentions against gold mentions"),
    "run": (
        "pipeline.commands.run",
        "run the Prefect flow: refresh the knowledge base and exports",
    ),
    "query": ("pipeline.commands.query", "filter triples in the knowledge base"),
    "history": ("pipeline.commands.history", "past runs and what each changed"),
    "expand": (
        "pipeline.commands.expand",
        "resolve cited references and fetch abstracts over HTTP",
    ),
    "report": (
        "pipeline.commands.report",
        "rebuild the HTML resistance map from the knowledge base",
    ),
    "bench": ("pipeline.commands.bench", "run the benchmarks under bench/"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Mine drug - resistance mechanism - counter-strategy triples about ADCs.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an expected error too"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(cmd)
        cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the traceback of an expected error too")  # fmt: skip
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    try:
        return int(args._run(args) or 0)
    except Exception as exc:
        from pipeline.exit_status import explain

        known = None if args.debug else explain(exc)
        if known is None:
            raise
        message, code = known
        print(f"{args.command}: {message}", file=sys.stderr)
        return code
