"""One sentence -> its claims: drug - mechanism - strategy, with evidence.

The steps, each in its own module:

1. ``frame``: whether the sentence can state a claim at all (methods, aims, questions,
   mechanism-of-action and study titles do not) and how strictly it is read;
2. ``reading``: its cue spans (resistance, overcome, combination, selection, association);
3. ``slots``/``phrases``/``contrast``: candidate mechanisms (genes with their cues, cue
   phrases, contrasts between sensitive and resistant groups) and strategies;
4. ``strategies``: which strategy slots are strategies against resistance;
5. ``drugs``/``context``: the drug the claim is about (the resisted one, the ADC a
   resistant model or a pointer refers to, the document's drug) and the ADC that works
   where it fails;
6. ``linking``: which strategy acts on which mechanism;
7. ``claims``: one claim per slot combination, negation and hedging per claim.

A drug - mechanism row needs the sentence to speak of resistance (a cue, a contrast, an
association with an outcome) or a mechanism by its very wording ("drug efflux", "CD30
downregulation"); in a research abstract only the former. A sentence whose resisted
therapy is not an ADC (trastuzumab, chemotherapy, immunotherapy) yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extract.claims import EXTRACTOR_VERSION, Row, build_claims
from pipeline.extract.context import (
    NO_CONTEXT,
    SentenceContext,
    model_reference,
    resolve_anaphora,
)
from pipeline.extract.contrast import find_contrast
from pipeline.extract.drugs import (
    choose_drugs,
    contrast_negation,
    fails_where_other_works,
    is_prior,
    next_adc_slots,
    prior_target_slots,
)
from pipeline.extract.frame import BODY, Frame
from pipeline.extract.linking import dedupe_slots, link_mechanisms, unique_slots
from pipeline.extract.negation import works_despite
from pipeline.extract.phrases import (
    cue_mechanism_slots,
    implied_mechanism_slots,
    payload_mechanism_slots,
    phrase_mechanism_slots,
    strategy_slots,
)
from pipeline.extract.reading import Reading, read_cues
from pipeline.extract.response import level_response_slots
from pipeline.extract.slots import GENERIC_ADC_ID, GeneReading, Slot, drug_slots, gene_slots
from pipeline.extract.strategies import (
    DESIGN_CATEGORIES,
    choose_strategies,
    partner_like,
    partner_mentions,
)
from pipeline.model import Claim, Mention, Sentence
from pipeline.nlp.text import fold_dashes
from pipeline.pack import Pack

__all__ = ["EXTRACTOR_VERSION", "makes_resistance_point", "sentence_claims"]

# An abstract's background and aims speak of therapies in general.
_OPENING = ("background", "purpose")
# "Trastuzumab therapy", "trastuzumab-treated", "Trastuzumab benefit": the drug is the therapy
_THERAPY_AFTER = re.compile(
    r"^[\s\-]*(?:mono)?(?:therapy|treatment|treated|trials?|benefit|regimens?)\b", re.IGNORECASE
)
_THIS_RESISTANCE = re.compile(
    r"\b(?:this|the|such|that|their)\s+(?:acquired\s+|intrinsic\s+)?resistance\b"
    r"(?!\s+(?:to|of)\b)",
    re.IGNORECASE,
)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Drugs:
    """The drugs a sentence's claims are about."""

    chosen: list[Slot]
    following: list[Slot]  # strategies: the ADC that works where the chosen one fails
    from_models: bool  # the drug came from the document's resistant models


