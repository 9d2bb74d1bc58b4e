"""Candidate triple slots from one sentence's normalised mentions: drugs and genes.

A gene on its own is not a mechanism: it becomes one through a cue next to it ("CD30
downregulation", "loss of SLFN11"), through its default role in resistance (the
``mechanism_category`` and ``group`` of ``genes.tsv``: ABCB1 -> drug_efflux), or it
becomes a *strategy target* when it is inhibited ("Inhibition of MDR1", "targeting PLK1").
A target antigen (role ``antigen``) needs an explicit loss/heterogeneity cue, so
"HER2-positive" never reads as antigen loss. All offsets here are relative to the sentence
text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.contrast import Contrast
from pipeline.extract.negation import negation_cues
from pipeline.model import GENERIC_ADC, MECHANISM_CATEGORIES, STRATEGY_CATEGORIES, Mention
from pipeline.pack import Pack
from pipeline.prefilter import guarded

GENERIC_ADC_ID = "adcclass:generic"


@dataclass(frozen=True)
class Slot:
    """One candidate slot value found in a sentence."""

    kind: str  # "drug" | "mech" | "strat"
    start: int
    end: int
    name: str  # display value of the slot (Triple.drug / .mechanism / .strategy)
    category: str = ""
    entity: str = ""  # HGNC symbol, partner-drug INN, design phrase; drug id for drugs
    gene: str = ""  # HGNC symbol when the slot is about a gene
    implied: bool = False  # mechanism implied by an inhibited gene ("Inhibition of MDR1")
    # A resistance mechanism / counter-strategy by its very wording ("drug efflux", "CD30
    # downregulation", "bispecific ADC"), so it needs no separate resistance cue; a bare
    # gene ("PTEN") or a partner drug ("bevacizumab") is not.
    evident: bool = False
    # where the text's own words for the slot are, when wider than the slot ("Inhibition
    # of MDR1" for the strategy on the gene "MDR1")
    words: tuple[int, int] | None = None
    # whether the text denies the claim, where the reading decides it rather than the
    # sentence's negation words ("patients with no HER2 expression responded well")
    negated: bool | None = None


# Treatment history, not a counter-strategy: "after PD-1 inhibitors", "prior chemotherapy".
PRIOR_THERAPY = re.compile(
    r"\b(?:prior|previous(?:ly)?|pre-?treated|after|following|received|receiving|progress\w*"
    r"\s+on|refractory\s+to|fail(?:ed|ing|ure\s+of)(?:\s+at\s+least)?)\b(?:\s+[\w\-/()]+){0,4}\s*$"
    r"|\bpost-$",
    re.IGNORECASE,
)
_STATUS_COMPOUND = re.compile(
    r"^[\-\u2010\u2011](?:mutated|mutant|amplified|positive|negative|overexpressing|driven)",
    re.IGNORECASE,
)
_INHIBIT_BEFORE = guarded(
    re.compile(
        r"(?:inhibit\w*|inhibition\s+of|blockade\s+of|blocking|block|targeting|antagonis\w*"
        r"|knock(?:down|out|ing\s+down)\s+of|silencing(?:\s+of)?|suppress\w*|depletion\s+of"
        r"|degrad\w*)\s+(?:the\s+)?(?:\w+\s+){0,1}$",
        re.IGNORECASE,
    )
)
# Genetic loss of function (knockdown, knockout, siRNA/shRNA, CRISPR) is an experiment, a
# method, never a counter-strategy: "knockout of SLFN11 conferred resistance" shows SLFN11
# loss is a mechanism; "knockdown of YES1 restored sensitivity" shows YES1 is one.
_GENETIC_BEFORE = guarded(
    re.compile(
        r"(?:knock(?:down|out|ing\s+down|ing\s+out)|silencing|depletion|deletion"
        r"|(?:si|sh)RNAs?|CRISPR(?:/Cas9)?)(?:[\s\-]+mediated)?\s+"
        r"(?:of\s+|against\s+|targeting\s+|to\s+)?(?:the\s+)?$",
        re.IGNORECASE,
    )
)
_GENETIC_AFTER = re.compile(
    r"^[\s\-]*(?:knock(?:down|out|ed\s+down|ed\s+out)|silencing|depletion|deletion"
    r"|(?:si|sh)RNAs?|CRISPR)\b",
    re.IGNORECASE,
)
# "HER2 expression was retained", "TROP2 levels remained unaffected": the antigen was not
# lost - an antigen-loss claim the text denies (spec: "HER2 remained amplified").
KEPT_AFTER = re.compile(
    r"^[\s\-]*(?:(?:surface|membranous|membrane|protein|mRNA)\s+)?"
    r"(?:(?:expression|levels?|status|amplification|positivity|copy\s+number)\s+)?"
    r"(?:and\s+(?:[\w\-]+\s+){1,5}?)?"
    r"(?:was|were|is|are|remained|remains|stayed)\s+(?:\w+\s+)?(?:retained|preserved|maintained"
    r"|unchanged|unaffected|unaltered|intact|stable|detectable|expressed|amplified)\b",
    re.IGNORECASE,
)
_RESTORES = guarded(
    re.compile(r"re-?sensiti[sz]|\bsensiti[sz]|restor|recover|overcom|revers|rescu", re.I)
)
_INHIBIT_AFTER = re.compile(
    r"^[\s\-]*(?:kinase\s+|pathway\s+|activity\s+)?(?:inhibit\w*|blockade|blocker\w*|antagonis\w*"
    r"|-?targeted\s+(?:therap\w*|agents?|drugs?|inhibitors?)|knockdown|silencing|degrader\w*)",
    re.IGNORECASE,
)
_ADC_WORDS = re.compile(r"\b(?:ADCs?|conjugates?|antibod\w*|biparatopic|bispecific)\b", re.I)
ANTIGEN_OF_ADC_AFTER = re.compile(
    r"^[\s\-]*(?:targeting|targeted|directed|specific|positive\s+)?\s*"
    r"(?:ADCs?|antibod\w*|(?:antibody[\s-]+)?drug\s+conjugates?|conjugates?)\b"
    r"|^[\s\-]*(?:targeting|targeted|directed)\s+(?:therap(?:y|ies)|agents?|drugs?|treatments?)\b",
    re.IGNORECASE,
)
_STATUS_AFTER = re.compile(
    r"^(?:[\s\-]|\u2013)?(?:positive|negative|low|ultralow|high|overexpressing|over-expressing"
    r"|amplified|expressing|mutant|mutated|enriched|\+|status)",
    re.IGNORECASE,
)
_ANTIGEN_STATUS_AFTER = re.compile(
    r"^(?:[\s\-\u2010\u2011]|\u2013)?(?:low|ultralow|negative|null|loss|non-?amplified"
    r"|non-?expressing)\b"
    r"|^\s+(?:(?:surface|membranous|membrane|protein)\s+)?expression\s+(?:\w+\s+){0,2}"
    r"(?:decreas\w*|reduc\w*|declin\w*|los[est]\w*|diminish\w*|downregulat\w*|heterogene\w*"
    r"|variab\w*|absent)",
    re.IGNORECASE,
)
_ANTIGEN_LOSS_BEFORE = re.compile(
    r"(?:loss|lack|lacked|lacking|absence|absent|downregulation|down-regulation|low|reduced"
    r"|decreased|reduction|decrease|decline)\s+(?:of\s+|in\s+)?(?:the\s+)?(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)
# "via CDK1-dependent phosphorylation": the gene carries a strategy's effect (spec).
_EFFECT_BEFORE = re.compile(r"\b(?:via|through)\s+(?:the\s+)?$", re.IGNORECASE)
_EFFECT_AFTER = re.compile(r"^[\-\u2010\u2011\s]*(?:dependent|mediated|driven)\b", re.IGNORECASE)
# "overexpression of TROP2 conferred Dato-DXd activity": adding the gene back restores the
# drug, so its loss is the mechanism (the converse of a knockdown that restores it).
_RESTORED_BEFORE = re.compile(
    r"(?:over-?expression|re-?expression|reintroduc\w*|ectopic\s+expression|forced\s+expression"
    r"|transfect\w*|restor\w*)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CONFERS_ACTIVITY = re.compile(
    r"\b(?:conferred|confers|restored|restores|rescued|re-?sensiti[sz]ed|increased|enhanced)\b"
    r"[^.;]{0,50}\b(?:activity|sensitivity|response|efficacy|killing|cytotoxicity)",
    re.IGNORECASE,
)
# "Δex2 isoforms ... of CD22 transcripts" in a non-responder: an altered antigen.
_ANTIGEN_ALTERED_NEAR = re.compile(
    r"isoforms?|splic\w*|exon|skipping|variants?|\bdim\b|truncat\w*|mutat\w*|coding\s+change"
    r"|polymorphism|\bSNPs?\b",
    re.IGNORECASE,
)
_MARKER_AFTER = re.compile(
    r"^[\s\-]*(?:(?:surface|membranous|membrane|protein|mRNA|RNA|gene|transcript)\s+)?"
    r"(?:expression|levels?|status|positivity|amplification|copy\s+number|activity)\b",
    re.IGNORECASE,
)
# "HER2-low MBC", "low HER2-expressing cancers": up to three words before a disease noun
_FEW_WORDS = re.compile(r"[\s\-\u2010\u2011]*(?:[A-Za-z]+[\s\-\u2010\u2011]+){0,3}")
# "inhibitors and siRNA knockdown of ABCG2": the genes are inhibited too
_INHIBITORS_AND = re.compile(
    r"\binhibitors?\s+(?:and|or|as\s+well\s+as)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
# "ABCC1 protein levels" (not "ABCC1 protein or reduced Her2": a conjunction ends the gap)
_GAP_AFTER = re.compile(
    r"^[\s\-/\u2013]*(?:(?!(?:or|and|but|nor|versus|vs)\b)[\w\-]+\s+){0,2}$", re.IGNORECASE
)
_GAP_BEFORE = re.compile(r"^\s+(?:of|in|on)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
_COORD = re.compile(r"^\s*(?:,|/|and/or|or|and|,\s*and|,\s*or)\s*$", re.IGNORECASE)


def gene_role(m: Mention, pack: Pack) -> tuple[str, str]:
    """(default mechanism category, role) of a gene mention, from the pack's gene table;
    for a gene the table lacks, NER's category hint (if any)."""
    symbol = m.canonical.upper()
    table = pack.gene_roles
    if symbol in table:
        return table[symbol]
    if m.category in MECHANISM_CATEGORIES:
        return m.category, "antigen" if m.category == "antigen_loss" else "ner"
    return "", ""


