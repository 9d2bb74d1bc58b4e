"""Tokenizer: scispacy's rules plus the entity-friendly splits (pipeline/nlp/tokenizer.py)."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp.text import fold_dashes
from pipeline.nlp.tokenizer import build_tokenizer


@pytest.fixture(scope="module")
def tok():
    nlp = spacy.blank("en")
    return build_tokenizer(nlp)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("HER2-positive", ["HER2", "-", "positive"]),
        ("HER2-Targeting", ["HER2", "-", "Targeting"]),
        ("HER2-ADC", ["HER2", "-", "ADC"]),
        ("anti-HER2", ["anti", "-", "HER2"]),
        ("T-DM1 Dato-DXd PD-1 B7-H3 Trop-2", ["T-DM1", "Dato-DXd", "PD-1", "B7-H3", "Trop-2"]),
        ("Bcl-2/xL", ["Bcl-2", "/", "xL"]),
        ("PI3K/AKT/mTOR", ["PI3K", "/", "AKT", "/", "mTOR"]),
        ("PI3K", ["PI3K"]),
        ("10mg", ["10", "mg"]),
        ("deruxtecan(DS-8201a)", ["deruxtecan", "(", "DS-8201a", ")"]),
        ("(SYD985).Eur", ["(", "SYD985", ")", ".", "Eur"]),
        ("(EGFR)-mutated", ["(", "EGFR", ")", "-", "mutated"]),
        ("Xu P.YES1 amplification", ["Xu", "P", ".", "YES1", "amplification"]),
        ("Saxton RA.mTOR signaling", ["Saxton", "RA", ".", "mTOR", "signaling"]),
        ("HR+/HER2+", ["HR+", "/", "HER2", "+"]),
        (fold_dashes("HR+/HER2– breast"), ["HR+", "/", "HER2", "-", "breast"]),
        ("TROP2- and", ["TROP2", "-", "and"]),
        ("cyclosporin A.", ["cyclosporin", "A", "."]),
        ("(T-DXd)/disitamab", ["(", "T-DXd", ")", "/", "disitamab"]),
    ],
)
def test_entity_names_become_tokens(tok, text, tokens):
    assert [t.text for t in tok(text)] == tokens


def test_fold_dashes_keeps_length():
    text = "antibody‒drug – conjugate\u00a0x — y"
    folded = fold_dashes(text)
    assert len(folded) == len(text)
    assert folded == "antibody-drug - conjugate x - y"
