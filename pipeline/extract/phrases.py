"""Mechanism and strategy slots named by cue words and phrases rather than by a gene.

Mechanism cues ("drug efflux", "tumor heterogeneity"), resisted payloads ("MMAE
resistance"), strategy cues and partner drugs, and the spec's selection rule (measuring a
marker is ``biomarker_patient_selection``). Offsets are relative to the sentence text.
"""

from __future__ import annotations

import re

from pipeline.extract.slots import (
    ANTIGEN_OF_ADC_AFTER,
    PAYLOAD_CLASS_AFTER,
    Slot,
    entity_of,
    gene_role,
    names_population,
    phrase,
    strategy_category,
    symbol_of,
)
from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES, Mention
from pipeline.pack import Pack
from pipeline.prefilter import guarded

# Categories whose cue words name a normal process or a property of tumours
# ("endocytosis", "lysosomal processing", "DNA repair", "tumor microenvironment",
# "spatial heterogeneity"): a mechanism of resistance only when altered or when the
# sentence ties it to the drug's effect (a resistance cue).
PROCESS_CATEGORIES = frozenset(
    {
        "impaired_internalization",
        "lysosomal_trafficking",
        "dna_damage_cell_cycle",
        "tumor_microenvironment",
        "tumor_heterogeneity",
    }
)
_ANTIGEN_WORD = re.compile(r"\b(?:antigens?|targets?|receptors?|epitopes?)\b", re.IGNORECASE)


def cue_mechanism_slots(
    mentions: list[Mention],
    used: set[int],
    text: str,
    offset: int,
    pack: Pack,
    markers: list[tuple[int, int]] | None = None,
) -> list[Slot]:
    """Mechanism cues not attached to a gene ("drug efflux", "tumor heterogeneity").

    A generic alteration word ("loss", "downregulating") counts only next to the word
    antigen/target ("downregulating the antigen" -> antigen_loss of the target antigen).
    """
    out = []
    for m in mentions:
        if m.type != "MECHANISM" or id(m) in used or m.category not in MECHANISM_CATEGORIES:
            continue
        s, e = m.char_start - offset, m.char_end - offset
        if " ".join(m.text.split()).lower() in pack.generic_mechanism_cues:
            window = text[max(0, s - 25) : e + 25]
            if m.category == "antigen_loss" and _ANTIGEN_WORD.search(window):
                out.append(
                    Slot(
                        "mech",
                        s,
                        e,
                        "target antigen " + phrase(m),
                        "antigen_loss",
                        "target antigen",
                        evident=True,
                    )
                )
            continue
        # a normal process is a mechanism when altered, or when named as a marker ("V-ATPase
        # activity in lysosomes is a novel biomarker for predicting T-DM1 resistance")
        named_as_marker = any(b0 - 40 <= e and s <= b1 + 40 for b0, b1 in markers or ())
        if m.category == "payload_resistance" and pack.cues.find(
            text[e : e + 60], "linker_or_antibody_class"
        ):
            continue  # "cross-resistance to other non-cleavable-linked ADCs": not the payload
        evident = (
            m.category not in PROCESS_CATEGORIES
            or named_as_marker
            or bool(pack.cues.find(text[max(0, s - 30) : e + 15], "alteration"))
            or _altered_by_predicate(text, e, pack)
        )
        out.append(Slot("mech", s, e, phrase(m), m.category, entity_of(m, pack), evident=evident))
    return out


# "MMAE resistance", "calicheamicin sensitivity", "resistance to the DM1 moiety"
_RESISTED_AFTER = re.compile(r"^[\s\-]*(?:cross-)?(?:resist|sensitiv|insensitiv)", re.IGNORECASE)
_RESISTED_BEFORE = re.compile(
    r"(?:resistance|insensitivity|sensitivity)\s+to\s+(?:the\s+)?$", re.IGNORECASE
)


# "lysosome acidification, achieved by V-ATPase, was much diminished": the sentence's
# predicate says the process is altered
_PREDICATE = re.compile(
    r"^[^.;:]{0,80}?\b(?:was|were|is|are|became|remained)\s+(?:(?:much|markedly|strongly|greatly|"
    r"severely|substantially|significantly|\w+ly)\s+)?(?=\w)",
    re.IGNORECASE,
)


def _altered_by_predicate(text: str, end: int, pack: Pack) -> bool:
    m = _PREDICATE.match(text[end : end + 110])
    if m is None:
        return False
    at = end + m.end()
    return any(s0 == 0 for s0, _ in pack.cues.find(text[at : at + 25], "alteration"))


