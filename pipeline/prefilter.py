"""Fast, exact regex matching: a long case-insensitive alternation (the cue lexicons) and
any pattern behind the literals its matches need (:class:`Guarded`: rule regexes, DOIs).

Python's ``re`` cannot skip ahead in a case-insensitive alternation whose branches start
with ``\\b`` or a cased letter: it tries every branch at every character, so the
``resistance`` kind of ``relation_cues.tsv`` cost ~95 µs per sentence. Most branches need
literal words a sentence does not contain ("overcom", "refractor"), so each branch gets
the literals its matches must contain, read from the regex's own parse: a list of
clauses, each a set of lower-case strings one of which occurs ("reduc|decreas|..." and
"efficacy|activity|..."). A sentence is scanned only with the branches whose clauses all
hold for it.

Dropping a branch that cannot match anywhere in the text leaves ``finditer``'s matches
unchanged (an alternation takes, at the leftmost position, the first branch that
matches), so the result is the full alternation's; a branch whose literals cannot be
derived is always kept.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import lru_cache

try:  # the parser is private; without it every branch is simply always scanned
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older/newer Pythons
    _sre = _sre_parse = None  # type: ignore[assignment]

Clauses = tuple[frozenset[str], ...]  # all must hold; a clause holds if one string occurs

# Characters outside ASCII that ``re.IGNORECASE`` matches with an ASCII letter (checked
# against every code point by tests/test_prefilter.py).
NON_ASCII_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD = str.maketrans(
    {**dict(zip(string.ascii_uppercase, string.ascii_lowercase, strict=True)), **NON_ASCII_FOLDS}
)


_NEEDS_TRANSLATE = re.compile("[\u0130\u0131\u017f]")  # str.lower keeps or splits them


@lru_cache(maxsize=256)  # every cue kind and rule folds the same sentence
def fold(text: str) -> str:
    """Lower-case ``text`` so that an ASCII literal matching it under ``re.IGNORECASE``
    occurs in the result in lower case (``str.lower`` would turn "İ" into two characters
    and keep "ſ"; ``str.translate`` handles those, but is slow, so only for them)."""
    if text.isascii() or not _NEEDS_TRANSLATE.search(text):
        return text.lower()
    return text.translate(_FOLD)


def split_alternatives(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a regex source (outside groups and character classes)."""
    parts: list[str] = []
    depth, start, i, n = 0, 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: "]" right after "[" or "[^" is a literal
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _rank(clause: frozenset[str]) -> tuple[int, int]:
    """Selectivity of a clause: longest shortest string, then fewest strings."""
    return min(map(len, clause)), -len(clause)


def _needed(seq) -> list[frozenset[str]]:  # noqa: ANN001 - a private sre SubPattern
    """Clauses every match of ``seq`` satisfies ([] if none is known)."""
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            clauses.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in seq:
        if op is _sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if op is _sre.AT:  # zero width: "\bnot\b" still needs "not" contiguously
            continue
        flush()
        if op is _sre.SUBPATTERN:
            clauses += _needed(av[-1])
        elif op is _sre.ATOMIC_GROUP:
            clauses += _needed(av)
        elif op is _sre.ASSERT:  # a lookaround's text occurs too, if not contiguously
            clauses += _needed(av[1])
        elif op is _sre.BRANCH:  # one of the branches' best clauses
            branches = [_needed(b) for b in av[1]]
            if all(branches):
                clauses.append(frozenset().union(*(max(b, key=_rank) for b in branches)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            clauses += _needed(av[2])
    flush()
    return [c for c in clauses if c and all(c)]


def required_literals(pattern: str, flags: int = re.IGNORECASE) -> Clauses:
    """Clauses of lower-case literals every match of ``pattern`` (compiled with ``flags``)
    satisfies, most selective first (empty: any text may match). Lower-casing keeps them
    sound for case-sensitive patterns too."""
    if _sre_parse is None:
        return ()
    try:
        clauses = _needed(_sre_parse.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - an unexpected parse tree only costs speed
        return ()
    # "block" present whenever "blockade" is: the longer literal adds nothing to a clause
    clauses = [frozenset(a for a in c if not any(b != a and b in a for b in c)) for c in clauses]
    return tuple(sorted(set(clauses), key=lambda c: (_rank(c), sorted(c)), reverse=True))


class Alternation:
    """``re.compile("|".join(branches), re.IGNORECASE)`` with a per-text branch prefilter.

    ``finditer`` yields exactly the full alternation's matches.
    """

    def __init__(self, branches: list[str]) -> None:
        pieces = []
        for b in branches:  # a group-free branch splits into its own alternatives
            sub = split_alternatives(b)
            if len(sub) > 1 and re.compile(b).groups == 0:
                pieces.extend(f"(?:{s})" for s in sub)
            else:
                pieces.append(f"(?:{b})")
        self.pieces = tuple(pieces)
        self.clauses = tuple(required_literals(p) for p in pieces)
        self.full = re.compile("|".join(self.pieces), re.IGNORECASE)
        self._always = frozenset(i for i, c in enumerate(self.clauses) if not c)
        self._none = tuple(sorted(self._always))  # the pieces when no literal occurs
        # the first (most selective) clause finds the candidates, the others confirm them
        by_literal: dict[str, set[int]] = {}
        for i, c in enumerate(self.clauses):
            for lit in c[0] if c else ():
                by_literal.setdefault(lit, set()).add(i)
        self._checks = tuple((lit, frozenset(ids)) for lit, ids in sorted(by_literal.items()))

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices of the pieces that may match somewhere in ``text``."""
        if self._always:  # a piece scanned every time: the prefilter would only add cost
            return tuple(range(len(self.pieces)))
        key = fold(text)
        hits = [ids for lit, ids in self._checks if lit in key]
        if not hits:
            return self._none
        which = self._always.union(*hits)
        return tuple(
            i
            for i in sorted(which)
            if all(any(lit in key for lit in c) for c in self.clauses[i][1:])
        )

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per cue kind, process lifetime
    def _compiled(self, which: tuple[int, ...]) -> re.Pattern[str] | None:
        if not which:
            return None
        if len(which) == len(self.pieces):
            return self.full
        return re.compile("|".join(self.pieces[i] for i in which), re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern = self._compiled(self.candidates(text))
        return iter(()) if pattern is None else pattern.finditer(text)


class Guarded:
    """A compiled regex whose ``search``/``match``/``finditer`` return "no match" at once
    when the text lacks the literals every match needs (:func:`required_literals`): the
    same results, without scanning the many sentences a rule cannot apply to."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.clauses = required_literals(pattern.pattern, pattern.flags)

    def may_match(self, text: str) -> bool:
        if not self.clauses:
            return True
        key = fold(text)
        for clause in self.clauses:  # plain loops: this runs for every sentence and window
            for lit in clause:
                if lit in key:
                    break
            else:
                return False
        return True

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.pattern.search(text, *args) if self.may_match(text) else None

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.pattern.match(text, *args) if self.may_match(text) else None

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, *args) if self.may_match(text) else iter(())

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self.pattern.sub(repl, text, count) if self.may_match(text) else text


def guarded(pattern: re.Pattern[str]) -> Guarded:
    """``pattern`` behind its literal prefilter (see :class:`Guarded`)."""
    return Guarded(pattern)
