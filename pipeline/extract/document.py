"""Document level: which sentences are read, the document's default drug, citations.

``extract_claims`` is the public entry point the runner and the Prefect flow call once per
document.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import replace

from pipeline.extract.citations import CitationIndex
from pipeline.extract.context import DocumentContext
from pipeline.extract.frame import SHORT_DOCUMENT_SENTENCES, document_frames
from pipeline.extract.relations import makes_resistance_point, sentence_claims
from pipeline.extract.slots import GENERIC_ADC_ID, Slot, drug_slots, entity_of
from pipeline.model import GENERIC_ADC, Claim, DocIngest, Mention
from pipeline.nlp.text import fold_dashes
from pipeline.pack import Pack

log = logging.getLogger(__name__)

# Headings, keyword lists and table cells state no claim ("The TME Barrier", "ADC; resistance").
SKIPPED_KINDS = frozenset({"heading", "keywords", "table"})


def document_default_drug(doc: DocIngest, mentions: list[Mention]) -> Slot | None:
    """The drug a document's drug-less sentences speak about, or None.

    A short text (an abstract) about one ADC - named at least twice, at least twice as
    often as any other ADC and at least as often as ADCs in general - is about that ADC;
    any other text that mentions ADCs is about ADCs in general ("antibody-drug
    conjugate"); a text that mentions no ADC gives no default. Reference titles do not
    count: they are other papers.
    """
    own = {s.sentence_index for s in doc.sentences if s.kind != "reference_title"}
    ms = [m for m in mentions if m.sentence_index in own]
    named = Counter(m.entity_id for m in ms if m.type == "ADC" and m.entity_id != GENERIC_ADC_ID)
    n_class = sum(1 for m in ms if m.type == "ADC_CLASS" or m.entity_id == GENERIC_ADC_ID)
    if named and len(own) <= SHORT_DOCUMENT_SENTENCES:
        (entity_id, count), *rest = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))
        runner_up = rest[0][1] if rest else 0
        if count >= 2 and count >= 2 * runner_up and count >= n_class:
            canonical = next(m.canonical for m in ms if m.entity_id == entity_id)
            return Slot("drug", -1, -1, canonical, entity=entity_id)
    if n_class or named:
        return Slot("drug", -1, -1, GENERIC_ADC, entity=GENERIC_ADC_ID)
    return None


_DEFINED_SHORT = re.compile(r"^\s*\(\s*([^()\s]{2,12})\s*\)")


def resolve_cue_abbreviations(doc: DocIngest, mentions: list[Mention], pack: Pack) -> list[Mention]:
    """A cue short form the document defines takes its long form's canonical entity.

    NER resolves "TIME" to ``mech:tumor_microenvironment`` but keeps only the category
    as its canonical; where the document wrote "tumor immune microenvironment (TIME)",
    every "TIME" mention gets the long form's canonical phrase, so both are one entity.
    A long form that is a gene and its cue ("HER2 heterogeneity (HET)") makes every short
    form that gene's too: each "HET" also gets the gene's mention (an ``antigen_loss`` of
    ERBB2, as the long form is), for extraction only.
    """
    text = doc.document.text
    longs: dict[tuple[str, str], str] = {}
    genes: dict[str, Mention] = {}
    by_end = {m.char_end: m for m in mentions if m.type == "GENE"}
    for m in mentions:
        if m.type in ("MECHANISM", "STRATEGY") and m.source != "abbreviation":
            found = _DEFINED_SHORT.match(text[m.char_end : m.char_end + 20])
            if found:
                longs.setdefault((m.type, found.group(1)), entity_of(m, pack))
                gene = by_end.get(m.char_start - 1)
                if m.type == "MECHANISM" and gene is not None:
                    genes.setdefault(found.group(1), gene)
    out = []
    for m in mentions:
        if m.source == "abbreviation" and (m.type, m.text) in longs:
            out.append(replace(m, canonical=longs[(m.type, m.text)]))
            gene = genes.get(m.text)
            if gene is not None:
                out.append(replace(gene, char_start=m.char_start, char_end=m.char_end))
        else:
            out.append(m)
    return out


def extract_claims(doc: DocIngest, mentions: list[Mention], pack: Pack) -> list[Claim]:
    """Claims of every sentence of ``doc`` (body, abstract, captions, reference titles, ...),
    read with the vocabularies of ``pack``."""
    doc_id = doc.document.doc_id
    mentions = resolve_cue_abbreviations(doc, mentions, pack)
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.doc_id != doc_id:
            raise ValueError(
                f"document {doc.document.file} ({doc_id}): got a mention of {m.doc_id!r}"
            )
        by_sentence[m.sentence_index].append(m)
    cites = CitationIndex(doc)
    default_drug = document_default_drug(doc, mentions)
    naming = frozenset(
        m.sentence_index for m in mentions if m.type == "ADC" and m.entity_id != GENERIC_ADC_ID
    )
    frames = document_frames(doc, pack, naming)
    context = DocumentContext(pack.cues)
    claims: list[Claim] = []
    for sentence in doc.sentences:
        if sentence.kind in SKIPPED_KINDS:
            continue
        ms = sorted(
            by_sentence.get(sentence.sentence_index, []),
            key=lambda m: (m.char_start, m.char_end, m.type),
        )
        ms = [m for m in ms if sentence.char_start <= m.char_start < sentence.char_end]
        # A reference title is another paper: the review's default drug does not apply.
        fallback = None if sentence.kind == "reference_title" else default_drug
        frame = frames[sentence.sentence_index]
        claims.extend(
            sentence_claims(
                sentence,
                ms,
                pack,
                cites.cited_refs(sentence),
                fallback,
                frame,
                context.current(),
            )
        )
        text = fold_dashes(sentence.text)
        context.record(
            text,
            drug_slots(ms, sentence.char_start, text),
            makes_resistance_point(text, pack, frame, ms, sentence.char_start),
        )
    log.debug(  # per document; the runner and the flow log the per-run count at INFO
        "extract %s: %d sentences -> %d claims", doc.document.file, len(doc.sentences), len(claims)
    )
    return claims