def payload_mechanism_slots(mentions: list[Mention], text: str, offset: int) -> list[Slot]:
    """'MMAE resistance', 'resistance to DXd': the payload itself is resisted; "resistance to
    auristatin-based ADCs" names the resisted drugs, not a mechanism."""
    out = []
    for m in mentions:
        if m.type != "PAYLOAD":
            continue
        s, e = m.char_start - offset, m.char_end - offset
        if PAYLOAD_CLASS_AFTER.match(text[e : e + 40]):
            continue
        after, before = text[e : e + 16].lower(), text[max(0, s - 20) : s].lower()
        if _RESISTED_AFTER.match(after) or _RESISTED_BEFORE.search(before):
            out.append(
                Slot(
                    "mech",
                    s,
                    e,
                    f"{m.canonical} resistance",
                    "payload_resistance",
                    m.canonical,
                    evident=True,
                )
            )
    return out


# "next-generation sequencing" is a lab method, not treatment sequencing.
_LAB_SEQUENCING_BEFORE = re.compile(
    r"(?:next[\s\-]+generation|genome|exome|DNA|RNA|targeted|deep|whole)[\s\-]*$", re.IGNORECASE
)
# The mechanism a strategy counters by definition (spec: "Inhibition of MDR1" -> drug efflux).
IMPLIED_MECHANISM = {
    "efflux_inhibition": ("drug_efflux", "drug efflux"),
    "lysosomal_modulation": ("lysosomal_trafficking", "lysosomal function"),
}
# The strategy's own words name the mechanism ("efflux inhibitors", "MDR reversal agents");
# a partner drug alone ("cyclosporine A") does not, so it implies none (spec: slots the
# sentence supports).
_NAMES_MECHANISM = re.compile(r"efflux|lysosom|\bMDR\b|multidrug", re.IGNORECASE)
# A mechanism named as something to target: "the DNA repair pathway as a therapeutic target".
_TARGETED_BEFORE = re.compile(
    r"(?:targeting|inhibiting|inhibition\s+of|blocking)\s+(?:the\s+)?$", re.IGNORECASE
)
_TARGETED_AFTER = re.compile(
    r"^[\w\s,\-]{0,20}?\b(?:as|is|are|be)\s+(?:a|an|another)?\s*(?:\w+\s+){0,2}targets?\b",
    re.IGNORECASE,
)
_TARGETED_STRATEGY = {
    "dna_damage_cell_cycle": "combination_targeted_therapy",
    "bypass_signaling": "combination_targeted_therapy",
    "apoptosis_evasion": "combination_targeted_therapy",
    "drug_efflux": "efflux_inhibition",
    "lysosomal_trafficking": "lysosomal_modulation",
    "tumor_microenvironment": "combination_other",
}


def targeted_mechanism_slots(mechs: list[Slot], text: str) -> list[Slot]:
    """A strategy for each mechanism the text names as a target (not genes: see gene_slots)."""
    out = []
    for m in mechs:
        if m.gene or m.category not in _TARGETED_STRATEGY:
            continue
        if _TARGETED_BEFORE.search(text[max(0, m.start - 25) : m.start]) or _TARGETED_AFTER.match(
            text[m.end : m.end + 60]
        ):
            name = f"{m.entity} targeting"
            out.append(
                Slot(
                    "strat",
                    m.start,
                    m.end,
                    name,
                    _TARGETED_STRATEGY[m.category],
                    name,
                    evident=True,
                )
            )
    return out


def implied_mechanism_slots(strats: list[Slot]) -> list[Slot]:
    """The mechanism an efflux / lysosomal strategy counters, when the text names none."""
    out = []
    for st in strats:
        if st.category in IMPLIED_MECHANISM and not st.gene and _NAMES_MECHANISM.search(st.name):
            category, entity = IMPLIED_MECHANISM[st.category]
            out.append(
                Slot("mech", st.start, st.end, entity, category, entity, evident=True, implied=True)
            )
    return out


def strategy_slots(mentions: list[Mention], offset: int, text: str, pack: Pack) -> list[Slot]:
    """STRATEGY cues and partner drugs / drug classes (kept only in a strategy context)."""
    out = []
    for m in mentions:
        s, e = m.char_start - offset, m.char_end - offset
        if (
            m.type == "STRATEGY"
            and m.category == "treatment_sequencing"
            and _LAB_SEQUENCING_BEFORE.search(text[max(0, s - 25) : s])
        ):
            continue
        if m.type == "STRATEGY" and m.category in STRATEGY_CATEGORIES:
            out.append(
                Slot(
                    "strat",
                    s,
                    e,
                    phrase(m),
                    m.category,
                    entity_of(m, pack),
                    evident=not m.category.startswith("combination_"),
                )
            )
        elif m.type in ("DRUG", "DRUG_CLASS"):
            category = strategy_category(m, pack) or (
                "combination_targeted_therapy" if m.type == "DRUG" else "combination_other"
            )
            # a partner drug is a strategy only in a combination/overcome reading
            out.append(Slot("strat", s, e, m.canonical, category, m.canonical))
    return out


_ANTIGEN_PHRASE = re.compile(
    r"\b(?:target\s+)?antigens?\s+(?:expression|levels?|positivity|density|status)\b"
    r"|\btarget\s+antigen\s+expression\b",
    re.IGNORECASE,
)


