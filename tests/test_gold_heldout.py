"""Checks on the held-out gold set (tests/gold/triples_heldout.csv + tests/gold/heldout/).

The held-out set scores the extractor on 16 abstracts outside the corpus and follows the dev
set's row rules (``pipeline.evaluation.gold.gold_errors``, as tests/test_evaluation_gold.py);
the checks here that are specific to it: 16 abstracts of a title and one paragraph, h07
without rows, sections by position.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.evaluation.gold import COLUMNS, catalog_inns, gold_errors, normalise, read_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "triples_heldout.csv"
ABSTRACTS = ROOT / "tests" / "gold" / "heldout" / "abstracts"
FILES = [f"h{i:02d}.txt" for i in range(1, 17)]
NO_CLAIM = {"h07.txt"}  # pharmacokinetics abstract: no resistance claim, must have no row
MIN_ROWS = 60


@pytest.fixture(scope="module")
def raw_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(ABSTRACTS.glob("*.txt"))}


@pytest.fixture(scope="module")
def texts(raw_texts) -> dict[str, str]:
    return {name: normalise(text) for name, text in raw_texts.items()}


@pytest.fixture(scope="module")
def gold() -> tuple[list[str], list[dict[str, str]]]:
    return read_gold(GOLD)


def test_sixteen_abstracts_title_plus_one_paragraph(raw_texts):
    assert sorted(raw_texts) == FILES
    for name, text in raw_texts.items():
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == 2, f"{name}: expected a title line and one paragraph"
        words = len(lines[1].split())
        assert 150 <= words <= 250, f"{name}: abstract has {words} words"


def test_columns_exact(gold):
    columns, _ = gold
    assert tuple(columns) == COLUMNS


def test_rows_cover_every_claiming_abstract(gold):
    _, rows = gold
    assert len(rows) >= MIN_ROWS
    annotated = {r["file"] for r in rows}
    assert annotated == set(FILES) - NO_CLAIM
    assert not annotated & NO_CLAIM


def test_every_row_follows_the_spec(gold, texts):
    _, rows = gold
    errors = gold_errors(rows, texts, catalog_inns())
    assert not errors, "\n".join(errors)


def test_section_matches_position(gold, raw_texts):
    _, rows = gold
    titles = {name: text.splitlines()[0].strip() for name, text in raw_texts.items()}
    wrong = [
        f"{r['file']}: {r['sentence'][:50]!r} labelled {r['section']!r}"
        for r in rows
        if r["section"] != ("Title" if r["sentence"] == titles[r["file"]] else "Abstract")
    ]
    assert not wrong, "\n".join(wrong)


def test_rows_are_single_sentences(gold):
    _, rows = gold
    # A sentence-final period followed by a capital inside a row means two sentences were pasted.
    glued = [r["sentence"] for r in rows if re.search(r"[a-z0-9)]\. [A-Z]", r["sentence"])]
    assert not glued, glued


GOOD = {
    "file": "h04.txt",
    "section": "Abstract",
    "sentence": "MDR1 upregulation was frequent in tumour samples from patients progressing on BV.",
    "drug": "brentuximab vedotin",
    "mechanism_category": "drug_efflux",
    "mechanism_entity": "ABCB1",
    "strategy_category": "",
    "strategy_entity": "",
    "negated": "false",
    "hedged": "false",
    "note": "",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, None),
        ({"file": "h05.txt"}, "not found verbatim"),
        ({"mechanism_category": "efflux"}, "unknown mechanism_category"),
        ({"strategy_category": "combination_IO", "strategy_entity": "x"}, "unknown strategy"),
        ({"mechanism_category": "", "mechanism_entity": ""}, "fewer than two"),
        ({"drug": "BV"}, "not a catalogue INN"),
        ({"negated": "no"}, "negated must be"),
        ({"mechanism_entity": "Efflux Pumps"}, "neither a gene symbol"),
        ({"strategy_entity": "cyclosporine"}, "must come together"),
    ],
)
def test_validator_catches_broken_rows(change, message, texts):
    errors = gold_errors([{**GOOD, **change}], texts, catalog_inns())
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


def test_validator_catches_duplicates(texts):
    errors = gold_errors([GOOD, dict(GOOD)], texts, catalog_inns())
    assert any("duplicate" in e for e in errors)
