"""NER over ingested documents: ``annotate`` (DocIngest -> Mention records) and
``build_entities`` (Mentions -> one Entity per normalised id).

Each document's cleaned text is one spaCy Doc, so scispacy's abbreviation detector works at
document level ("SG" defined once resolves everywhere in *that* document). Mentions carry
document offsets into ``Document.text`` and the index of the ingest sentence holding them;
every sentence kind (body, caption, table, reference_title, ...) is covered. Outputs are
plain records: no Doc objects leave this module.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.model import DocIngest, Entity, Mention, Sentence

if TYPE_CHECKING:
    from pipeline.pack import Pack

log = logging.getLogger(__name__)

NAMESPACES = {
    "adc": "adc",
    "adcclass": "adc",
    "hgnc": "hgnc",
    "drugbank": "drugbank",
    "drug": "drug",
    "drugclass": "drugclass",
    "payload": "payload",
    "mech": "mechanism",
    "strat": "strategy",
    "model": "model",
}


def annotate(
    docs: list[DocIngest],
    pack: Pack,
    spacy_model: str = "",
    batch_size: int = 64,
    n_process: int = 1,
) -> dict[str, list[Mention]]:
    """Mentions per ``doc_id`` for every document (empty list for an empty text).

    ``pack`` and ``spacy_model`` (the ``spacy_model`` setting, see
    :func:`pipeline.nlp.pipeline.choose_model`) choose the pipeline, built once per process.
    With ``n_process`` > 1 the documents are split among worker processes
    (``pipeline.runner.parallel``), which send back Mention records, not spaCy Docs.
    """
    from pipeline.nlp.text import fold_dashes

    nlp = load_pipeline(pack, spacy_model)  # before any worker forks, so that they share it
    if n_process > 1 and len(docs) > 1:
        from pipeline.runner.parallel import ordered_map

        size = -(-len(docs) // (2 * n_process))  # two units per worker: an even share
        units = [docs[i : i + size] for i in range(0, len(docs), size)]
        work = functools.partial(
            annotate, pack=pack, spacy_model=spacy_model, batch_size=batch_size
        )
        return {k: v for part in ordered_map(work, units, n_process) for k, v in part.items()}
    out: dict[str, list[Mention]] = {d.document.doc_id: [] for d in docs}
    todo = [(fold_dashes(d.document.text), i) for i, d in enumerate(docs) if d.document.text]
    # No spaCy memory zone: it would free the strings each batch adds to the vocabulary,
    # but NER ran 1.8x slower inside one (1,000 abstracts: 3.4 s vs 1.85 s, measured).
    for doc, i in nlp.pipe(todo, as_tuples=True, batch_size=batch_size):
        out[docs[i].document.doc_id] = mentions_from_doc(doc, docs[i])
    log.info("NER: %d documents, %d mentions", len(docs), sum(len(m) for m in out.values()))
    return out


def load_pipeline(pack: Pack, spacy_model: str = ""):
    """The process-wide spaCy pipeline for this pack and model setting."""
    from pipeline.nlp.pipeline import get_nlp

    return get_nlp(spacy_model, str(pack.root))


def sentence_locator(sentences: list[Sentence]):
    """A function: (char_start, char_end) -> the sentence index holding it, or None."""
    ordered = sorted(sentences, key=lambda s: s.char_start)
    starts = [s.char_start for s in ordered]

    def locate(start: int, end: int) -> int | None:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0:
            return None
        s = ordered[i]
        return s.sentence_index if end <= s.char_end else None

    return locate


def mentions_from_doc(doc, di: DocIngest) -> list[Mention]:
    """Plain Mention records from a processed Doc: the final candidates ``adcm_ner_merge``
    keeps as plain rows (see components.py), read without building a Span for each."""
    from pipeline.nlp.abbreviations import doc_text
    from pipeline.nlp.components import MENTION_GROUP

    text = di.document.text
    doc_id = di.document.doc_id
    locate = sentence_locator(di.sentences)
    entities = doc._.adcm_entities or {}
    qualifiers = doc._.adcm_qualifiers or {}
    out = []
    dropped = 0
    for start, end, type_, entity_id, source in doc.user_data.get(MENTION_GROUP, []):
        last = doc[end - 1]
        s, e = doc[start].idx, last.idx + len(last)  # Span.start_char, Span.end_char
        idx = locate(s, e)
        if idx is None:
            dropped += 1
            continue
        canonical, category = entities.get(entity_id, [doc_text(doc)[s:e].lower(), ""])
        if type_ == "ADC_CLASS":
            category = qualifiers.get(f"{start}:{end}", "")
        out.append(
            Mention(
                doc_id=doc_id,
                sentence_index=idx,
                char_start=s,
                char_end=e,
                text=text[s:e],
                type=type_,
                entity_id=entity_id,
                canonical=canonical,
                source=source,
                category=category,
            )
        )
    if dropped:
        log.debug("%s: %d mentions outside any sentence skipped", di.document.file, dropped)
    return sorted(out, key=lambda m: (m.char_start, m.char_end, m.type, m.entity_id))


class EntityTally:
    """The entity table, fed one batch of mentions at a time (streaming runs).

    Keeps per entity id only what an Entity needs (the counts of types and canonicals,
    the surface forms, the number of mentions), so a run never holds all its mentions.
    """

    def __init__(self) -> None:
        self._types: dict[str, Counter[str]] = defaultdict(Counter)
        self._canonicals: dict[str, Counter[str]] = defaultdict(Counter)
        self._texts: dict[str, set[str]] = defaultdict(set)
        self._count: Counter[str] = Counter()

    def add(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            self.add_count(m.entity_id, m.type, m.canonical, m.text, 1)

    def add_count(self, entity_id: str, type_: str, canonical: str, text: str, n: int) -> None:
        """``n`` mentions alike in these fields (a GROUP BY row of the knowledge base)."""
        self._types[entity_id][type_] += n
        self._canonicals[entity_id][canonical] += n
        self._texts[entity_id].add(text)
        self._count[entity_id] += n

    def entities(self) -> list[Entity]:
        """One Entity per entity id, sorted by id."""
        out = []
        for eid in sorted(self._count):
            typ = sorted(self._types[eid].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            canonical = sorted(self._canonicals[eid].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.append(
                Entity(
                    entity_id=eid,
                    type=typ,
                    canonical=canonical,
                    namespace=NAMESPACES.get(eid.split(":", 1)[0], "other"),
                    synonyms_seen="; ".join(sorted(self._texts[eid], key=lambda s: (s.lower(), s))),
                    mention_count=self._count[eid],
                )
            )
        return out


def build_entities(mentions: Iterable[Mention]) -> list[Entity]:
    """One Entity per entity id, with the surface forms seen and the mention count."""
    tally = EntityTally()
    tally.add(mentions)
    return tally.entities()