def sentence_claims(
    sentence: Sentence,
    mentions: list[Mention],
    pack: Pack,
    cited_refs: str = "",
    default_drug: Slot | None = None,
    frame: Frame = BODY,
    context: SentenceContext = NO_CONTEXT,
) -> list[Claim]:
    """All claims one sentence states (see the module docstring for the steps).

    ``default_drug`` (see ``document.document_default_drug``) fills the drug slot of a
    sentence that names no drug itself; ``frame`` and ``context`` say how the sentence is
    read and what the sentences before it said (``pipeline.extract.frame``, ``.context``).
    """
    if not frame.readable:
        return []  # methods, an aim or an open question
    text = fold_dashes(sentence.text)  # "T-DM1–insensitive" as "T-DM1-insensitive"
    off = sentence.char_start
    if frame.abstract and default_drug is not None and frame.section not in _OPENING:
        mentions = _therapy_class_as_adcs(mentions, default_drug, pack)
    cues = read_cues(text, mentions, off, pack.cues, frame)
    if not (cues.resistance or cues.overcome) and (
        (frame.section == "title" and frame.abstract) or pack.cues.find(text, "action")
    ):
        return []  # a paper's title that only names its study, or how an ADC works
    drugs = resolve_anaphora(drug_slots(mentions, off, text), text, context, pack.cues)
    partners, excluded = partner_mentions(
        text, off, mentions, cues, frame.strict, context.continues_resistance(text)
    )
    if excluded and not drugs:
        return []  # resistance to a non-ADC therapy (trastuzumab, chemotherapy)
    contrast = find_contrast(text, pack.cues)
    if contrast is not None:  # "TROP2 was higher in Dato-DXd-sensitive models"
        cues.resistance = sorted(cues.resistance + [contrast.span])
    named_model = _named_model(drugs, text, context, pack)
    if named_model is not None:  # "increased ABCC1 in 361-TM cells": a resistant model's name
        cues.resistance = sorted(cues.resistance + [named_model])
    targets = frozenset(
        pack.adc_targets[d.entity][0]
        for d in drugs or ([default_drug] if default_drug is not None else [])
        if d.entity in pack.adc_targets
    )  # a sentence naming no drug speaks of the document's ("HER3" in a HER3-DXd paper)
    # "patients with high NECTIN4 respond well to EV": the antigen tied to the response
    levels = (  # not in a comparison of ADCs ("SYD985 is more active than T-DM1")
        level_response_slots(mentions, text, off, targets, cues.resistance, pack.cues)
        if len({d.entity for d in drugs}) <= 1
        else []
    )
    reading = GeneReading(
        contrast,
        bool(cues.association),
        bool(cues.resistance or cues.association),
        targets,
        tuple(works_despite(text, pack.cues)),
    )
    mechs, gene_strats = _mechanisms(mentions, text, off, pack, reading, cues.biomarker)
    if levels:  # the level tied to the response is a resistance point of its own
        mechs = [m for m in mechs if m.gene not in {lv.gene for lv in levels}] + levels
        cues.association = sorted(cues.association + [(lv.start, lv.end) for lv in levels])
    candidates = gene_strats + strategy_slots(
        _strategy_mentions(mentions) + partners, off, text, pack
    )
    strong = bool(cues.resistance or cues.overcome or context.continues_resistance(text))
    strats, mechs = choose_strategies(
        mentions, candidates, mechs, text, off, cues, pack, frame.strict, strong
    )
    if not drugs and _about_other_drug(mentions, text, off, cues):
        default_drug = None  # "CAV1 as a biomarker in GC selection for Trastuzumab therapy"
    found = _drugs(drugs, strats, text, cues, pack, default_drug, frame, context)
    if pack.cues.find(text, "induced_resistance"):  # "bafilomycin A1 induced T-DM1 resistance"
        strats = [st for st in strats if not partner_like(st)]
    if not found.following and (pack.cues.find(text, "works") or pack.cues.find(text, "outcome")):
        # "in patients with prior BCMA exposure, the ORR to belantamab mafodotin was 29%"
        prior = prior_target_slots(mentions, found.chosen, text, off, pack.adc_targets)
        found = replace(found, following=prior)
    if found.following:  # "T-DXd was effective in T-DM1-insensitive models"
        strats = [st for st in strats if st.category != "treatment_sequencing"] + found.following
    if frame.strict and not found.chosen:
        return []  # a cited title or an abstract's sentence that names no ADC is not about one
    # In an abstract a mechanism needs the sentence's resistance angle: "DS-8201a induced
    # phosphorylation of Chk1" states how the drug works.
    angle = cues.claims_resistance or found.from_models or context.follows_resistance
    rows = _rows(found, mechs, strats, text, cues, pack, angle or not frame.abstract, frame.strict)
    affirming = tuple(
        span for span in (contrast_negation(text, d) for d in found.chosen) if span is not None
    )
    starts = tuple(m.start for m in mechs if m.start >= 0)
    return build_claims(sentence, text, rows, pack, cited_refs, starts, affirming)


def makes_resistance_point(
    text: str, pack: Pack, frame: Frame, mentions: list[Mention], off: int
) -> bool:
    """Whether a sentence speaks of resistance to an ADC, an overcome or a predictive
    marker (for the sentence after it, see ``context``)."""
    return read_cues(text, mentions, off, pack.cues, frame).claims_resistance


