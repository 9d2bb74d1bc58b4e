"""Which drug a claim is about, and the drug-level strategies: sequencing, comparators.

The drug is the one the text ties to the resistance ("resistance to X", "X-resistant",
also for every conjunct of "chemotherapy and pembrolizumab-resistant"); between named
ADCs of which some are treatment history ("after T-DM1", "previously treated with SG",
"switching from T-DM1"), that history - the drug of a sequencing claim is the ADC
resisted, and the other ADC is the strategy "sequencing to <ADC>". Generic wording that
only introduces a named ADC ("the antibody-drug conjugate T-DM1") is not a second drug,
and a trial's comparator arm ("versus lapatinib plus capecitabine") is no strategy.
"""

from __future__ import annotations

import re

from pipeline.extract.slots import GENERIC_ADC_ID, Slot
from pipeline.model import Mention
from pipeline.pack.cues import CueLexicon
from pipeline.prefilter import guarded

_RESISTED_BEFORE = guarded(
    re.compile(
        r"(?:resist\w*|refractor\w*|insensitiv\w*|sensitivity|response|progression|progressing|"
        r"relapse|failure|benefit)\s+(?:to|on|of|after|following)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}"
        r"(?:[\w]+-)?(?:\(?)$",
        re.IGNORECASE,
    )
)
_RESISTED_AFTER = re.compile(
    r"^\)?[\s\-]*(?:\([^)]{1,15}\)\s*)?(?:acquired\s+)?(?:cross-)?(?:resist|refractor|failure"
    r"|progress|insensitiv)",
    re.IGNORECASE,
)


# A trial's comparator arm ("T-DM1 versus lapatinib plus capecitabine", "compared with
# physician's choice of chemotherapy", "compared favorably against chemotherapy") is the
# alternative the ADC was tested against, not a combination applied to it.
_COMPARATOR_BEFORE = re.compile(
    r"\b(?:versus|vs\.?|compared\s+(?:\w+ly\s+)?(?:with|to|against)|in\s+comparison\s+(?:with|to)|relative\s+to"
    r"|rather\s+than|instead\s+of|superior\s+to|inferior\s+to|than)\s[^;]{0,70}$",
    re.IGNORECASE,
)
_COMPARATOR_STOP = re.compile(
    r"\b(?:in\s+combination\s+with|combined\s+with|together\s+with|added\s+to)\b"
    r"|,\s*(?:and|but|while|whereas|which)\b",
    re.IGNORECASE,
)


def is_comparator(text: str, start: int) -> bool:
    """True if the partner starting at ``start`` belongs to a comparator arm."""
    found = _COMPARATOR_BEFORE.search(text[max(0, start - 90) : start])
    return bool(found) and not _COMPARATOR_STOP.search(found.group(0))


# "chemotherapy and pembrolizumab-resistant": the resistance word covers every conjunct.
_COORDINATED_RESISTED_AFTER = re.compile(
    r"^(?:\s*(?:,|and|or|/|and/or)\s*[\w\-]+){1,3}?[\s\-]*(?:resist|refractor)",
    re.IGNORECASE,
)


def is_resisted(text: str, start: int, end: int) -> bool:
    return bool(
        _RESISTED_BEFORE.search(text[max(0, start - 50) : start])
        or _RESISTED_AFTER.match(text[end : end + 40])
        or _COORDINATED_RESISTED_AFTER.match(text[end : end + 60])
    )


def appositive_generic(drugs: list[Slot], text: str) -> set[int]:
    """Generic wording that only introduces a named ADC ("the antibody-drug conjugate
    T-DM1", "ADC (T-DXd)"): ids of those generic slots."""
    out = set()
    for g in drugs:
        if g.entity != GENERIC_ADC_ID:
            continue
        for d in drugs:
            if d.entity != GENERIC_ADC_ID and re.fullmatch(r"[\s,(]*", text[g.end : d.start]):
                out.add(id(g))
    return out


# Treatment history of a named ADC: "after T-DM1", "previously treated with SG", "switching
# from T-DM1 to ...", "T-DM1-pretreated", "whose disease progressed on SG".
_PRIOR_BEFORE = guarded(
    re.compile(
        r"\b(?:prior|previous(?:ly)?(?:\s+treated\s+with)?|pre-?treated\s+with|after|following"
        r"|progress\w*\s+(?:on|after|following|during)|refractory\s+to|failure\s+(?:of|on)"
        r"|(?:switch\w*|mov\w*|chang\w*)\s+from)\s+"
        r"(?:(?!(?:to|with|and|or|versus|then)\b)[\w\-/()]+\s+){0,2}$",
        re.IGNORECASE,
    )
)
_PRIOR_AFTER = re.compile(
    r"^\)?[\s\-]*(?:pre-?treated|treated|refractory|resistant|exposed|experienced|failure)",
    re.IGNORECASE,
)