_CATEGORY_NAMES = frozenset(MECHANISM_CATEGORIES) | frozenset(STRATEGY_CATEGORIES)


def phrase(m: Mention) -> str:
    """The display text of a cue mention: its canonical name unless that is only the
    category, else the surface text (lower-cased, whitespace-normalised)."""
    if m.canonical and m.canonical not in _CATEGORY_NAMES:
        return m.canonical
    return display_words(m.text)


def display_words(text: str) -> str:
    """Text as a slot displays it: whitespace collapsed, a capital that only starts a
    sentence lowered ("Tumor" -> "tumor"), meaningful case kept ("TME", "TAMs", "T")."""
    return " ".join(_display_word(w, i) for i, w in enumerate(text.split()))


def _display_word(word: str, index: int) -> str:
    """Lower-case a word unless its case carries meaning: "TME", "TAMs", "T" in
    "regulatory T cells", "Her2", "P-gp" stay; a sentence-initial capital ("Tumor") goes."""
    if (
        any(c.isupper() for c in word[1:])
        or (len(word) == 1 and index > 0)
        or any(c.isdigit() for c in word)
        or re.match(r"^[A-Z]-", word)
    ):
        return word
    return word.lower()


def entity_of(m: Mention, pack: Pack) -> str:
    """The specific entity (part of the triple key) of a cue mention: the cue table's
    canonical phrase, so "TME", "tumour microenvironment" and "tumor microenvironment"
    are one entity while the slot's display text keeps the wording."""
    if m.canonical and m.canonical not in _CATEGORY_NAMES:
        return m.canonical
    return pack.cue_canonical(m.type, m.text)


