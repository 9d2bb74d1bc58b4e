"""The offline ``extract`` path: ingest -> NER -> relation extraction -> assembly -> export.

No Prefect here: the flow (``flows/``) calls the same per-document functions as tasks;
this runner composes them in one process so ``python -m pipeline extract`` works on any
folder of texts without a server.
"""

from __future__ import annotations

import functools
import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.assemble import assemble, infer_class_level
from pipeline.export import TableWriter, records_frame, write_table, write_text_atomic
from pipeline.extract import extract_claims
from pipeline.gc_freeze import freeze_loaded_once
from pipeline.model import (
    Claim,
    DocIngest,
    Entity,
    Evidence,
    InferredTriple,
    Mention,
    Problem,
    SourceFile,
    Triple,
)
from pipeline.pack import Pack, load_pack
from pipeline.parallel import ordered_map
from pipeline.progress import Progress

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


def triple_frames(
    triples: list[Triple], evidence: list[Evidence], inferred: list[InferredTriple]
) -> dict[str, pd.DataFrame]:
    """The three extraction tables, sorted, with their exact columns."""
    t = records_frame(sorted(triples, key=lambda r: r.triple_id), Triple.columns())
    e = records_frame(
        sorted(evidence, key=lambda r: (r.triple_id, r.doc_id, r.sentence_index, r.char_start)),
        Evidence.columns(),
    )
    i = records_frame(inferred, InferredTriple.columns())
    t["confidence"] = t["confidence"].astype(float).round(4)
    for df, cols in (
        (t, ["n_evidence", "n_documents", "n_cited_papers", "n_negated", "n_hedged"]),
        (e, ["sentence_index", "char_start", "char_end"]),
    ):
        for c in cols:
            df[c] = df[c].astype("int64")
    for df, cols in ((e, ["negated", "hedged"]), (i, ["inferred"])):
        for c in cols:
            df[c] = df[c].astype(bool)
    return {
        name: typed_if_empty(df)
        for name, df in (("triples", t), ("evidence", e), ("inferred_triples", i))
    }


def typed_if_empty(df: pd.DataFrame, schema: object = None) -> pd.DataFrame:
    """Give an empty table the dtypes a filled one has (an empty frame has object columns):
    text columns the string dtype, and, with a pandera ``schema``, the schema's dtypes, so a
    run that finds nothing (no claims, no class-level rows, no documents left) still passes."""
    if not df.empty:
        return df
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("str")
    if schema is not None:
        dtypes = schema.dtypes  # type: ignore[attr-defined]
        out = out.astype({c: dtypes[c].type for c in out.columns if c in dtypes})
    return out


def nlp_frames(mentions: list[Mention], entities: list[Entity]) -> dict[str, pd.DataFrame]:
    m = records_frame(
        sorted(mentions, key=lambda r: (r.doc_id, r.char_start, r.char_end, r.type, r.entity_id)),
        Mention.columns(),
    )
    en = records_frame(sorted(entities, key=lambda r: r.entity_id), Entity.columns())
    return {"mentions": typed_if_empty(m), "entities": typed_if_empty(en)}


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


def document_frames(docs: list[DocIngest], mentions: list[Mention]) -> dict[str, pd.DataFrame]:
    """The per-document tables of ``docs`` (documents, sentences, references, citations,
    tables, abbreviations, mentions), sorted by ``doc_id`` first: the tables of a set of
    documents, in ``doc_id`` order, are the tables of each set in turn (streaming)."""
    from pipeline.ingest import ingest_tables

    frames = ingest_tables(docs, [])
    del frames["problems"]
    frames["mentions"] = nlp_frames(mentions, [])["mentions"]
    return frames


def run_frames(
    problems: list[Problem], entities: list[Entity], pack: Pack
) -> dict[str, pd.DataFrame]:
    """The tables of the run as a whole besides the triples: problems, entities and the ADC
    catalogue."""
    from pipeline.ingest import ingest_tables

    return {
        "problems": ingest_tables([], problems)["problems"],
        "entities": nlp_frames([], entities)["entities"],
        "adc_catalog": pack.adc_catalog_frame(),
    }


def inferred_triples(triples: list[Triple], pack: Pack) -> list[InferredTriple]:
    """The class-level rows the ADC catalogue infers from ``triples``."""
    return infer_class_level(triples, pack.adc_catalog)


def build_frames(
    docs: list[DocIngest],
    problems: list[Problem],
    mentions: list[Mention],
    entities: list[Entity],
    triples: list[Triple],
    evidence: list[Evidence],
    pack: Pack,
) -> dict[str, pd.DataFrame]:
    """Every export table at once (the KB export): the same frames ``run_extract`` writes
    in batches, so both write the same files, columns and schemas. ``problems`` are
    run-level problems; each document's own are added, in ``doc_id`` order."""
    frames = document_frames(docs, mentions)
    by_id = sorted(docs, key=lambda d: d.document.doc_id)
    frames.update(
        run_frames(list(problems) + [p for d in by_id for p in d.problems], entities, pack)
    )
    frames.update(triple_frames(triples, evidence, inferred_triples(triples, pack)))
    return frames


def write_outputs(
    frames: dict[str, pd.DataFrame], docs: list[DocIngest], out_dir: Path
) -> list[Path]:
    """Write the cleaned texts, every table (schema-checked, CSV + Parquet, atomic) and
    ``datapackage.json`` into ``out_dir``; return the paths written."""
    from pipeline.datapackage import write_datapackage
    from pipeline.ingest.tables import clean_text_relpath
    from pipeline.schemas import EXTRACT_SCHEMAS, INGEST_SCHEMAS

    out_dir = Path(out_dir)
    written = []
    for d in sorted(docs, key=lambda d: d.document.doc_id):  # documents.csv points at these
        path = out_dir / clean_text_relpath(d.document.doc_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, d.document.text)
        written.append(path)
    table_schemas = {**INGEST_SCHEMAS, **EXTRACT_SCHEMAS}
    for name in sorted(frames):
        schema = table_schemas.get(name)
        written.append(write_table(typed_if_empty(frames[name], schema), name, out_dir, schema))
    written.append(write_datapackage(frames, out_dir))
    return written


