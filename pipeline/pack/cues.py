"""Extraction tables of the knowledge pack: relation cues, gene roles, partner strategies,
canonical cue entities.

Built once per pack (see :class:`pipeline.pack.Pack`) from ``relation_cues.tsv``,
``partner_strategy.tsv``, ``genes.tsv`` and the NER cue tables; the decisions are made in
:mod:`pipeline.extract`.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.prefilter import Alternation, fold

if TYPE_CHECKING:
    from pipeline.pack import Pack

CUE_KINDS = (
    "resistance",
    "overcome",
    "improvement",
    "combination",
    "biomarker",
    "negation",
    "negation_exception",
    "despite",
    "hedge",
    "clause_break",
    "population",
    "method",
    "aim",
    "finding",
    "question",
    "outcome",
    "association",
    "model",
    "anaphor",
    "other_therapy",
    "level_up",
    "level_down",
    "sensitive_group",
    "resistant_group",
    "disease",
    "works",
    "clinical",
    "induced_resistance",
    "action",
    "loss_word",
    "alteration",
    "assessment",
    "linker_or_antibody_class",
)

Span = tuple[int, int]
_CUE_DASHES = re.compile(r"[\-\u2010\u2011\u2013]")  # compiled once, not per cue


class CueLexicon:
    """Every cue kind of ``relation_cues.tsv``, matched with one literal scan per text.

    A text's literals (those :mod:`pipeline.prefilter` derives from every branch of every
    kind) are found once, through an index of their trigrams, and shared by all kinds
    (:meth:`scan`); a kind's spans then come from its branches whose literals occur, each
    compiled once at load. :meth:`find` returns exactly the full alternation's
    ``finditer`` spans (tests/test_pack_cues.py compares the two on corpus sentences).
    """

    def __init__(self, rows: tuple[dict[str, str], ...]) -> None:
        by_kind: dict[str, list[str]] = {k: [] for k in CUE_KINDS}
        for row in rows:
            kind = row["kind"]
            if kind not in by_kind:
                raise ValueError(f"relation_cues.tsv: unknown cue kind {kind!r}")
            by_kind[kind].append(row["pattern"])
        self.alternations = {k: Alternation(v) for k, v in by_kind.items() if v}
        self._kinds = {k: _KindMatcher(a) for k, a in self.alternations.items()}
        # what the prefilter needs, and where matches start, of every kind
        self._literals = LiteralIndex(set().union(*(m.literals for m in self._kinds.values())))
        kinds_of: dict[str, set[str]] = {}  # a literal -> the kinds it lets match
        for kind, m in self._kinds.items():
            for lit in m.first_literals:
                kinds_of.setdefault(lit, set()).add(kind)
        self._kinds_of = {lit: frozenset(k) for lit, k in kinds_of.items()}
        self._always_kinds = frozenset(k for k, m in self._kinds.items() if m.always)
        # the clause, negation and hedge rules ask again for every claim of a sentence
        self.find = lru_cache(maxsize=4096)(self._find)
        self.scan = lru_cache(maxsize=1024)(self._scan)
        self._asked_once: set[str] = set()  # texts asked about one kind so far

    def patterns(self) -> dict[str, re.Pattern[str]]:
        """The full alternation of each kind (the prefilter's reference)."""
        return {k: a.full for k, a in self.alternations.items()}

    def _scan(self, text: str) -> tuple[str, frozenset[str], frozenset[str]]:
        """(``text`` folded; the cue literals occurring in it; the kinds some branch of
        which they let match), shared by every kind: most kinds are then ruled out at once."""
        key = fold(text)
        present = self._literals.present(key)
        kinds_of = self._kinds_of
        kinds = self._always_kinds.union(*(kinds_of[lit] for lit in present if lit in kinds_of))
        return key, present, kinds

    def _find(self, text: str, kind: str) -> tuple[Span, ...]:
        """Character spans (relative to ``text``) where a cue of ``kind`` occurs.

        The first question about a text reads only that kind's literals: half the texts
        the rules ask about are short windows asked one kind only ("assessment" after a
        strategy); a second kind on the same text pays for the scan of every kind."""
        matcher = self._kinds.get(kind)
        if matcher is None:
            return ()
        if text not in self._asked_once:
            if len(self._asked_once) >= 8192:
                self._asked_once.clear()
            self._asked_once.add(text)
            key = fold(text)
            return matcher.spans(text, key, matcher.present(key))
        key, present, kinds = self.scan(text)
        if kind not in kinds:
            return ()
        return matcher.spans(text, key, present)


class LiteralIndex:
    """Which of a fixed set of lower-case literals occur in a folded text.

    A literal is filed under its rarest trigram without white space: such a trigram, when
    it occurs, lies inside one white-space-separated word of the text. So the candidates
    of a text are those filed under the trigrams of its words, remembered per word (a
    word recurs in sentence after sentence), and each candidate is confirmed with ``in``.
    A literal that occurs has all its trigrams in the text: none is missed. Literals with
    no such trigram ("no", "or", "a b") are tested in every text.
    """

    MAX_WORDS = 200_000  # remembered words; the memo starts afresh beyond (bounded memory)

    def __init__(self, literals: set[str]) -> None:
        counts: dict[str, int] = {}
        for lit in literals:
            for tri in _trigrams(lit):
                counts[tri] = counts.get(tri, 0) + 1
        by_trigram: dict[str, list[str]] = {}
        short: list[str] = []
        for lit in sorted(literals):
            tris = _trigrams(lit)
            if not tris:
                short.append(lit)
                continue
            rarest = min(sorted(tris), key=lambda t: counts[t])
            by_trigram.setdefault(rarest, []).append(lit)
        self.by_trigram = {t: tuple(v) for t, v in by_trigram.items()}
        self.trigrams = frozenset(self.by_trigram)
        self.short = tuple(short)
        self._words: dict[str, tuple[str, ...]] = {}

    def _of_word(self, word: str) -> tuple[str, ...]:
        """The literals filed under a trigram of ``word`` (candidates, unconfirmed)."""
        tris = self.trigrams.intersection([word[i : i + 3] for i in range(len(word) - 2)])
        found = tuple(lit for tri in sorted(tris) for lit in self.by_trigram[tri])
        if len(self._words) >= self.MAX_WORDS:
            self._words.clear()
        self._words[word] = found
        return found

    def present(self, key: str) -> frozenset[str]:
        """The literals that occur in ``key``."""
        words = self._words
        candidates = set(self.short)
        for word in set(key.split()):
            found = words.get(word)
            candidates.update(self._of_word(word) if found is None else found)
        return frozenset(lit for lit in candidates if lit in key)


def _trigrams(text: str) -> set[str]:
    """Trigrams of ``text`` without white space (``str.split``'s white space)."""
    grams = (text[i : i + 3] for i in range(len(text) - 2))
    return {g for g in grams if len(g.split()) == 1 and g.split()[0] == g}


class _Branch:
    """One branch of a cue kind, compiled once, and the literals every match of it starts
    with (:func:`start_literals`): its matches are then tried only where one of them occurs
    in the folded text (``pattern.match`` there), not at every character."""

    def __init__(self, source: str) -> None:
        self.pattern = re.compile(source, re.IGNORECASE)
        self.starts = start_literals(source)

    def start_positions(self, key: str, present: frozenset[str]) -> list[int] | None:
        """Where a match may start in a text folded to ``key`` with the literals
        ``present`` (None: anywhere)."""
        if self.starts is None:
            return None
        found = set()
        for lit in present.intersection(self.starts):
            at = key.find(lit)
            while at >= 0:
                found.add(at)
                at = key.find(lit, at + 1)
        return sorted(found)

    def next_match(self, text: str, starts: list[int] | None, pos: int) -> re.Match[str] | None:
        """``pattern.search(text, pos)``: the leftmost match starting at ``pos`` or later."""
        if starts is None:
            return self.pattern.search(text, pos)
        match = self.pattern.match
        for at in starts[bisect.bisect_left(starts, pos) :]:
            m = match(text, at)
            if m is not None:
                return m
        return None


class _KindMatcher:
    """One cue kind's branches, each compiled once, scanned as their alternation is.

    ``finditer`` over an alternation takes, at the leftmost position where any branch
    matches, the first branch (in order) that matches there, then goes on from the end of
    that match. :meth:`spans` does the same with the branches that may match: each one's
    next match is kept and renewed only once a taken match passes its start. Exact while no
    branch can match the empty string and the branches share no groups (checked here;
    otherwise the kind uses its full alternation).
    """

    def __init__(self, alternation: Alternation) -> None:
        self.full = alternation.full
        self.clauses = alternation.clauses
        self.branches = tuple(_Branch(p) for p in alternation.pieces)
        self.plain = self.full.groups > 0 or any(_may_be_empty(p) for p in alternation.pieces)
        self.always = frozenset(i for i, c in enumerate(self.clauses) if not c)
        first: dict[str, set[int]] = {}  # the most selective clause finds the candidates
        for i, c in enumerate(self.clauses):
            for lit in c[0] if c else ():
                first.setdefault(lit, set()).add(i)
        self.first = {lit: frozenset(ids) for lit, ids in first.items()}
        self.first_literals = frozenset(first)
        self.literals = tuple(  # every literal candidates() and the branches consult
            sorted(
                {lit for cs in self.clauses for c in cs for lit in c}
                | {lit for b in self.branches for lit in b.starts or ()}
            )
        )

    def present(self, key: str) -> frozenset[str]:
        """This kind's literals occurring in ``key``: all :meth:`spans` needs to know."""
        return frozenset(lit for lit in self.literals if lit in key)

    def candidates(self, present: frozenset[str]) -> list[int]:
        """Branches every clause of whose literals holds in a text with ``present``."""
        hits = self.first_literals.intersection(present)
        if not hits:
            return sorted(self.always)
        which = self.always.union(*(self.first[lit] for lit in hits))
        return [
            i for i in sorted(which) if all(not present.isdisjoint(c) for c in self.clauses[i][1:])
        ]

    def spans(self, text: str, key: str, present: frozenset[str]) -> tuple[Span, ...]:
        """The full alternation's ``finditer`` spans in ``text`` (folded: ``key``)."""
        if self.plain or self.always:  # a branch scanned every time: merging costs more
            return tuple(m.span() for m in self.full.finditer(text) if m.end() > m.start())
        which = self.candidates(present)
        if not which:
            return ()
        branches = [self.branches[i] for i in which]
        starts = [b.start_positions(key, present) for b in branches]
        ahead = [b.next_match(text, s, 0) for b, s in zip(branches, starts, strict=True)]
        out: list[Span] = []
        while True:
            best = None
            for m in ahead:  # leftmost start; the earlier branch at a tie
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return tuple(out)
            end = best.end()
            out.append((best.start(), end))
            for j, m in enumerate(ahead):
                if m is not None and m.start() < end:
                    ahead[j] = branches[j].next_match(text, starts[j], end)


def start_literals(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literals one of which every match of ``pattern`` (``re.IGNORECASE``)
    starts with, read from its parse (None when the parse does not say: a class, a
    repeat, a non-ASCII character first). Zero-width assertions before them are skipped:
    they consume nothing."""
    try:
        from re import _constants as sre
        from re import _parser

        found = _starts(_parser.parse(pattern, re.IGNORECASE), sre)
    except Exception:  # noqa: BLE001 - a private parser: unknown means scan everywhere
        return None
    return None if not found or not all(found) else tuple(sorted(found))


def _starts(seq, sre) -> set[str] | None:  # noqa: ANN001 - private sre types
    run: list[str] = []
    for op, av in seq:
        if op is sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            break
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.SUBPATTERN:
            return _starts(av[-1], sre)
        if op is sre.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                found = _starts(branch, sre)
                if not found:
                    return None
                out |= found
            return out
        return None
    return {"".join(run)} if run else None


def _may_be_empty(pattern: str) -> bool:
    """Whether ``pattern`` can match the empty string (unknown: assume it can)."""
    try:
        from re import _parser

        return _parser.parse(pattern, re.IGNORECASE).getwidth()[0] == 0
    except Exception:  # noqa: BLE001 - a private parser: unknown means the plain path
        return True


def gene_roles(pack: Pack) -> dict[str, tuple[str, str]]:
    """HGNC symbol -> (default mechanism category, role), from ``genes.tsv``.

    The role is the gene's group ("antigen", "abc_transporter", "signalling", ...); a gene
    is treated as an ``antigen`` only when its default category is ``antigen_loss``.
    """
    table = {}
    for r in pack.rows("genes.tsv", ("symbol", "group", "mechanism_category")):
        category, group = r["mechanism_category"], r["group"]
        if group == "antigen" and category != "antigen_loss":
            group = "antigen_signalling"  # EGFR, MET: an ADC target that also signals
        role = "antigen" if category == "antigen_loss" else group
        table[r["symbol"].upper()] = (category, role)
    return table


def partner_patterns(pack: Pack) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, strategy category) of ``partner_strategy.tsv``, in file order."""
    return tuple(
        (re.compile(rf"(?:{r['pattern']})", re.IGNORECASE), r["strategy_category"])
        for r in pack.rows("partner_strategy.tsv")
    )


def generic_mechanism_cues(pack: Pack) -> frozenset[str]:
    """Alteration words ("loss", "upregulation") that name no mechanism without their gene
    (``mechanism_cues.tsv``, ``generic`` column)."""
    rows = pack.rows("mechanism_cues.tsv", ("cue", "generic"))
    return frozenset(" ".join(r["cue"].split()).lower() for r in rows if r["generic"] == "yes")


def cue_key(text: str) -> str:
    """Lookup form of a cue: lower case, hyphens and dashes as spaces, single spaces."""
    return " ".join(_CUE_DASHES.sub(" ", text.lower()).split())


def cue_canonicals(pack: Pack) -> dict[str, dict[str, str]]:
    """Entity type -> cue key -> canonical entity (the ``canonical`` column)."""
    out: dict[str, dict[str, str]] = {}
    for kind, name in (("MECHANISM", "mechanism_cues.tsv"), ("STRATEGY", "strategy_cues.tsv")):
        table: dict[str, str] = {}
        for r in pack.rows(name, ("cue", "category", "canonical")):
            canonical = " ".join(r["canonical"].split())
            if not canonical:
                raise ValueError(f"{name}: cue {r['cue']!r} has no canonical entity")
            table[cue_key(r["cue"])] = canonical
        out[kind] = table
    return out


def adc_targets(pack: Pack) -> dict[str, tuple[str, str]]:
    """ADC entity id -> (target HGNC symbol, payload class), from the catalogue."""
    return {r.entity_id: (r.target, r.payload_class) for r in pack.adc_catalog}
