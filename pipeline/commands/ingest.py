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


def format_report(tables: dict, n_docs: int) -> str:
    """The run report: one line per document with its counts, one line per problem."""
    docs = tables["documents"]
    sents = tables["sentences"]
    refs = tables["references"]
    cits = tables["citations"]
    cells = tables["tables"]
    abbrs = tables["abbreviations"]
    lines = [f"ingested {n_docs} document(s)"]
    for _, d in docs.sort_values("file").iterrows():
        did = d["doc_id"]
        r = refs[refs["doc_id"] == did]
        c = cits[cits["doc_id"] == did]
        n_rows = cells[cells["doc_id"] == did].groupby("table_id")["row_index"].nunique().sum()
        lines.append(
            f"  {d['file']} [{d['kind']}] {did}: "
            f"{int((sents['doc_id'] == did).sum())} sentences, "
            f"{len(r)} reference slots ({int(r['filled'].sum())} filled, "
            f"{int((~r['filled']).sum())} empty), "
            f"{len(c)} citation links ({int(c['resolved'].sum())} resolved), "
            f"{int(n_rows)} table rows, {int((abbrs['doc_id'] == did).sum())} abbreviations"
        )
    probs = tables["problems"]
    lines.append(f"{len(probs)} problem(s):")
    for _, p in probs.iterrows():
        lines.append(f"  [{p['severity']}] {p['stage']} {p['file']}: {p['message']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.exit_status import require_folder
    from pipeline.ingest import ingest_corpus, ingest_tables, write_ingest_outputs

    max_mb = args.max_mb if args.max_mb is not None else Settings.from_env().ingest_max_mb
    require_folder(args.corpus, "corpus")
    docs, problems = ingest_corpus(Path(args.corpus), max_bytes=int(max_mb * 1024 * 1024))
    tables = ingest_tables(docs, problems)
    write_ingest_outputs(tables, docs, Path(args.out))
    print(format_report(tables, len(docs)))
    print(f"wrote {len(tables)} tables (CSV + Parquet) and {len(docs)} cleaned texts to {args.out}")
    return 0
