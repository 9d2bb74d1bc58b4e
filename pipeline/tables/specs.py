"""Every exported table's shape, derived once from the records of :mod:`pipeline.model`.

A table's columns, their order and their types are the fields of its record (``Sentence``
-> ``sentences``): the field annotation decides the Arrow type, the Parquet file's pandas
dtype, the CSV formatting and the Data Package field type, so no other module restates
them. What a record cannot say is declared here once per table: the row order, the key
that must be unique, the column a streaming run partitions the table by, and the value
checks (:mod:`pipeline.tables.checks`).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.model import (
    MECHANISM_CATEGORIES,
    SENTENCE_KINDS,
    STRATEGY_CATEGORIES,
    Abbreviation,
    CatalogAdc,
    Citation,
    Document,
    Entity,
    Evidence,
    InferredTriple,
    Mention,
    Problem,
    Reference,
    Sentence,
    TableCell,
    Triple,
)
from pipeline.tables import checks as c

# Field annotation -> column kind (the Frictionless Data Package type name).
_KINDS: dict[Any, str] = {str: "string", int: "integer", bool: "boolean", float: "number"}
ARROW_TYPES = {
    "string": pa.large_string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "number": pa.float64(),
}
# The pandas dtype a Parquet reader restores (the pandas metadata of every Parquet file).
_PANDAS_DTYPES = {"string": "str", "integer": "int64", "boolean": "bool", "number": "float64"}

CLEAN_DIR = "clean"


def clean_text_relpath(doc_id: str) -> str:
    """Where a document's cleaned text is written, relative to the output folder."""
    return f"{CLEAN_DIR}/{doc_id}.txt"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string | integer | boolean | number
    nullable: bool = False  # only an ``int | None`` field: an empty CSV cell
    checks: tuple[c.Check, ...] = ()

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.kind]

    @property
    def pandas_dtype(self) -> str:
        return "Int64" if self.nullable else _PANDAS_DTYPES[self.kind]


def _kind(annotation: Any) -> tuple[str, bool]:
    """(kind, nullable) of a field annotation: ``str``, ``int``, ``bool``, ``float`` or
    ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and args[0] in _KINDS:
            return _KINDS[args[0]], True
    elif annotation in _KINDS:
        return _KINDS[annotation], False
    raise TypeError(f"no table column type for a field annotated {annotation!r}")


@dataclass(frozen=True)
class TableSpec:
    """One exported table: its record's fields (less ``drop``, plus ``derived`` columns
    computed from the record), the row order, and the checks run before it is written."""

    name: str
    record: type
    columns: tuple[Column, ...]
    order_by: tuple[str, ...] = ()  # stable sort of the rows; () keeps the order given
    unique: tuple[str, ...] = ()
    partition_by: str | None = None  # a streaming run writes each value's rows at once
    row_checks: tuple[c.RowCheck, ...] = ()
    derived: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [col.name for col in self.columns]

    @functools.cached_property
    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema, with the pandas metadata ``DataFrame.to_parquet`` writes (so
        ``pandas.read_parquet`` restores each column's dtype, ``Int64`` included)."""
        import pandas as pd

        empty = pd.DataFrame(
            {col.name: pd.Series([], dtype=col.pandas_dtype) for col in self.columns}
        )
        schema = pa.Schema.from_pandas(empty, preserve_index=False)
        expected = pa.schema([pa.field(col.name, col.arrow_type) for col in self.columns])
        if not schema.remove_metadata().equals(expected):  # pandas maps a dtype elsewhere
            raise TypeError(f"table {self.name}: pandas gives {schema}, expected {expected}")
        return schema


