"""Sentence-level relation extraction: drug - mechanism - strategy claims with evidence.

Rules (the combination of slots names itself in ``Evidence.extractor``, e.g.
``drug_mechanism_strategy@extract-1.0``):

- drug - mechanism: a mechanism and a drug, when the sentence speaks of resistance
  (``resistance`` cues: "confers resistance to", "associated with resistance", "reduced
  efficacy", "progression on", ...) or the mechanism is one by its wording ("drug
  efflux", "CD30 downregulation", "impaired internalization"). A bare gene or a normal
  process word needs the cue: "T-DM1 binds HER2 and releases DM1 in the lysosome" gives
  nothing.
- mechanism - strategy: a strategy acts on the mechanism it is linked to (see
  ``linking``: across an ``overcome`` cue, in the same clause, through the same gene
  as in "Inhibition of MDR1 overcomes ...").
- drug - strategy: a design or selection strategy in a resistance / overcome /
  combination / selection context, or a partner therapy in a combination reading
  ("EV plus pembrolizumab"); never treatment history ("after PD-1 inhibitors").

The drug is the one the text ties to the resistance ("resistance to X", "X-resistant"),
else the named ADCs, else an ADC class, else the document's default drug; a sentence
whose resisted therapy is not an ADC (trastuzumab, chemotherapy) yields nothing.
Negation and hedging are flagged per claim (``negation``), never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.extract.context import (
    NO_CONTEXT,
    SentenceContext,
    model_reference,
    resolve_anaphora,
)
from pipeline.extract.contrast import find_contrast
from pipeline.extract.drugs import (
    SEQ_GENERIC,
    SEQ_PREFIX,
    choose_drugs,
    contrast_negation,
    fails_where_other_works,
    is_comparator,
    is_prior,
    is_resisted,
    next_adc_slots,
)
from pipeline.extract.frame import BODY, Frame
from pipeline.extract.linking import dedupe_slots, link_mechanisms, unique_slots
from pipeline.extract.negation import is_hedged, is_negated
from pipeline.extract.phrases import (
    assessment_slots,
    cue_mechanism_slots,
    implied_mechanism_slots,
    marker_slots,
    payload_mechanism_slots,
    phrase_mechanism_slots,
    strategy_slots,
    targeted_mechanism_slots,
)
from pipeline.extract.slots import (
    GENERIC_ADC_ID,
    PRIOR_THERAPY,
    GeneReading,
    Slot,
    drug_slots,
    gene_slots,
)
from pipeline.model import Claim, Evidence, Mention, Sentence, Triple, make_triple_id
from pipeline.nlp.text import fold_dashes
from pipeline.pack import Pack
from pipeline.pack.cues import CueLexicon, Span

EXTRACTOR_VERSION = "extract-1.0"

# "topoisomerase I inhibitor-based ADCs": a payload class naming ADCs, not a partner drug.
_CLASS_DESCRIPTOR = re.compile(
    r"^[\s\-\u2010\u2011]*(?:based|containing|bearing|payload|ADCs?\b|conjugates?\b|"
    r"antibody[\s\-]+drug)",
    re.IGNORECASE,
)


_GENERIC_COMBINATION = re.compile(
    r"^(?:combination|combinations|combination (?:therapy|therapies|treatments?|strategies"
    r"|regimens|approaches)|combinatorial (?:therapy|therapies|treatments?|approaches))$",
    re.IGNORECASE,
)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_NEAR = 30  # characters between a resistance word and the therapy it is about


def _of_another_therapy(cue: Span, adcs: list[Span], others: list[Span]) -> bool:
    """Whether the therapy nearest a resistance word is not an ADC."""

    def gap(span: Span) -> int:
        return max(span[0] - cue[1], cue[0] - span[1], 0)

    nearest_other = min((gap(o) for o in others), default=_NEAR + 1)
    nearest_adc = min((gap(a) for a in adcs), default=_NEAR + 1)
    return nearest_other <= _NEAR and nearest_other < nearest_adc


def therapy_spans(
    mentions: list[Mention], off: int, text: str, cues: CueLexicon
) -> tuple[list[Span], list[Span]]:
    """(spans of the ADCs, spans of the other therapies) a sentence names."""
    adcs = [
        (m.char_start - off, m.char_end - off) for m in mentions if m.type in ("ADC", "ADC_CLASS")
    ]
    others = [
        (m.char_start - off, m.char_end - off) for m in mentions if m.type in ("DRUG", "DRUG_CLASS")
    ]
    return adcs, others + list(cues.find(text, "other_therapy"))


@dataclass
class _Context:
    """The cue spans of one sentence (relative offsets)."""

    resistance: list[tuple[int, int]]
    overcome: list[tuple[int, int]]
    combination: list[tuple[int, int]]
    biomarker: list[tuple[int, int]]
    association: list[tuple[int, int]]  # an association with an outcome

    @classmethod
    def of(
        cls,
        text: str,
        cues: CueLexicon,
        frame: Frame,
        therapies: tuple[list[Span], list[Span]] = ([], []),
    ) -> _Context:
        """The cues of ``text``. A disease population ("relapsed/refractory lymphoma") is no
        resistance cue, nor resistance to another therapy ("EGFR TKI-resistant cancers",
        "resistance to immunotherapy": ``therapies`` are the spans of the ADCs and of the
        other therapies the sentence names); improvement wording ("enhanced", "strategy")
        reads as an overcome cue in a review's strategy passages, not in a research
        abstract's results."""
        population = cues.find(text, "population")
        resistance = [
            r
            for r in cues.find(text, "resistance")
            if not any(_overlap(r, p) for p in population)
            and not _of_another_therapy(r, *therapies)
        ]

        overcome = list(cues.find(text, "overcome"))
        if not frame.abstract:
            overcome = sorted(overcome + list(cues.find(text, "improvement")))
        # "NECTIN-4 loss was associated with shorter PFS on EV": a marker tied to an outcome
        association = list(cues.find(text, "association")) if cues.find(text, "outcome") else []
        return cls(
            resistance,
            overcome,
            list(cues.find(text, "combination")),
            list(cues.find(text, "biomarker")),
            association,
        )

    @property
    def claims_resistance(self) -> bool:
        return bool(self.resistance or self.overcome or self.biomarker or self.association)

    @property
    def any(self) -> bool:
        return bool(self.resistance or self.overcome or self.combination or self.biomarker)


