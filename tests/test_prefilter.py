"""The cue prefilter gives exactly the matches of the plain case-insensitive alternation."""

from __future__ import annotations

import re
import string
from pathlib import Path

from pipeline.pack import DEFAULT_RESOURCES, load_pack
from pipeline.prefilter import (
    NON_ASCII_FOLDS,
    Alternation,
    fold,
    required_literals,
    split_alternatives,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _spans(pattern: re.Pattern[str] | Alternation, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_non_ascii_folds_are_every_character_ignorecase_matches_with_an_ascii_letter():
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {}
    for cp in range(128, 0x110000):
        c = chr(cp)
        if letter.fullmatch(c):
            found[c] = next(a for a in string.ascii_lowercase if re.fullmatch(a, c, re.I))
    assert found == NON_ASCII_FOLDS


def test_fold_keeps_an_ignorecase_literal_findable():
    for text, word in (
        ("RESISTANCE", "resist"),
        ("İNHIBIT", "inhibit"),
        ("reſiſtance", "resist"),
        ("\u212aILLING", "killing"),
        ("UNAFFECTED — ÉTÉ", "unaffected"),
    ):
        assert re.search(word, text, re.IGNORECASE)
        assert word in fold(text), text


def test_split_alternatives_only_at_top_level():
    assert split_alternatives(r"a|b(?:c|d)|[|]|\||e") == ["a", "b(?:c|d)", "[|]", r"\|", "e"]
    assert split_alternatives(r"[]|]x|y") == ["[]|]x", "y"]
    assert split_alternatives("abc") == ["abc"]


def test_required_literals_are_clauses_every_match_satisfies():
    assert required_literals(r"\bovercom\w*") == (frozenset({"overcom"}),)
    clauses = required_literals(r"(?:reduc|lower)\w*\s+(?:\w+\s+){0,2}(?:efficacy|response)")
    assert set(clauses) == {frozenset({"reduc", "lower"}), frozenset({"efficacy", "response"})}
    assert required_literals(r"\s(?=but\b)") == (frozenset({"but"}),)
    assert required_literals(r"\w+|x") == ()  # a branch with no literal: always scanned
    assert required_literals(r"(?:abc)?\d+") == ()  # optional: not needed


def _texts() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    with (DEFAULT_RESOURCES / "relation_cues.tsv").open(encoding="utf-8") as fh:
        notes = [ln.split("\t")[-1] for ln in fh]
    tricky = [
        "RESISTANCE TO T-DXD; it FAILED to respond — but not only that, İNHIBITORS",
        "reſiſtance whereas \u212aILLING was REDUCED; Although X, y. Then z",
        "Drug-resistant cells: efficacy was not reduced, and no longer sensitive",
        "",
    ]
    return lines + notes + tricky + [t.upper() for t in notes]


def test_every_cue_kind_matches_exactly_as_the_plain_alternation():
    rows: dict[str, list[str]] = {}
    with (DEFAULT_RESOURCES / "relation_cues.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            kind, pattern, _ = line.rstrip("\n").split("\t")
            rows.setdefault(kind, []).append(pattern)
    texts = _texts()
    assert len(texts) > 500
    for kind, patterns in rows.items():
        plain = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        fast = load_pack().cues.alternations[kind]
        for text in texts:
            assert _spans(fast, text) == _spans(plain, text), (kind, text)
            want = [s for s in _spans(plain, text) if s[1] > s[0]]
            assert list(load_pack().cues.find(text, kind)) == want


def test_a_branch_the_text_cannot_match_is_skipped():
    alt = Alternation([r"\bovercom\w*", r"\bplus\b|\bcombin\w*"])
    assert alt.pieces == (r"(?:\bovercom\w*)", r"(?:\bplus\b)", r"(?:\bcombin\w*)")
    assert alt.candidates("T-DM1 PLUS pertuzumab") == (1,)
    assert alt.candidates("nothing here") == ()
    assert _spans(alt, "Overcome it, plus more") == [(0, 8), (13, 17)]


def test_guarded_rule_patterns_find_what_the_plain_patterns_find():
    from pipeline.extract import drugs, phrases, slots
    from pipeline.prefilter import Guarded

    guarded = [
        v for m in (drugs, phrases, slots) for v in vars(m).values() if isinstance(v, Guarded)
    ]
    assert len(guarded) >= 5
    texts = _texts()
    windows = [t[i : i + 50] for t in texts[:300] for i in range(0, len(t), 17)]
    for g in guarded:
        assert g.clauses, g.pattern.pattern  # otherwise the guard is useless
        for text in texts + windows:
            plain = g.pattern
            assert _spans(g, text) == _spans(plain, text), (g.pattern.pattern, text)
            for got, want in (
                (g.search(text), plain.search(text)),
                (g.match(text), plain.match(text)),
            ):
                assert (got and got.span()) == (want and want.span()), (g.pattern.pattern, text)
