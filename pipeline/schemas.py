"""Pandera schemas of the exported tables, checked before any table is written.

Ingest tables come first; other stages append their schemas at the end of this file.
"""

from __future__ import annotations

import pandera.pandas as pa

from pipeline.model import SENTENCE_KINDS

_ID = pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{16}$"))
_TEXT = pa.Column(str)
_NONNEG = pa.Column(int, pa.Check.ge(0))

DOCUMENTS = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{16}$"), unique=True),
        "file": _TEXT,
        "title": _TEXT,
        "authors": _TEXT,
        "journal": _TEXT,
        "year": pa.Column(str, pa.Check.str_matches(r"^(?:\d{4})?$")),
        "doi": pa.Column(str, pa.Check.str_matches(r"^(?:10\.\d{4,9}/\S+)?$")),
        "kind": _TEXT,
        "source_url": _TEXT,
        "licence": _TEXT,
        # manifest/text for corpus files; the service name for fetched abstracts.
        "metadata_source": pa.Column(str, pa.Check.isin(["manifest", "text", "europepmc", "ncbi"])),
        "n_chars_raw": _NONNEG,
        "n_chars_clean": _NONNEG,
        "clean_text_path": _TEXT,
    },
    strict=True,
    ordered=True,
)

SENTENCES = pa.DataFrameSchema(
    {
        "doc_id": _ID,
        "sentence_index": _NONNEG,
        "section": _TEXT,
        "kind": pa.Column(str, pa.Check.isin(list(SENTENCE_KINDS))),
        "char_start": _NONNEG,
        "char_end": _NONNEG,
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "is_caption": pa.Column(bool),
        "is_title": pa.Column(bool),
        "ref_number": pa.Column("Int64", nullable=True),
    },
    checks=[pa.Check(lambda df: (df["char_end"] > df["char_start"]).all(), name="span>0")],
    unique=["doc_id", "sentence_index"],
    strict=True,
    ordered=True,
)

REFERENCES = pa.DataFrameSchema(
    {
        "doc_id": _ID,
        "number": pa.Column(int, pa.Check.gt(0)),
        "filled": pa.Column(bool),
        "raw": _TEXT,
        "authors": _TEXT,
        "title": _TEXT,
        "journal": _TEXT,
        "year": pa.Column(str, pa.Check.str_matches(r"^(?:\d{4})?$")),
        "volume": _TEXT,
        "issue": _TEXT,
        "pages": _TEXT,
        "doi": _TEXT,
        "pmid": pa.Column(str, pa.Check.str_matches(r"^\d*$")),
        "pmcid": pa.Column(str, pa.Check.str_matches(r"^(?:PMC\d+)?$")),
    },
    unique=["doc_id", "number"],
    strict=True,
    ordered=True,
)