def _partner_mentions(
    sentence: Sentence,
    mentions: list[Mention],
    ctx: _Context,
    frame: Frame,
    context: SentenceContext,
) -> tuple[list[Mention], list[Mention]]:
    """(partner therapies that may act as strategies, partner therapies resisted/prior).

    A partner drug or combination cue is a strategy only in a combination/overcome reading
    ("plus", "combined with", "overcome"), never a trial's comparator arm ("versus
    lapatinib plus capecitabine"); in a reference title - another paper, read
    without the review's context - a bare combination is a trial design ("T-DM1 plus
    atezolizumab versus ..."), so it needs an overcome/resistance cue, and so does a
    combination in a research abstract ("IMMU-132 plus olaparib improved antitumor effects"
    states efficacy, not a strategy against resistance). Treatment history
    ("after PD-1 inhibitors") and payload classes ("TOP1 inhibitor-based ADCs") are not
    strategies.
    """
    text, off = sentence.text, sentence.char_start
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
    if sentence.kind == "reference_title" or frame.abstract:
        reading = ctx.overcome or ctx.resistance or context.continues_resistance(text)
    else:
        reading = ctx.overcome or ctx.combination
    ok = [
        m
        for m in partners
        if reading
        and m not in excluded
        and not _CLASS_DESCRIPTOR.match(text[m.char_end - off : m.char_end - off + 25])
        and not is_comparator(text, m.char_start - off)
    ]
    return ok, excluded


