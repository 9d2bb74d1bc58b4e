"""Pure algorithms behind the spaCy components: candidates in, chosen candidates out.

No spaCy objects here (token indices and strings only), so each rule is unit-tested on
plain tuples, as scispacy tests ``find_abbreviation``.

Layers: mentions of one layer never overlap; mentions of different layers may.
``core`` = ADC, GENE, DRUG, PAYLOAD, OTHER; ``class`` = ADC_CLASS, DRUG_CLASS;
``cue`` = MECHANISM, STRATEGY. So "HER2-targeting ADCs" is one ADC_CLASS mention and
also holds the GENE mention "HER2"; "bispecific ADCs" is a STRATEGY cue plus an ADC_CLASS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.prefilter import fold

LAYER_OF_TYPE = {
    "ADC": "core",
    "GENE": "core",
    "DRUG": "core",
    "PAYLOAD": "core",
    "OTHER": "core",
    "ADC_CLASS": "class",
    "DRUG_CLASS": "class",
    "MECHANISM": "cue",
    "STRATEGY": "cue",
}
# Which candidate wins a tie on span length.
TYPE_PRIORITY = {
    "ADC": 0,
    "ADC_CLASS": 0,
    "GENE": 1,
    "DRUG_CLASS": 1,
    "DRUG": 2,
    "PAYLOAD": 3,
    "MECHANISM": 1,
    "STRATEGY": 2,
    "OTHER": 9,
}
SOURCE_RANK = {"pack": 0, "abbreviation": 1, "rule": 2, "model": 3}
MODEL_RANK = SOURCE_RANK["model"]


class Candidate(NamedTuple):
    """A typed, normalised token span [start, end) (a tuple: cheap to make and hash)."""

    start: int
    end: int
    type: str
    entity_id: str
    source: str  # pack | abbreviation | rule | model

    @property
    def layer(self) -> str:
        return LAYER_OF_TYPE.get(self.type, "core")

    @property
    def length(self) -> int:
        return self.end - self.start


def overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def resolve_layer(cands: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping choice within one layer.

    Pack, abbreviation and rule candidates beat model candidates whatever their length
    (the pack wins on overlap); then the longest span wins; then the type priority. A
    candidate on exactly the span of a chosen one, of the same type and source, is kept
    too: one alias may name two entities ("Bcl-2/xL" -> BCL2 and BCL2L1).
    """
    ordered = sorted(
        set(cands),
        key=lambda c: (
            SOURCE_RANK.get(c.source, MODEL_RANK) >= MODEL_RANK,
            -c.length,
            TYPE_PRIORITY.get(c.type, 9),
            SOURCE_RANK.get(c.source, MODEL_RANK),
            c.start,
            c.entity_id,
        ),
    )
    chosen: list[Candidate] = []
    at_span: dict[tuple[int, int], Candidate] = {}  # first choice per exact span
    taken: set[int] = set()  # token positions covered by a chosen candidate
    for c in ordered:
        first = at_span.get((c.start, c.end))
        if first is not None:
            if (first.type, first.source) == (c.type, c.source):
                chosen.append(c)
            continue
        if taken.isdisjoint(range(c.start, c.end)):
            chosen.append(c)
            at_span[(c.start, c.end)] = c
            taken.update(range(c.start, c.end))
    return sorted(chosen, key=lambda c: (c.start, c.end, c.type, c.entity_id))


def resolve(cands: Iterable[Candidate]) -> list[Candidate]:
    """:func:`resolve_layer` applied to each layer separately."""
    by_layer: dict[str, list[Candidate]] = {}
    for c in cands:
        by_layer.setdefault(c.layer, []).append(c)
    out: list[Candidate] = []
    for layer in sorted(by_layer):
        out.extend(resolve_layer(by_layer[layer]))
    return sorted(out, key=lambda c: (c.start, c.end, c.type, c.entity_id))


def inn_pattern(suffixes: Iterable[str]) -> re.Pattern[str]:
    """Text regex for a two-word ADC INN: "<...>mab <...suffix>" ("zilovertamab vedotin",
    "trastuzumab-deruxtecan"), case-insensitive."""
    alts = "|".join(sorted((re.escape(s) for s in suffixes), key=len, reverse=True))
    return re.compile(rf"\b[a-z]{{3,}}mab[ \-][a-z]*(?:{alts})\b", re.IGNORECASE)


