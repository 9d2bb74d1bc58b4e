"""The knowledge base's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Content tables mirror the records of :mod:`pipeline.model` column for column, so a row
goes back to a record with ``Record(**row)``. Bookkeeping tables say what the knowledge
base has seen (``processed_documents``), what each run changed (``runs``,
``run_documents``, ``problems``) and who is running now (``run_lock``); counter tables
keep what the triples' and entities' rows are computed from.

Triples are never deleted: a triple whose last evidence disappears keeps its row with
``retired_in_run`` set, so ``history`` can say what a refresh retired.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = "3"  # 2: the per-triple and per-entity counters; 3: triples.polarity

metadata = MetaData()

ID = String(64)

runs = Table(
    "runs",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("flow_run_id", String(64), nullable=False, default=""),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # running | completed | completed with problems | failed | aborted
    Column("status", String(32), nullable=False),
    Column("extraction_version", String(64), nullable=False),
    Column("corpus_dir", Text, nullable=False, default=""),
    Column("host", String(255), nullable=False, default=""),
    Column("pid", Integer, nullable=False, default=0),
    Column("docs_seen", Integer, nullable=False, default=0),
    Column("docs_added", Integer, nullable=False, default=0),
    Column("docs_changed", Integer, nullable=False, default=0),
    Column("docs_reextracted", Integer, nullable=False, default=0),
    Column("docs_removed", Integer, nullable=False, default=0),
    Column("docs_unchanged", Integer, nullable=False, default=0),
    Column("docs_failed", Integer, nullable=False, default=0),
    Column("triples_new", Integer, nullable=False, default=0),
    Column("triples_updated", Integer, nullable=False, default=0),
    Column("triples_retired", Integer, nullable=False, default=0),
    Column("triples_active", Integer, nullable=False, default=0),
    Column("timings_json", Text, nullable=False, default="{}"),
    Column("message", Text, nullable=False, default=""),
)

# One row per document the knowledge base holds, with the version that extracted it.
processed_documents = Table(
    "processed_documents",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("file", Text, nullable=False),
    Column("content_hash", ID, nullable=False),
    Column("extraction_version", String(64), nullable=False),
    Column("run_id", ID, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    Index("ix_processed_documents_file", "file"),
)

# What each run did to each document: added | changed | reextracted | removed | failed | renamed.
run_documents = Table(
    "run_documents",
    metadata,
    Column("run_id", ID, primary_key=True),
    Column("doc_id", ID, primary_key=True),
    Column("action", String(16), primary_key=True),
    Column("file", Text, nullable=False),
    Column("previous_doc_id", ID, nullable=False, default=""),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", ID, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("file", Text, nullable=False),
    Column("doc_id", ID, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Index("ix_problems_run", "run_id"),
)

run_lock = Table(
    "run_lock",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("run_id", ID, nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("proc_started", Float, nullable=False),  # process create time: guards pid reuse
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
)

kb_meta = Table(
    "kb_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("file", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("authors", Text, nullable=False),
    Column("journal", Text, nullable=False),
    Column("year", String(16), nullable=False),
    Column("doi", Text, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("source_url", Text, nullable=False),
    Column("licence", Text, nullable=False),
    Column("metadata_source", String(16), nullable=False),
    Column("n_chars_raw", Integer, nullable=False),
    Column("n_chars_clean", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_documents_file", "file"),
)

sentences = Table(
    "sentences",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("sentence_index", Integer, primary_key=True),
    Column("section", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("is_caption", Boolean, nullable=False),
    Column("is_title", Boolean, nullable=False),
    Column("ref_number", Integer),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
)

references = Table(
    "references",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("filled", Boolean, nullable=False),
    Column("raw", Text, nullable=False),
    Column("authors", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("journal", Text, nullable=False),
    Column("year", String(16), nullable=False),
    Column("volume", String(64), nullable=False),
    Column("issue", String(64), nullable=False),
    Column("pages", String(64), nullable=False),
    Column("doi", Text, nullable=False),
    Column("pmid", String(32), nullable=False),
    Column("pmcid", String(32), nullable=False),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
    Index("ix_references_pmid", "pmid"),
)

citations = Table(
    "citations",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("sentence_index", Integer, primary_key=True),
    Column("ref_number", Integer, primary_key=True),
    Column("marker", String(255), nullable=False),
    Column("resolved", Boolean, nullable=False),
    ForeignKeyConstraint(
        ["doc_id", "sentence_index"], ["sentences.doc_id", "sentences.sentence_index"]
    ),
)

table_cells = Table(
    "table_cells",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("table_id", String(64), primary_key=True),
    Column("row_index", Integer, primary_key=True),
    Column("column", String(255), primary_key=True),
    Column("caption", Text, nullable=False),
    Column("value", Text, nullable=False),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
)

abbreviations = Table(
    "abbreviations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", ID, nullable=False),
    Column("short", String(255), nullable=False),
    Column("long", Text, nullable=False),
    Column("source", String(32), nullable=False),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
    Index("ix_abbreviations_doc", "doc_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("namespace", String(32), nullable=False),
    Column("synonyms_seen", Text, nullable=False),
    Column("mention_count", Integer, nullable=False),
    Index("ix_entities_type", "type"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", ID, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("source", String(32), nullable=False),
    Column("category", String(64), nullable=False),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
    Index("ix_mentions_doc", "doc_id", "sentence_index"),
    Index("ix_mentions_entity", "entity_id"),
)

triples = Table(
    "triples",
    metadata,
    Column("triple_id", ID, primary_key=True),
    Column("drug", Text, nullable=False),
    Column("drug_id", String(255), nullable=False),
    Column("mechanism", Text, nullable=False),
    Column("mechanism_category", String(64), nullable=False),
    Column("mechanism_entity", Text, nullable=False),
    Column("strategy", Text, nullable=False),
    Column("strategy_category", String(64), nullable=False),
    Column("strategy_entity", Text, nullable=False),
    Column("n_evidence", Integer, nullable=False),
    Column("n_documents", Integer, nullable=False),
    Column("n_cited_papers", Integer, nullable=False),
    Column("n_negated", Integer, nullable=False),
    Column("n_hedged", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("polarity", String(16), nullable=False, server_default="affirmed"),
    Column("first_seen_run", ID, nullable=False),
    Column("updated_in_run", ID, nullable=False),
    Column("retired_in_run", ID),  # NULL while the triple has evidence
    Index("ix_triples_drug", "drug"),
    Index("ix_triples_mechanism_category", "mechanism_category"),
    Index("ix_triples_strategy_category", "strategy_category"),
    Index("ix_triples_retired", "retired_in_run"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("triple_id", ID, primary_key=True),
    Column("doc_id", ID, primary_key=True),
    Column("char_start", Integer, primary_key=True),
    Column("char_end", Integer, primary_key=True),
    Column("section", Text, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("cited_refs", Text, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("extractor", String(255), nullable=False),
    ForeignKeyConstraint(["triple_id"], ["triples.triple_id"]),
    ForeignKeyConstraint(["doc_id"], ["documents.doc_id"]),
    Index("ix_evidence_doc", "doc_id"),
)

# Counters a batch updates from its own documents' delta, so that its cost does not grow
# with the knowledge base (pipeline.kb.counters): what the triples' confidence and cited
# papers and the entities' rows are computed from.
triple_counters = Table(
    "triple_counters",
    metadata,
    Column("triple_id", ID, primary_key=True),
    # sum of log err(d) over the documents with affirming evidence (pipeline.assembly)
    Column("log_error", Float, nullable=False),
    Column("n_negating_documents", Integer, nullable=False),
)

# Distinct cited papers of a triple: documents whose evidence cites each paper.
triple_papers = Table(
    "triple_papers",
    metadata,
    Column("triple_id", ID, primary_key=True),
    Column("paper_key", Text, primary_key=True),
    Column("n_documents", Integer, nullable=False),
)

# Mentions of an entity by the fields its row is built from (EntityTally's counts).
entity_forms = Table(
    "entity_forms",
    metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("type", String(32), primary_key=True),
    Column("canonical", Text, primary_key=True),
    Column("text", Text, primary_key=True),
    Column("n_mentions", Integer, nullable=False),
)

# Reference expansion per document (pipeline.kb.expansion): "complete" when every filled
# reference got a final answer, "partial" when some were deferred; no row: never expanded.
document_expansion = Table(
    "document_expansion",
    metadata,
    Column("doc_id", ID, primary_key=True),
    Column("state", String(16), nullable=False),
    Column("references_filled", Integer, nullable=False),
    Column("references_settled", Integer, nullable=False),
    Column("run_id", ID, nullable=False),
)

# Per-document content, in the order it must be deleted (children before parents).
DOCUMENT_CONTENT = (
    document_expansion,
    evidence,
    mentions,
    citations,
    abbreviations,
    table_cells,
    references,
    sentences,
)
