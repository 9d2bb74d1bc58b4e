"""Gold triple files (``tests/gold/triples_*.csv``): reading and row validation.

The evaluator matches gold sentences to predicted evidence by normalised text and scores
category keys, so a gold row with a typo in a sentence, a category or a drug name silently
lowers every measured score. ``gold_errors`` lists every rule each row breaks, each message
naming the row; the gold tests fail on any, and ``evaluate`` warns about them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pipeline.model import GENERIC_ADC, MECHANISM_CATEGORIES, STRATEGY_CATEGORIES

COLUMNS = (
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
)
# HGNC-like symbol (ERBB2, BCL2L1, NECTIN4); anything else must be a lower-case phrase.
GENE_SYMBOL = re.compile(r"[A-Z][A-Z0-9-]*")


def normalise(text: str) -> str:
    """Collapse whitespace runs, so a sentence copied across a line break still matches."""
    return re.sub(r"\s+", " ", text).strip()


def read_gold(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a gold CSV file; a missing file raises naming it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"gold file {path} does not exist")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def catalog_inns() -> set[str]:
    """INNs of the ADC catalogue: the drug names a gold row may use (besides GENERIC_ADC)."""
    from pipeline.pack import load_pack

    return {record.inn for record in load_pack().adc_catalog}


def row_errors(
    i: int, row: dict[str, str], texts: dict[str, str] | None, inns: set[str]
) -> list[str]:
    """Every rule one gold row breaks, each message naming the row (1-based data line).

    ``texts`` maps file name to whitespace-normalised text; the row's sentence must occur in
    its file. ``None`` skips that check (the evaluator has no raw texts).
    """
    where = f"row {i} ({row.get('file', '?')}: {(row.get('sentence') or '')[:50]!r})"
    missing = [c for c in COLUMNS if row.get(c) is None]
    if missing:
        return [f"{where}: missing columns {missing}"]
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
    if not row["sentence"].strip():
        errors.append(f"{where}: empty sentence")
    elif texts is not None:
        text = texts.get(row["file"])
        if text is None:
            errors.append(f"{where}: text file {row['file']!r} not found")
        elif normalise(row["sentence"]) not in text:
            errors.append(f"{where}: sentence not found verbatim in {row['file']}")
    return errors


def gold_errors(
    rows: list[dict[str, str]], texts: dict[str, str] | None, inns: set[str]
) -> list[str]:
    """``row_errors`` of every row, plus duplicate rows and a sentence given two sections."""
    errors: list[str] = []
    seen: set[tuple[str, ...]] = set()
    sections: dict[tuple[str, str], str] = {}
    for i, row in enumerate(rows, start=1):
        row_problems = row_errors(i, row, texts, inns)
        errors.extend(row_problems)
        if any("missing columns" in e for e in row_problems):
            continue
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
