"""Precision / recall / F1 from true-positive, false-positive and false-negative counts.

Shared by the triple evaluator (``pipeline.evaluation.triples``) and the NER evaluator
(``pipeline.evaluation.ner``) so both report scores computed the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def total(cls, scores: Iterable[PRF]) -> PRF:
        """Micro-average: the counts of ``scores`` summed."""
        t = cls()
        for s in scores:
            t.tp, t.fp, t.fn = t.tp + s.tp, t.fp + s.fp, t.fn + s.fn
        return t

    def line(self, label: str) -> str:
        return (
            f"{label:<28} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )
