"""Which strategy acts on which mechanism inside one sentence, and slot clean-up.

Linking follows the sentence's structure, not co-occurrence: the overcome cue between a
strategy and a mechanism ("bispecific ADCs that overcome antigen heterogeneity"), the
clause they share, coordination ("CD47 blockade and CSF1R inhibition" act together).
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.extract.negation import clause_of, clause_spans
from pipeline.extract.slots import Slot
from pipeline.pack.cues import CueLexicon


def dedupe_slots(slots: list[Slot]) -> list[Slot]:
    """Drop a slot overlapping a longer one of the same kind (gene-based slots win ties);
    slots of two different genes never conflict ("loss of SLC46A3 and PTEN deficiency"
    shares one cue)."""
    ranked = sorted(
        slots, key=lambda s: (-(s.end - s.start), not s.gene, not s.evident, s.start, s.name)
    )
    kept: list[Slot] = []
    for s in ranked:
        if any(
            s.start < k.end and k.start < s.end and not (s.gene and k.gene and s.gene != k.gene)
            for k in kept
        ):
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: (s.start, s.end, s.name))


def unique_slots(slots: list[Slot]) -> list[Slot]:
    seen: dict[tuple[str, str, str], Slot] = {}
    for s in slots:
        seen.setdefault((s.name, s.category, s.entity), s)
    return list(seen.values())


# "CD47 blockade and CSF1R inhibition", "inhibition of MDR1 with cyclosporine A"
_COORDINATED = re.compile(
    r"^\s*(?:inhibit\w*|blockade|antagonists?|targeting)?[\s,;/]*"
    r"(?:and/or|and|or|as\s+well\s+as|plus|with|using|by)?[\s,]*$",
    re.I,
)


def _strategy_groups(strats: list[Slot], text: str) -> dict[int, list[Slot]]:
    """Coordinated strategies ("CD47 blockade and CSF1R inhibition") act together."""
    groups: list[list[Slot]] = []
    for st in sorted(strats, key=lambda x: x.start):
        if groups and _COORDINATED.match(text[groups[-1][-1].end : st.start]):
            groups[-1].append(st)
        else:
            groups.append([st])
    return {id(st): g for g in groups for st in g}


def link_mechanisms(
    mechs: list[Slot],
    strats: list[Slot],
    text: str,
    overcome: list[tuple[int, int]],
    cues: CueLexicon,
) -> dict[int, list[Slot]]:
    """Strategy id -> the mechanisms it acts on.

    A mechanism goes to the nearest strategy before it with an ``overcome`` cue in between
    ("bispecific ADCs that overcome antigen heterogeneity"), else the nearest after it with
    a cue in between ("resistance ... can be overcome by HER2 kinase inhibition"), else the
    nearest in its clause; coordinated strategies share it. A mechanism implied by an
    inhibited gene belongs to that inhibition only.
    """
    clauses = clause_spans(text, cues)
    groups = _strategy_groups(strats, text)
    links: dict[int, list[Slot]] = defaultdict(list)

    def between(lo: int, hi: int) -> bool:
        return any(lo <= o0 and o1 <= hi for o0, o1 in overcome)

    for m in mechs:
        if not m.evident and not m.implied and m.gene:
            # a bare gene acts as the target of a strategy only across an overcome cue
            if not any(between(st.end, m.start) or between(m.end, st.start) for st in strats):
                continue
        same_span = [st for st in strats if (st.start, st.end) == (m.start, m.end)]
        if m.implied or same_span:
            # implied by an inhibited gene ("the ABCG2 inhibitor Ko143"), or named as the
            # target of its own strategy: link to that strategy and its coordinated group
            owners = [
                st
                for st in strats
                if st in same_span
                or (m.gene and st.gene == m.gene)
                or (m.implied and st.start < m.end and m.start < st.end)
            ]
            # coordinated strategies share it ("Bcl-xL inhibition with navitoclax"), except
            # the inhibition of another gene ("knockdown of ABCG2 and ABCC2")
            shared = {id(x): x for o in owners for x in groups[id(o)]}.values()
            for st in shared:
                if not (m.gene and st.gene and st.gene != m.gene):
                    links[id(st)].append(m)
            continue
        before = [st for st in strats if st.end <= m.start and between(st.end, m.start)]
        after = [st for st in strats if st.start >= m.end and between(m.end, st.start)]
        c_m = clause_of(clauses, m.start)
        same = [st for st in strats if clause_of(clauses, st.start) == c_m]
        if before:
            target = max(before, key=lambda st: st.end)
        elif after:
            target = min(after, key=lambda st: st.start)
        elif same:
            target = min(same, key=lambda st: abs(st.start - m.start))
        else:
            continue
        for st in groups[id(target)]:
            links[id(st)].append(m)
    return links
