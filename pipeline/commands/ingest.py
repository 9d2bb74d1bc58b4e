"""``python -m pipeline ingest --corpus DIR --out DIR``: clean and split a corpus into tables."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", default="corpus", help="folder of source files (default corpus)"
    )
    parser.add_argument("--out", default="extracted", help="output folder (default extracted)")
    parser.add_argument(
        "--max-mb",
        type=float,
        default=None,
        help="skip files larger than this many megabytes (default ADCM_INGEST_MAX_MB or 20)",
    )


def format_report(docs: list, problems: list) -> str:
    """The run report: one line per document with its counts, one line per problem."""
    lines = [f"ingested {len(docs)} document(s)"]
    for d in sorted(docs, key=lambda d: d.document.file):
        doc = d.document
        filled = sum(r.filled for r in d.references)
        resolved = sum(c.resolved for c in d.citations)
        n_rows = len({(t.table_id, t.row_index) for t in d.tables})
        lines.append(
            f"  {doc.file} [{doc.kind}] {doc.doc_id}: "
            f"{len(d.sentences)} sentences, "
            f"{len(d.references)} reference slots ({filled} filled, "
            f"{len(d.references) - filled} empty), "
            f"{len(d.citations)} citation links ({resolved} resolved), "
            f"{n_rows} table rows, {len(d.abbreviations)} abbreviations"
        )
    lines.append(f"{len(problems)} problem(s):")
    for p in problems:
        lines.append(f"  [{p.severity}] {p.stage} {p.file}: {p.message}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.exit_status import require_folder
    from pipeline.ingest import ingest_corpus
    from pipeline.tables import INGEST_TABLES, SPECS, RunOutputs
    from pipeline.tables.arrow import sort_rows
    from pipeline.tables.rows import document_problems

    max_mb = args.max_mb if args.max_mb is not None else Settings.from_env().ingest_max_mb
    require_folder(args.corpus, "corpus")
    docs, problems = ingest_corpus(Path(args.corpus), max_bytes=int(max_mb * 1024 * 1024))
    problems = sort_rows(SPECS["problems"], [*problems, *document_problems(docs)])
    with RunOutputs(Path(args.out), INGEST_TABLES, datapackage=False) as outputs:
        outputs.add_documents(docs)
        outputs.add("problems", problems)
        outputs.commit()
    print(format_report(docs, problems))
    print(f"wrote {len(INGEST_TABLES)} tables (CSV + Parquet) and {len(docs)} cleaned texts "
          f"to {args.out}")  # fmt: skip
    return 0
