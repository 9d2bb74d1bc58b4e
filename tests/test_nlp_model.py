"""Model NER path: a tiny spaCy NER model trained here in seconds, loaded the way a
scispacy model is (ADCM_SPACY_MODEL -> spacy.load), and merged with the knowledge pack."""

from __future__ import annotations

import logging
import random
from types import SimpleNamespace

import pytest
import spacy
from spacy.training import Example

from pipeline.model import DocIngest, Document, Sentence
from pipeline.nlp import pipeline as nlp_pipeline
from pipeline.nlp.components import MENTION_GROUP, model_candidates
from pipeline.nlp.mentions import annotate
from pipeline.pack import load_pack

TRAIN = [
    ("Cells were treated with zorbitol for two days.", "zorbitol"),
    ("Zorbitol reduced growth of the xenografts.", "Zorbitol"),
    ("The combination of zorbitol and trastuzumab emtansine was tested.", "zorbitol"),
    ("We measured quinoxafen in plasma.", "quinoxafen"),
    ("Quinoxafen and zorbitol were given together.", "Quinoxafen"),
    ("Exposure to quinoxafen increased apoptosis.", "quinoxafen"),
]


def train_tiny_ner(path):
    """A real (tiny) statistical NER: spacy.blank + ner, a few iterations, saved to disk."""
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("CHEMICAL")
    examples = []
    for text, ent in TRAIN:
        start = text.index(ent)
        examples.append(
            Example.from_dict(
                nlp.make_doc(text), {"entities": [(start, start + len(ent), "CHEMICAL")]}
            )
        )
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(30):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return train_tiny_ner(tmp_path_factory.mktemp("tiny_ner") / "model")


@pytest.fixture(scope="module")
def model_nlp(model_dir):
    return nlp_pipeline.build_nlp(nlp_pipeline.choose_model(str(model_dir)))


def test_choose_model_setting(model_dir):
    assert nlp_pipeline.choose_model("none") is None
    assert nlp_pipeline.choose_model(str(model_dir)) == str(model_dir)
    with pytest.raises(OSError, match="no_such_model"):
        nlp_pipeline.choose_model("no_such_model")


def test_model_pipeline_keeps_ner_first(model_nlp):
    assert model_nlp.pipe_names[0] == "ner"
    assert model_nlp.pipe_names[-1] == "adcm_ner_merge"


def test_model_only_entities_kept_as_other_and_pack_wins(model_nlp):
    doc = model_nlp("Quinoxafen and zorbitol were given with T-DM1 to HER2-positive cells.")
    got = {(s.text, s.label_, s.kb_id_, s.id_) for s in doc.spans[MENTION_GROUP]}
    model_hits = [s for s in doc.spans[MENTION_GROUP] if s.id_ == "model"]
    assert model_hits, "the tiny model found nothing: training did not take"
    for s in model_hits:
        assert s.label_ == "OTHER" and s.kb_id_.startswith("model:chemical:")
    assert ("T-DM1", "ADC", "adc:trastuzumab_emtansine", "pack") in got
    assert ("HER2", "GENE", "hgnc:ERBB2", "pack") in got
    # Wherever the model's span overlaps a pack mention, only the pack's survives.
    pack = [s for s in doc.spans[MENTION_GROUP] if s.id_ != "model" and s.label_ in ("ADC", "GENE")]
    for m in model_hits:
        assert not any(m.start < p.end and p.start < m.end for p in pack)


def test_model_entity_named_in_the_pack_is_mapped():
    ents = [SimpleNamespace(start=0, end=1, text="Kadcyla", label_="CHEMICAL")]
    ents.append(SimpleNamespace(start=2, end=3, text="Zorbitol", label_="CHEMICAL"))
    seen: dict = {}
    cands = model_candidates(ents, load_pack().term_index, seen)
    assert [(c.type, c.entity_id, c.source) for c in cands] == [
        ("ADC", "adc:trastuzumab_emtansine", "model"),
        ("OTHER", "model:chemical:zorbitol", "model"),
    ]
    assert seen["model:chemical:zorbitol"] == ["zorbitol", "CHEMICAL"]


def test_annotate_uses_the_model_named_by_the_setting(model_dir):
    nlp_pipeline.get_nlp.cache_clear()
    text = "Quinoxafen and zorbitol were given with T-DM1."
    doc = DocIngest(
        document=Document(
            "d1", "x.txt", "", "", "", "", "", "abstract", "", "", "text", 0, 0, text
        ),
        sentences=[Sentence("d1", 0, "Abstract", "abstract", 0, len(text), text, False, False)],
    )
    try:
        out = annotate([doc], load_pack(), spacy_model=str(model_dir))["d1"]
    finally:
        nlp_pipeline.get_nlp.cache_clear()
    assert {m.source for m in out} >= {"model", "pack"}
    assert all(text[m.char_start : m.char_end] == m.text for m in out)


def test_no_model_says_so_once(monkeypatch, caplog):
    if any(spacy.util.is_package(m) for m in nlp_pipeline.SCISPACY_MODELS):
        pytest.skip("a scispacy model is installed here")
    nlp_pipeline.get_nlp.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="pipeline.nlp.pipeline"):
            nlp_pipeline.get_nlp("", "")
            nlp_pipeline.get_nlp("", "")
    finally:
        nlp_pipeline.get_nlp.cache_clear()
    msgs = [r.getMessage() for r in caplog.records if "no scispacy model" in r.getMessage()]
    assert len(msgs) == 1 and "pip install" in msgs[0]
