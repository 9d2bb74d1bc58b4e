"""Vocabulary epochs: the strings a run adds are freed every N documents, results unchanged."""

from __future__ import annotations

import spacy

from pipeline.nlp.memory import enter_epoch, leave_epoch


def _tokens(nlp, texts: list[str]) -> list[list[str]]:
    return [[t.text for t in doc] for doc in nlp.pipe(texts)]


def test_an_epoch_frees_the_strings_it_added_and_keeps_results():
    nlp = spacy.blank("en")
    before = len(nlp.vocab.strings)
    texts = [f"zqx{i} wvy{i} resistance" for i in range(6)]
    try:
        enter_epoch(nlp, 2, docs_per_epoch=2)
        first = _tokens(nlp, texts[:2])
        grown = len(nlp.vocab.strings)
        assert grown > before  # the new words were added ...
        enter_epoch(nlp, 2, docs_per_epoch=2)  # 2 < 2 is false: a new epoch starts
        assert len(nlp.vocab.strings) == before  # ... and freed with their epoch
        again = _tokens(nlp, texts[:2])
        assert again == first  # same tokens after the vocabulary was reset
    finally:
        leave_epoch(nlp)
    assert len(nlp.vocab.strings) == before


def test_documents_within_an_epoch_share_it():
    nlp = spacy.blank("en")
    try:
        enter_epoch(nlp, 1, docs_per_epoch=10)
        _tokens(nlp, ["abcdef123 ghijk456"])
        grown = len(nlp.vocab.strings)
        enter_epoch(nlp, 1, docs_per_epoch=10)  # 1 < 10: same epoch, nothing freed
        assert len(nlp.vocab.strings) == grown
    finally:
        leave_epoch(nlp)
