"""Writing the knowledge base's records as the tidy export tables.

The frames are built by the stages' own functions (``ingest_tables``,
``runner.nlp_frames``, ``runner.triple_frames``, the ADC catalogue, the pandera
schemas, the datapackage), exactly as the offline ``extract`` command builds them, so
the flow's exports and ``extract``'s have the same files, columns and schemas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.export import write_table, write_text_atomic
from pipeline.model import DocIngest


def _documents(records: dict[str, list]) -> list[DocIngest]:
    """Regroup the per-document records into ``DocIngest``s (document order)."""
    docs = {d.doc_id: DocIngest(document=d) for d in records["documents"]}
    for name in ("sentences", "references", "citations", "tables", "abbreviations"):
        for r in records[name]:
            getattr(docs[r.doc_id], name).append(r)
    return [docs[k] for k in sorted(docs)]


def build_frames(records: dict[str, list]) -> dict[str, pd.DataFrame]:
    from pipeline.assemble import infer_class_level
    from pipeline.ingest import ingest_tables
    from pipeline.nlp import adc_catalog_frame, load_adc_catalog
    from pipeline.runner import nlp_frames, triple_frames

    frames: dict[str, pd.DataFrame] = dict(
        ingest_tables(_documents(records), records.get("problems", []))
    )
    frames.update(nlp_frames(records["mentions"], records["entities"]))
    frames["adc_catalog"] = adc_catalog_frame()
    inferred = infer_class_level(records["triples"], load_adc_catalog())
    frames.update(triple_frames(records["triples"], records["evidence"], inferred))
    return frames


def _typed_if_empty(df: pd.DataFrame, schema: object) -> pd.DataFrame:
    """An empty frame has object columns; give it the schema's dtypes (a KB whose documents
    were all removed still exports valid, empty tables)."""
    if schema is None or len(df):
        return df
    dtypes = schema.dtypes  # type: ignore[attr-defined]
    return df.astype({c: dtypes[c].type for c in df.columns if c in dtypes})


def write_all(records: dict[str, list], out_dir: Path) -> list[Path]:
    """Validate and write every table plus ``datapackage.json`` into ``out_dir``."""
    from pipeline import schemas
    from pipeline.datapackage import write_datapackage
    from pipeline.ingest.tables import clean_text_relpath

    frames = build_frames(records)
    written = []
    for d in records["documents"]:  # documents.csv points at each cleaned text
        path = out_dir / clean_text_relpath(d.doc_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, d.text)
        written.append(path)
    table_schemas: dict = {}
    for attr in ("INGEST_SCHEMAS", "NLP_SCHEMAS", "EXTRACT_SCHEMAS", "SCHEMAS"):
        table_schemas.update(getattr(schemas, attr, {}))
    for name in sorted(frames):
        schema = table_schemas.get(name)
        written.append(write_table(_typed_if_empty(frames[name], schema), name, out_dir, schema))
    written.append(write_datapackage(frames, out_dir))
    return written
