"""``extract``: ingest + NER + triple extraction + assembly on a folder of texts, offline."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", default="corpus", help="folder of documents (default: corpus)")
    parser.add_argument("--out", default="extracted", help="output folder (default: extracted)")
    parser.add_argument("--batch-size", type=int, default=None, help="spaCy nlp.pipe batch size")
    parser.add_argument(
        "--n-process",
        type=int,
        default=None,
        help="worker processes; documents are split among them (default 1)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.exit_status import require_folder
    from pipeline.runner.offline import run_extract

    settings = Settings.from_env(
        corpus_dir=Path(args.corpus),
        out_dir=Path(args.out),
        batch_size=args.batch_size,
        n_process=args.n_process,
    )
    require_folder(settings.corpus_dir, "corpus")
    result = run_extract(settings)
    print(
        f"{result.n_documents} documents, {result.n_sentences} sentences, "
        f"{result.n_mentions} mentions, {result.n_claims} claims -> {result.n_triples} triples "
        f"({result.n_evidence} evidence rows, {result.n_inferred} inferred rows) "
        f"in {result.out_dir} [{result.seconds:.1f} s]"
    )
    for p in result.problems:
        print(f"problem [{p.stage}/{p.severity}] {p.file}: {p.message}")
    return 0 if result.n_documents else 1