def drug_stem_pattern(stems: Iterable[str]) -> re.Pattern[str]:
    """Text regex for one word ending in a drug INN stem ("osimertinib", "carboplatin")."""
    alts = "|".join(sorted((re.escape(s) for s in stems), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])[A-Za-z][a-z]+(?:{alts})(?![\w-])")


class StemWords:
    """The matches of :func:`drug_stem_pattern`, found from where the stems occur.

    The pattern tries every stem at every split of every word. Its matches are whole words
    (no word character or hyphen either side) of ASCII letters, lower case but for the
    first, ending in a stem after at least two letters: so each occurrence of a stem
    (``str.find``) that ends a word is read back to the word's start and tested once.
    """

    _WORDISH = re.compile(r"[\w-]")

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = tuple(sorted(set(stems)))
        # a stem of other characters than a-z would change which words match: no shortcut
        plain = not self.stems or not all(re.fullmatch("[a-z]+", s) for s in self.stems)
        self.plain = drug_stem_pattern(self.stems) if plain else None

    def _free(self, text: str, i: int) -> bool:
        """No word character or hyphen at ``i`` (outside the text counts as free)."""
        return i < 0 or i >= len(text) or self._WORDISH.match(text, i) is None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every match, in text order."""
        if self.plain is not None:
            return [m.span() for m in self.plain.finditer(text)]
        found: set[tuple[int, int]] = set()
        for stem in self.stems:
            at = text.find(stem)
            while at >= 0:
                end = at + len(stem)
                if self._free(text, end):
                    start = at
                    while start > 0 and "a" <= text[start - 1] <= "z":
                        start -= 1
                    if start > 0 and "A" <= text[start - 1] <= "Z":
                        start -= 1
                    # [A-Za-z][a-z]+ before the stem; the stem's letters may be read as
                    # part of that prefix, so a word is kept once, by its span
                    if at - start >= 2 and self._free(text, start - 1):
                        found.add((start, end))
                at = text.find(stem, at + 1)
        return sorted(found)


class AnchoredPattern:
    """``pattern.finditer`` tried only where a match can start, found from a literal every
    match contains (``str.find`` over the folded text, :func:`pipeline.prefilter.fold`).

    Each anchor is (literal, ``back``): with ``back`` None a match starts at the literal;
    otherwise a match starts where the run of characters ``back`` matches, read back
    from the literal, begins (the patterns put ``\\b`` or a lookbehind there, so a match
    cannot start inside that run). A pattern that does not match at a candidate start
    matches at no start between it and the next, so the same matches come out, in order.
    """

    def __init__(
        self, pattern: re.Pattern[str], anchors: tuple[tuple[str, re.Pattern[str] | None], ...]
    ) -> None:
        self.pattern = pattern
        self.anchors = anchors

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        key = fold.__wrapped__(text)  # a whole document: not for fold's sentence cache
        starts: set[int] = set()
        for literal, back in self.anchors:
            at = key.find(literal)
            while at >= 0:
                start = at
                if back is not None:
                    while start > 0 and back.match(text, start - 1):
                        start -= 1
                starts.add(start)
                at = key.find(literal, at + 1)
        end = 0
        for start in sorted(starts):
            if start < end:
                continue  # inside the last match: finditer goes on from its end
            mo = self.pattern.match(text, start)
            if mo is not None:
                end = mo.end()
                yield mo


_ANY_CASE_LETTER = re.compile("[a-z]", re.IGNORECASE)  # what [a-z] and [A-Za-z] take with re.I


def inn_finder(suffixes: Iterable[str]) -> AnchoredPattern:
    """:func:`inn_pattern`'s matches, read where "mab" is (every match holds it)."""
    return AnchoredPattern(inn_pattern(suffixes), (("mab", _ANY_CASE_LETTER),))


_DASH = "[\\-\u2010\u2011\u2013]"
_DASH_RE = re.compile(_DASH)


def descriptor_pattern(linkers: Iterable[str], payloads: Iterable[str]) -> re.Pattern[str]:
    """Text regex for an ADC named by its parts, "<antibody or target>-<linker>-<payload>":
    "anti-CD22-vc-MMAE", "anti-HER2-vc-MMAE", "trastuzumab-SMCC-DM1",
    "hertuzumab-vc-monomethyl auristatin E". Group 1 is the antibody part, group 2 the
    payload; the linker is optional, so "anti-HER2-DXd" counts too."""

    def alternation(words: Iterable[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))

    return re.compile(
        rf"(?<![\w\-])((?:anti{_DASH}|(?-i:anti(?=[A-Z0-9])))[A-Za-z0-9]{{2,12}}|[A-Za-z]{{3,}}mab)"
        rf"(?:{_DASH}(?:{alternation(linkers)}))?{_DASH}({alternation(payloads)})(?![\w\-])",
        re.IGNORECASE,
    )


def descriptor_finder(linkers: Iterable[str], payloads: Iterable[str]) -> AnchoredPattern:
    """:func:`descriptor_pattern`'s matches, read where "anti" or "mab" is (every match
    starts with "anti" or with a word ending in "mab")."""
    return AnchoredPattern(
        descriptor_pattern(linkers, payloads), (("anti", None), ("mab", _ANY_CASE_LETTER))
    )


def descriptor_key(text: str) -> str:
    """The entity-id part of a descriptor: lower case, every dash a hyphen, no spaces."""
    return _DASH_RE.sub("-", text.lower()).replace(" ", "")


def parenthetical_aliases(
    cands: Sequence[Candidate], token_texts: Sequence[str], aliases: set[str]
) -> dict[str, str]:
    """Alias entity -> named entity, where a document writes one in brackets right after
    the other: "Pinatuzumab vedotin (anti-CD22-vc-MMAE)" or "anti-CD22-vc-MMAE
    (pinatuzumab vedotin)". ``aliases`` are the entity ids that may take another's name
    (descriptors); every occurrence of the alias in the document then names that entity."""
    adcs = [c for c in cands if c.type == "ADC"]
    by_start = {c.start: c for c in adcs}
    out: dict[str, str] = {}
    for a in adcs:
        if a.end >= len(token_texts) or token_texts[a.end] != "(":
            continue
        b = by_start.get(a.end + 1)
        if b is None or b.end >= len(token_texts) or token_texts[b.end] != ")":
            continue
        if b.entity_id in aliases and a.entity_id not in aliases:
            out.setdefault(b.entity_id, a.entity_id)
        elif a.entity_id in aliases and b.entity_id not in aliases:
            out.setdefault(a.entity_id, b.entity_id)
    return out


