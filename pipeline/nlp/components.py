"""spaCy components (prefix ``adcm_``): thin wrappers around :mod:`pipeline.nlp.resolve`.

Pipeline order: [model ``ner``] -> ``adcm_abbreviation_detector`` (scispacy's, serializable) ->
``adcm_pack_ner`` -> ``adcm_abbreviation_linker`` -> ``adcm_ner_merge``.

Doc/Span extensions and span groups written here:

* ``doc.user_data["adcm_pack"]``: raw knowledge-pack and INN-suffix-rule candidates
  (overlapping), as ``[start, end, type, entity_id, source]`` token-index lists (plain
  lists: creating a Span per raw candidate costs more than the matching).
* ``doc.user_data["adcm_abbrev"]``: short forms resolved through the document's own
  abbreviations (source "abbreviation"), same shape.
* ``doc.user_data["adcm_mentions"]``: the final mentions as plain rows, same shape (what
  :func:`pipeline.nlp.mentions.mentions_from_doc` reads).
* ``doc.spans["adcm_mentions"]`` (unless ``adcm_ner_merge`` has ``doc_spans`` off, as in
  the pipeline ``annotate`` uses): the final mentions (non-overlapping within a layer, see
  :mod:`pipeline.nlp.resolve`). Each span: ``label_`` = entity type, ``kb_id_`` = entity
  id, ``id_`` = source (pack | rule | abbreviation | model). ``doc.ents`` is set to the
  core layer (ADC, GENE, DRUG, PAYLOAD, OTHER).
* ``Doc._.adcm_entities``: ``{entity_id: [canonical, category]}`` for every entity seen.
* ``doc.user_data["adcm_text"]``: the Doc's text (set by our tokenizer, see tokenizer.py).
* ``Doc._.adcm_qualifiers``: ``{"start:end": qualifier}`` for grown ADC_CLASS mentions
  ("target:ERBB2", "payload_class:TOP1 inhibitor").

All values are plain strings/lists/dicts, so a Doc serialises with its extensions.
"""

from __future__ import annotations

import re

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.nlp.abbreviations import doc_text
from pipeline.nlp.resolve import (
    Candidate,
    Definition,
    StemWords,
    descriptor_finder,
    descriptor_key,
    drop_redefined,
    extend_adc_classes,
    inn_finder,
    licensed_short_forms,
    link_abbreviations,
    parenthetical_aliases,
    resolve,
    suffix_payload,
)
from pipeline.pack import Term, load_pack
from pipeline.pack.lexicon import entity_key, normalise_name

PACK_GROUP = "adcm_pack"
ABBREV_GROUP = "adcm_abbrev"
MENTION_GROUP = "adcm_mentions"
_UNICODE_DASHES = re.compile("[\u2010\u2011\u2013]")


def _ensure_extensions() -> None:
    if not Doc.has_extension("adcm_entities"):
        Doc.set_extension("adcm_entities", default=None)
    if not Doc.has_extension("adcm_qualifiers"):
        Doc.set_extension("adcm_qualifiers", default=None)
    if not Doc.has_extension("abbreviations"):
        Doc.set_extension("abbreviations", default=[])


def _entities(doc: Doc) -> dict[str, list[str]]:
    if doc._.adcm_entities is None:
        doc._.adcm_entities = {}
    return doc._.adcm_entities


def _spans(doc: Doc, cands: list[Candidate]) -> list[Span]:
    return [
        Span(doc, c.start, c.end, label=c.type, kb_id=c.entity_id, span_id=c.source) for c in cands
    ]


def _store(doc: Doc, key: str, cands: list[Candidate]) -> None:
    """Raw candidates as plain lists in ``doc.user_data`` (cheaper than Spans, picklable)."""
    doc.user_data[key] = [[c.start, c.end, c.type, c.entity_id, c.source] for c in cands]


def _load(doc: Doc, key: str) -> list[Candidate]:
    return [Candidate(*row) for row in doc.user_data.get(key, [])]


