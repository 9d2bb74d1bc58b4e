"""Checks on the dev gold set (tests/gold/triples_dev.csv) that the evaluator relies on.

The evaluator matches gold sentences to predicted evidence by whitespace-normalised text
containment and scores category keys, so a gold row with a typo in a sentence or a category
silently lowers every measured score. These tests fail on such a row and name it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.gold import COLUMNS, catalog_inns, gold_errors, normalise, read_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "triples_dev.csv"
CORPUS = ROOT / "corpus"
MIN_ROWS = 120


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt")}


@pytest.fixture(scope="module")
def inns() -> set[str]:
    return catalog_inns()


@pytest.fixture(scope="module")
def gold() -> tuple[list[str], list[dict[str, str]]]:
    return read_gold(GOLD)


def test_columns_exact(gold):
    columns, _ = gold
    assert tuple(columns) == COLUMNS


def test_enough_rows_over_every_document(gold, corpus_texts):
    _, rows = gold
    assert len(rows) >= MIN_ROWS
    assert {r["file"] for r in rows} == set(corpus_texts), "every corpus document is annotated"


def test_every_row_follows_the_spec(gold, corpus_texts, inns):
    _, rows = gold
    errors = gold_errors(rows, corpus_texts, inns)
    assert not errors, "\n".join(errors)


GOOD = {
    "file": "x.txt",
    "section": "References",
    "sentence": "Inhibition of MDR1 overcomes resistance to brentuximab vedotin.",
    "drug": "brentuximab vedotin",
    "mechanism_category": "drug_efflux",
    "mechanism_entity": "ABCB1",
    "strategy_category": "efflux_inhibition",
    "strategy_entity": "MDR1 inhibition",
    "negated": "false",
    "hedged": "false",
    "note": "",
}
TOY_CORPUS = {
    "x.txt": normalise(
        "Title.\nInhibition of MDR1 overcomes\n resistance to brentuximab vedotin. More."
    )
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, None),
        ({"mechanism_category": "efflux"}, "unknown mechanism_category"),
        ({"strategy_category": "combination_IO"}, "unknown strategy_category"),
        (
            {
                "mechanism_category": "",
                "mechanism_entity": "",
                "strategy_category": "",
                "strategy_entity": "",
            },
            "fewer than two",
        ),
        ({"sentence": "Inhibition of MDR1 overcomes resistance to T-DM1."}, "not found verbatim"),
        ({"drug": "Brentuximab Vedotin"}, "not a catalogue INN"),
        ({"hedged": "yes"}, "hedged must be"),
        ({"mechanism_entity": "Efflux Pumps"}, "neither a gene symbol"),
        ({"strategy_entity": ""}, "must come together"),
    ],
)
def test_validator_catches_broken_rows(change, message):
    errors = gold_errors([{**GOOD, **change}], TOY_CORPUS, {"brentuximab vedotin"})
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


def test_validator_catches_duplicates():
    errors = gold_errors([GOOD, dict(GOOD)], TOY_CORPUS, {"brentuximab vedotin"})
    assert any("duplicate" in e for e in errors)
