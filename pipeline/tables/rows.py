"""Which records make which table: the per-document tables, the triple tables, the run's.

The tables of a set of documents, in ``doc_id`` order, are the tables of each subset in
turn, so a streaming run writes them a batch at a time and gets the bytes of one
all-at-once write (:mod:`pipeline.tables.outputs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from pipeline.model import CatalogAdc, DocIngest, Entity, Evidence, Mention, Problem, Triple
from pipeline.tables.arrow import to_arrow
from pipeline.tables.specs import SPECS

# DocIngest attribute holding each per-document table's records.
_DOC_FIELDS = {
    "sentences": "sentences",
    "references": "references",
    "citations": "citations",
    "tables": "tables",
    "abbreviations": "abbreviations",
}


def by_doc_id(docs: Iterable[DocIngest]) -> list[DocIngest]:
    return sorted(docs, key=lambda d: d.document.doc_id)


def document_tables(
    docs: Sequence[DocIngest], mentions: Iterable[Mention] | None = None
) -> dict[str, pa.Table]:
    """The per-document tables of ``docs`` (documents, sentences, references, citations,
    tables, abbreviations; mentions when given), rows sorted by ``doc_id`` first."""
    docs = by_doc_id(docs)
    out = {"documents": to_arrow(SPECS["documents"], [d.document for d in docs], presorted=True)}
    for name, attr in _DOC_FIELDS.items():
        out[name] = to_arrow(SPECS[name], [r for d in docs for r in getattr(d, attr)])
    if mentions is not None:
        out["mentions"] = to_arrow(SPECS["mentions"], mentions)
    return out


def document_problems(docs: Iterable[DocIngest]) -> list[Problem]:
    """Each document's own problems, in ``doc_id`` order (after a run's own problems)."""
    return [p for d in by_doc_id(docs) for p in d.problems]


def catalog_entries(catalog: Iterable[Any]) -> list[CatalogAdc]:
    """The ADC catalogue's records (``AdcRecord``) as rows of the ``adc_catalog`` table."""
    return [
        CatalogAdc(
            entity_id=r.entity_id,
            inn=r.inn,
            synonyms="; ".join(r.synonyms + r.doc_defined_abbreviations),
            target=r.target,
            payload=r.payload,
            payload_class=r.payload_class,
            linker=r.linker,
            cleavable=r.cleavable,
            first_approval_year=r.first_approval_year,
            status=r.status,
        )
        for r in catalog
    ]


def triple_tables(triples: Iterable[Triple], evidence: Iterable[Evidence]) -> dict[str, pa.Table]:
    return {
        "triples": to_arrow(SPECS["triples"], triples),
        "evidence": to_arrow(SPECS["evidence"], evidence),
    }


def run_tables(
    problems: Iterable[Problem],
    entities: Iterable[Entity],
    inferred: Iterable[Any],
    catalog: Iterable[Any],
) -> dict[str, pa.Table]:
    """The tables of a run as a whole: problems, entities, the class-level view and the
    ADC catalogue (``AdcRecord``\\ s)."""
    return {
        "problems": to_arrow(SPECS["problems"], problems),
        "entities": to_arrow(SPECS["entities"], entities),
        "inferred_triples": to_arrow(SPECS["inferred_triples"], inferred),
        "adc_catalog": to_arrow(SPECS["adc_catalog"], catalog_entries(catalog)),
    }