@Language.factory("adcm_pack_ner", default_config={"resources_dir": ""})
class PackNer:
    """Knowledge-pack matching (PhraseMatcher on LOWER and ORTH) + the INN-suffix rule."""

    def __init__(self, nlp: Language, name: str, resources_dir: str = "") -> None:
        _ensure_extensions()
        self.name = name
        pack = load_pack(resources_dir)
        self.terms: dict[str, list[Term]] = {}
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        surfaces: dict[str, set[str]] = {}
        for t in pack.terms:
            key = ("O:" + t.text) if t.case_sensitive else ("L:" + t.text.lower())
            self.terms.setdefault(key, []).append(t)
            variants = {t.text} if t.case_sensitive else {t.text, t.text.lower(), t.text.upper()}
            surfaces.setdefault(key, set()).update(variants)
        # The tokenizer's splits depend on case ("Dato-DXd" is one token, "dato-dxd" three):
        # a caseless term gets the patterns of its written, lower- and upper-case forms.
        pairs = [(key, text) for key in sorted(surfaces) for text in sorted(surfaces[key])]
        docs = nlp.tokenizer.pipe([text for _, text in pairs])
        for (key, _), pattern in zip(pairs, docs, strict=True):
            (self.orth if key.startswith("O:") else self.lower).add(key, [pattern])
        # match id -> (type, entity id, canonical, category) of its terms, read per match
        self.term_rows = {
            get_string_id(key): tuple((t.type, t.entity_id, t.canonical, t.category) for t in ts)
            for key, ts in self.terms.items()
        }
        self.suffixes = pack.adc_suffixes
        self.inn = inn_finder(self.suffixes)  # inn_pattern's matches
        self.drug_stem = StemWords(pack.drug_inn_stems)  # drug_stem_pattern's matches
        self.stem_drugs = pack.stem_drugs
        self.antibody_stems = pack.antibody_stems
        self.stem_hashes = {w: get_string_id(w) for w in self.antibody_stems}
        self.payloads = pack.payload_surfaces
        self.payload_families = pack.payload_families
        self.descriptor = descriptor_finder(pack.linker_surfaces, pack.payload_surfaces)
        self.adc_by_antibody_payload = {
            (r.inn.split()[0], r.payload.lower()): r.entity_id
            for r in pack.adc_catalog
            if len(r.inn.split()) == 2
        }
        self.inn_of = {r.entity_id: (r.inn, r.payload_class) for r in pack.adc_catalog}
        self.partner_words = pack.partner_drug_words

    def __call__(self, doc: Doc) -> Doc:
        entities = _entities(doc)
        cands: list[Candidate] = []
        rows = self.term_rows
        for matcher in (self.lower, self.orth):
            for match_id, start, end in matcher(doc):
                for type_, eid, canonical, category in rows[match_id]:
                    cands.append(Candidate(start, end, type_, eid, "pack"))
                    entities.setdefault(eid, [canonical, category])
        for mo in self.inn.finditer(doc_text(doc)):
            span = doc.char_span(mo.start(), mo.end(), alignment_mode="strict")
            if span is None:
                continue
            canonical = " ".join(mo.group(0).lower().replace("-", " ").split())
            found = suffix_payload(canonical.split()[-1], self.suffixes)
            if found is None:
                continue
            eid = "adc:" + entity_key(canonical)
            cands.append(Candidate(span.start, span.end, "ADC", eid, "rule"))
            entities.setdefault(eid, [canonical, found[1]])
        cands += self._unlisted_drugs(doc, cands, entities)
        cands += self._unlisted_adcs(doc, cands, entities)
        _store(doc, PACK_GROUP, sorted(set(cands)))  # a Candidate's own order is _order's
        return doc

    def _unlisted_adcs(self, doc: Doc, cands, entities) -> list[Candidate]:
        """ADCs the catalogue does not name as written: a descriptor "<antibody or
        target>-<linker>-<payload>" ("anti-CD22-vc-MMAE"; the catalogue ADC with that
        antibody and payload when there is one, "trastuzumab-SMCC-DM1" -> T-DM1, else an
        ADC of its own, never the generic class), tied to the INN the document writes it
        beside in brackets ("Pinatuzumab vedotin (anti-CD22-vc-MMAE)"); and an ADC's
        antibody word alone ("inotuzumab") where it names one catalogue ADC, or one ADC
        this document names in full ("pinatuzumab" after "pinatuzumab vedotin")."""
        out: list[Candidate] = []
        descriptors: set[str] = set()
        for mo in self.descriptor.finditer(doc_text(doc)):
            span = doc.char_span(mo.start(), mo.end(), alignment_mode="expand")
            if span is None:
                continue
            payload, payload_class = self.payloads[mo.group(2).lower()]
            eid = self.adc_by_antibody_payload.get((mo.group(1).lower(), payload.lower()))
            if eid is None and mo.group(2).lower() in self.payload_families:
                continue  # "trastuzumab-maytansinoid ADC": a kind of ADC, not one ADC
            if eid is None:
                canonical = _UNICODE_DASHES.sub("-", mo.group(0))
                eid = "adc:" + descriptor_key(mo.group(0))
                descriptors.add(eid)
                entities.setdefault(eid, [canonical, payload_class])
            out.append(Candidate(span.start, span.end, "ADC", eid, "rule"))
        stems = dict(self.antibody_stems)
        for c in cands:  # "pinatuzumab vedotin" named in full: "pinatuzumab" is that ADC
            if c.type == "ADC" and c.end - c.start == 2 and doc[c.start].lower_.endswith("mab"):
                if doc[c.start].lower_ not in self.partner_words:
                    stems.setdefault(doc[c.start].lower_, c.entity_id)
        covered = {i for c in cands + out if c.layer == "core" for i in range(c.start, c.end)}
        for i, word in self._words_among(doc, stems):
            eid = stems[word]
            if eid is not None and i not in covered:
                out.append(Candidate(i, i + 1, "ADC", eid, "rule"))
                if eid in self.inn_of:
                    entities.setdefault(eid, list(self.inn_of[eid]))
        if not descriptors:  # no alias to name: parenthetical_aliases would find none
            return out
        aliases = parenthetical_aliases(
            sorted(cands + out, key=_order), TokenTexts(doc), descriptors
        )
        return [c._replace(entity_id=aliases.get(c.entity_id, c.entity_id)) for c in out]

    def _words_among(self, doc: Doc, words: dict[str, str]) -> list[tuple[int, str]]:
        """(token index, lower-case text) of each token whose lower-case text is one of
        ``words``, in token order: looked up by the LOWER hash of every token at once
        (iterating the Doc would build a Token object per token)."""
        wanted = {h: w for w, h in self.stem_hashes.items() if w in words}
        wanted.update((get_string_id(w), w) for w in words if w not in self.stem_hashes)
        hits = []
        for i, h in enumerate(doc.to_array(LOWER).tolist()):
            word = wanted.get(h)
            if word is not None and doc[i].lower_ == word:  # a hash collision is no hit
                hits.append((i, word))
        return hits

    def _unlisted_drugs(self, doc: Doc, cands, entities) -> list[Candidate]:
        """Drugs the pack does not list: a word with a drug INN stem ("-tinib", "-platin")
        that DrugBank knows (via drug-named-entity-recognition) is a DRUG, source "rule"."""
        covered = {i for c in cands if c.layer == "core" for i in range(c.start, c.end)}
        out = []
        text = doc_text(doc)
        for start, end in self.drug_stem.spans(text):
            word = text[start:end].lower()
            found = self.stem_drugs.get(word)
            if found is None or word in self.antibody_stems:
                continue  # "brentuximab" alone is brentuximab vedotin (an ADC, below)
            span = doc.char_span(start, end, alignment_mode="strict")
            if span is None or any(i in covered for i in range(span.start, span.end)):
                continue
            name, dbid = found
            eid = f"drugbank:{dbid}"
            out.append(Candidate(span.start, span.end, "DRUG", eid, "rule"))
            entities.setdefault(eid, [name, ""])
        return out


