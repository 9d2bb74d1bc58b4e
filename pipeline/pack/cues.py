"""Extraction tables of the knowledge pack: relation cues, gene roles, partner strategies,
canonical cue entities.

Built once per pack (see :class:`pipeline.pack.Pack`) from ``relation_cues.tsv``,
``partner_strategy.tsv``, ``genes.tsv`` and the NER cue tables; the decisions are made in
:mod:`pipeline.extract`.
"""

from __future__ import annotations

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
        self._literals = LiteralIndex(
            {lit for m in self._kinds.values() for cs in m.clauses for c in cs for lit in c}
        )
        kinds_of: dict[str, set[str]] = {}  # a literal -> the kinds it lets match
        for kind, m in self._kinds.items():
            for lit in m.first_literals:
                kinds_of.setdefault(lit, set()).add(kind)
        self._kinds_of = {lit: frozenset(k) for lit, k in kinds_of.items()}
        self._always_kinds = frozenset(k for k, m in self._kinds.items() if m.always)
        # the clause, negation and hedge rules ask again for every claim of a sentence
        self.find = lru_cache(maxsize=4096)(self._find)
        self.scan = lru_cache(maxsize=1024)(self._scan)

    def patterns(self) -> dict[str, re.Pattern[str]]:
        """The full alternation of each kind (the prefilter's reference)."""
        return {k: a.full for k, a in self.alternations.items()}

    def _scan(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """(the cue literals occurring in ``text``, folded; the kinds some branch of which
        they let match), shared by every kind: most kinds are then ruled out at once."""
        present = self._literals.present(fold(text))
        kinds_of = self._kinds_of
        return present, self._always_kinds.union(
            *(kinds_of[lit] for lit in present if lit in kinds_of)
        )

    def _find(self, text: str, kind: str) -> tuple[Span, ...]:
        """Character spans (relative to ``text``) where a cue of ``kind`` occurs."""
        present, kinds = self.scan(text)
        if kind not in kinds:
            return ()
        return self._kinds[kind].spans(text, present)


class LiteralIndex:
    """Which of a fixed set of lower-case literals occur in a folded text.

    A literal of three characters or more is looked up under its rarest trigram: only the
    literals filed under a trigram the text contains are tested with ``in``. A literal
    that occurs has every one of its trigrams in the text, so none is missed.
    """

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

    def present(self, key: str) -> frozenset[str]:
        """The literals that occur in ``key``."""
        found = [lit for lit in self.short if lit in key]
        tris = self.trigrams.intersection([key[i : i + 3] for i in range(len(key) - 2)])
        for tri in tris:
            found += [lit for lit in self.by_trigram[tri] if lit in key]
        return frozenset(found)


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


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
        self.branches = tuple(re.compile(p, re.IGNORECASE) for p in alternation.pieces)
        self.plain = self.full.groups > 0 or any(_may_be_empty(p) for p in alternation.pieces)
        self.always = frozenset(i for i, c in enumerate(self.clauses) if not c)
        first: dict[str, set[int]] = {}  # the most selective clause finds the candidates
        for i, c in enumerate(self.clauses):
            for lit in c[0] if c else ():
                first.setdefault(lit, set()).add(i)
        self.first = {lit: frozenset(ids) for lit, ids in first.items()}
        self.first_literals = frozenset(first)

    def candidates(self, present: frozenset[str]) -> list[int]:
        """Branches every clause of whose literals holds in a text with ``present``."""
        hits = self.first_literals.intersection(present)
        if not hits:
            return sorted(self.always)
        which = self.always.union(*(self.first[lit] for lit in hits))
        return [
            i for i in sorted(which) if all(not present.isdisjoint(c) for c in self.clauses[i][1:])
        ]

    def spans(self, text: str, present: frozenset[str]) -> tuple[Span, ...]:
        which = self.candidates(present)
        if not which:
            return ()
        if self.plain or len(which) == len(self.branches):
            return tuple(m.span() for m in self.full.finditer(text) if m.end() > m.start())
        if len(which) == 1:
            return tuple(m.span() for m in self.branches[which[0]].finditer(text))
        branches = [self.branches[i] for i in which]
        ahead = [b.search(text) for b in branches]  # each branch's leftmost match
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
                    ahead[j] = branches[j].search(text, end)


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
