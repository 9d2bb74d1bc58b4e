"""The worked examples of docs/triples.md (the spec), read end to end: ingest, NER with the
knowledge pack and rules, extraction. The table is parsed from the document, so the spec
and the extractor cannot drift apart silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SPEC = Path(__file__).resolve().parents[1] / "docs" / "triples.md"
_CODE = re.compile(r"`([a-z_]+)`")


def _examples() -> list[tuple[str, str, str, str, str]]:
    """(sentence, drug, mechanism category, strategy category, flags) per table row."""
    text = SPEC.read_text(encoding="utf-8").split("## Worked examples", 1)[1]
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("sentence", "---") or set(cells[0]) <= {"-"}:
            continue
        sentence, drug, mech, strat, flags = cells
        m, s = _CODE.search(mech), _CODE.search(strat)
        rows.append((sentence, drug, m.group(1) if m else "", s.group(1) if s else "", flags))
    return rows


EXAMPLES = _examples()


def test_the_spec_has_worked_examples():
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize(("sentence", "drug", "mech", "strat", "flags"), EXAMPLES)
def test_worked_example(read_text, sentence, drug, mech, strat, flags):
    claims = read_text(f"Review\n\n{sentence}", "review.txt")
    if drug.startswith("(no row"):
        assert claims == []
        return
    got = {(c.triple.drug, c.triple.mechanism_category, c.triple.strategy_category) for c in claims}
    assert got == {(drug, mech, strat)}
    assert all(c.evidence.negated == ("negated" in flags) for c in claims)
    assert all(c.evidence.hedged == ("hedged" in flags) for c in claims)