# "Genomic analysis of pretreatment samples revealed that ...": the assessment is how the
# finding was made, not a selection strategy
_REPORTED_BY = re.compile(r"\b(?:revealed|showed|demonstrated|identified|indicated|found)\b", re.I)


def assessment_slots(mechs: list[Slot], text: str, pack: Pack) -> list[Slot]:
    """Measuring a mechanism is patient selection: "assess tumor heterogeneity",
    "measuring target antigen levels" -> a biomarker_patient_selection strategy."""
    out = []
    reported = _REPORTED_BY.search(text)
    for m in mechs:
        if reported and reported.start() < m.start:
            continue
        window_start = max(0, m.start - 60)
        window = text[window_start : m.start]
        # "Proteomics detected increased ABCC1": a method reported, not one proposed
        hits = [
            (a, b)
            for a, b in pack.cues.find(window, "assessment")
            if not window[a:b].lower().endswith("ed")
        ]
        if hits:
            h0, h1 = hits[-1]
            out.append(
                Slot(
                    "strat",
                    window_start + h0,
                    window_start + h1,
                    "biomarker assessment",
                    "biomarker_patient_selection",
                    "biomarker assessment",
                    evident=True,
                )
            )
    return out


def marker_slots(mentions: list[Mention], text: str, offset: int, pack: Pack) -> list[Slot]:
    """In a patient-selection sentence a gene's expression is the marker (spec: a
    predictive marker is a mechanism with ``biomarker_patient_selection``): RAB5A ->
    lysosomal_trafficking, a target antigen (or "target antigen expression") -> antigen_loss."""
    out = []
    for g in mentions:
        if g.type != "GENE":
            continue
        category, role = gene_role(g, pack)
        s, e = g.char_start - offset, g.char_end - offset
        if not category or ANTIGEN_OF_ADC_AFTER.match(text[e : e + 40]):
            continue  # "TROP2 antibody-drug conjugate": the drug's target, not a marker
        if names_population(text[e : e + 40], pack):
            continue  # "in HER2 positive breast cancer": who is treated, not a marker
        symbol = symbol_of(g)
        out.append(
            Slot("mech", s, e, f"{symbol} expression", category, symbol, gene=symbol, evident=True)
        )
    for m in _ANTIGEN_PHRASE.finditer(text):
        out.append(
            Slot(
                "mech",
                m.start(),
                m.end(),
                "target antigen expression",
                "antigen_loss",
                "target antigen",
                evident=True,
            )
        )
    return out


_ANTIGEN_ALTERED = guarded(
    re.compile(
        r"\b(?:alterations?|changes?|loss|lack|absence|down-?regulation|reduc\w+|decreas\w+|low"
        r"|heterogene\w+|shedding|masking|mutations?|insufficient)(?:/[\w\-]+)?\s+(?:of\s+|in\s+)?"
        r"(?:the\s+)?(?:both\s+)?(?:(?:targeted\s+|target\s+)?(?:(?:cell[\s\-])?surface\s+)?"
        r"(?:tumou?r\s+)?antigens?\b|antibody(?:\s+targets?\b|(?=\s+and\s+(?:\w+\s+){1,2}targets?\b)))"
        # ("antibody and payload targets": the antibody's span ends before the payload's)
        # antigen-negative cells: "cells that do not (necessarily) express the target antigen"
        r"|\bcells?\s+(?:that|which|who)\s+(?:do|does)\s+not\s+(?:\w+\s+)?express\s+(?:the\s+|their\s+)?"
        r"(?:target\s+)?(?:antigens?|targets?)\b",
        re.IGNORECASE,
    )
)
_PAYLOAD_TARGET = guarded(
    re.compile(r"\b(?:drug\s+)?payload(?:\s+drug)?\s+targets?\b", re.IGNORECASE)
)
_ALTERED_BEFORE = re.compile(
    r"(?:alteration|change|mutation|loss|downregulat|reduc|decreas|resistance\s+mechanism)\w*\b"
    r"[^.;]{0,40}$",
    re.IGNORECASE,
)


def phrase_mechanism_slots(text: str) -> list[Slot]:
    """Mechanisms named without an entity: "alterations of antigen", "loss of the target
    antigen" (antigen_loss) and altered "payload targets" (payload_resistance)."""
    out = [
        Slot(
            "mech",
            m.start(),
            m.end(),
            "antigen-negative cells"
            if m.group(0).lower().startswith("cell")
            else "target antigen alteration",
            "antigen_loss",
            "target antigen",
            evident=True,
        )
        for m in _ANTIGEN_ALTERED.finditer(text)
    ]
    for m in _PAYLOAD_TARGET.finditer(text):
        if _ALTERED_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            out.append(
                Slot(
                    "mech",
                    m.start(),
                    m.end(),
                    "payload target alteration",
                    "payload_resistance",
                    "payload target",
                    evident=True,
                )
            )
    return out
