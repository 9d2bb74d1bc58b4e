"""Claims from chosen slots: one triple and one evidence row per sentence and slot
combination, with the sentence's negation and hedging of that claim.

The ``mechanism`` / ``strategy`` columns keep the text's own wording ("MDR1 upregulation",
"Inhibition of MDR1"); the ``*_entity`` columns the canonical form the triple is keyed on
(ABCB1, "ABCB1 inhibition"). The combination of slots names itself in
``Evidence.extractor`` (``drug_mechanism_strategy@extract-2.0``).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.drugs import SEQ_PREFIX
from pipeline.extract.negation import is_hedged, is_negated
from pipeline.extract.slots import GENERIC_ADC_ID, Slot, display_words
from pipeline.model import Claim, Evidence, Sentence, Triple, make_triple_id
from pipeline.pack import Pack
from pipeline.pack.cues import Span

EXTRACTOR_VERSION = "extract-2.0"

Row = tuple[Slot | None, Slot | None, Slot | None]


def build_claims(
    sentence: Sentence,
    text: str,
    rows: list[Row],
    pack: Pack,
    cited_refs: str,
    mech_starts: tuple[int, ...] = (),
    affirming: tuple[Span, ...] = (),
) -> list[Claim]:
    """One claim per row with at least two slots, each triple once per sentence.
    ``text``: the sentence as the rules read it (dashes folded, same offsets);
    ``mech_starts``: where the sentence's mechanisms start (for the scope of a negation);
    ``affirming``: negation cues that affirm the claim (see ``negation.is_negated``)."""
    claims: list[Claim] = []
    seen: set[str] = set()
    for d, m, st in rows:
        if sum(x is not None for x in (d, m, st)) < 2:
            continue
        others = tuple(p for p in mech_starts if m is None or p != m.start)
        claim = _make_claim(sentence, text, d, m, st, pack, cited_refs, others, affirming)
        if claim.triple.triple_id in seen:
            continue
        seen.add(claim.triple.triple_id)
        claims.append(claim)
    return claims


def _rule_name(d: Slot | None, m: Slot | None, st: Slot | None) -> str:
    parts = [n for n, s in (("drug", d), ("mechanism", m), ("strategy", st)) if s is not None]
    return "_".join(parts)


def _resolve_target(d: Slot | None, m: Slot | None, pack: Pack) -> Slot | None:
    """For a named ADC, "target antigen" is its catalogue target (TROP2 for SG) and an altered
    "payload target" of a TOP1-inhibitor ADC is TOP1, so the gene stays comparable."""
    if d is None or m is None or d.entity == GENERIC_ADC_ID:
        return m
    record = pack.adc_targets.get(d.entity)
    if record is None:
        return m
    target, payload_class = record
    if m.entity == "target antigen" and target:
        return replace(m, entity=target, gene=target)
    if m.entity == "payload target" and payload_class.upper().startswith("TOP1"):
        return replace(m, entity="TOP1", gene="TOP1")
    return m


def wording(text: str, slot: Slot | None) -> str:
    """The sentence's own words for a slot, or its name where it has none (a mechanism a
    strategy implies, a drug from the document's context)."""
    if slot is None:
        return ""
    if slot.start < 0 or (slot.implied and not slot.gene) or slot.end <= slot.start:
        return slot.name
    start, end = slot.words or (slot.start, slot.end)
    return display_words(text[start:end])


def _make_claim(
    sentence: Sentence,
    text: str,
    d: Slot | None,
    m: Slot | None,
    st: Slot | None,
    pack: Pack,
    cited_refs: str,
    other_mechs: tuple[int, ...],
    affirming: tuple[Span, ...],
) -> Claim:
    m = _resolve_target(d, m, pack)
    drug_id = d.entity if d else ""
    triple_id = make_triple_id(
        drug_id,
        m.category if m else "",
        m.entity if m else "",
        st.category if st else "",
        st.entity if st else "",
    )
    triple = Triple(
        triple_id=triple_id,
        drug=d.name if d else "",
        drug_id=drug_id,
        mechanism=wording(sentence.text, m),
        mechanism_category=m.category if m else "",
        mechanism_entity=m.entity if m else "",
        strategy=wording(sentence.text, st),
        strategy_category=st.category if st else "",
        strategy_entity=st.entity if st else "",
    )
    positions = [s.start for s in (d, m, st) if s is not None and s.start >= 0]
    evidence = Evidence(
        triple_id=triple_id,
        doc_id=sentence.doc_id,
        section=sentence.section,
        sentence_index=sentence.sentence_index,
        char_start=sentence.char_start,
        char_end=sentence.char_end,
        sentence=sentence.text,
        cited_refs=cited_refs,
        negated=is_negated(
            text,
            positions,
            pack.cues,
            sequencing=bool(st and st.entity.startswith(SEQ_PREFIX)),
            core=m.start if m is not None and m.start >= 0 else None,
            others=other_mechs,
            ignore=affirming,
        ),
        hedged=is_hedged(text, positions, pack.cues),
        extractor=f"{_rule_name(d, m, st)}@{EXTRACTOR_VERSION}",
    )
    return Claim(triple=triple, evidence=evidence)
