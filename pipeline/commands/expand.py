"""``expand``: resolve the corpus's cited references over HTTP and turn abstracts into documents.

Writes, in ``--out``: ``references_resolved.csv`` (every reference slot with its resolved
identifiers and resolution status), ``abstract_documents.csv`` / ``abstract_sentences.csv``
(the cited papers' abstracts as documents) and ``expansion_problems.csv``. Every HTTP
answer is kept in the persistent cache (``ADCM_HTTP_CACHE_PATH``, default
``<out>/http_cache.sqlite``), so a second run asks only for what it has not seen, and
``--offline`` uses the cache alone.
"""

from __future__ import annotations

import argparse

from pipeline.exit_status import COMPLETED_WITH_PROBLEMS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", default="corpus", help="folder of documents (default: corpus)")
    parser.add_argument("--out", default="extracted", help="output folder (default: extracted)")
    parser.add_argument(
        "--offline", action="store_true", help="use the HTTP cache only, send no request"
    )
    parser.add_argument(
        "--max-references",
        type=int,
        default=None,
        help="resolve at most N references (in document/number order), e.g. for a trial run",
    )


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.exit_status import require_folder
    from pipeline.ingest import ingest_corpus
    from pipeline.literature.expansion import expand_references, references_frame
    from pipeline.model import Document
    from pipeline.tables import SPECS, to_arrow, write_frame, write_table
    from pipeline.tables.specs import table_spec

    out = Path(args.out)
    overrides: dict[str, object] = {"corpus_dir": Path(args.corpus), "out_dir": out}
    if args.offline:
        overrides["offline"] = True
    if "ADCM_HTTP_CACHE_PATH" not in os.environ:
        overrides["http_cache_path"] = out / "http_cache.sqlite"
    settings = Settings.from_env(**overrides)
    require_folder(settings.corpus_dir, "corpus")

    docs, problems = ingest_corpus(settings.corpus_dir)
    if not docs:
        print(f"no usable documents in {settings.corpus_dir}")
        return 1
    references = sorted((r for d in docs for r in d.references), key=lambda r: (r.doc_id, r.number))
    todo = references[: args.max_references] if args.max_references else references
    result = expand_references(todo, settings)

    write_frame(references_frame(references, result.resolved), "references_resolved", out)
    # the abstracts in the order they were fetched, cleaned text included
    abstracts = table_spec("abstract_documents", Document)
    doc_rows = [d.document for d in result.documents]
    write_table(to_arrow(abstracts, doc_rows, presorted=True), "abstract_documents", out)
    sentences = [s for d in result.documents for s in d.sentences]
    write_table(to_arrow(SPECS["sentences"], sentences, presorted=True), "abstract_sentences", out)
    all_problems = sorted(
        problems + result.problems, key=lambda p: (p.stage, p.doc_id, p.file, p.message)
    )
    write_table(to_arrow(SPECS["problems"], all_problems, presorted=True),
                "expansion_problems", out)  # fmt: skip

    counts = result.counts()
    print(
        f"{len(todo)} of {len(references)} references: "
        + ", ".join(f"{k}={v}" for k, v in counts.items())
        + f" -> {out}"
    )
    for p in result.problems:
        print(f"problem [{p.stage}/{p.severity}] {p.doc_id}: {p.message}")
    if result.completed:
        print("expand: completed")
        return 0
    print(f"expand: completed with problems: {result.unsettled} references left for the next "
          "run (answers already received are cached)")  # fmt: skip
    return COMPLETED_WITH_PROBLEMS