def _mechanisms(
    mentions: list[Mention],
    text: str,
    off: int,
    pack: Pack,
    reading: GeneReading,
    named_as_marker: bool,
) -> tuple[list[Slot], list[Slot]]:
    """(mechanism slots, strategy slots of inhibited genes)."""
    gene_mechs, gene_strats, used = gene_slots(mentions, text, off, pack, reading)
    mechs = dedupe_slots(
        gene_mechs
        + cue_mechanism_slots(mentions, used, text, off, pack, named_as_marker)
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


def _strategies(
    mentions: list[Mention],
    strats: list[Slot],
    mechs: list[Slot],
    text: str,
    off: int,
    ctx: _Context,
    pack: Pack,
    strict: bool = False,
    strong: bool = True,
) -> tuple[list[Slot], list[Slot]]:
    """(strategy slots, mechanism slots completed with selection markers).

    Patient selection (spec): a sentence presenting a marker as predictive names a
    mechanism (the marker) with ``biomarker_patient_selection``; measuring a mechanism
    ("assess tumor heterogeneity") is selection too.
    """
    selection = "biomarker_patient_selection"
    if ctx.biomarker or any(st.category == selection for st in strats):
        mechs = dedupe_slots(mechs + marker_slots(mentions, text, off, pack))
    if ctx.biomarker and mechs and not any(st.category == selection for st in strats):
        b0, b1 = ctx.biomarker[0]
        strats = strats + [
            Slot(
                "strat",
                b0,
                b1,
                "predictive biomarker",
                selection,
                "predictive biomarker",
                evident=True,
            )
        ]
    named = [st for st in strats if st.category == selection]
    for a in assessment_slots(mechs, text):
        if named:  # "liquid biopsies ... capture heterogeneity": the verb stands for the method
            ref = min(named, key=lambda st: abs(st.start - a.start))
            a = replace(a, name=ref.name, entity=ref.entity)
        strats = strats + [a]
    strats = strats + targeted_mechanism_slots(mechs, text)
    if not named and any(st.category == selection for st in strats):
        mechs = dedupe_slots(mechs + marker_slots(mentions, text, off, pack))
        strats = strats + assessment_slots(mechs, text)
    strats = dedupe_slots(strats)
    # "combination of EV with pembrolizumab", "the combination of BV and CsA": the partner
    # says which combination
    if any(
        (st.category.startswith("combination_") or st.category == "efflux_inhibition")
        and not _GENERIC_COMBINATION.match(st.name)
        for st in strats
    ):
        strats = [st for st in strats if not _GENERIC_COMBINATION.match(st.name)]
    # "switching to an ADC with a different payload class": the specific sequencing wins
    if any(st.category == "treatment_sequencing" and st.entity != SEQ_GENERIC for st in strats):
        strats = [st for st in strats if st.entity != SEQ_GENERIC]
    # A design strategy ("cleavable linker") counts in a resistance, overcome/improvement,
    # combination or selection context, or when it acts on a mechanism: "SG consists of ...
    # a cleavable linker" describes a drug, not a strategy.
    # Read strictly (a research abstract, a cited title), a partner therapy is a strategy
    # only where the sentence speaks of resistance or of overcoming it (``strong``), or
    # aims at the mechanism it names ("a BCL2 inhibitor ... in BCL2-high cells"):
    # "IMMU-132 plus olaparib improved antitumor effects" states efficacy.
    links = link_mechanisms(mechs, strats, text, ctx.overcome, pack.cues)
    named = Counter(m.canonical.upper() for m in mentions if m.type == "GENE")
    targeted = {gene for gene, n in named.items() if n > 1}  # inhibited and named again
    strats = [
        st
        for st in strats
        if (strong or st.gene in targeted if strict and _partner_like(st) else True)
        and (ctx.any or links.get(id(st)) or (st.evident and st.category == selection))
    ]
    return strats, mechs


_THIS_RESISTANCE = re.compile(
    r"\b(?:this|the|such|that|their)\s+(?:acquired\s+|intrinsic\s+)?resistance\b(?!\s+(?:to|of)\b)",
    re.IGNORECASE,
)
# strategies that say how the ADC that works differs from the resisted one
_DESIGN_CATEGORIES = frozenset(
    {
        "linker_conjugation_engineering",
        "novel_or_dual_payload",
        "bispecific_biparatopic_adc",
        "antibody_target_engineering",
        "immune_stimulating_conjugate",
        "alternative_drug_conjugates",
    }
)


def _partner_like(st: Slot) -> bool:
    return st.category.startswith("combination_") or st.category == "efflux_inhibition"


def sentence_claims(
    sentence: Sentence,
    mentions: list[Mention],
    pack: Pack,
    cited_refs: str = "",
    default_drug: Slot | None = None,
    frame: Frame = BODY,
    context: SentenceContext = NO_CONTEXT,
) -> list[Claim]:
    """All claims one sentence states (see the module docstring for the rules).

    ``default_drug`` (see ``document.document_default_drug``) fills the drug slot of a
    sentence that names no drug itself.
    """
    if not frame.readable:
        return []  # methods, an aim or an open question (see pipeline.extract.frame)
    original = sentence.text
    folded = fold_dashes(original)  # "T-DM1–insensitive" reads as "T-DM1-insensitive"
    if folded != original:
        claims = sentence_claims(
            replace(sentence, text=folded), mentions, pack, cited_refs, default_drug, frame, context
        )
        return [replace(c, evidence=replace(c.evidence, sentence=original)) for c in claims]
    text, off = sentence.text, sentence.char_start
    ctx = _Context.of(text, pack.cues, frame, therapy_spans(mentions, off, text, pack.cues))
    drugs = drug_slots(mentions, off, text)
    if frame.section == "title" and frame.abstract and not (ctx.resistance or ctx.overcome):
        return []  # a paper's title that only names its study ("Sequential ADC therapy in ...")
    if pack.cues.find(text, "action") and not (ctx.resistance or ctx.overcome):
        return []  # how an ADC works: "the ADC must bind the antigen, be internalized ..."
    drugs = resolve_anaphora(drugs, text, context, pack.cues)
    partners, excluded = _partner_mentions(sentence, mentions, ctx, frame, context)
    if excluded and not drugs:
        return []  # resistance to a non-ADC therapy (trastuzumab, chemotherapy)
    contrast = find_contrast(text, pack.cues)
    if contrast is not None:  # "TROP2 was higher in Dato-DXd-sensitive models"
        ctx.resistance = sorted(ctx.resistance + [contrast.span])
    reading = GeneReading(
        contrast,
        bool(ctx.association),
        bool(ctx.resistance or ctx.association),
        frozenset(pack.adc_targets[d.entity][0] for d in drugs if d.entity in pack.adc_targets),
    )
    mechs, gene_strats = _mechanisms(mentions, text, off, pack, reading, bool(ctx.biomarker))
    other = [
        m
        for m in mentions
        if m.type not in ("DRUG", "DRUG_CLASS", "STRATEGY")
        or (m.type == "STRATEGY" and not m.category.startswith("combination_"))
    ]
    strict = frame.abstract or sentence.kind == "reference_title"
    strong = bool(ctx.resistance or ctx.overcome or context.continues_resistance(text))
    strats, mechs = _strategies(
        mentions,
        gene_strats + strategy_slots(other + partners, off, text, pack),
        mechs,
        text,
        off,
        ctx,
        pack,
        strict,
        strong,
    )

    chosen = unique_slots(choose_drugs(drugs, text)) if drugs else []
    # "DS-8201a, but not T-DM1, demonstrated efficacy": a resistance point about T-DM1
    ctx.resistance += [(d.start, d.end) for d in chosen if fails_where_other_works(text, d)]
    # "ADCs with a cleavable linker ... overcame this resistance": the resistance is the
    # document's drug's, and the ADCs the sentence names are the strategy
    resisted = None
    if (
        default_drug is not None
        and default_drug.entity != GENERIC_ADC_ID
        and _THIS_RESISTANCE.search(text)
        and not any(is_prior(text, d) for d in chosen)
    ):
        resisted = [default_drug]
        chosen = [default_drug]
    designs = any(st.category in _DESIGN_CATEGORIES for st in strats)
    following = [] if designs else next_adc_slots(drugs, chosen, text, pack.cues, resisted)
    if pack.cues.find(text, "induced_resistance"):  # "bafilomycin A1 induced T-DM1 resistance"
        strats = [st for st in strats if not _partner_like(st)]
    if following:  # "T-DXd was effective in T-DM1-insensitive models": one, specific, strategy
        strats = [st for st in strats if st.category != "treatment_sequencing"] + following
    ref = None
    if not any(d.entity != GENERIC_ADC_ID for d in chosen):
        ref = model_reference(text, context, pack.cues)
        if ref is not None:  # "the resistant cell lines": the ADCs they were made resistant to
            chosen = chosen + [
                Slot("drug", ref[0], ref[1], d.name, entity=d.entity) for d in context.model_drugs
            ]
    if (
        not chosen
        and default_drug is not None
        and _takes_default_drug(frame, ctx, context)
        and not (frame.abstract and pack.cues.find(text, "other_therapy"))
    ):
        chosen = [default_drug]
    # Read strictly, a claim needs its drug (a cited title or an abstract's sentence that
    # names no ADC is not about one) and a mechanism needs the sentence's resistance angle
    # ("DS-8201a induced phosphorylation of Chk1" states how the drug works).
    angle = ctx.claims_resistance or ref is not None or context.follows_resistance
    if strict and not chosen:
        return []
    rows: list[tuple[Slot | None, Slot | None, Slot | None]] = []
    links = link_mechanisms(mechs, strats, text, ctx.overcome, pack.cues)
    for key, linked in list(links.items()):
        # an inhibited gene is the mechanism only when the text names no other one:
        # "ATR inhibitor ... in SLFN11-deficient cells" counters SLFN11 loss, not ATR
        if any(m.evident and not m.implied for m in linked):
            links[key] = [m for m in linked if not m.implied]
    for implied in implied_mechanism_slots([st for st in strats if not links.get(id(st))]):
        owner = next(st for st in strats if (st.start, st.end) == (implied.start, implied.end))
        links[id(owner)].append(implied)
    for st in following:  # the ADC that works where the other fails overcomes its mechanism
        links[id(st)] = [
            m
            for m in mechs
            if not m.implied
            and (m.evident or _resistance_reaches(text, m, ctx.resistance + ctx.association))
        ]
    linked_mechs = {id(m) for ms in links.values() for m in ms}
    for st in strats:
        for m in links.get(id(st)) or [None]:
            for d in chosen or [None]:
                rows.append((d, m, st))
    claimed = [
        m
        for m in mechs
        if not m.implied
        and id(m) not in linked_mechs
        and (m.evident or _resistance_reaches(text, m, ctx.resistance + ctx.association))
        and (angle or not frame.abstract)
    ]
    rows += [(d, m, None) for d, m in _pairs(chosen, claimed, text)]
    affirming = tuple(
        span for span in (contrast_negation(text, d) for d in chosen) if span is not None
    )
    return _claims(
        sentence,
        rows,
        pack,
        cited_refs,
        tuple(m.start for m in mechs if m.start >= 0),
        affirming,
    )


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _pairs(drugs: list[Slot], mechs: list[Slot], text: str) -> list[tuple[Slot, Slot]]:
    """Every drug with every mechanism, but "HER2 and FRα ... in these drugs, respectively"
    pairs them in order."""
    if _RESPECTIVELY.search(text) and len(drugs) == len(mechs) > 1:
        return list(zip(drugs, sorted(mechs, key=lambda m: m.start), strict=True))
    return [(d, m) for m in mechs for d in drugs]


def makes_resistance_point(
    text: str, pack: Pack, frame: Frame, mentions: list[Mention], off: int
) -> bool:
    """Whether a sentence speaks of resistance to an ADC, an overcome or a predictive
    marker."""
    therapies = therapy_spans(mentions, off, text, pack.cues)
    return _Context.of(text, pack.cues, frame, therapies).claims_resistance


def _takes_default_drug(frame: Frame, ctx: _Context, context: SentenceContext) -> bool:
    """Whether a sentence that names no drug speaks about the document's drug: in a review,
    always; in a research abstract, outside its background and aims, and only when it
    makes a resistance point itself ("Expression of MDR features predicts a poor response
    to many treatments" in a background is general knowledge, not about the paper's ADC)."""
    if not frame.abstract:
        return True
    return frame.section not in ("background", "purpose") and (
        ctx.claims_resistance or context.follows_resistance
    )


# "efficacy in HER2-low cancer, but resistance eventually develops": a contrast separates
# the status word from the resistance wording.
_CONTRAST = re.compile(r"\b(?:but|whereas|while|although|though|however|yet)\b", re.IGNORECASE)


def _resistance_reaches(text: str, m: Slot, resistance: list[tuple[int, int]]) -> bool:
    """A mechanism that is not one by its wording (a bare gene, "HER2-low") needs a
    resistance cue that no contrastive conjunction separates from it."""
    for r0, r1 in resistance:
        lo, hi = (m.end, r0) if r0 >= m.end else (r1, m.start)
        if not _CONTRAST.search(text[lo:hi]):
            return True
    return False


def _claims(
    sentence: Sentence,
    rows: list[tuple[Slot | None, Slot | None, Slot | None]],
    pack: Pack,
    cited_refs: str,
    mech_starts: tuple[int, ...] = (),
    affirming: tuple[tuple[int, int], ...] = (),
) -> list[Claim]:
    """One claim per row with at least two slots, each triple once per sentence."""
    claims: list[Claim] = []
    seen: set[str] = set()
    for d, m, st in rows:
        if sum(x is not None for x in (d, m, st)) < 2:
            continue
        others = tuple(p for p in mech_starts if m is None or p != m.start)
        claim = _make_claim(sentence, d, m, st, pack, cited_refs, others, affirming)
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
        return replace(m, entity=target, gene=target, name=f"{target} ({m.name})")
    if m.entity == "payload target" and payload_class.upper().startswith("TOP1"):
        return replace(m, entity="TOP1", gene="TOP1", name=f"TOP1 ({m.name})")
    return m


def _make_claim(
    sentence: Sentence,
    d: Slot | None,
    m: Slot | None,
    st: Slot | None,
    pack: Pack,
    cited_refs: str,
    other_mechs: tuple[int, ...] = (),
    affirming: tuple[tuple[int, int], ...] = (),
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
        mechanism=m.name if m else "",
        mechanism_category=m.category if m else "",
        mechanism_entity=m.entity if m else "",
        strategy=st.name if st else "",
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
            sentence.text,
            positions,
            pack.cues,
            sequencing=bool(st and st.entity.startswith(SEQ_PREFIX)),
            core=m.start if m is not None and m.start >= 0 else None,
            others=other_mechs,
            ignore=affirming,
        ),
        hedged=is_hedged(sentence.text, positions, pack.cues),
        extractor=f"{_rule_name(d, m, st)}@{EXTRACTOR_VERSION}",
    )
    return Claim(triple=triple, evidence=evidence)