def symbol_of(m: Mention) -> str:
    return m.canonical.upper() if m.entity_id.startswith("hgnc:") else m.canonical


def _coordinated_groups(genes: list[Mention], text: str, offset: int) -> list[list[Mention]]:
    """Genes joined by 'or'/'and'/','/'/' ("HER2 or TROP2 expression") share one cue."""
    groups: list[list[Mention]] = []
    for g in genes:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.char_end - offset : g.char_start - offset]
            if _COORD.match(gap):
                groups[-1].append(g)
                continue
        groups.append([g])
    return groups


_PATHWAY_AFTER = re.compile(r"^[\s\-\u2010\u2011]*(?:pathways?|signal\w*|axis|cascade)\b", re.I)


def _pathway(group: list[Mention], text: str, offset: int, pack: Pack) -> Slot | None:
    """Genes joined by slashes and named as a pathway ("PI3K/AKT/mTOR pathway
    activation") are one mechanism, the pathway, not one per gene."""
    if len(group) < 2:
        return None
    s, e = group[0].char_start - offset, group[-1].char_end - offset
    joined = text[s:e]
    gaps = [
        text[a.char_end - offset : b.char_start - offset]
        for a, b in zip(group, group[1:], strict=False)
    ]
    if any(g.strip() != "/" for g in gaps) or not _PATHWAY_AFTER.match(text[e : e + 20]):
        return None
    category = gene_role(group[0], pack)[0] or "bypass_signaling"
    tail = _PATHWAY_AFTER.match(text[e : e + 20]).group(0).strip(" -")
    name = f"{joined} {tail}"
    return Slot("mech", s, e, name, category, name.lower(), evident=False)


