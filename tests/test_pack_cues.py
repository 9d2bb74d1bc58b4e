"""The one-scan cue engine (pipeline/pack/cues.py) against the plain path it replaces: the
full case-insensitive alternation of each kind, and ``in`` for every literal."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.pack import load_pack
from pipeline.pack.cues import CueLexicon, LiteralIndex, _Branch, _KindMatcher, start_literals
from pipeline.prefilter import Alternation, fold

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _plain(pattern: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in pattern.finditer(text) if m.end() > m.start())


def _sentences() -> list[str]:
    """Corpus lines cut at sentence ends, plus the short windows some rules scan."""
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out += [s for s in re.split(r"(?<=[.;:])\s+", line) if s.strip()]
    windows = [s[i : i + 25] for s in out[::7] for i in range(0, len(s), 11)]
    return out + windows


def test_every_kind_finds_what_its_full_alternation_finds_on_corpus_sentences():
    cues = load_pack().cues
    texts = _sentences()
    assert len(texts) > 2000
    n_multi = 0
    for kind, alternation in cues.alternations.items():
        for text in texts:
            want = _plain(alternation.full, text)
            assert cues.find(text, kind) == want, (kind, text)
            key, matcher = fold(text), cues._kinds[kind]  # the first question's own path too
            assert matcher.spans(text, key, matcher.present(key)) == want, (kind, text)
            n_multi += len(cues._kinds[kind].candidates(cues.scan(text)[1])) > 1
    assert n_multi > 100  # the merge of several branches ran, not only the one-branch path


def test_the_literal_index_finds_every_literal_that_occurs():
    literals = {"res", "resist", "no", "a", "tance", "not only", "ſx", "stan", "istance"}
    literals |= {"a b", "o o", ", b", "\u00a0x", "x\ty"}  # no trigram without white space
    index = LiteralIndex(literals)
    odd = ["a b", "o o o", "x\u00a0x", "x\ty", "no\nresist", "a\u2003b", ", b,b"]
    for text in ("Resistance, not only", "NO RESISTANCE", "", "ab", "sta nce", *odd, *_sentences()):
        key = fold(text)
        assert index.present(key) == {lit for lit in literals if lit in key}, text
    index.MAX_WORDS = 3  # the word memo starting afresh changes nothing
    for text in _sentences()[:200]:
        key = fold(text)
        assert index.present(key) == {lit for lit in literals if lit in key}, text


def test_branches_merge_as_the_alternation_takes_them():
    # at one position the earlier branch wins even when a later one is longer; a match
    # that starts inside a taken one is skipped; a branch is searched again past a match
    branches = [r"\bres\w{0,2}", r"resistance\s+to", r"tance", r"ce\s+to\s+\w+", r"to"]
    matcher = _KindMatcher(Alternation(branches))
    full = re.compile("|".join(f"(?:{b})" for b in branches), re.IGNORECASE)
    everything = frozenset(lit for cs in matcher.clauses for c in cs for lit in c)
    for text in (
        "resistance to T-DM1",
        "Resistance to it; distance to x; resistance TO",
        "tance tance to to",
        "",
    ):
        assert matcher.spans(text, fold(text), everything) == _plain(full, text), text


def test_a_kind_whose_branch_may_match_empty_uses_its_full_alternation():
    matcher = _KindMatcher(Alternation([r"x*", r"resist\w*"]))
    assert matcher.plain
    assert matcher.spans("resistant xx", "resistant xx", frozenset({"resist"})) == (
        (0, 9),
        (10, 12),
    )


def test_unknown_kind_is_an_error_that_names_it():
    try:
        CueLexicon(({"kind": "nonsense", "pattern": "x"},))
    except ValueError as e:
        assert "nonsense" in str(e)
    else:
        raise AssertionError("an unknown cue kind was accepted")


def test_start_literals_are_what_every_match_starts_with():
    assert start_literals(r"\b(?:mediat(?:e|es)|confer\w*)\b") == ("confer", "mediate")
    assert start_literals(r"(?<![\w-])(?:Abc|x)y") == ("abc", "x")
    assert start_literals(r"(?-i:PDX)s?") == ("pdx",)
    assert start_literals(r"\w+resist") is None  # a class first: anywhere
    assert start_literals(r"(?:rw)?PFS") is None  # optional: not every match
    assert start_literals(r"(?:a|)b") is None  # an empty branch
    assert start_literals("\u00e9t\u00e9") is None  # not ASCII: fold does not promise it


def test_a_branch_tried_at_its_start_literals_finds_what_search_finds():
    branch = _Branch(r"\b(?:activ\w*|act|treat(?:s|ed)?)\b")
    for text in ("reactivity, ACTIVE act; treated", "treatise act", "", "ſtreat ACTIVITY"):
        key = fold(text)
        starts = branch.start_positions(key, frozenset(x for x in branch.starts if x in key))
        for pos in range(len(text) + 1):
            want = branch.pattern.search(text, pos)
            got = branch.next_match(text, starts, pos)
            assert (got and got.span()) == (want and want.span()), (text, pos)
