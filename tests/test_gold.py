"""Checks on the dev gold set (tests/gold/triples_dev.csv) that the evaluator relies on.

The evaluator matches gold sentences to predicted evidence by whitespace-normalised text
containment and scores category keys, so a gold row with a typo in a sentence or a category
silently lowers every measured score. These tests fail on such a row and name it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pipeline.model import GENERIC_ADC, MECHANISM_CATEGORIES, STRATEGY_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "triples_dev.csv"
CORPUS = ROOT / "corpus"
CATALOG = ROOT / "pipeline" / "resources" / "adc_catalog.tsv"

COLUMNS = [
    "file",
    "section",
    "sentence",
    "drug",
    "mechanism_category",
    "mechanism_entity",
    "strategy_category",
    "strategy_entity",
    "negated",
    "hedged",
    "note",
]
MIN_ROWS = 120
# HGNC-like symbol (ERBB2, BCL2L1, NECTIN4) or a lower-case phrase ("binding-site barrier").
GENE_SYMBOL = re.compile(r"[A-Z][A-Z0-9-]*")


def normalise(text: str) -> str:
    """Collapse whitespace runs, as the evaluator does before matching sentences."""
    return re.sub(r"\s+", " ", text).strip()


def read_gold(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def catalog_inns(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["inn"] for row in csv.DictReader(fh, delimiter="\t")}


def row_errors(
    i: int, row: dict[str, str], corpus_texts: dict[str, str], inns: set[str]
) -> list[str]:
    """Every rule a single gold row breaks, each message naming the row (1-based data line)."""
    where = f"row {i} ({row.get('file', '?')}: {row.get('sentence', '')[:50]!r})"
    errors: list[str] = []
    mc, sc = row["mechanism_category"], row["strategy_category"]
    if mc and mc not in MECHANISM_CATEGORIES:
        errors.append(f"{where}: unknown mechanism_category {mc!r}")
    if sc and sc not in STRATEGY_CATEGORIES:
        errors.append(f"{where}: unknown strategy_category {sc!r}")
    if sum(bool(v) for v in (row["drug"], mc, sc)) < 2:
        errors.append(f"{where}: fewer than two of drug/mechanism/strategy filled")
    if bool(mc) != bool(row["mechanism_entity"]):
        errors.append(f"{where}: mechanism_category and mechanism_entity must come together")
    if bool(sc) != bool(row["strategy_entity"]):
        errors.append(f"{where}: strategy_category and strategy_entity must come together")
    me = row["mechanism_entity"]
    if me and me != me.lower() and not GENE_SYMBOL.fullmatch(me):
        errors.append(f"{where}: mechanism_entity {me!r} is neither a gene symbol nor lower-case")
    drug = row["drug"]
    if drug and drug != GENERIC_ADC and drug not in inns:
        errors.append(f"{where}: drug {drug!r} is not a catalogue INN or {GENERIC_ADC!r}")
    for flag in ("negated", "hedged"):
        if row[flag] not in ("true", "false"):
            errors.append(f"{where}: {flag} must be 'true' or 'false', got {row[flag]!r}")
    text = corpus_texts.get(row["file"])
    if text is None:
        errors.append(f"{where}: corpus file {row['file']!r} not found")
    elif not row["sentence"].strip():
        errors.append(f"{where}: empty sentence")
    elif normalise(row["sentence"]) not in text:
        errors.append(f"{where}: sentence not found verbatim in {row['file']}")
    return errors


def gold_errors(
    rows: list[dict[str, str]], corpus_texts: dict[str, str], inns: set[str]
) -> list[str]:
    errors: list[str] = []
    seen: set[tuple[str, ...]] = set()
    sections: dict[tuple[str, str], str] = {}
    for i, row in enumerate(rows, start=1):
        errors.extend(row_errors(i, row, corpus_texts, inns))
        key = tuple(row[c] for c in COLUMNS if c != "note")
        if key in seen:
            errors.append(f"row {i}: duplicate of an earlier row")
        seen.add(key)
        first = sections.setdefault((row["file"], row["sentence"]), row["section"])
        if first != row["section"]:
            errors.append(
                f"row {i}: same sentence given two sections ({first!r}, {row['section']!r})"
            )
    return errors


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt")}


@pytest.fixture(scope="module")
def inns() -> set[str]:
    return catalog_inns(CATALOG)


@pytest.fixture(scope="module")
def gold() -> tuple[list[str], list[dict[str, str]]]:
    return read_gold(GOLD)


def test_columns_exact(gold):
    columns, _ = gold
    assert columns == COLUMNS


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