def _cue_for_group(
    group: list[Mention], cues: list[Mention], text: str, offset: int
) -> Mention | None:
    """The mechanism cue right after the last gene or right before the first one."""
    first, last = group[0], group[-1]
    best: tuple[int, Mention] | None = None
    for c in cues:
        if c.char_start < last.char_end and first.char_start < c.char_end:
            dist = 0  # the cue span covers the gene ("MDR1 upregulation" as one cue)
        elif c.char_start >= last.char_end:
            gap = text[last.char_end - offset : c.char_start - offset]
            if len(gap) <= 30 and _GAP_AFTER.match(gap):
                dist = len(gap)
            else:
                continue
        elif c.char_end <= first.char_start:
            gap = text[c.char_end - offset : first.char_start - offset]
            if len(gap) <= 30 and (_GAP_BEFORE.match(gap) or not gap.strip()):
                dist = len(gap)
            else:
                continue
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, c)
    return best[1] if best else None


def strategy_category(m: Mention, pack: Pack) -> str:
    if m.category in STRATEGY_CATEGORIES:
        return m.category
    return pack.partner_strategy_category(m.canonical, m.text)


PAYLOAD_CLASS_AFTER = re.compile(
    r"^[\s\-\u2010\u2011]*(?:based\s+|containing\s+|bearing\s+)?(?:ADCs?|(?:antibody[\s\-]+)?"
    r"(?:drug[\s\-]+)?conjugates?)\b",
    re.IGNORECASE,
)
_ANTIBODY_BEFORE = re.compile(r"antibody[\s\-\u2010\u2011]*$", re.IGNORECASE)
_ADC_WORDING = guarded(
    re.compile(r"\bantibody[\s\-\u2010\u2011]+drug\s+conjugates?\b|\bADCs?\b", re.IGNORECASE)
)


