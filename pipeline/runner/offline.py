"""The offline ``extract`` path: ingest -> NER -> relation extraction -> assembly -> export.

No Prefect here: the flow (``flows/``) calls the same per-document functions as tasks;
this runner composes them in one process so ``python -m pipeline extract`` works on any
folder of texts without a server.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.assembly import assemble, infer_class_level
from pipeline.extract import extract_claims
from pipeline.model import (
    Claim,
    DocIngest,
    Mention,
    Problem,
    SourceFile,
    Triple,
)
from pipeline.pack import Pack, load_pack
from pipeline.runner.gc_freeze import freeze_loaded_once
from pipeline.runner.parallel import ordered_map

log = logging.getLogger(__name__)

# Documents per streaming batch: ingest, NER and extraction of this many documents, their
# rows appended to the tables, then dropped. Memory is bounded by a batch, not the corpus.
DEFAULT_BATCH_DOCS = 250


@dataclass
class RunResult:
    """What one extract run produced (counts for the log and the run summary)."""

    out_dir: Path
    n_documents: int = 0
    n_sentences: int = 0
    n_mentions: int = 0
    n_claims: int = 0
    n_triples: int = 0
    n_evidence: int = 0
    n_inferred: int = 0
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def extract_documents(
    docs: list[DocIngest], mentions_by_doc: dict[str, list[Mention]], pack: Pack
) -> dict[str, list[Claim]]:
    """Claims per ``doc_id`` (one call per document, as the flow's task does)."""
    claims = {
        d.document.doc_id: extract_claims(d, mentions_by_doc.get(d.document.doc_id, []), pack)
        for d in docs
    }
    log.info("extract: %d documents -> %d claims", len(docs), sum(len(c) for c in claims.values()))
    return claims


@dataclass
class ProcessedSources:
    """The per-document results of a list of sources: what a worker sends back."""

    docs: list[DocIngest]
    failed: list[Problem]  # documents whose ingest failed (skipped)
    mentions: dict[str, list[Mention]]
    claims: dict[str, list[Claim]]


def process_sources(
    sources: list[SourceFile], pack: Pack, spacy_model: str = "", batch_size: int = 64
) -> ProcessedSources:
    """Ingest, annotate and extract ``sources``: all of a run's per-document work, plain
    records in and out, so that it runs unchanged in a worker process. A document whose
    ingest fails is skipped with a Problem naming the error, as ``ingest_corpus`` does."""
    from pipeline.ingest import ingest_sources
    from pipeline.nlp import annotate

    docs, failed = ingest_sources(sources)
    mentions = annotate(docs, pack, spacy_model, batch_size=batch_size)
    result = ProcessedSources(docs, failed, mentions, extract_documents(docs, mentions, pack))
    freeze_loaded_once()  # every table is loaded now: keep the collector off them
    return result


def unit_size(batch_docs: int, n_process: int) -> int:
    """Documents per unit of work: a streaming batch with one process; with more, smaller
    units, so that every worker has work while at most ``2 * n_process`` units are held at
    once (``ordered_map``'s bound: the same memory as one batch)."""
    return batch_docs if n_process <= 1 else max(1, batch_docs // (2 * n_process))


def run_extract(
    corpus_dir: Path,
    out_dir: Path,
    batch_size: int = 64,
    n_process: int = 1,
    batch_docs: int = DEFAULT_BATCH_DOCS,
    pack: Pack | None = None,
    spacy_model: str = "",
) -> RunResult:
    """Run the whole offline path on ``corpus_dir`` and write every table under ``out_dir``.

    Streams: documents are ingested, annotated and extracted ``batch_docs`` at a time, in
    ``doc_id`` order, and each batch's per-document rows are appended to the tables before
    the next batch is read. Claims are spilled to disk in buckets by triple id and
    assembled a bucket at a time (``pipeline.runner.claims.ClaimBuckets``); only problems,
    entity counts and the deduplicated triples stay in memory to the end. Every file is
    written to a temporary sibling and moved into place only when the whole run succeeded;
    the outputs equal a one-batch run byte for byte (tested).
    ``batch_size`` is spaCy's ``nlp.pipe`` batch size. With ``n_process`` > 1, worker
    processes do the per-document work (:func:`process_sources`) of units of documents
    while this process writes the rows, in unit order (``pipeline.runner.parallel``): the outputs
    are the same bytes as with one process. ``pack`` (default: the shipped one) and
    ``spacy_model`` (the setting) choose the vocabularies and the NER model.
    """
    from pipeline.ingest import discover
    from pipeline.nlp.mentions import EntityTally, load_pipeline
    from pipeline.runner.claims import ClaimBuckets
    from pipeline.tables import RunOutputs

    t0 = time.perf_counter()
    pack = pack or load_pack()
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"extract: corpus folder {corpus_dir} does not exist")
    if batch_docs < 1:
        raise ValueError(f"extract: batch_docs must be at least 1, got {batch_docs}")
    if n_process < 1:
        raise ValueError(f"extract: n_process must be at least 1, got {n_process}")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult(out_dir=out_dir)

    sources, problems = discover(corpus_dir)  # file-name order; doc_ids unique
    position = {src.doc_id: i for i, src in enumerate(sources)}
    by_id = sorted(sources, key=lambda src: src.doc_id)
    failed: dict[int, Problem] = {}  # ingest failures, by position in file order
    doc_problems: dict[str, list[Problem]] = {}
    tally = EntityTally()
    done = 0
    unit = unit_size(batch_docs, n_process)
    if n_process > 1:  # once, before the workers fork, which then share it; frozen, the
        load_pipeline(pack, spacy_model)  # collector does not touch (so copy) shared pages
        freeze_loaded_once()

    with RunOutputs(out_dir) as outputs, ClaimBuckets(out_dir) as claims:
        units = [by_id[i : i + unit] for i in range(0, len(by_id), unit)]
        work = functools.partial(
            process_sources, pack=pack, spacy_model=spacy_model, batch_size=batch_size
        )
        for batch in ordered_map(work, units, n_process):
            for problem in batch.failed:
                failed[position[problem.doc_id]] = problem
            for doc_id, doc_claims in batch.claims.items():
                claims.add(position[doc_id], doc_claims)
            claims.spill()
            mentions = [m for d in batch.docs for m in batch.mentions[d.document.doc_id]]
            tally.add(mentions)
            outputs.add_documents(batch.docs, mentions)
            for d in batch.docs:
                doc_problems[d.document.doc_id] = list(d.problems)
            done += len(batch.docs) + len(batch.failed)
            result.n_documents += len(batch.docs)
            result.n_sentences += sum(len(d.sentences) for d in batch.docs)
            result.n_mentions += len(mentions)
            log.info(
                "batch: %d/%d documents, %d mentions so far", done, len(by_id), result.n_mentions
            )

        # assembly, one bucket of triple ids at a time (ClaimBuckets says why that is exact)
        result.n_claims = claims.n_claims
        all_triples: list[Triple] = []
        for bucket in claims.buckets():
            triples, evidence = assemble(bucket)
            outputs.add_triples(triples, evidence)
            all_triples.extend(triples)
            result.n_evidence += len(evidence)
        result.n_triples = len(all_triples)
        inferred = infer_class_level(all_triples, pack.adc_catalog)
        result.n_inferred = len(inferred)

        problems = problems + [failed[i] for i in sorted(failed)]
        table_problems = list(problems) + [p for k in sorted(doc_problems) for p in doc_problems[k]]
        outputs.add_run_tables(table_problems, tally.entities(), inferred, pack.adc_catalog)
        result.files = outputs.commit()
    result.problems = list(problems) + [
        p for src in sources for p in doc_problems.get(src.doc_id, [])
    ]
    result.seconds = round(time.perf_counter() - t0, 2)
    log.info(
        "extract run: %d docs, %d mentions, %d claims -> %d triples (%d evidence, %d inferred),"
        " %d problems, %.1f s",
        result.n_documents,
        result.n_mentions,
        result.n_claims,
        result.n_triples,
        result.n_evidence,
        result.n_inferred,
        len(result.problems),
        result.seconds,
    )
    return result