def is_prior(text: str, d: Slot) -> bool:
    """True if the text presents ``d`` as resisted or as a therapy already given."""
    return bool(
        is_resisted(text, d.start, d.end)
        or _PRIOR_BEFORE.search(text[max(0, d.start - 50) : d.start])
        or _PRIOR_AFTER.match(text[d.end : d.end + 25])
    )


# "DS-8201a, but not T-DM1, demonstrated efficacy": the drug that does not work
_BUT_NOT_BEFORE = re.compile(
    r"\bbut\s+not\s+(?:with\s+|by\s+|to\s+|in\s+|for\s+|on\s+)?(?:the\s+)?$", re.IGNORECASE
)
_BUT_NOT_AFTER = re.compile(r"^\s*(?:\([^)]{0,20}\)\s*)?,")


def but_not(text: str, d: Slot) -> bool:
    """True for the drug of "X, but not Y, ..." or "... resistance to X but not Y"."""
    return bool(_BUT_NOT_BEFORE.search(text[max(0, d.start - 20) : d.start]))


_UNLIKE_BEFORE = re.compile(r"\bunlike\s+(?:the\s+)?$", re.IGNORECASE)


def fails_where_other_works(text: str, d: Slot) -> bool:
    """In "X, but not Y, demonstrated antitumor efficacy" and "unlike Y, X was active" Y is
    the drug resisted, affirmed."""
    after = bool(_BUT_NOT_AFTER.match(text[d.end : d.end + 25]))
    unlike = bool(_UNLIKE_BEFORE.search(text[max(0, d.start - 12) : d.start]))
    return after and (but_not(text, d) or unlike)


def contrast_negation(text: str, d: Slot) -> tuple[int, int] | None:
    """The "not" of "X, but not Y, ...": it says Y fails, which affirms resistance to Y."""
    if not fails_where_other_works(text, d):
        return None
    lo = max(0, d.start - 20)
    found = _BUT_NOT_BEFORE.search(text[lo : d.start])
    at = text.find("not", lo + found.start(), d.start) if found else -1
    return (at, at + 3) if at >= 0 else None


def choose_drugs(drugs: list[Slot], text: str) -> list[Slot]:
    """The drug the claim is about: the resisted one (also every drug coordinated with it
    by "but not": "resistance to T-DXd but not SG" speaks of SG too, denied; "DS-8201a, but
    not T-DM1, demonstrated efficacy" of T-DM1); between named ADCs of which some are
    treatment history, that history (the drug of a sequencing claim is the ADC resisted:
    "T-DXd after progression on T-DM1" is about T-DM1); else every named ADC."""
    appositive = appositive_generic(drugs, text)
    drugs = [d for d in drugs if id(d) not in appositive]
    resisted = [d for d in drugs if is_resisted(text, d.start, d.end)]
    resisted += [
        d
        for d in drugs
        if d not in resisted
        and (fails_where_other_works(text, d) or (resisted and but_not(text, d)))
    ]
    if resisted:
        return resisted
    named = [d for d in drugs if d.entity != GENERIC_ADC_ID]
    prior = [d for d in named if is_prior(text, d)]
    if prior and {d.entity for d in named} - {d.entity for d in prior}:
        return prior
    return named or drugs


SEQ_PREFIX = "sequencing to "
SEQ_GENERIC = "treatment sequencing"
NEXT_PAYLOAD = "novel payload: "


# "retain sensitivity to other ADCs": another ADC, even unnamed
_ANOTHER = re.compile(
    r"\b(?:other|alternative|alternate|different|another|second|subsequent|next)\s+(?:[\w\-]+\s+){0,2}$",
    re.IGNORECASE,
)