def _strategy_mentions(mentions: list[Mention]) -> list[Mention]:
    """Mentions that may name a strategy by themselves (partner drugs and combination cues
    are read by ``strategies.partner_mentions``)."""
    return [
        m
        for m in mentions
        if m.type not in ("DRUG", "DRUG_CLASS", "STRATEGY")
        or (m.type == "STRATEGY" and not m.category.startswith("combination_"))
    ]


def _mechanisms(
    mentions: list[Mention],
    text: str,
    off: int,
    pack: Pack,
    reading: GeneReading,
    markers: list[tuple[int, int]],
) -> tuple[list[Slot], list[Slot]]:
    """(mechanism slots, strategy slots of inhibited genes)."""
    gene_mechs, gene_strats, used = gene_slots(mentions, text, off, pack, reading)
    mechs = dedupe_slots(
        gene_mechs
        + cue_mechanism_slots(mentions, used, text, off, pack, markers)
        + payload_mechanism_slots(mentions, text, off)
        + phrase_mechanism_slots(text)
    )
    # "the drug efflux transporter MDR1": the cue names the gene's mechanism, not another one
    mechs = [
        m
        for m in mechs
        if m.gene
        or not any(g.gene and g.category == m.category and abs(g.start - m.end) < 40 for g in mechs)
    ]
    return mechs, gene_strats


def _drugs(
    drugs: list[Slot],
    strats: list[Slot],
    text: str,
    cues: Reading,
    pack: Pack,
    default_drug: Slot | None,
    frame: Frame,
    context: SentenceContext,
) -> _Drugs:
    """The drug the sentence's claims are about: the resisted one (also in "X, but not Y,
    demonstrated efficacy"), else the named ADCs; the document's drug for "this
    resistance"; the ADCs of the document's resistant models for "the resistant cell
    lines"; else the document's drug where the sentence speaks of it."""
    if frame.abstract and default_drug is not None:
        drugs = _as_paper_drug(drugs, default_drug, pack)
    chosen = unique_slots(choose_drugs(drugs, text)) if drugs else []
    cues.resistance += [(d.start, d.end) for d in chosen if fails_where_other_works(text, d)]
    resisted = None
    if (
        default_drug is not None
        and default_drug.entity != GENERIC_ADC_ID
        and _THIS_RESISTANCE.search(text)
        and not any(is_prior(text, d) for d in chosen)
    ):  # "ADCs with a cleavable linker overcame this resistance": the document drug's
        resisted = chosen = [default_drug]
    designs = any(st.category in DESIGN_CATEGORIES for st in strats)
    following = [] if designs else next_adc_slots(drugs, chosen, text, pack.cues, resisted)
    from_models = False
    if not any(d.entity != GENERIC_ADC_ID for d in chosen):
        ref = model_reference(text, context, pack.cues)
        if ref is not None:
            from_models = True
            chosen = chosen + [
                Slot("drug", ref[0], ref[1], d.name, entity=d.entity) for d in context.model_drugs
            ]
    if not chosen and default_drug is not None and _takes_default_drug(frame, cues, context):
        if not (frame.abstract and pack.cues.find(text, "other_therapy")):
            chosen = [default_drug]
    return _Drugs(chosen, following, from_models)


def _named_model(
    drugs: list[Slot], text: str, context: SentenceContext, pack: Pack
) -> tuple[int, int] | None:
    """Where a sentence naming no ADC names one of the document's resistant models by the
    name the document gave it ("361-TM cells"): that name says "resistant" as the word does."""
    if any(d.entity != GENERIC_ADC_ID for d in drugs):
        return None
    ref = model_reference(text, context, pack.cues)
    if ref is None or text[ref[0] : ref[1]] not in context.model_names:
        return None
    return ref


def _about_other_drug(mentions: list[Mention], text: str, off: int, cues: Reading) -> bool:
    """Whether the sentence is about another drug's therapy ("Trastuzumab trials", "limit
    Trastuzumab benefit"), not a combination with the document's ADC."""
    if cues.combination or cues.overcome:
        return False
    return any(
        m.type == "DRUG" and _THERAPY_AFTER.match(text[m.char_end - off : m.char_end - off + 20])
        for m in mentions
    )