def table_spec(
    name: str,
    record: type,
    *,
    checks: Mapping[str, Sequence[c.Check]] | None = None,
    drop: Sequence[str] = (),
    derived: Mapping[str, tuple[type, Callable[[Any], Any]]] | None = None,
    **options: Any,
) -> TableSpec:
    """The spec of a table whose rows are ``record``\\ s: one column per field, in field
    order (less ``drop``), then each ``derived`` column (name -> (type, function of the
    record))."""
    hints = typing.get_type_hints(record)
    checks = dict(checks or {})
    columns = []
    for f in dataclasses.fields(record):
        if f.name in drop:
            continue
        kind, nullable = _kind(hints[f.name])
        columns.append(Column(f.name, kind, nullable, tuple(checks.pop(f.name, ()))))
    for col_name, (annotation, _) in (derived or {}).items():
        kind, nullable = _kind(annotation)
        columns.append(Column(col_name, kind, nullable, tuple(checks.pop(col_name, ()))))
    if checks:
        raise ValueError(f"table {name}: checks for unknown columns {sorted(checks)}")
    return TableSpec(
        name,
        record,
        tuple(columns),
        derived={k: fn for k, (_, fn) in (derived or {}).items()},
        **options,
    )


_DOC_ID = (c.matches(r"^[0-9a-f]{16}$"),)
_TRIPLE_ID = (c.matches(r"^t_[0-9a-f]{16}$"),)
_YEAR = (c.matches(r"^(?:\d{4})?$"),)
_NONNEG = (c.ge(0),)
_NONEMPTY = (c.min_length(1),)
_SPAN = c.RowCheck("span>0", lambda t: pc.greater(t["char_end"], t["char_start"]))


def _two_slots(t: pa.Table) -> Any:
    filled = [
        pc.cast(pc.not_equal(t[col], ""), pa.int64())
        for col in ("drug", "mechanism_category", "strategy_category")
    ]
    return pc.greater_equal(pc.add(pc.add(filled[0], filled[1]), filled[2]), 2)


DOCUMENTS = table_spec(
    "documents",
    Document,
    drop=("text",),  # the cleaned text is a file of its own (clean/<doc_id>.txt)
    derived={"clean_text_path": (str, lambda d: clean_text_relpath(d.doc_id))},
    checks={
        "doc_id": _DOC_ID,
        "year": _YEAR,
        "doi": (c.matches(r"^(?:10\.\d{4,9}/\S+)?$"),),
        # manifest/text for corpus files; the service name for fetched abstracts.
        "metadata_source": (c.isin(["manifest", "text", "europepmc", "ncbi"]),),
        "n_chars_raw": _NONNEG,
        "n_chars_clean": _NONNEG,
    },
    order_by=("doc_id",),
    unique=("doc_id",),
    partition_by="doc_id",
)

SENTENCES = table_spec(
    "sentences",
    Sentence,
    checks={
        "doc_id": _DOC_ID,
        "sentence_index": _NONNEG,
        "kind": (c.isin(SENTENCE_KINDS),),
        "char_start": _NONNEG,
        "char_end": _NONNEG,
        "text": _NONEMPTY,
    },
    order_by=("doc_id", "sentence_index"),
    unique=("doc_id", "sentence_index"),
    partition_by="doc_id",
    row_checks=(_SPAN,),
)

REFERENCES = table_spec(
    "references",
    Reference,
    checks={
        "doc_id": _DOC_ID,
        "number": (c.gt(0),),
        "year": _YEAR,
        "pmid": (c.matches(r"^\d*$"),),
        "pmcid": (c.matches(r"^(?:PMC\d+)?$"),),
    },
    order_by=("doc_id", "number"),
    unique=("doc_id", "number"),
    partition_by="doc_id",
)

CITATIONS = table_spec(
    "citations",
    Citation,
    checks={
        "doc_id": _DOC_ID,
        "sentence_index": _NONNEG,
        "ref_number": (c.gt(0),),
        # "[N]" as written; "" for an abstract's implicit citation of its own paper.
        "marker": (c.matches(r"^(?:\[.+\])?$"),),
    },
    order_by=("doc_id", "sentence_index", "ref_number", "marker"),
    partition_by="doc_id",
)

TABLES = table_spec(
    "tables",
    TableCell,
    checks={"doc_id": _DOC_ID, "row_index": _NONNEG},
    order_by=("doc_id", "table_id", "row_index"),
    partition_by="doc_id",
)

