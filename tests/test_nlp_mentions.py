"""annotate() / build_entities() end to end on the real corpus (ingest -> NER)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest import ingest_corpus
from pipeline.model import ENTITY_TYPES, Entity, Mention
from pipeline.nlp import annotate, build_entities
from pipeline.pack import load_pack

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def docs():
    docs, problems = ingest_corpus(CORPUS)
    assert len(docs) == 5
    return docs


@pytest.fixture(scope="module")
def result(docs):
    return annotate(docs, load_pack())


def test_every_document_keyed_and_mentions_are_records(docs, result):
    assert set(result) == {d.document.doc_id for d in docs}
    for ms in result.values():
        assert all(type(m) is Mention for m in ms)


def test_offsets_round_trip_and_sit_in_their_sentence(docs, result):
    for d in docs:
        sents = {s.sentence_index: s for s in d.sentences}
        for m in result[d.document.doc_id]:
            assert d.document.text[m.char_start : m.char_end] == m.text
            s = sents[m.sentence_index]
            assert s.char_start <= m.char_start and m.char_end <= s.char_end
            assert m.type in ENTITY_TYPES
            assert m.source in {"pack", "rule", "model", "abbreviation"}


def test_all_sentence_kinds_are_annotated(docs, result):
    kinds = Counter()
    for d in docs:
        kind_of = {s.sentence_index: s.kind for s in d.sentences}
        kinds.update(kind_of[m.sentence_index] for m in result[d.document.doc_id])
    for kind in ("abstract", "body", "caption", "table", "reference_title", "title"):
        assert kinds[kind] > 0, kind


def test_code_names_and_document_abbreviations_found(docs, result):
    seen = Counter()
    for ms in result.values():
        for m in ms:
            if m.type == "ADC":
                seen[(m.text, m.entity_id)] += 1
    expect = {
        "T-DM1": "adc:trastuzumab_emtansine",
        "T-DXd": "adc:trastuzumab_deruxtecan",
        "DS-8201a": "adc:trastuzumab_deruxtecan",
        "Dato-DXd": "adc:datopotamab_deruxtecan",
        "SG": "adc:sacituzumab_govitecan",
        "EV": "adc:enfortumab_vedotin",
        "TV": "adc:tisotumab_vedotin",
        "MIRV": "adc:mirvetuximab_soravtansine",
        "RC48": "adc:disitamab_vedotin",
        "SYD985": "adc:trastuzumab_duocarmazine",
    }
    for text, eid in expect.items():
        assert seen[(text, eid)] > 0, text
    # Every written T-DM1 / T-DXd in the cleaned texts is a mention.
    for d in docs:
        ms = {(m.char_start, m.text) for m in result[d.document.doc_id] if m.type == "ADC"}
        for name in ("T-DM1", "T-DXd", "Dato-DXd"):
            start = d.document.text.find(name)
            while start >= 0:
                if any(s.char_start <= start < s.char_end for s in d.sentences):
                    assert (start, name) in ms, (d.document.file, start)
                start = d.document.text.find(name, start + 1)


def test_deterministic(docs, result):
    assert annotate(docs, load_pack()) == result


def test_two_processes_give_the_same_mentions(docs, result):
    ids = [d.document.doc_id for d in docs[:3]]
    assert annotate(docs[:3], load_pack(), batch_size=1, n_process=2) == {k: result[k] for k in ids}


def test_build_entities(result):
    mentions = [m for ms in result.values() for m in ms]
    entities = build_entities(mentions)
    assert all(type(e) is Entity for e in entities)
    ids = [e.entity_id for e in entities]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert sum(e.mention_count for e in entities) == len(mentions)
    by_id = {e.entity_id: e for e in entities}
    tdm1 = by_id["adc:trastuzumab_emtansine"]
    assert (
        tdm1.type == "ADC" and tdm1.namespace == "adc" and tdm1.canonical == "trastuzumab emtansine"
    )
    assert "T-DM1" in tdm1.synonyms_seen.split("; ")
    assert by_id["hgnc:ERBB2"].namespace == "hgnc"
    assert by_id["drugbank:DB09037"].canonical == "pembrolizumab"


def test_empty_document_gives_no_mentions(docs):
    from dataclasses import replace

    empty = replace(docs[1], document=replace(docs[1].document, text=""), sentences=[])
    assert annotate([empty], load_pack()) == {empty.document.doc_id: []}


def test_mentions_read_from_the_plain_rows_equal_those_read_from_the_spans(docs):
    from pipeline.nlp.components import MENTION_GROUP
    from pipeline.nlp.mentions import load_pipeline, mentions_from_doc
    from pipeline.nlp.pipeline import build_nlp
    from pipeline.nlp.text import fold_dashes

    nlp = build_nlp(None)  # with doc.spans, the plain path the rows replace
    bare = load_pipeline(load_pack())  # what annotate runs: rows only
    n = 0
    for d in docs:
        doc = nlp(fold_dashes(d.document.text))
        via_spans = sorted(
            (s.start_char, s.end_char, s.label_, s.kb_id_, s.id_) for s in doc.spans[MENTION_GROUP]
        )
        rows = mentions_from_doc(doc, d)
        assert mentions_from_doc(bare(fold_dashes(d.document.text)), d) == rows
        assert sorted((m.char_start, m.char_end, m.type, m.entity_id, m.source) for m in rows) == [
            x for x in via_spans if any(m.char_start == x[0] and m.char_end == x[1] for m in rows)
        ]
        assert len(rows) > len(via_spans) * 0.9
        n += len(rows)
    assert n > 500


def test_the_pipeline_annotate_runs_builds_no_span_per_mention(docs):
    from pipeline.nlp.components import MENTION_GROUP
    from pipeline.nlp.mentions import load_pipeline

    doc = load_pipeline(load_pack())(docs[0].document.text)
    assert doc.user_data[MENTION_GROUP] and MENTION_GROUP not in doc.spans and not doc.ents