def drug_slots(mentions: list[Mention], offset: int, text: str = "") -> list[Slot]:
    """Drugs named in the sentence: ADCs, ADC classes ("DXd-based ADC", "antibody-exatecan
    conjugates"), and the wording "antibody-drug conjugate"/"ADC" where NER found none."""
    out = []
    for m in mentions:
        if m.type != "PAYLOAD" or not text:
            continue
        s, e = m.char_start - offset, m.char_end - offset
        if PAYLOAD_CLASS_AFTER.match(text[e : e + 40]) or _ANTIBODY_BEFORE.search(text[:s]):
            out.append(
                Slot("drug", s, e, GENERIC_ADC, f"payload:{m.canonical}", entity=GENERIC_ADC_ID)
            )
    for m in mentions:
        # the category of a drug slot: a named ADC's payload class, a class's qualifier
        # ("payload:DXd", "target:ERBB2"), so that a switch of payload can be told
        if m.type == "ADC" and m.entity_id != GENERIC_ADC_ID:
            s, e = m.char_start - offset, m.char_end - offset
            out.append(Slot("drug", s, e, m.canonical, m.category, entity=m.entity_id))
        elif m.type in ("ADC_CLASS", "ADC"):
            s, e = m.char_start - offset, m.char_end - offset
            out.append(Slot("drug", s, e, GENERIC_ADC, m.category, entity=GENERIC_ADC_ID))
    if not out and text:
        for w in _ADC_WORDING.finditer(text):
            out.append(Slot("drug", w.start(), w.end(), GENERIC_ADC, entity=GENERIC_ADC_ID))
    return out


def names_population(after: str, pack: Pack) -> bool:
    """Whether the words after a gene name who is treated: "-low MBC", "-positive breast
    cancer", "-expressing cancers" (up to three words, then a disease noun)."""
    disease = pack.cues.find(after, "disease")
    return bool(disease) and bool(_FEW_WORDS.fullmatch(after[: disease[0][0]]))


@dataclass(frozen=True)
class GeneReading:
    """What a sentence says beyond its cue words, for its bare genes."""

    contrast: Contrast | None = None  # "higher in sensitive models"
    associated: bool = False  # a marker tied to an outcome ("associated with shorter PFS")
    resistant: bool = False  # a resistance cue ("non-responder", "during relapse")
    targets: frozenset[str] = frozenset()  # the antigens of the ADCs the sentence names
    despite: tuple[tuple[int, int], ...] = ()  # "active regardless of HER2 expression"


PLAIN = GeneReading()


def _inhibition_slot(
    symbol: str,
    category: str,
    s: int,
    e: int,
    pack: Pack,
    gene_span: tuple[int, int] | None = None,
) -> Slot:
    """The strategy of inhibiting a resistance gene: efflux inhibition for a pump, else the
    partner category of the gene ("combination_targeted_therapy" by default); ``s``-``e``
    are the strategy's words, ``gene_span`` the gene's (default: the same)."""
    strat_cat = (
        "efflux_inhibition"
        if category == "drug_efflux"
        else (pack.partner_strategy_category(symbol) or "combination_targeted_therapy")
    )
    g0, g1 = gene_span or (s, e)
    name = f"{symbol} inhibition"
    return Slot("strat", g0, g1, name, strat_cat, name, gene=symbol, evident=True, words=(s, e))


def _modifies_process(gene: Mention, cues: list[Mention], after: str, offset: int) -> bool:
    """Whether ``gene`` only qualifies the mechanism cue that follows it ("mTOR-dependent
    lysosomal processing", "RAB7-mediated trafficking")."""
    effect = _EFFECT_AFTER.match(after)
    if effect is None:
        return False
    end = gene.char_end + effect.end()
    return any(end <= c.char_start <= end + 2 and c.category in MECHANISM_CATEGORIES for c in cues)


