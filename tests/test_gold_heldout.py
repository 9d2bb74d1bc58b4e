"""Checks on the held-out gold set (tests/gold/triples_heldout.csv + tests/gold/heldout/).

The held-out set scores the extractor on 16 abstracts outside the corpus and follows the dev
set's rules (tests/test_gold.py). `tests/` is not a package, so those helpers cannot be imported
under pytest's default import mode; the same row rules are restated compactly here.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pipeline.model import GENERIC_ADC, MECHANISM_CATEGORIES, STRATEGY_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "triples_heldout.csv"
ABSTRACTS = ROOT / "tests" / "gold" / "heldout" / "abstracts"
CATALOG = ROOT / "pipeline" / "resources" / "adc_catalog.tsv"
FILES = [f"h{i:02d}.txt" for i in range(1, 17)]
NO_CLAIM = {"h07.txt"}  # pharmacokinetics abstract: no resistance claim, must have no row
MIN_ROWS = 60
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


def gold_errors(rows: list[dict[str, str]], texts: dict[str, str], inns: set[str]) -> list[str]:
    """Every rule each row breaks (same rules as the dev set), each message naming the row."""
    errors: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for i, row in enumerate(rows, start=1):
        where = f"row {i} ({row['file']}: {row['sentence'][:50]!r})"
        mc, sc, me, drug = (
            row["mechanism_category"],
            row["strategy_category"],
            row["mechanism_entity"],
            row["drug"],
        )
        if mc and mc not in MECHANISM_CATEGORIES:
            errors.append(f"{where}: unknown mechanism_category {mc!r}")
        if sc and sc not in STRATEGY_CATEGORIES:
            errors.append(f"{where}: unknown strategy_category {sc!r}")
        if sum(bool(v) for v in (drug, mc, sc)) < 2:
            errors.append(f"{where}: fewer than two of drug/mechanism/strategy filled")
        if bool(mc) != bool(me) or bool(sc) != bool(row["strategy_entity"]):
            errors.append(f"{where}: a category and its entity must come together")
        if me and me != me.lower() and not GENE_SYMBOL.fullmatch(me):
            errors.append(
                f"{where}: mechanism_entity {me!r} is neither a gene symbol nor lower-case"
            )
        if drug and drug != GENERIC_ADC and drug not in inns:
            errors.append(f"{where}: drug {drug!r} is not a catalogue INN or {GENERIC_ADC!r}")
        for flag in ("negated", "hedged"):
            if row[flag] not in ("true", "false"):
                errors.append(f"{where}: {flag} must be 'true' or 'false', got {row[flag]!r}")
        text = texts.get(row["file"])
        if text is None:
            errors.append(f"{where}: abstract {row['file']!r} not found")
        elif not row["sentence"].strip() or normalise(row["sentence"]) not in text:
            errors.append(f"{where}: sentence not found verbatim in {row['file']}")
        key = tuple(row[c] for c in COLUMNS if c != "note")
        if key in seen:
            errors.append(f"{where}: duplicate of an earlier row")
        seen.add(key)
    return errors


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
    assert columns == COLUMNS


def test_rows_cover_every_claiming_abstract(gold):
    _, rows = gold
    assert len(rows) >= MIN_ROWS
    annotated = {r["file"] for r in rows}
    assert annotated == set(FILES) - NO_CLAIM
    assert not annotated & NO_CLAIM


def test_every_row_follows_the_spec(gold, texts):
    _, rows = gold
    errors = gold_errors(rows, texts, catalog_inns(CATALOG))
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
    errors = gold_errors([{**GOOD, **change}], texts, catalog_inns(CATALOG))
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


def test_validator_catches_duplicates(texts):
    errors = gold_errors([GOOD, dict(GOOD)], texts, catalog_inns(CATALOG))
    assert any("duplicate" in e for e in errors)
