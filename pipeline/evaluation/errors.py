"""Sentence-level errors sorted into classes, so the biggest class is visible.

A gold sentence with no extraction, or an extraction from a sentence with no gold row, is
a claim-detection error. Where both exist, what differs is named: the drug (no drug in
common), a mechanism or a strategy category missed or extra, or the negation flag of a
(drug, mechanism) both sides have. The scores count keys; these classes say why keys were
lost, one case per sentence and class.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

MISSED = "claim detection: sentence missed"
SPURIOUS = "claim detection: claim from a sentence without one"
DRUG = "drug"
MECHANISM = "mechanism category"
STRATEGY = "strategy category"
NEGATION = "negation"
CLASSES = (MISSED, SPURIOUS, DRUG, MECHANISM, STRATEGY, NEGATION)


@dataclass(frozen=True)
class Row:
    """One gold row or one extracted (triple, evidence) pair of a sentence, normalised."""

    drug: str
    mechanism: str
    strategy: str
    negated: bool

    def label(self) -> str:
        slots = " | ".join(s or "-" for s in (self.drug, self.mechanism, self.strategy))
        return slots + (" (negated)" if self.negated else "")


@dataclass(frozen=True)
class ErrorCase:
    kind: str  # one of CLASSES
    where: str  # file and sentence
    detail: str


def _labels(rows: list[Row]) -> str:
    return "; ".join(sorted({r.label() for r in rows}))


def _difference(kind: str, gold: set[str], pred: set[str], where: str) -> list[ErrorCase]:
    missed, extra = sorted(gold - pred), sorted(pred - gold)
    if not (missed or extra):
        return []
    parts = ([f"missed {', '.join(missed)}"] if missed else []) + (
        [f"extra {', '.join(extra)}"] if extra else []
    )
    return [ErrorCase(kind, where, "; ".join(parts))]


def classify(gold: list[Row], pred: list[Row], where: str) -> list[ErrorCase]:
    """The error cases of one sentence (``where``) from its gold and extracted rows."""
    if gold and not pred:
        return [ErrorCase(MISSED, where, f"gold: {_labels(gold)}")]
    if pred and not gold:
        return [ErrorCase(SPURIOUS, where, f"extracted: {_labels(pred)}")]
    out: list[ErrorCase] = []
    g_drugs, p_drugs = {r.drug for r in gold if r.drug}, {r.drug for r in pred if r.drug}
    if g_drugs and p_drugs and not g_drugs & p_drugs:
        detail = f"gold {', '.join(sorted(g_drugs))}; extracted {', '.join(sorted(p_drugs))}"
        out.append(ErrorCase(DRUG, where, detail))
    for kind, attr in ((MECHANISM, "mechanism"), (STRATEGY, "strategy")):
        g = {getattr(r, attr) for r in gold if getattr(r, attr)}
        p = {getattr(r, attr) for r in pred if getattr(r, attr)}
        out += _difference(kind, g, p, where)
    flips = sorted(
        f"{g.drug or '-'} | {g.mechanism}: gold {'negated' if g.negated else 'affirmed'}"
        for g in gold
        if g.mechanism
        for same in [[p for p in pred if (p.drug, p.mechanism) == (g.drug, g.mechanism)]]
        if same and all(p.negated != g.negated for p in same)
    )
    if flips:
        out.append(ErrorCase(NEGATION, where, "; ".join(dict.fromkeys(flips))))
    return out


def by_class(cases: list[ErrorCase]) -> list[tuple[str, list[ErrorCase]]]:
    """Cases grouped by class, the biggest class first (ties in ``CLASSES`` order)."""
    counts = Counter(c.kind for c in cases)
    order = sorted(counts, key=lambda k: (-counts[k], CLASSES.index(k)))
    return [(k, [c for c in cases if c.kind == k]) for k in order]