def suffix_payload(word: str, suffixes: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(payload, payload class) for an INN word ending in a known suffix, else None."""
    w = word.lower()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if w.endswith(suffix):
            return suffixes[suffix]
    return None


# --- document-level abbreviations -------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """One abbreviation occurrence as scispacy reports it (token offsets)."""

    short: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def long_form_entity(
    long_start: int, long_end: int, cands: Sequence[Candidate]
) -> Candidate | None:
    """The pack entity a long form names: a candidate ending at the long form's end and
    covering at least half of it ("sacituzumab govitecan (SG)" -> the ADC; "tissue factor
    (TF)" -> F3). Cue-layer candidates count only when nothing else does."""
    inside = [
        c for c in cands if c.start >= long_start and c.end <= long_end and c.source != "model"
    ]
    ending = [c for c in inside if c.end == long_end and 2 * c.length >= long_end - long_start]
    if not ending:
        return None
    ending.sort(key=lambda c: (c.layer == "cue", -c.length, TYPE_PRIORITY.get(c.type, 9)))
    return ending[0]


def link_abbreviations(
    definitions: Sequence[Definition],
    cands: Sequence[Candidate],
    token_texts: Sequence[str],
) -> tuple[list[Candidate], set[str]]:
    """Resolve a document's own abbreviations.

    Returns (new candidates for every occurrence of a short form whose long form names a
    pack entity, short forms the document defines as something the pack does not know).
    Pack candidates on such *redefined* short forms are dropped by the caller, so
    "apparent diffusion coefficient (ADC)" stops "ADC" meaning antibody-drug conjugate.
    """
    by_short: dict[str, list[Definition]] = {}
    for d in definitions:
        by_short.setdefault(d.short, []).append(d)
    new: list[Candidate] = []
    redefined: set[str] = set()
    for short, defs in sorted(by_short.items()):
        d0 = defs[0]
        target = long_form_entity(d0.long_start, d0.long_end, cands)
        if target is None:
            has_any = any(
                c.start >= d0.long_start and c.end <= d0.long_end and c.source != "model"
                for c in cands
            )
            if not has_any:
                redefined.add(short)
            continue
        for d in defs:
            span_text = " ".join(token_texts[d.short_start : d.short_end])
            if span_text.replace(" ", "") != short.replace(" ", ""):
                continue
            new.append(
                Candidate(d.short_start, d.short_end, target.type, target.entity_id, "abbreviation")
            )
    return new, redefined


REDEFINABLE_MAX_LEN = 3


def drop_redefined(
    cands: Sequence[Candidate], redefined: set[str], token_texts: Sequence[str]
) -> list[Candidate]:
    """Pack candidates minus those a document redefines. Only short (<= 3 characters) or
    non-core (class, cue) terms yield: "ADC" defined as "apparent diffusion coefficient"
    stops meaning antibody-drug conjugate, but "Trop-2" defined with a long form the pack
    does not know stays TACSTD2."""
    if not redefined:
        return list(cands)
    out = []
    for c in cands:
        text = "".join(token_texts[c.start : c.end])
        if text in {r.replace(" ", "") for r in redefined} and (
            len(text) <= REDEFINABLE_MAX_LEN or c.layer != "core"
        ):
            continue
        out.append(c)
    return out


def licensed_short_forms(
    occurrences: Sequence[tuple[int, int, str]],
    doc_defined: dict[str, Sequence[tuple[str, str]]],
    cands: Sequence[Candidate],
    defined_shorts: set[str],
) -> list[Candidate]:
    """Ambiguous catalogue short forms ("SG", "EV", "MIRV") where the document names their
    entity in full but never defines the short form in brackets (e.g. only in an
    abbreviation list). ``occurrences`` are (start, end, short) token spans;
    ``doc_defined`` maps a short form to (type, entity id) pairs."""
    present = {c.entity_id for c in cands if c.source != "model"}
    out = []
    for start, end, short in occurrences:
        if short in defined_shorts:
            continue
        options = [(t, e) for t, e in doc_defined.get(short, ()) if e in present]
        if len(options) == 1:
            typ, eid = options[0]
            out.append(Candidate(start, end, typ, eid, "abbreviation"))
    return out


# --- ADC class wording ------------------------------------------------------------------

CLASS_CONNECTORS = {"targeting", "targeted", "directed", "specific", "based", "bearing"}


def extend_adc_classes(
    chosen: Sequence[Candidate],
    token_lower: Sequence[str],
    canonical_of: dict[str, str],
) -> tuple[list[Candidate], dict[Candidate, str]]:
    """Grow each ADC_CLASS mention over its class wording to the left.

    "HER2-targeting ADCs", "anti-HER2 ADC", "HER2-ADC", "TROP2 antibody-drug conjugate",
    "TOP1 inhibitor-based ADCs", "DXd-based ADC". Returns the new candidate list (class
    mentions swallowed by a grown one are dropped) and, for each grown mention, its
    qualifier: "target:<SYMBOL>", "payload:<name>" or "payload_class:<class>".
    """
    qualifiers: dict[Candidate, str] = {}
    by_end = {}
    for c in chosen:
        if c.type in ("GENE", "PAYLOAD", "DRUG_CLASS"):
            by_end.setdefault(c.end, []).append(c)
    grown: list[Candidate] = []
    for c in chosen:
        if c.type != "ADC_CLASS":
            continue
        i = c.start
        if i > 0 and token_lower[i - 1] in CLASS_CONNECTORS:
            i -= 1
        if i > 0 and token_lower[i - 1] == "-":
            i -= 1
        heads = by_end.get(i, [])
        if not heads:
            continue
        head = sorted(heads, key=lambda h: TYPE_PRIORITY.get(h.type, 9))[0]
        start = head.start
        if start >= 2 and token_lower[start - 1] == "-" and token_lower[start - 2] == "anti":
            start -= 2
        elif start >= 1 and token_lower[start - 1] == "anti":
            start -= 1
        name = canonical_of.get(head.entity_id, head.entity_id.split(":", 1)[-1])
        if head.type == "GENE":
            qual = f"target:{name}"
        elif head.type == "PAYLOAD":
            qual = f"payload:{name}"
        else:
            qual = f"payload_class:{name}"
        new = c._replace(start=start)
        grown.append(new)
        qualifiers[new] = qual
    if not grown:
        return list(chosen), qualifiers
    replaced = {(g.end, g.entity_id) for g in grown}
    out = [
        c
        for c in chosen
        if not (c.type == "ADC_CLASS" and (c.end, c.entity_id) in replaced)
        and not (c.layer == "class" and any(overlaps(c, g) for g in grown))
    ]
    out.extend(grown)
    return sorted(out, key=lambda c: (c.start, c.end, c.type, c.entity_id)), qualifiers
