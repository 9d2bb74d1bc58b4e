"""Assembly (INDRA-style preassembly): merge claims into triples without losing evidence.

``assemble`` takes the flat list of claims of a run and returns one ``Triple`` per
normalised key (drug id, mechanism category + entity, strategy category + entity) with
its counts and confidence, plus every distinct evidence row. ``infer_class_level`` adds
the separate, clearly-marked class-level view from the ADC catalogue.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pipeline.cited_refs import paper_keys
from pipeline.model import GENERIC_ADC, Claim, Evidence, InferredTriple, Triple, make_triple_id

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


def _field(entry: Any, *names: str) -> str:
    """First non-empty of ``names`` (the catalogue calls the target 'target' or 'target_symbol')."""
    for name in names:
        value = entry.get(name, "") if isinstance(entry, dict) else getattr(entry, name, "")
        if value is not None and str(value):
            return str(value)
    return ""


def _catalog_rows(catalog: Any) -> list[dict[str, str]]:
    """Accept the catalogue as ``AdcRecord``s (``load_adc_catalog``) or dicts of its columns."""
    return [
        {
            "inn": _field(e, "inn"),
            "target_symbol": _field(e, "target_symbol", "target"),
            "payload": _field(e, "payload"),
            "payload_class": _field(e, "payload_class"),
        }
        for e in catalog
    ]


def infer_class_level(triples: list[Triple], catalog: Any) -> list[InferredTriple]:
    """Other catalogue ADCs that share the payload class / target of a resisted drug.

    A payload-level mechanism (``payload_resistance``) of drug X suggests cross-resistance
    of every ADC with X's payload class; an antigen-level one (``antigen_loss``) of every
    ADC against X's target. For the generic drug, an ``antigen_loss`` mechanism naming a
    gene extends to the ADCs against that gene. Inferred, never mixed into ``triples``.
    """
    rows = _catalog_rows(catalog)
    by_inn = {r["inn"].lower(): r for r in rows if r["inn"]}
    out: set[InferredTriple] = set()
    for t in triples:
        if t.n_evidence and t.n_negated == t.n_evidence:
            continue  # every sentence denies it: nothing to generalise
        if t.mechanism_category == "payload_resistance":
            basis, field_name = "payload_class", "payload_class"
        elif t.mechanism_category == "antigen_loss":
            basis, field_name = "target", "target_symbol"
        else:
            continue
        source = by_inn.get(t.drug.lower())
        if source is not None:
            shared = source[field_name]
        elif t.drug == GENERIC_ADC and basis == "target" and t.mechanism_entity:
            shared = t.mechanism_entity.upper()
        else:
            continue
        if not shared:
            continue
        for r in rows:
            if r["inn"].lower() == t.drug.lower() or r[field_name].upper() != shared.upper():
                continue
            out.add(
                InferredTriple(
                    source_triple_id=t.triple_id,
                    drug=t.drug,
                    shared_with_drug=r["inn"],
                    basis=basis,
                    shared_value=shared,
                    mechanism_category=t.mechanism_category,
                    mechanism_entity=t.mechanism_entity,
                )
            )
    result = sorted(out, key=lambda i: (i.source_triple_id, i.shared_with_drug, i.basis))
    log.info("infer_class_level: %d triples -> %d inferred rows", len(triples), len(result))
    return result
