"""``python -m pipeline extract``: the stage function over a folder of texts, then assembly
and every table, offline (no Prefect, no knowledge base).

Streams: documents go through :func:`pipeline.batch.process_batch` ``batch_docs`` at a
time, in ``doc_id`` order, and each batch's per-document rows are appended to the tables
before the next batch is read (:class:`pipeline.tables.RunOutputs`). What outlives a batch:
problems; the entity table's counts (``EntityTally``, which grows with the vocabulary, not
with the corpus); and claims, by triple-id bucket (:class:`pipeline.runner.claims.
ClaimBuckets`), so that assembly runs a bucket at a time.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.assembly import assemble, infer_class_level
from pipeline.batch import load_models, process_batch
from pipeline.config import Settings
from pipeline.model import Problem, Triple
from pipeline.runner.gc_freeze import freeze_loaded_once
from pipeline.runner.parallel import ordered_map
from pipeline.runner.progress import Progress

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


def unit_size(batch_docs: int, n_process: int) -> int:
    """Documents per unit of work: a streaming batch with one process; with more, smaller
    units, so that every worker has work while at most ``2 * n_process`` units are held at
    once (``ordered_map``'s bound: the same memory as one batch)."""
    return batch_docs if n_process <= 1 else max(1, batch_docs // (2 * n_process))


def run_extract(settings: Settings, batch_docs: int = DEFAULT_BATCH_DOCS) -> RunResult:
    """Run the whole offline path on ``settings.corpus_dir`` and write every table under
    ``settings.out_dir``.

    Every file is written to a temporary sibling and moved into place only when the whole
    run succeeded; the outputs equal a one-batch run byte for byte (tested). With
    ``settings.n_process`` > 1, forked worker processes run the stage function on units of
    documents while this process writes the rows, in unit order
    (:mod:`pipeline.runner.parallel`): the outputs are the same bytes as with one process.
    """
    from pipeline.ingest import discover
    from pipeline.nlp.mentions import EntityTally
    from pipeline.runner.claims import ClaimBuckets
    from pipeline.tables import RunOutputs

    t0 = time.perf_counter()
    corpus_dir, out_dir, n_process = settings.corpus_dir, settings.out_dir, settings.n_process
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"extract: corpus folder {corpus_dir} does not exist")
    if batch_docs < 1:
        raise ValueError(f"extract: batch_docs must be at least 1, got {batch_docs}")
    if n_process < 1:
        raise ValueError(f"extract: n_process must be at least 1, got {n_process}")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult(out_dir=out_dir)

    max_bytes = int(settings.ingest_max_mb * 1024 * 1024)
    sources, problems = discover(corpus_dir, max_bytes=max_bytes)  # file order; ids unique
    position = {src.doc_id: i for i, src in enumerate(sources)}
    by_id = sorted(sources, key=lambda src: src.doc_id)
    failed: dict[int, Problem] = {}  # ingest failures, by position in file order
    doc_problems: dict[str, list[Problem]] = {}
    tally = EntityTally()
    unit = unit_size(batch_docs, n_process)
    pack = load_models(settings)  # here, before the workers fork, which then share it;
    if n_process > 1:  # frozen, the collector does not touch (so copy) the shared pages
        freeze_loaded_once()

    with RunOutputs(out_dir) as outputs, ClaimBuckets(out_dir) as claims:
        units = [by_id[i : i + unit] for i in range(0, len(by_id), unit)]
        # each worker annotates its own unit in its own process
        work = functools.partial(process_batch, settings=replace(settings, n_process=1))
        progress = Progress("extract", len(by_id), "documents", log)  # bar on a terminal
        for batch in ordered_map(work, units, n_process):
            for problem in batch.failed:
                failed[position[problem.doc_id]] = problem
            for r in batch.docs:
                claims.add(position[r.doc_id], r.claims)
            claims.spill()
            docs = [r.doc for r in batch.docs]
            mentions = [m for r in batch.docs for m in r.mentions]
            tally.add(mentions)
            outputs.add_documents(docs, mentions)
            for d in docs:
                doc_problems[d.document.doc_id] = list(d.problems)
            result.n_documents += len(batch.docs)
            result.n_sentences += sum(len(d.sentences) for d in docs)
            result.n_mentions += len(mentions)
            progress.step(len(batch.docs) + len(batch.failed))
        progress.close()

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