def _table_schemas() -> dict[str, object]:
    from pipeline.schemas import EXTRACT_SCHEMAS, INGEST_SCHEMAS

    return {**INGEST_SCHEMAS, **EXTRACT_SCHEMAS}


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
    assembled a bucket at a time (``pipeline.streaming.ClaimBuckets``); only problems,
    entity counts and the deduplicated triples stay in memory to the end. Every file is
    written to a temporary sibling and moved into place only when the whole run succeeded;
    the outputs equal a one-batch run byte for byte (tested).
    ``batch_size`` is spaCy's ``nlp.pipe`` batch size. With ``n_process`` > 1, worker
    processes do the per-document work (:func:`process_sources`) of units of documents
    while this process writes the rows, in unit order (``pipeline.parallel``): the outputs
    are the same bytes as with one process. ``pack`` (default: the shipped one) and
    ``spacy_model`` (the setting) choose the vocabularies and the NER model.
    """
    from pipeline.datapackage import write_datapackage
    from pipeline.ingest import discover
    from pipeline.ingest.tables import clean_text_relpath
    from pipeline.nlp.mentions import EntityTally, load_pipeline
    from pipeline.streaming import ClaimBuckets, StagedFiles

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
    schemas = _table_schemas()

    sources, problems = discover(corpus_dir)  # file-name order; doc_ids unique
    position = {src.doc_id: i for i, src in enumerate(sources)}
    by_id = sorted(sources, key=lambda src: src.doc_id)
    failed: dict[int, Problem] = {}  # ingest failures, by position in file order
    doc_problems: dict[str, list[Problem]] = {}
    tally = EntityTally()
    unit = unit_size(batch_docs, n_process)
    if n_process > 1:  # once, before the workers fork, which then share it; frozen, the
        load_pipeline(pack, spacy_model)  # collector does not touch (so copy) shared pages
        freeze_loaded_once()
    described: dict[str, pd.DataFrame] = {}  # an empty frame per table, for datapackage.json

    with ExitStack() as stack:
        texts = stack.enter_context(StagedFiles(out_dir))
        claims = stack.enter_context(ClaimBuckets(out_dir))
        writers: dict[str, TableWriter] = {}

        def append(name: str, frame: pd.DataFrame, partition_by: str | None) -> None:
            if name not in writers:
                writers[name] = stack.enter_context(
                    TableWriter(
                        name,
                        out_dir,
                        schemas.get(name),
                        partition_by=partition_by,
                        defer_commit=True,
                    )
                )
            if name not in described or (described[name].empty and not frame.empty):
                described[name] = frame.iloc[:0]
            writers[name].append(typed_if_empty(frame, schemas.get(name)))

        # one (empty) batch for an empty corpus, so that every table gets its header
        units = [by_id[i : i + unit] for i in range(0, max(len(by_id), 1), unit)]
        work = functools.partial(
            process_sources, pack=pack, spacy_model=spacy_model, batch_size=batch_size
        )
        progress = Progress("extract", len(by_id), "documents", log)  # bar on a terminal
        for batch in ordered_map(work, units, n_process):
            for problem in batch.failed:
                failed[position[problem.doc_id]] = problem
            for doc_id, doc_claims in batch.claims.items():
                claims.add(position[doc_id], doc_claims)
            claims.spill()
            mentions = [m for d in batch.docs for m in batch.mentions[d.document.doc_id]]
            tally.add(mentions)
            for name, frame in document_frames(batch.docs, mentions).items():
                append(name, frame, partition_by="doc_id")
            for d in batch.docs:
                texts.write_text(clean_text_relpath(d.document.doc_id), d.document.text)
                doc_problems[d.document.doc_id] = list(d.problems)
            result.n_documents += len(batch.docs)
            result.n_sentences += sum(len(d.sentences) for d in batch.docs)
            result.n_mentions += len(mentions)
            progress.step(len(batch.docs) + len(batch.failed))
        progress.close()
        del batch, mentions

        # assembly, one bucket of triple ids at a time (ClaimBuckets says why that is exact)
        result.n_claims = claims.n_claims
        all_triples: list[Triple] = []
        for bucket in claims.buckets():
            triples, evidence = assemble(bucket)
            for name, frame in triple_frames(triples, evidence, []).items():
                if name != "inferred_triples":
                    append(name, frame, partition_by="triple_id")
            all_triples.extend(triples)
            result.n_evidence += len(evidence)
        result.n_triples = len(all_triples)
        inferred = inferred_triples(all_triples, pack)
        result.n_inferred = len(inferred)
        append("inferred_triples", triple_frames([], [], inferred)["inferred_triples"], None)

        problems = problems + [failed[i] for i in sorted(failed)]
        table_problems = list(problems) + [p for k in sorted(doc_problems) for p in doc_problems[k]]
        for name, frame in run_frames(table_problems, tally.entities(), pack).items():
            append(name, frame, partition_by=None)
        # leaving the block closes every table; an exception discards every staged file

    try:
        result.files = texts.commit()
        result.files += [writers[name].commit() for name in sorted(writers)]
    finally:
        for w in writers.values():
            w.discard()  # whatever was not moved into place (a failed commit)
        texts.discard()
    result.files.append(write_datapackage(described, out_dir))
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
