"""``evaluate-ner``: score NER mentions against hand-annotated gold mentions.

    python -m pipeline evaluate-ner --gold tests/gold/mentions_dev.csv --corpus corpus

Ingests the corpus, runs :func:`pipeline.nlp.annotate`, prints per-type strict precision,
recall and F1 (text + type + entity id must all match), then the misses and false
positives. Exit code 0, or 1 with ``--min-f1`` when a scored type falls below it.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", default="tests/gold/mentions_dev.csv", help="gold mentions CSV")
    parser.add_argument("--corpus", default="corpus", help="folder of documents (default: corpus)")
    parser.add_argument(
        "--max-errors", type=int, default=50, help="misses/false positives to list (default 50)"
    )
    parser.add_argument(
        "--min-f1", type=float, default=None, help="exit 1 if any type's F1 is below this"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.evaluation.ner import format_report, read_gold, score
    from pipeline.ingest import ingest_corpus
    from pipeline.nlp import annotate
    from pipeline.pack import load_pack

    settings = Settings.from_env()
    gold = read_gold(Path(args.gold))
    docs, problems = ingest_corpus(Path(args.corpus))
    for p in problems:
        print(f"problem [{p.stage}/{p.severity}] {p.file}: {p.message}")
    mentions = annotate(
        docs,
        load_pack(settings.resources_dir),
        settings.spacy_model,
        batch_size=settings.batch_size,
        n_process=settings.n_process,
    )
    report = score(gold, docs, mentions)
    n_sentences = len({(g.file, g.sentence) for g in gold})
    print(f"gold: {len(gold)} mentions in {n_sentences} sentences ({args.gold})")
    print(format_report(report, max_errors=args.max_errors))
    if args.min_f1 is not None and any(s.f1 < args.min_f1 for s in report.scores.values()):
        return 1
    return 0
