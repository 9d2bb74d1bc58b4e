"""``datapackage.json``: a Frictionless Data Package describing every exported table.

Generated from the tables' specs (column order and types come from the records), so the
descriptor cannot drift from the data. Column descriptions for the triple tables come
from ``COLUMN_DOCS``; other tables get their types only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pipeline.tables.files import write_text_atomic
from pipeline.tables.specs import SPECS

PACKAGE_NAME = "adc-resistance-triples"

COLUMN_DOCS: dict[str, str] = {
    "triple_id": "stable hash of the normalised key (drug id, mechanism category + entity, "
    "strategy category + entity)",
    "drug": "canonical ADC name (lower-case INN) or 'antibody-drug conjugate'",
    "drug_id": "adc:<inn> or adcclass:generic",
    "mechanism": "mechanism as named (gene + cue, or cue phrase)",
    "mechanism_category": "controlled vocabulary of the triple spec",
    "mechanism_entity": "HGNC symbol, payload or mechanism phrase",
    "strategy": "counter-strategy as named",
    "strategy_category": "controlled vocabulary of the triple spec",
    "strategy_entity": "partner-drug INN, targeted gene or design phrase",
    "n_evidence": "distinct evidence sentences",
    "n_documents": "distinct documents with evidence",
    "n_cited_papers": "distinct primary papers cited by the evidence sentences",
    "n_negated": "evidence sentences that deny the claim",
    "n_hedged": "evidence sentences that present the claim as possible",
    "confidence": "belief score in [0, 1] (README: confidence formula)",
    "polarity": "'negated' when every evidence sentence denies the claim (a negative "
    "finding, kept apart from support), else 'affirmed'",
    "doc_id": "content hash of the source document",
    "section": "nearest heading of the sentence",
    "sentence_index": "0-based sentence number within the document",
    "char_start": "sentence start offset in the cleaned document text",
    "char_end": "sentence end offset in the cleaned document text",
    "sentence": "the evidence sentence",
    "cited_refs": "'; '-separated cited references, each 'N|doi:..|pmid:..|pmcid:..'",
    "negated": "the sentence denies the claim",
    "hedged": "the sentence presents the claim as possible",
    "extractor": "rule@version that produced the claim",
    "source_triple_id": "the extracted triple the inference starts from",
    "shared_with_drug": "catalogue ADC sharing the payload class or target",
    "basis": "payload_class or target",
    "shared_value": "the shared payload class or target symbol",
    "inferred": "always true: class-level inference, not extracted",
}

TABLE_DOCS: dict[str, str] = {
    "triples": "deduplicated drug - mechanism - strategy triples with counts and confidence",
    "evidence": "every sentence supporting a triple",
    "inferred_triples": "class-level view: ADCs sharing payload class or target (inferred)",
}


def describe(names: Iterable[str]) -> dict:
    """The descriptor (a dict) for the tables ``names``, written as ``<name>.csv``."""
    resources = []
    for name in sorted(names):
        fields = []
        for col in SPECS[name].columns:
            f = {"name": col.name, "type": col.kind}
            if name in TABLE_DOCS and col.name in COLUMN_DOCS:
                f["description"] = COLUMN_DOCS[col.name]
            fields.append(f)
        resource = {
            "name": name.replace("_", "-"),
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": fields},
        }
        if name in TABLE_DOCS:
            resource["description"] = TABLE_DOCS[name]
        if name == "triples":
            resource["schema"]["primaryKey"] = ["triple_id"]
        if name == "evidence":
            resource["schema"]["foreignKeys"] = [
                {
                    "fields": ["triple_id"],
                    "reference": {"resource": "triples", "fields": ["triple_id"]},
                }
            ]
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "ADC resistance: drug - mechanism - counter-strategy triples with evidence",
        "resources": resources,
    }


def write_datapackage(names: Iterable[str], out_dir: Path) -> Path:
    """Write ``out_dir/datapackage.json`` (sorted keys: byte-identical across runs)."""
    path = Path(out_dir) / "datapackage.json"
    write_text_atomic(
        path, json.dumps(describe(names), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    return path