class TokenTexts:
    """Token texts of a Doc, read on demand (building the whole list costs more than the
    few tokens the rules look at)."""

    def __init__(self, doc: Doc, lower: bool = False) -> None:
        self.doc = doc
        self.lower = lower

    def __len__(self) -> int:
        return len(self.doc)

    def _text(self, tok) -> str:
        return tok.lower_ if self.lower else tok.text

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._text(t) for t in self.doc[i]]
        return self._text(self.doc[i])


def _order(c: Candidate):
    return (c.start, c.end, c.type, c.entity_id, c.source)


def _definitions(doc: Doc) -> list[Definition]:
    out = []
    for a in doc._.abbreviations or []:
        if isinstance(a, dict):  # scispacy's serializable form
            out.append(
                Definition(
                    a["short_text"],
                    a["short_start"],
                    a["short_end"],
                    a["long_start"],
                    a["long_end"],
                )
            )
        else:
            lf = a._.long_form
            out.append(Definition(a.text, a.start, a.end, lf.start, lf.end))
    return out


@Language.factory("adcm_abbreviation_linker", default_config={"resources_dir": ""})
class AbbreviationLinker:
    """Resolve short forms through the document's own definitions (scispacy's
    ``abbreviation_detector`` must run first) and license catalogue short forms."""

    def __init__(self, nlp: Language, name: str, resources_dir: str = "") -> None:
        _ensure_extensions()
        self.name = name
        doc_defined = load_pack(resources_dir).doc_defined_terms
        self.doc_defined = {
            short: [(t.type, t.entity_id) for t in terms] for short, terms in doc_defined.items()
        }
        self.info = {
            t.entity_id: [t.canonical, t.category] for terms in doc_defined.values() for t in terms
        }
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        shorts = sorted(self.doc_defined)
        for short, pattern in zip(shorts, nlp.tokenizer.pipe(shorts), strict=True):
            self.matcher.add(short, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        pack = _load(doc, PACK_GROUP)
        definitions = _definitions(doc)
        tokens = TokenTexts(doc)
        new, redefined = link_abbreviations(definitions, pack, tokens)
        if redefined:
            pack = drop_redefined(pack, redefined, tokens)
            _store(doc, PACK_GROUP, pack)
        strings = doc.vocab.strings
        occurrences = [(s, e, strings[m]) for m, s, e in self.matcher(doc)]
        defined = {d.short for d in definitions}
        new += licensed_short_forms(occurrences, self.doc_defined, pack + new, defined)
        entities = _entities(doc)
        for c in new:
            if c.entity_id in self.info:
                entities.setdefault(c.entity_id, self.info[c.entity_id])
        _store(doc, ABBREV_GROUP, sorted(set(new)))
        return doc


def model_candidates(
    ents, index: dict[str, tuple[Term, ...]], entities: dict[str, list[str]]
) -> list[Candidate]:
    """Model entities as candidates: mapped onto the pack (its ``term_index``) by name where
    it knows them, otherwise type OTHER with id ``model:<label>:<name>``."""
    out = []
    for ent in ents:
        terms = [t for t in index.get(normalise_name(ent.text), ()) if t.layer != "cue"]
        if terms:
            for t in terms:
                out.append(Candidate(ent.start, ent.end, t.type, t.entity_id, "model"))
                entities.setdefault(t.entity_id, [t.canonical, t.category])
            continue
        label = ent.label_.lower() or "entity"
        eid = f"model:{label}:{entity_key(ent.text)}"
        out.append(Candidate(ent.start, ent.end, "OTHER", eid, "model"))
        entities.setdefault(eid, [ent.text.lower(), ent.label_])
    return out


@Language.factory("adcm_ner_merge", default_config={"resources_dir": "", "doc_spans": True})
class NerMerge:
    """Merge model entities with pack/abbreviation candidates into final mentions.

    ``doc_spans``: also set ``doc.spans["adcm_mentions"]`` and ``doc.ents`` (a Span per
    mention). The pipeline ``annotate`` runs has it off: it reads the plain rows."""

    def __init__(
        self, nlp: Language, name: str, resources_dir: str = "", doc_spans: bool = True
    ) -> None:
        _ensure_extensions()
        self.name = name
        self.term_index = load_pack(resources_dir).term_index
        self.doc_spans = doc_spans

    def __call__(self, doc: Doc) -> Doc:
        entities = _entities(doc)
        cands = _load(doc, PACK_GROUP) + _load(doc, ABBREV_GROUP)
        cands += model_candidates(doc.ents, self.term_index, entities)
        chosen = resolve(cands)
        canonical_of = {eid: info[0] for eid, info in entities.items()}
        for eid, info in entities.items():
            if eid.startswith("drugclass:") and info[0] == "topoisomerase I inhibitor":
                canonical_of[eid] = "TOP1 inhibitor"
        chosen, qualifiers = extend_adc_classes(chosen, TokenTexts(doc, lower=True), canonical_of)
        doc._.adcm_qualifiers = {f"{c.start}:{c.end}": q for c, q in qualifiers.items()}
        _store(doc, MENTION_GROUP, chosen)  # what mentions_from_doc reads, without Spans
        if not self.doc_spans:
            return doc
        doc.spans[MENTION_GROUP] = _spans(doc, chosen)
        core = [c for c in chosen if c.layer == "core"]
        seen: set[tuple[int, int]] = set()
        ents = []
        for c in core:  # one doc.ents span per position (an alias may name two genes)
            if (c.start, c.end) not in seen:
                seen.add((c.start, c.end))
                ents.append(Span(doc, c.start, c.end, label=c.type, kb_id=c.entity_id))
        doc.ents = ents
        return doc