def _therapy_class_as_adcs(mentions: list[Mention], paper_drug: Slot, pack: Pack) -> list[Mention]:
    """In a paper about a HER2 ADC, "HER2-targeted therapy" includes that ADC: the class
    reads as ADCs of the antigen (which ``_as_paper_drug`` then takes for the paper's)."""
    record = pack.adc_targets.get(paper_drug.entity)
    if record is None:
        return mentions
    return [
        replace(m, type="ADC_CLASS", entity_id=GENERIC_ADC_ID, category=f"target:{record[0]}")
        if m.type == "DRUG_CLASS" and pack.class_antigens.get(m.entity_id) == record[0]
        else m
        for m in mentions
    ]


def _as_paper_drug(drugs: list[Slot], paper_drug: Slot, pack: Pack) -> list[Slot]:
    """In a paper about one ADC, "an EGFR-targeting ADC", "HER2-targeting antibodies" are
    that ADC when they name its target."""
    record = pack.adc_targets.get(paper_drug.entity)
    if record is None:
        return drugs
    target = f"target:{record[0]}"
    return [
        Slot("drug", d.start, d.end, paper_drug.name, d.category, entity=paper_drug.entity)
        if d.entity == GENERIC_ADC_ID and d.category == target
        else d
        for d in drugs
    ]


def _takes_default_drug(frame: Frame, cues: Reading, context: SentenceContext) -> bool:
    """Whether a sentence that names no drug speaks about the document's drug: in a review,
    always; in a research abstract, when it makes a resistance point itself ("Resistance
    mechanisms include ...") or, outside its background and aims, follows one. (A sentence
    about another therapy, "a poor response to many treatments", is kept out by the
    caller.)"""
    if not frame.abstract:
        return True
    return bool(cues.resistance or cues.association) or (
        frame.section not in ("background", "purpose")
        and (cues.claims_resistance or context.follows_resistance)
    )


def _rows(
    found: _Drugs,
    mechs: list[Slot],
    strats: list[Slot],
    text: str,
    cues: Reading,
    pack: Pack,
    mechanisms_claimed: bool,
    strict: bool,
) -> list[Row]:
    """(drug, mechanism, strategy) rows: each strategy with the mechanisms it acts on, and
    each mechanism no strategy took with the drugs (if ``mechanisms_claimed``). Read
    strictly, a strategy acts only on a mechanism the sentence claims ("a biomarker of
    response ... near the tumor ECM" names no ECM mechanism)."""
    links = link_mechanisms(mechs, strats, text, cues.overcome, pack.cues)
    for key, linked in list(links.items()):
        # an inhibited gene is the mechanism only when the text names no other one:
        # "ATR inhibitor ... in SLFN11-deficient cells" counters SLFN11 loss, not ATR
        if any(m.evident and not m.implied for m in linked):
            links[key] = [m for m in linked if not m.implied]
    for implied in implied_mechanism_slots([st for st in strats if not links.get(id(st))]):
        owner = next(st for st in strats if (st.start, st.end) == (implied.start, implied.end))
        links[id(owner)].append(implied)
    claimable = [m for m in mechs if not m.implied and (m.evident or cues.reaches(text, m))]
    if strict:
        links = {
            k: [m for m in ms if m.implied or m.evident or cues.reaches(text, m, overcome=True)]
            for k, ms in links.items()
        }
    for st in found.following:  # the ADC that works where the other fails overcomes it
        links[id(st)] = claimable
    rows: list[Row] = [
        (d, m, st)
        for st in strats
        for d, m in _pairs(found.chosen or [None], links.get(id(st)) or [None], text)
    ]
    linked = {id(m) for ms in links.values() for m in ms}
    alone = [m for m in claimable if id(m) not in linked and (mechanisms_claimed or m.evident)]
    rows += [(d, m, None) for d, m in _pairs(found.chosen, alone, text)]
    return rows


def _pairs(
    drugs: list[Slot | None], mechs: list[Slot | None], text: str
) -> list[tuple[Slot | None, Slot | None]]:
    """Every drug with every mechanism, but "HER2 and FRα ... in these drugs, respectively"
    pairs them in order."""
    if _RESPECTIVELY.search(text) and len(drugs) == len(mechs) > 1 and None not in mechs:
        ordered = sorted(mechs, key=lambda m: m.start if m is not None else -1)
        return list(zip(drugs, ordered, strict=True))
    return [(d, m) for m in mechs for d in drugs]
