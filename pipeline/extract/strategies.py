"""Which strategy slots of a sentence are strategies against resistance.

A partner drug or combination cue is a strategy only in a combination/overcome reading
("plus", "combined with", "overcome"), never a trial's comparator arm ("versus lapatinib
plus capecitabine"), treatment history ("after PD-1 inhibitors", "post-immunotherapy") or a
payload class ("TOP1 inhibitor-based ADCs"). Read strictly (a research abstract, a cited
title: another paper, read without the review's frame), a partner therapy needs the
sentence to speak of resistance or of overcoming it, or to aim at the mechanism it names
("a BCL2 inhibitor ... in BCL2-high cells"): "IMMU-132 plus olaparib improved antitumor
effects" states efficacy, and "T-DM1 plus atezolizumab versus ..." a trial design.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from pipeline.extract.drugs import SEQ_GENERIC, is_comparator, is_resisted
from pipeline.extract.linking import dedupe_slots, link_mechanisms
from pipeline.extract.phrases import assessment_slots, marker_slots, targeted_mechanism_slots
from pipeline.extract.reading import Reading
from pipeline.extract.slots import PRIOR_THERAPY, Slot
from pipeline.model import Mention
from pipeline.pack import Pack

SELECTION = "biomarker_patient_selection"
# strategies that say how an ADC that works differs from the one resisted
DESIGN_CATEGORIES = frozenset(
    {
        "linker_conjugation_engineering",
        "novel_or_dual_payload",
        "bispecific_biparatopic_adc",
        "antibody_target_engineering",
        "immune_stimulating_conjugate",
        "alternative_drug_conjugates",
    }
)
# "topoisomerase I inhibitor-based ADCs": a payload class naming ADCs, not a partner drug.
_CLASS_DESCRIPTOR = re.compile(
    r"^[\s\-\u2010\u2011\u2013]*(?:based|containing|bearing|payload|ADCs?\b|conjugates?\b|"
    r"antibody[\s\-]+drug|drug[\s\-]+conjugates?\b)",
    re.IGNORECASE,
)
_JOINING_DASH = re.compile(r"[\-\u2010\u2011\u2013]")
# "conjugated with a tubulysin-based microtubule inhibitor": the payload, not a partner drug
_PAYLOAD_BEFORE = re.compile(
    r"(?:conjugated\s+(?:with|to)\s+(?:a\s+|an\s+|the\s+)?(?:[\w\-]+\s+)?|-based\s+)$",
    re.IGNORECASE,
)
_GENERIC_COMBINATION = re.compile(
    r"^(?:combination|combinations|combination (?:therapy|therapies|treatments?|strategies"
    r"|regimens|approaches)|combinatorial (?:therapy|therapies|treatments?|approaches))$",
    re.IGNORECASE,
)


def partner_like(st: Slot) -> bool:
    """A partner therapy given with the ADC (a drug, a class, an inhibited gene)."""
    return st.category.startswith("combination_") or st.category in (
        "efflux_inhibition",
        "lysosomal_modulation",
    )


def partner_mentions(
    text: str,
    off: int,
    mentions: list[Mention],
    cues: Reading,
    strict: bool,
    continues: bool,
) -> tuple[list[Mention], list[Mention]]:
    """(partner therapies that may act as strategies, partner therapies resisted or given
    before) in the sentence ``text`` starting at document offset ``off``. ``continues``:
    the sentence carries on the previous one's resistance point."""
    partners = [
        m
        for m in mentions
        if m.type in ("DRUG", "DRUG_CLASS")
        or (m.type == "STRATEGY" and m.category.startswith("combination_"))
    ]
    excluded = [
        m
        for m in partners
        if is_resisted(text, m.char_start - off, m.char_end - off)
        or PRIOR_THERAPY.search(text[max(0, m.char_start - off - 45) : m.char_start - off])
    ]
    if strict:
        reading = cues.overcome or cues.resistance or continues
    else:
        reading = cues.overcome or cues.combination
    # "trastuzumab-maytansinoid antibody-drug conjugate": the antibody joined to its payload
    joined = {m.char_start for m in mentions if m.type in ("PAYLOAD", "ADC_CLASS", "ADC")}
    ok = [
        m
        for m in partners
        if reading
        and m not in excluded
        and not any(
            _JOINING_DASH.fullmatch(text[m.char_end - off : j - off])
            for j in joined
            if j > m.char_end
        )
        and not _CLASS_DESCRIPTOR.match(text[m.char_end - off : m.char_end - off + 25])
        and not _PAYLOAD_BEFORE.search(text[max(0, m.char_start - off - 40) : m.char_start - off])
        and not is_comparator(text, m.char_start - off)
    ]
    return ok, excluded


def choose_strategies(
    mentions: list[Mention],
    strats: list[Slot],
    mechs: list[Slot],
    text: str,
    off: int,
    cues: Reading,
    pack: Pack,
    strict: bool,
    strong: bool,
) -> tuple[list[Slot], list[Slot]]:
    """(strategy slots, mechanism slots completed with selection markers).

    Patient selection (spec): a sentence presenting a marker as predictive names a
    mechanism (the marker) with ``biomarker_patient_selection``; measuring a mechanism
    ("assess tumor heterogeneity") is selection too. A design strategy ("cleavable linker")
    counts in a resistance, overcome, combination or selection context, or when it acts on
    a mechanism: "SG consists of ... a cleavable linker" describes a drug.
    """
    if cues.biomarker or any(st.category == SELECTION for st in strats):
        mechs = dedupe_slots(mechs + marker_slots(mentions, text, off, pack))
    if cues.biomarker and mechs and not any(st.category == SELECTION for st in strats):
        b0, b1 = cues.biomarker[0]
        marker = "predictive biomarker"
        strats = strats + [Slot("strat", b0, b1, marker, SELECTION, marker, evident=True)]
    named = [st for st in strats if st.category == SELECTION]
    for a in assessment_slots(mechs, text, pack):
        if named:  # "liquid biopsies ... capture heterogeneity": the verb stands for the method
            ref = min(named, key=lambda st: abs(st.start - a.start))
            a = replace(a, name=ref.name, entity=ref.entity)
        strats = strats + [a]
    strats = strats + targeted_mechanism_slots(mechs, text)
    if not named and any(st.category == SELECTION for st in strats):
        mechs = dedupe_slots(mechs + marker_slots(mentions, text, off, pack))
        strats = strats + assessment_slots(mechs, text, pack)
    strats = dedupe_slots(strats)
    # "combination of EV with pembrolizumab", "the combination of BV and CsA": the partner
    # says which combination
    if any(partner_like(st) and not _GENERIC_COMBINATION.match(st.name) for st in strats):
        strats = [st for st in strats if not _GENERIC_COMBINATION.match(st.name)]
    # "switching to an ADC with a different payload class": the specific sequencing wins
    if any(st.category == "treatment_sequencing" and st.entity != SEQ_GENERIC for st in strats):
        strats = [st for st in strats if st.entity != SEQ_GENERIC]
    links = link_mechanisms(mechs, strats, text, cues.overcome, pack.cues)
    named_genes = Counter(m.canonical.upper() for m in mentions if m.type == "GENE")
    targeted = {gene for gene, n in named_genes.items() if n > 1}  # inhibited and named again
    strats = [
        st
        for st in strats
        if (strong or st.gene in targeted if strict and partner_like(st) else True)
        and (cues.any or links.get(id(st)) or (st.evident and st.category == SELECTION))
    ]
    return strats, mechs