CITATIONS = pa.DataFrameSchema(
    {
        "doc_id": _ID,
        "sentence_index": _NONNEG,
        "ref_number": pa.Column(int, pa.Check.gt(0)),
        # "[N]" as written; "" for an abstract's implicit citation of its own paper.
        "marker": pa.Column(str, pa.Check.str_matches(r"^(?:\[.+\])?$")),
        "resolved": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)

TABLES = pa.DataFrameSchema(
    {
        "doc_id": _ID,
        "table_id": _TEXT,
        "caption": _TEXT,
        "row_index": _NONNEG,
        "column": _TEXT,
        "value": _TEXT,
    },
    strict=True,
    ordered=True,
)

ABBREVIATIONS = pa.DataFrameSchema(
    {
        "doc_id": _ID,
        "short": pa.Column(str, pa.Check.str_length(min_value=1)),
        "long": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source": pa.Column(str, pa.Check.isin(["abbreviation_list", "inline"])),
    },
    strict=True,
    ordered=True,
)

PROBLEMS = pa.DataFrameSchema(
    {
        "stage": _TEXT,
        "file": _TEXT,
        "doc_id": _TEXT,
        "severity": pa.Column(str, pa.Check.isin(["skipped", "warning", "info"])),
        "message": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)

INGEST_SCHEMAS = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "references": REFERENCES,
    "citations": CITATIONS,
    "tables": TABLES,
    "abbreviations": ABBREVIATIONS,
    "problems": PROBLEMS,
}


# --- extraction tables (triples, evidence, class-level view) -------------------------------
from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES  # noqa: E402

_TRIPLE_ID = pa.Column(str, pa.Check.str_matches(r"^t_[0-9a-f]{16}$"))
_COUNT = pa.Column("int64", pa.Check.ge(0))
_MECH_CAT = pa.Column(str, pa.Check.isin(["", *MECHANISM_CATEGORIES]))
_STRAT_CAT = pa.Column(str, pa.Check.isin(["", *STRATEGY_CATEGORIES]))


def _two_slots(df) -> bool:
    filled = (
        (df["drug"] != "").astype(int)
        + (df["mechanism_category"] != "").astype(int)
        + (df["strategy_category"] != "").astype(int)
    )
    return bool((filled >= 2).all())


TRIPLES = pa.DataFrameSchema(
    {
        "triple_id": pa.Column(str, pa.Check.str_matches(r"^t_[0-9a-f]{16}$"), unique=True),
        "drug": _TEXT,
        "drug_id": pa.Column(str, pa.Check.str_matches(r"^(?:(?:adc|adcclass):\S+)?$")),
        "mechanism": _TEXT,
        "mechanism_category": _MECH_CAT,
        "mechanism_entity": _TEXT,
        "strategy": _TEXT,
        "strategy_category": _STRAT_CAT,
        "strategy_entity": _TEXT,
        "n_evidence": pa.Column("int64", pa.Check.ge(1)),
        "n_documents": pa.Column("int64", pa.Check.ge(1)),
        "n_cited_papers": _COUNT,
        "n_negated": _COUNT,
        "n_hedged": _COUNT,
        "confidence": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    },
    checks=[pa.Check(_two_slots, name="at_least_two_slots")],
    strict=True,
    ordered=True,
)

EVIDENCE = pa.DataFrameSchema(
    {
        "triple_id": _TRIPLE_ID,
        "doc_id": _ID,
        "section": _TEXT,
        "sentence_index": _COUNT,
        "char_start": _COUNT,
        "char_end": _COUNT,
        "sentence": pa.Column(str, pa.Check.str_length(min_value=1)),
        "cited_refs": pa.Column(
            str, pa.Check.str_matches(r"^(?:\d+\|doi:[^|]*\|pmid:\d*\|pmcid:(?:PMC\d+)?(?:; |$))*$")
        ),
        "negated": pa.Column(bool),
        "hedged": pa.Column(bool),
        "extractor": pa.Column(str, pa.Check.str_matches(r"^\w+@extract-[\w.]+$")),
    },
    checks=[pa.Check(lambda df: (df["char_end"] > df["char_start"]).all(), name="span>0")],
    unique=["triple_id", "doc_id", "char_start", "char_end"],
    strict=True,
    ordered=True,
)

INFERRED_TRIPLES = pa.DataFrameSchema(
    {
        "source_triple_id": _TRIPLE_ID,
        "drug": _TEXT,
        "shared_with_drug": pa.Column(str, pa.Check.str_length(min_value=1)),
        "basis": pa.Column(str, pa.Check.isin(["payload_class", "target"])),
        "shared_value": pa.Column(str, pa.Check.str_length(min_value=1)),
        "mechanism_category": pa.Column(str, pa.Check.isin(["payload_resistance", "antigen_loss"])),
        "mechanism_entity": _TEXT,
        "inferred": pa.Column(bool, pa.Check.eq(True)),
    },
    unique=["source_triple_id", "shared_with_drug", "basis"],
    strict=True,
    ordered=True,
)

EXTRACT_SCHEMAS = {
    "triples": TRIPLES,
    "evidence": EVIDENCE,
    "inferred_triples": INFERRED_TRIPLES,
}
