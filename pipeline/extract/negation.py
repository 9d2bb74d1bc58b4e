"""Clauses, negation and hedging of one claim inside one sentence (spec: "Negation and hedging").

Scope-aware rather than sentence-wide, in the spirit of NegEx: a negation cue counts only
inside the clauses that hold the claim's entities; a hedge counts from the start of the
sentence (so "It is proposed that ..." governs what follows) to the end of the clause
holding the claim's last entity. Limited-but-affirmed wording ("not the sole driver",
"not only") is listed as an exception and never negates.
"""

from __future__ import annotations

import re

from pipeline.pack.cues import CueLexicon, Span


def clause_spans(text: str, cues: CueLexicon) -> list[Span]:
    """Split a sentence into clauses at ``clause_break`` cues; spans cover the whole text."""
    cuts = sorted({e for _, e in cues.find(text, "clause_break")})
    spans: list[Span] = []
    start = 0
    for cut in cuts:
        if cut > start:
            spans.append((start, cut))
            start = cut
    spans.append((start, len(text)))
    return spans


def clause_of(spans: list[Span], pos: int) -> int:
    """Index of the clause containing character ``pos``."""
    for i, (s, e) in enumerate(spans):
        if s <= pos < e:
            return i
    return len(spans) - 1


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def negation_cues(text: str, cues: CueLexicon) -> list[Span]:
    """Negation cues not cancelled by an exception ("not the sole", "do not express", ...)."""
    exceptions = cues.find(text, "negation_exception")
    return [c for c in cues.find(text, "negation") if not any(_overlaps(c, x) for x in exceptions)]


def claim_scope(text: str, positions: list[int], cues: CueLexicon) -> tuple[Span, Span]:
    """(negation scope, hedge scope) for a claim whose entities start at ``positions``."""
    spans = clause_spans(text, cues)
    idx = sorted({clause_of(spans, p) for p in positions}) or [0]
    neg = (spans[idx[0]][0], spans[idx[-1]][1])
    hedge = (0, spans[idx[-1]][1])
    return neg, hedge


# "T-DM1-resistant cells remained sensitive to T-DXd": for a sequencing claim the lasting
# sensitivity to the next drug is what the text affirms.
_STILL_SENSITIVE = re.compile(
    r"remain\w*\s+(?:\w+\s+)?(?:sensitive|responsive)|retain\w*\s+(?:their\s+|its\s+)?"
    r"(?:sensitivity|responsiveness)",
    re.IGNORECASE,
)


def is_negated(
    text: str,
    positions: list[int],
    cues: CueLexicon,
    sequencing: bool = False,
    core: int | None = None,
    others: tuple[int, ...] = (),
    ignore: tuple[Span, ...] = (),
) -> bool:
    """True if a negation cue falls in the clauses holding the claim's entities.

    ``sequencing``: the claim is a switch to another drug, which "remained sensitive"
    affirms rather than denies. ``core`` (where the claim's mechanism starts) and
    ``others`` (where the sentence's other mechanisms start): a negation in another
    clause that holds a mechanism of its own belongs to that one - in "X was reduced,
    whereas HER2 levels and T-DM1 internalization were unchanged" the denial is about
    HER2 and internalization, not X. ``ignore``: negation cues that affirm the claim (the
    "not" of "DS-8201a, but not T-DM1, was effective").
    """
    spans = clause_spans(text, cues)
    scope, _ = claim_scope(text, positions, cues)
    own = clause_of(spans, core) if core is not None else None
    busy = {clause_of(spans, o) for o in others} - {own} if own is not None else set()
    return any(
        scope[0] <= s < scope[1]
        and not (sequencing and _STILL_SENSITIVE.match(text, s, e))
        and clause_of(spans, s) not in busy
        and not any(_overlaps((s, e), x) for x in ignore)
        for s, e in negation_cues(text, cues)
    )


def is_hedged(text: str, positions: list[int], cues: CueLexicon) -> bool:
    """True if a hedge cue governs the claim (sentence start .. end of its last clause)."""
    _, scope = claim_scope(text, positions, cues)
    return any(scope[0] <= s < scope[1] for s, _ in cues.find(text, "hedge"))
