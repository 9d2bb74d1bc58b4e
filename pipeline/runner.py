"""The offline ``extract`` path: ingest -> NER -> relation extraction -> assembly -> export.

No Prefect here: the flow (``flows/``) calls the same per-document functions as tasks;
this runner composes them in one process so ``python -m pipeline extract`` works on any
folder of texts without a server.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.assemble import assemble, infer_class_level
from pipeline.export import records_frame, write_table, write_text_atomic
from pipeline.extract import extract_claims
from pipeline.model import (
    Claim,
    DocIngest,
    Entity,
    Evidence,
    InferredTriple,
    Mention,
    Problem,
    Triple,
)

log = logging.getLogger(__name__)


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


def extract_documents(docs: list, mentions_by_doc: dict[str, list[Mention]]) -> list[Claim]:
    """Claims of every document (one call per document, as the flow's task does)."""
    claims: list[Claim] = []
    for doc in docs:
        claims.extend(extract_claims(doc, mentions_by_doc.get(doc.document.doc_id, [])))
    log.info("extract: %d documents -> %d claims", len(docs), len(claims))
    return claims


def build_frames(
    docs: list[DocIngest],
    problems: list[Problem],
    mentions: list[Mention],
    entities: list[Entity],
    triples: list[Triple],
    evidence: list[Evidence],
) -> dict[str, pd.DataFrame]:
    """Every export table: ingest tables, NER frames, the ADC catalogue, triples, evidence
    and the class-level rows inferred from the triples (shared by ``extract`` and the KB
    export, so both write the same files, columns and schemas)."""
    from pipeline.ingest import ingest_tables
    from pipeline.nlp import adc_catalog_frame, load_adc_catalog

    frames: dict[str, pd.DataFrame] = dict(ingest_tables(docs, problems))
    frames.update(nlp_frames(mentions, entities))
    frames["adc_catalog"] = adc_catalog_frame()
    inferred = infer_class_level(triples, load_adc_catalog())
    frames.update(triple_frames(triples, evidence, inferred))
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


def run_extract(
    corpus_dir: Path, out_dir: Path, batch_size: int = 64, n_process: int = 1
) -> RunResult:
    """Run the whole offline path on ``corpus_dir`` and write every table under ``out_dir``."""
    from pipeline.ingest import ingest_corpus
    from pipeline.nlp import annotate, build_entities

    t0 = time.perf_counter()
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"extract: corpus folder {corpus_dir} does not exist")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult(out_dir=out_dir)

    docs, problems = ingest_corpus(corpus_dir)
    result.n_documents = len(docs)
    result.n_sentences = sum(len(d.sentences) for d in docs)
    log.info(
        "ingest: %d documents, %d sentences, %d problems",
        len(docs),
        result.n_sentences,
        len(problems),
    )

    mentions_by_doc = annotate(docs, batch_size=batch_size, n_process=n_process)
    mentions = [m for doc_mentions in mentions_by_doc.values() for m in doc_mentions]
    result.n_mentions = len(mentions)
    log.info("ner: %d mentions", len(mentions))

    claims = extract_documents(docs, mentions_by_doc)
    result.n_claims = len(claims)
    triples, evidence = assemble(claims)
    result.n_triples, result.n_evidence = len(triples), len(evidence)

    frames = build_frames(docs, problems, mentions, build_entities(mentions), triples, evidence)
    result.files = write_outputs(frames, docs, out_dir)
    result.n_inferred = len(frames["inferred_triples"])
    result.problems = list(problems) + [p for d in docs for p in d.problems]
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
