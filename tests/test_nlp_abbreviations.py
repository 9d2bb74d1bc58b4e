"""The abbreviation detector's short-form search against the per-document regex it replaces."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.nlp.abbreviations import word_occurrences

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _plain(text: str, words: list[str]) -> list[tuple[int, str]]:
    alts = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
    return [(m.start(), m.group(0)) for m in pattern.finditer(text)]


def test_short_forms_are_found_where_the_alternation_finds_them():
    cases = [
        ("HER2 (HER) and HER-2, HER2+ or HER; xHER", ["HER", "HER2"]),
        ("T-DM1 T-DM1x T-DM T-DM1", ["T-DM", "T-DM1", "DM1"]),
        ("ADC ADCs ADC_ ADC. é-ADC ADCé", ["ADC", "ADCs"]),
        ("AA AAA AAAA", ["AA", "AAA"]),  # overlapping occurrences of one word
        ("", ["X"]),
    ]
    for text, words in cases:
        assert word_occurrences(text, words) == _plain(text, words), text


def test_short_forms_on_corpus_text():
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    words = sorted(set(re.findall(r"\(([A-Z][A-Za-z0-9-]{1,8})\)", text)))
    assert len(words) > 20
    got = word_occurrences(text, words)
    assert len(got) > 100
    assert got == _plain(text, words)
