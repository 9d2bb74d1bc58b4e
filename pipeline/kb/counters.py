"""Triple and entity rows kept current from each batch's delta, not recounted from the KB.

A triple's counts are sums over its documents (evidence rows, negated, hedged, documents),
its confidence a function of the product of its documents' errors and of the number of
negating documents (:func:`pipeline.assembly.confidence`), and its cited papers a
distinct count: so a batch adds what its new documents contribute and subtracts what the
documents it replaces or removes contributed, computed from those documents' evidence
alone by the assembly stage's own :func:`~pipeline.assembly.document_error`. The product
is kept as a sum of logarithms (``triple_counters``), the distinct papers as a count of
documents per paper (``triple_papers``), the entity table's inputs as mention counts per
form (``entity_forms``). A batch then reads and writes rows for the triples, papers and
entities it touches only: its cost does not grow with the size of the knowledge base.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from sqlalchemy import Connection, bindparam, func, select, tuple_

from pipeline.assembly import confidence_of, document_error, polarity_of
from pipeline.cited_refs import paper_keys
from pipeline.kb import schema
from pipeline.kb.rows import chunks, rows_in
from pipeline.model import Evidence, Mention, Triple

TRIPLE_COUNTS = tuple(f.name for f in fields(Triple) if f.name.startswith("n_"))
_SUMMED = ("n_evidence", "n_documents", "n_negated", "n_hedged")  # sums over documents


@dataclass
class TripleDelta:
    n_evidence: int = 0
    n_documents: int = 0
    n_negated: int = 0
    n_hedged: int = 0
    n_negating_documents: int = 0
    log_error: float = 0.0


@dataclass(frozen=True)
class Contribution:
    """What one document's evidence rows of one triple add to that triple's counters."""

    triple_id: str
    n_evidence: int
    n_negated: int
    n_hedged: int
    negating: int  # 1 when the document negates the triple
    log_error: float | None  # log of the document's error, None without affirming evidence
    papers: tuple[str, ...]  # the cited papers of those rows


def contributions(rows: Iterable[Evidence]) -> list[Contribution]:
    """Evidence rows (of whole documents: a document's rows of a triple come together) as
    one contribution per (triple, document), in the order the pairs first appear."""
    by_doc: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for e in rows:
        by_doc[(e.triple_id, e.doc_id)].append(e)
    out = []
    for (triple_id, doc_id), doc_rows in by_doc.items():
        error, negating = document_error(doc_rows)
        papers = set().union(*(paper_keys(doc_id, e.cited_refs) for e in doc_rows))
        out.append(Contribution(
            triple_id, len(doc_rows), sum(e.negated for e in doc_rows),
            sum(e.hedged for e in doc_rows), negating,
            None if error is None else math.log(error), tuple(papers),
        ))  # fmt: skip
    return out


def forms_of(mentions: Iterable[Mention]) -> list[tuple[str, str, str, str]]:
    """The entity-form key of each mention (what ``entity_forms`` counts)."""
    return [(m.entity_id, m.type, m.canonical, m.text) for m in mentions]


@dataclass
class Delta:
    """What a batch adds to (sign +1) and takes from (-1) the counters."""

    triples: dict[str, TripleDelta] = field(default_factory=lambda: defaultdict(TripleDelta))
    papers: Counter[tuple[str, str]] = field(default_factory=Counter)
    forms: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)

    def add(self, parts: Iterable[Contribution], sign: int = 1) -> None:
        for c in parts:
            d = self.triples[c.triple_id]
            d.n_evidence += sign * c.n_evidence
            d.n_documents += sign
            d.n_negated += sign * c.n_negated
            d.n_hedged += sign * c.n_hedged
            d.n_negating_documents += sign * c.negating
            if c.log_error is not None:
                d.log_error += sign * c.log_error
            for key in c.papers:
                self.papers[(c.triple_id, key)] += sign

    def add_evidence(self, rows: Iterable[Evidence], sign: int = 1) -> None:
        """Evidence rows (of whole documents: a document's rows of a triple come together)."""
        self.add(contributions(rows), sign)

    def add_forms(self, forms: Iterable[tuple[str, str, str, str]], sign: int = 1) -> None:
        for key in forms:
            self.forms[key] += sign

    def add_mentions(self, mentions: Iterable[Mention], sign: int = 1) -> None:
        self.add_forms(forms_of(mentions), sign)


def _rows_by_key(conn: Connection, table, columns: Sequence[str], keys: Sequence[tuple]) -> dict:
    """Rows of ``table`` whose ``columns`` equal one of ``keys``, by key."""
    found = {}
    cols = [table.c[c] for c in columns]
    for part in chunks(sorted(set(keys)), 250):
        for row in conn.execute(select(table).where(tuple_(*cols).in_(part))):
            found[tuple(getattr(row, c) for c in columns)] = row
    return found


def _upsert_counts(
    conn: Connection, table, columns: Sequence[str], count: str, delta: Counter
) -> dict[tuple, tuple[int, int]]:
    """Add ``delta`` to the ``count`` column of the rows keyed by ``columns`` (a row that
    reaches zero is deleted); return key -> (old count, new count)."""
    delta = Counter({k: v for k, v in delta.items() if v})
    if not delta:
        return {}
    existing = _rows_by_key(conn, table, columns, list(delta))
    changes, inserts, updates, deletes = {}, [], [], []
    for key, n in delta.items():
        old = getattr(existing[key], count) if key in existing else 0
        new = old + n
        if new < 0:
            raise RuntimeError(f"{table.name}: count of {key} would go below zero ({old}{n:+d})")
        changes[key] = (old, new)
        row = dict(zip(columns, key, strict=True))
        if key not in existing:
            inserts.append({**row, count: new})
        elif new == 0:
            deletes.append(row)
        else:
            updates.append({**{f"k_{c}": v for c, v in row.items()}, count: new})
    where = [table.c[c] == bindparam(f"k_{c}") for c in columns]
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        conn.execute(table.update().where(*where).values({count: bindparam(count)}), updates)
    if deletes:
        conn.execute(table.delete().where(*where), [{f"k_{c}": v for c, v in r.items()}
                                                     for r in deletes])  # fmt: skip
    return changes


def apply_triples(conn: Connection, run_id: str, delta: Delta) -> tuple[int, int]:
    """Update the triples the delta touches (counts, cited papers, confidence); retire one
    left without evidence, revive a retired one that has evidence again. Returns
    (triples touched, triples retired)."""
    ids = sorted(delta.triples)
    if not ids:
        return 0, 0
    t, tc = schema.triples, schema.triple_counters
    current = {r.triple_id: r for r in rows_in(conn, t, "triple_id", ids)}
    counters = {r.triple_id: r for r in rows_in(conn, tc, "triple_id", ids)}
    papers = Counter()
    for (triple_id, _), (old, new) in _upsert_counts(
        conn, schema.triple_papers, ("triple_id", "paper_key"), "n_documents", delta.papers
    ).items():
        papers[triple_id] += (new > 0) - (old > 0)
    updates, new_counters, counter_updates = [], [], []
    retired = 0
    for tid in ids:
        old, d = current[tid], delta.triples[tid]
        kept = counters.get(tid)
        values = {k: getattr(old, k) + getattr(d, k) for k in _SUMMED}
        values["n_cited_papers"] = old.n_cited_papers + papers[tid]
        negating = (kept.n_negating_documents if kept else 0) + d.n_negating_documents
        log_error = (kept.log_error if kept else 0.0) + d.log_error
        if values["n_documents"] == 0:  # no evidence left: retire, counters back to zero
            values = dict.fromkeys(TRIPLE_COUNTS, 0)
            negating, log_error = 0, 0.0
        values["confidence"] = confidence_of(math.exp(log_error), negating)
        values["polarity"] = polarity_of(values["n_evidence"], values["n_negated"])
        counter = {"log_error": log_error, "n_negating_documents": negating}
        if kept is None:
            new_counters.append({"triple_id": tid, **counter})
        else:
            counter_updates.append({"k_triple_id": tid, **counter})
        was_retired = old.retired_in_run is not None
        if values["n_documents"] == 0:
            if was_retired:
                continue
            retired += 1
            values["retired_in_run"] = run_id
        elif was_retired or any(getattr(old, k) != v for k, v in values.items()):
            values["retired_in_run"] = None
        else:
            continue
        updates.append({"k_triple_id": tid, **values, "updated_in_run": run_id})
    if new_counters:
        conn.execute(tc.insert(), new_counters)
    if counter_updates:
        conn.execute(tc.update().where(tc.c.triple_id == bindparam("k_triple_id"))
                     .values(log_error=bindparam("log_error"),
                             n_negating_documents=bindparam("n_negating_documents")),
                     counter_updates)  # fmt: skip
    for part in _by_columns(updates):
        columns = [c for c in part[0] if c != "k_triple_id"]
        statement = t.update().where(t.c.triple_id == bindparam("k_triple_id"))
        conn.execute(statement.values({c: bindparam(c) for c in columns}), part)
    return len(ids), retired


def _by_columns(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by their set of keys (one executemany statement per group)."""
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    return list(groups.values())


def apply_entities(conn: Connection, delta: Delta) -> int:
    """Update the mention counts per form, then rebuild the rows of the entities touched
    from their forms (as many rows as an entity has distinct forms, not mentions)."""
    from pipeline.nlp.mentions import EntityTally

    _upsert_counts(conn, schema.entity_forms, ("entity_id", "type", "canonical", "text"),
                   "n_mentions", delta.forms)  # fmt: skip
    ids = sorted({key[0] for key, n in delta.forms.items() if n})
    if not ids:
        return 0
    tally = EntityTally()
    for form in rows_in(conn, schema.entity_forms, "entity_id", ids):
        tally.add_count(form.entity_id, form.type, form.canonical, form.text, form.n_mentions)
    entities = tally.entities()
    for part in chunks(ids):
        conn.execute(schema.entities.delete().where(schema.entities.c.entity_id.in_(part)))
    if entities:
        conn.execute(schema.entities.insert(), [e.to_row() for e in entities])
    return len(ids)


def fill_counters(conn: Connection) -> None:
    """Build every counter from the knowledge base's evidence and mentions (a knowledge
    base of schema 1, which recounted instead)."""
    for table in (schema.triple_counters, schema.triple_papers, schema.entity_forms):
        conn.execute(table.delete())
    delta = Delta()
    evidence = conn.execute(select(*[schema.evidence.c[c] for c in Evidence.columns()]))
    delta.add_evidence(Evidence(*row) for row in evidence)
    counters = [
        {"triple_id": tid, "log_error": d.log_error, "n_negating_documents": d.n_negating_documents}
        for tid, d in delta.triples.items()
    ]
    if counters:
        conn.execute(schema.triple_counters.insert(), counters)
    if delta.papers:
        conn.execute(schema.triple_papers.insert(), [
            {"triple_id": tid, "paper_key": key, "n_documents": n}
            for (tid, key), n in delta.papers.items()
        ])  # fmt: skip
    m = schema.mentions.c
    keys = (m.entity_id, m.type, m.canonical, m.text)
    forms = [
        {"entity_id": e, "type": t, "canonical": c, "text": x, "n_mentions": n}
        for e, t, c, x, n in conn.execute(select(*keys, func.count()).group_by(*keys))
    ]
    if forms:
        conn.execute(schema.entity_forms.insert(), forms)
