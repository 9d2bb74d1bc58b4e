"""A processed document as the knowledge base stores it, made where the document was processed.

The flow runs the stage function on a worker (a thread, or a Dask worker process) and the
knowledge-base transaction in its own process. What goes from one to the other is
:class:`DocRows`: each table's rows as plain tuples in the order of its record's columns,
the document's claims already assembled (its triples and evidence rows) and what its
evidence adds to the counters. So the flow process rebuilds no record, runs no assembly,
and unpickles tuples instead of dataclasses (1,000 generated abstracts: 9.7 MB of records
took 0.20 s to unpickle, their 9.1 MB of rows 0.07 s): the work it does per batch is the
transaction alone, and the workers do the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.assembly import assemble
from pipeline.kb import schema
from pipeline.kb.counters import Contribution, contributions, forms_of
from pipeline.model import (
    Abbreviation,
    Citation,
    Claim,
    DocIngest,
    Document,
    Evidence,
    Mention,
    Problem,
    Reference,
    Sentence,
    TableCell,
    Triple,
)

if TYPE_CHECKING:
    from pipeline.batch import Batch
    from pipeline.kb.plan import WorkItem
    from pipeline.model import ExpansionState

# Tables a batch writes from records, parents before the rows that refer to them, with the
# record type of their rows (whose ``columns()`` order the tuples follow).
RECORD_TABLES = (
    (schema.documents, Document),
    (schema.sentences, Sentence),
    (schema.references, Reference),
    (schema.citations, Citation),
    (schema.table_cells, TableCell),
    (schema.abbreviations, Abbreviation),
    (schema.mentions, Mention),
    (schema.evidence, Evidence),
)


@dataclass
class DocRows:
    """One processed document, ready for its knowledge-base transaction. ``item`` (what the
    refresh does with it: added, changed, ...) is the flow process's to set."""

    doc_id: str
    file: str
    rows: dict[str, list[tuple]]  # table name -> rows in the record's column order
    triples: list[Triple]  # the document's triples (no counts), by id
    contributions: list[Contribution]  # what its evidence adds to each triple's counters
    forms: list[tuple[str, str, str, str]]  # (entity_id, type, canonical, text) per mention
    problems: list[Problem]
    item: WorkItem | None = None


@dataclass
class PreparedBatch:
    """A batch's documents as :class:`DocRows`, with the rest of its
    :class:`~pipeline.batch.Batch` (failed sources, reference-expansion state)."""

    docs: list[DocRows] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    expansion_states: list[ExpansionState] = field(default_factory=list)
    expansion_problems: list[Problem] = field(default_factory=list)


def _tuples(records: Sequence[object], cls: type) -> list[tuple]:
    columns = cls.columns()  # type: ignore[attr-defined]
    return [tuple(getattr(r, c) for c in columns) for r in records]


def _unique(records: Sequence[TableCell], key: tuple[str, ...]) -> list[TableCell]:
    """The first record of each ``key`` (the table's primary key)."""
    found: dict[tuple, TableCell] = {}
    for r in records:
        found.setdefault(tuple(getattr(r, k) for k in key), r)
    return list(found.values())


def prepare_document(doc: DocIngest, mentions: list[Mention], claims: list[Claim]) -> DocRows:
    """The rows of one document. The assembly stage merges its claims (consistent ids, one
    evidence row per sentence with the most cautious flags); the counters take them in
    when the batch is stored."""
    triples, evidence = assemble(claims) if claims else ([], [])
    records = {
        schema.documents: [doc.document],
        schema.sentences: doc.sentences,
        schema.references: doc.references,
        schema.citations: doc.citations,
        schema.table_cells: _unique(doc.tables, ("table_id", "row_index", "column")),
        schema.abbreviations: doc.abbreviations,
        schema.mentions: mentions,
        schema.evidence: evidence,
    }
    return DocRows(
        doc_id=doc.document.doc_id,
        file=doc.document.file,
        rows={table.name: _tuples(records[table], cls) for table, cls in RECORD_TABLES},
        triples=sorted(triples, key=lambda t: t.triple_id),
        contributions=contributions(evidence),
        forms=forms_of(mentions),
        problems=list(doc.problems),
    )


def prepare_batch(batch: Batch) -> PreparedBatch:
    """Every document of ``batch`` as :class:`DocRows` (in a flow task, on its worker)."""
    return PreparedBatch(
        [prepare_document(r.doc, r.mentions, r.claims) for r in batch.docs],
        batch.failed,
        batch.expansion_states,
        batch.expansion_problems,
    )