ABBREVIATIONS = table_spec(
    "abbreviations",
    Abbreviation,
    checks={
        "doc_id": _DOC_ID,
        "short": _NONEMPTY,
        "long": _NONEMPTY,
        "source": (c.isin(["abbreviation_list", "inline"]),),
    },
    order_by=("doc_id", "short", "long"),
    partition_by="doc_id",
)

PROBLEMS = table_spec(
    "problems",
    Problem,
    checks={"severity": (c.isin(["skipped", "warning", "info"]),), "message": _NONEMPTY},
    order_by=("stage", "file", "severity", "message"),
)

MENTIONS = table_spec(
    "mentions",
    Mention,
    order_by=("doc_id", "char_start", "char_end", "type", "entity_id"),
    partition_by="doc_id",
)

ENTITIES = table_spec("entities", Entity, order_by=("entity_id",))

ADC_CATALOG = table_spec("adc_catalog", CatalogAdc, order_by=("inn",))

_COUNT = (c.ge(0),)

TRIPLES = table_spec(
    "triples",
    Triple,
    checks={
        "triple_id": _TRIPLE_ID,
        "drug_id": (c.matches(r"^(?:(?:adc|adcclass):\S+)?$"),),
        "mechanism_category": (c.isin(["", *MECHANISM_CATEGORIES]),),
        "strategy_category": (c.isin(["", *STRATEGY_CATEGORIES]),),
        "n_evidence": (c.ge(1),),
        "n_documents": (c.ge(1),),
        "n_cited_papers": _COUNT,
        "n_negated": _COUNT,
        "n_hedged": _COUNT,
        "confidence": (c.in_range(0.0, 1.0),),
        "polarity": (c.isin(["affirmed", "negated"]),),
    },
    order_by=("triple_id",),
    unique=("triple_id",),
    partition_by="triple_id",
    row_checks=(c.RowCheck("at_least_two_slots", _two_slots),),
)

EVIDENCE = table_spec(
    "evidence",
    Evidence,
    checks={
        "triple_id": _TRIPLE_ID,
        "doc_id": _DOC_ID,
        "sentence_index": _COUNT,
        "char_start": _COUNT,
        "char_end": _COUNT,
        "sentence": _NONEMPTY,
        "cited_refs": (c.matches(r"^(?:\d+\|doi:[^|]*\|pmid:\d*\|pmcid:(?:PMC\d+)?(?:; |$))*$"),),
        "extractor": (c.matches(r"^\w+@extract-[\w.]+$"),),
    },
    order_by=("triple_id", "doc_id", "sentence_index", "char_start"),
    unique=("triple_id", "doc_id", "char_start", "char_end"),
    partition_by="triple_id",
    row_checks=(_SPAN,),
)

INFERRED_TRIPLES = table_spec(
    "inferred_triples",
    InferredTriple,
    checks={
        "source_triple_id": _TRIPLE_ID,
        "shared_with_drug": _NONEMPTY,
        "basis": (c.isin(["payload_class", "target"]),),
        "shared_value": _NONEMPTY,
        "mechanism_category": (c.isin(["payload_resistance", "antigen_loss"]),),
        "inferred": (c.eq(True),),
    },
    unique=("source_triple_id", "shared_with_drug", "basis"),
)

# Every table a run writes, by name.
SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in (
        DOCUMENTS,
        SENTENCES,
        REFERENCES,
        CITATIONS,
        TABLES,
        ABBREVIATIONS,
        PROBLEMS,
        MENTIONS,
        ENTITIES,
        ADC_CATALOG,
        TRIPLES,
        EVIDENCE,
        INFERRED_TRIPLES,
    )
}
# Per-document tables (a document's rows come and go with it), and what ``ingest`` writes.
DOCUMENT_TABLES = ("documents", "sentences", "references", "citations", "tables",
                   "abbreviations", "mentions")  # fmt: skip
INGEST_TABLES = (*DOCUMENT_TABLES[:-1], "problems")