# "a 40% response to EV": the drug that works, unless the sentence says it fails
_RESPONSE_BEFORE = re.compile(
    r"\b(?:sensitivity|response|responses|benefit)\s+(?:to|of)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _responds(text: str, d: Slot, cues: CueLexicon) -> bool:
    """True for "a response to X" in a sentence with no resistance or negation word: X is
    not resisted there, so another ADC named beside it is no strategy against it."""
    return bool(
        _RESPONSE_BEFORE.search(text[max(0, d.start - 40) : d.start])
        and not _PRIOR_BEFORE.search(text[max(0, d.start - 50) : d.start])
        and not cues.find(text, "resistance")
        and not cues.find(text, "negation")
    )


def next_adc_slots(
    drugs: list[Slot],
    chosen: list[Slot],
    text: str,
    cues: CueLexicon,
    resisted: list[Slot] | None = None,
) -> list[Slot]:
    """Another ADC that works where the resisted (or previously given) one fails is a
    strategy against that resistance (spec): given after it, treatment sequencing ("Dato-DXd
    may be effective after progression on SG", "DS-8201a ... to respond to T-DM1-insensitive
    cancers", "after progression on a TOP1-inhibitor ADC, switching to an auristatin-based
    ADC"); in models, and with another payload, a new payload ("DS-8201a was effective in a
    T-DM1-insensitive PDX model", "an anthracycline-based ADC that overcomes resistance to
    auristatin-based ADCs"). The other ADC must be said to work or to come next: a drug
    merely named beside the resisted one is not a strategy. ``resisted``: the drug the
    sentence's resistance is about when it does not name it ("overcoming this resistance")."""
    if resisted is None:
        resisted = [
            d
            for d in chosen
            if (is_prior(text, d) and not _responds(text, d, cues))
            or fails_where_other_works(text, d)
        ]
    if not resisted:
        return []
    taken = {d.entity for d in resisted if d.entity != GENERIC_ADC_ID}
    others = [
        d
        for d in drugs
        if d not in resisted
        and d.entity not in taken
        and (
            d.entity != GENERIC_ADC_ID
            or d.category.startswith("payload")
            or _ANOTHER.search(text[max(0, d.start - 40) : d.start])
        )
        and not but_not(text, d)
    ]
    if not others or not (cues.find(text, "works") or cues.find(text, "combination")):
        return []
    o = others[0]
    clinical = bool(cues.find(text, "clinical"))
    # a drug slot's category is its payload class (a named ADC) or qualifier (a class); a
    # class switched to after progression is sequencing (spec: "switch payload class")
    if (o.entity == GENERIC_ADC_ID and o.category.startswith("payload") and not clinical) or (
        o.entity != GENERIC_ADC_ID
        and not clinical
        and o.category not in {d.category for d in resisted}
    ):
        name = f"{NEXT_PAYLOAD}{text[o.start : o.end] if o.entity == GENERIC_ADC_ID else o.name}"
        return [Slot("strat", o.start, o.end, name, "novel_or_dual_payload", name, evident=True)]
    name = f"{SEQ_PREFIX}{o.name}"
    return [Slot("strat", o.start, o.end, name, "treatment_sequencing", name, evident=True)]


# "prior BCMA exposure", "previous HER2-directed therapy": a therapy against the same antigen
_PRIOR_TARGET_BEFORE = re.compile(
    r"\b(?:prior|previous(?:ly)?|after|following)\s+(?:[\w\-]+\s+){0,2}?$", re.IGNORECASE
)
_TARGET_THERAPY_AFTER = re.compile(
    r"^[\s\-]*(?:(?:directed|targeted|targeting)\s+)?(?:exposure|therap(?:y|ies)|treatment|"
    r"agents?|directed|targeted)\b",
    re.IGNORECASE,
)


def prior_target_slots(
    mentions: list[Mention], chosen: list[Slot], text: str, offset: int, targets: dict
) -> list[Slot]:
    """The ADC given after a therapy against its own antigen ("In patients with prior BCMA
    exposure, the ORR to belantamab mafodotin was 29%") is treatment sequencing."""
    antigens = {targets[d.entity][0] for d in chosen if d.entity in targets}
    for m in mentions:
        s, e = m.char_start - offset, m.char_end - offset
        if (
            m.type == "GENE"
            and m.canonical.upper() in antigens
            and _PRIOR_TARGET_BEFORE.search(text[max(0, s - 30) : s])
            and _TARGET_THERAPY_AFTER.match(text[e : e + 30])
        ):
            name = f"after prior {m.canonical.upper()}-directed therapy"
            return [Slot("strat", s, e, name, "treatment_sequencing", SEQ_GENERIC, evident=True)]
    return []