def gene_slots(
    mentions: list[Mention], text: str, offset: int, pack: Pack, reading: GeneReading = PLAIN
) -> tuple[list[Slot], list[Slot], set[int]]:
    """(mechanism slots, strategy slots, ids of consumed cue mentions) from genes + cues."""
    genes = [m for m in mentions if m.type == "GENE"]
    cues = [m for m in mentions if m.type == "MECHANISM"]
    mechs: list[Slot] = []
    strats: list[Slot] = []
    used: set[int] = set()
    restores = bool(_RESTORES.search(text))
    for group in _coordinated_groups(genes, text, offset):
        pathway = _pathway(group, text, offset, pack)
        if pathway is not None:  # "PI3K/AKT/mTOR pathway activation": one mechanism
            mechs.append(pathway)
            continue
        cue = _cue_for_group(group, cues, text, offset)
        lead = group[0].char_start - offset  # "knockdown of ABCG2 and ABCC2": both genes
        for g in group:
            s, e = g.char_start - offset, g.char_end - offset
            before, after = text[max(0, s - 40) : s], text[e : e + 40]
            if g is not group[0]:
                before = text[max(0, lead - 40) : lead]
            symbol = symbol_of(g)
            category, role = gene_role(g, pack)
            if symbol in reading.targets:  # HER3 for HER3-DXd: that drug's antigen
                category, role = "antigen_loss", "antigen"
            if ANTIGEN_OF_ADC_AFTER.match(after):
                continue  # "HER2-targeting ADC", "HER2-targeted therapy": a drug class
            if _EFFECT_BEFORE.search(before) and _EFFECT_AFTER.match(after):
                continue  # "via CDK1-dependent phosphorylation": the strategy's effect
            if _modifies_process(g, cues, after, offset):
                continue  # "mTOR-dependent lysosomal processing": the process is the mechanism
            if category and _RESTORED_BEFORE.search(before) and _CONFERS_ACTIVITY.search(text):
                loss = "antigen_loss" if role in ("antigen", "antigen_signalling") else category
                mechs.append(
                    Slot("mech", s, e, f"{g.text} loss", loss, symbol, gene=symbol, evident=True)
                )
                continue
            genetic = _GENETIC_BEFORE.search(before)
            if genetic or _GENETIC_AFTER.match(after):
                if category:  # knockdown restoring sensitivity: the gene drives resistance
                    name = symbol if restores else f"{symbol} loss"
                    mechs.append(
                        Slot("mech", s, e, name, category, symbol, gene=symbol, evident=True)
                    )
                also = genetic and _INHIBITORS_AND.search(before[: genetic.start()])
                if also and restores and role != "antigen":  # "inhibitors and siRNA of X"
                    strats.append(_inhibition_slot(symbol, category, s, e, pack))
                continue
            inhibited = _INHIBIT_BEFORE.search(before) or _INHIBIT_AFTER.match(after)
            if inhibited and _STATUS_COMPOUND.match(after):
                inhibited = None  # "inhibited the YES1-amplified cell line": not the gene
            if inhibited and _INHIBIT_BEFORE.search(before) and "target" in before[-12:].lower():
                if _ADC_WORDS.search(before):
                    inhibited = None  # "an ADC targeting HER2": the antigen, not an inhibitor
            if inhibited and PRIOR_THERAPY.search(before):
                continue  # "after PD-L1 inhibitors": treatment history
            if inhibited and role == "payload_target":
                continue  # "TOP1 inhibitors" names a payload class, not a partner therapy
            if inhibited and role != "antigen":
                # the strategy's words: "Inhibition of MDR1", "MDR1 inhibitors"
                before_match = _INHIBIT_BEFORE.search(before)
                after_match = _INHIBIT_AFTER.match(after)
                s0 = s - (len(before) - before_match.start()) if before_match else s
                e0 = e + after_match.end() if after_match and not before_match else e
                strats.append(_inhibition_slot(symbol, category, s0, e0, pack, (s, e)))
                if category and role not in ("antigen", "dna_repair", "immune", "tme"):
                    # the inhibited gene drives resistance (ABCB1, PLK1, BCL2), so it is the
                    # mechanism too; a DNA-repair partner target (PARP, ATR: synthetic
                    # lethality) or an immune/TME target (CD47, cathepsin L) is not
                    mechs.append(
                        Slot("mech", s, e, symbol, category, symbol, gene=symbol, implied=True)
                    )
                continue
            if cue is not None:
                cue_cat = cue.category if cue.category in MECHANISM_CATEGORIES else ""
                # a short form the document defines reads as its long form ("HET" for
                # "HER2 heterogeneity")
                is_loss = (
                    bool(pack.cues.find(cue.text, "loss_word"))
                    or bool(pack.cues.find(cue.canonical, "loss_word"))
                    or cue_cat == "antigen_loss"
                )
                c0, c1 = cue.char_start - offset, cue.char_end - offset
                if any(n0 < c1 and c0 < n1 for n0, n1 in negation_cues(text, pack.cues)) or (
                    KEPT_AFTER.match(text[c1 : c1 + 60])
                ):
                    is_loss = True  # "HER2 remained amplified": antigen loss, denied
                if role == "antigen" and not is_loss:
                    continue
                if role in ("antigen", "antigen_signalling") and is_loss:
                    category = "antigen_loss"
                category = category or cue_cat
                if not category:
                    continue
                used.add(id(cue))
                # "EGFR-mutated NSCLC", "HER2-amplified": a disease subtype, not by itself
                # a resistance claim (it still is one with a resistance cue)
                evident = not (_STATUS_COMPOUND.match(after) and cue.char_start - offset == e + 1)
                lo = min(g.char_start, cue.char_start) - offset
                hi = max(g.char_end, cue.char_end) - offset
                mechs.append(
                    Slot(
                        "mech",
                        lo,
                        hi,
                        f"{symbol} {phrase(cue)}".strip(),
                        category,
                        symbol,
                        gene=symbol,
                        evident=evident,
                    )
                )
                continue
            if role in ("antigen", "antigen_signalling"):
                status = (
                    _ANTIGEN_STATUS_AFTER.match(after)
                    or _ANTIGEN_LOSS_BEFORE.search(before)
                    or KEPT_AFTER.match(text[e : e + 60])
                )
                if status and names_population(after, pack):
                    continue  # "HER2-low MBC", "low HER2-expressing cancers": a population
                if status:
                    # "HER2-low", "NECTIN-4 expression frequently decreases", "loss of TROP2":
                    # antigen loss, a claim only with a resistance or selection context
                    mechs.append(
                        Slot(
                            "mech",
                            s,
                            e,
                            f"{symbol} {status.group(0).strip(' -')}",
                            "antigen_loss",
                            symbol,
                            gene=symbol,
                        )
                    )
                    continue
            if role == "antigen" and re.search(r"p95|truncat", g.text, re.IGNORECASE):
                mechs.append(
                    Slot("mech", s, e, g.text, "antigen_loss", symbol, gene=symbol, evident=True)
                )
                continue
            contrast = reading.contrast
            if category and contrast is not None and contrast.near(s, e):
                lost = contrast.lost_in_resistance(s)
                if role in ("antigen", "antigen_signalling"):
                    if not lost:
                        continue  # more antigen in resistance is no antigen loss
                    category = "antigen_loss"
                name = f"{g.text} {'lower' if lost else 'higher'} in resistance"
                mechs.append(Slot("mech", s, e, name, category, symbol, gene=symbol, evident=True))
                continue
            if category and any(d0 <= s and e <= d1 for d0, d1 in reading.despite):
                # "activity across a broad range of HER3 expression": the drug works
                # whatever the gene does (a claim the text denies, see negation)
                if role in ("antigen", "antigen_signalling"):
                    category = "antigen_loss"
                mechs.append(Slot("mech", s, e, g.text, category, symbol, gene=symbol))
                continue
            marker = _MARKER_AFTER.match(after)
            if category and reading.associated and (marker or role == "antigen"):
                # "CD33 expression and clinical outcome", "HER2 status and rwPFS2", "TROP2
                # as a response determinant"
                if role in ("antigen", "antigen_signalling"):
                    category = "antigen_loss"
                name = f"{g.text}{marker.group(0)}" if marker else g.text
                mechs.append(Slot("mech", s, e, name, category, symbol, gene=symbol))
                continue
            if (
                role == "antigen"
                and reading.resistant
                and _ANTIGEN_ALTERED_NEAR.search(text[max(0, s - 40) : e + 40])
            ):
                mechs.append(Slot("mech", s, e, g.text, "antigen_loss", symbol, gene=symbol))
                continue
            if role in ("", "antigen") or _STATUS_AFTER.match(after):
                continue
            mechs.append(Slot("mech", s, e, symbol, category, symbol, gene=symbol))
    return mechs, strats, used
